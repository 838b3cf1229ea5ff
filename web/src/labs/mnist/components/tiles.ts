// Paints many small maps (feature maps, filters, activations) side by side in
// one canvas, one pixel per value with a 1-pixel gap, in the palette's
// diverging colours (blue positive, orange negative) scaled by the largest
// |value| of the whole set so the maps compare with each other.
import type { Theme } from '../../../state/config';
import { diverging, neutral } from '../../../components/palette';

export interface TileLayout { cols: number; rows: number; width: number; height: number }

export function tileLayout(count: number, h: number, w: number, cols: number): TileLayout {
  const c = Math.max(1, Math.min(cols, count));
  const rows = Math.ceil(count / c);
  return { cols: c, rows, width: c * (w + 1) - 1, height: rows * (h + 1) - 1 };
}

/** Largest |v| (at least a tiny positive number, so an all-zero set paints neutral). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 1e-12;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}

/**
 * Paints `count` maps of h x w values (map k at values[k*h*w], row-major)
 * in a grid `cols` wide. Returns the layout (the canvas is resized to it).
 */
export function paintTiles(canvas: HTMLCanvasElement, values: Float32Array, count: number, h: number, w: number, cols: number, theme: Theme): TileLayout {
  const t = tileLayout(count, h, w, cols);
  if (canvas.width !== t.width) canvas.width = t.width;
  if (canvas.height !== t.height) canvas.height = t.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return t;
  const img = ctx.createImageData(t.width, t.height);
  const gap = neutral(theme === 'dark' ? 'light' : 'dark');
  for (let i = 0; i < img.data.length; i += 4) {
    img.data[i] = gap[0]; img.data[i + 1] = gap[1]; img.data[i + 2] = gap[2]; img.data[i + 3] = 60;
  }
  const scale = maxAbs(values.subarray(0, count * h * w));
  for (let k = 0; k < count; k++) {
    const x0 = (k % t.cols) * (w + 1), y0 = Math.floor(k / t.cols) * (h + 1);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) diverging(img.data, 4 * ((y0 + y) * t.width + x0 + x), values[(k * h + y) * w + x]! / scale, theme, 1);
    }
  }
  ctx.putImageData(img, 0, 0);
  return t;
}
