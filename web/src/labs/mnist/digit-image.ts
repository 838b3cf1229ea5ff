// Paints 28x28 digits and weight maps into canvases.
import type { Theme } from '../../state/config';
import { diverging } from '../../components/palette';

/** Ink 0..1 (floats) or 0..255 (bytes) as dark-on-light or light-on-dark greys. */
export function paintDigit(ctx: CanvasRenderingContext2D, pixels: ArrayLike<number>, theme: Theme, scale255 = false): void {
  const img = ctx.createImageData(28, 28);
  const [bg, fg] = theme === 'dark' ? [20, 240] : [255, 10];
  for (let i = 0; i < 784; i++) {
    const v = Math.max(0, Math.min(1, scale255 ? pixels[i]! / 255 : pixels[i]!));
    const g = bg + (fg - bg) * v;
    img.data[4 * i] = g;
    img.data[4 * i + 1] = g;
    img.data[4 * i + 2] = g;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** One unit's 784 weights, blue positive / orange negative, scaled by its largest |w|. */
export function paintWeights(ctx: CanvasRenderingContext2D, w: Float32Array, offset: number, theme: Theme): void {
  let max = 1e-12;
  for (let i = 0; i < 784; i++) max = Math.max(max, Math.abs(w[offset + i]!));
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) diverging(img.data, 4 * i, w[offset + i]! / max, theme, 1);
  ctx.putImageData(img, 0, 0);
}
