// Turns a hand-drawn digit into an MNIST-like 28x28 input, the way the MNIST
// digits themselves were prepared: the bounding box of the ink is scaled to fit
// a 20x20 box keeping its aspect ratio (with anti-aliasing), then placed in the
// 28x28 field with its centre of mass at the centre of pixel (14, 14), where
// MNIST's own digits have it (mean over the training set: 14.5, 14.5 in
// continuous coordinates, measured from the IDX files).
//
// One area-weighted resampling pass does both steps: every source pixel is
// mapped to a square of side `scale` in the 28x28 field and adds its ink to
// the cells it overlaps, in proportion to the overlap. Area resampling keeps
// the centre of mass (up to where partly covered cells put their share), so
// centring it before the pass centres it after.

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
/** Side of the box the digit's bounding box is scaled to fit. */
export const FIT_BOX = 20;
/** Where the centre of mass goes, in continuous coordinates (pixel i spans [i, i+1]). */
export const MASS_CENTRE = 14.5;

export interface PreparedDigit {
  /** [28 x 28] row-major ink 0..1, like MNIST pixels / 255. */
  pixels: Float32Array;
  /** True when nothing was drawn (all pixels are then 0). */
  empty: boolean;
}

/** Ink 0..1 from RGBA canvas pixels: the pad draws opaque strokes on a
 *  transparent canvas, so the alpha channel is the ink. */
export function inkFromRgba(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Float32Array {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3] / 255;
  return ink;
}

/**
 * ink: [height x width] row-major, 0..1. Pixels at or below `threshold` do not
 * count towards the bounding box (stray anti-aliasing).
 */
export function prepareDigit(ink: Float32Array, width: number, height: number, threshold = 0.05): PreparedDigit {
  if (!(width >= 1 && height >= 1) || ink.length !== width * height) {
    throw new Error(`ink has ${ink.length} values, expected ${width}x${height}`);
  }
  const pixels = new Float32Array(MNIST_PIXELS);

  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return { pixels, empty: true };

  // Centre of mass of the ink inside the box, in continuous coordinates
  // (pixel x spans [x, x+1]).
  let mass = 0, mx = 0, my = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const v = ink[y * width + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const comX = mx / mass, comY = my / mass;
  const scale = FIT_BOX / Math.max(x1 - x0 + 1, y1 - y0 + 1);

  for (let y = y0; y <= y1; y++) {
    const top = scale * (y - comY) + MASS_CENTRE;
    for (let x = x0; x <= x1; x++) {
      const v = ink[y * width + x];
      if (v <= 0) continue;
      const left = scale * (x - comX) + MASS_CENTRE;
      splat(pixels, v, left, top, scale);
    }
  }
  for (let i = 0; i < MNIST_PIXELS; i++) pixels[i] = Math.min(1, pixels[i]);
  return { pixels, empty: false };
}

/** Adds `value` times the overlap area of the square [left, left+side] x
 *  [top, top+side] with each 28x28 cell; the part outside the field is lost. */
function splat(out: Float32Array, value: number, left: number, top: number, side: number): void {
  const right = left + side, bottom = top + side;
  const i0 = Math.max(0, Math.floor(left)), i1 = Math.min(MNIST_SIDE - 1, Math.ceil(right) - 1);
  const j0 = Math.max(0, Math.floor(top)), j1 = Math.min(MNIST_SIDE - 1, Math.ceil(bottom) - 1);
  for (let j = j0; j <= j1; j++) {
    const oy = Math.min(bottom, j + 1) - Math.max(top, j);
    if (oy <= 0) continue;
    for (let i = i0; i <= i1; i++) {
      const ox = Math.min(right, i + 1) - Math.max(left, i);
      if (ox > 0) out[j * MNIST_SIDE + i] += value * ox * oy;
    }
  }
}
