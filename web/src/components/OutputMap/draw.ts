// Pure drawing of the output map: heatmap, points and 1-D curves onto a 2-D
// canvas context. Kept apart from the component so it holds no state.

import type { Task, Theme } from '../../state/config';
import { classColor, css, diverging, ink, mixClasses, NEGATIVE, neutral, POSITIVE, type RGB } from '../palette';

export interface MapData {
  task: Task;
  nClasses: number;
  dims: 1 | 2;
  /** Half-width of the square domain. */
  extent: number;
  /** [min, max] of regression targets, for colours and the 1-D y axis. */
  range: readonly [number, number];
  grid: Float32Array | null;
  gridSize: number;
  outputs: number;
  curve: Float32Array | null;
  truth: ((x1: number, x2: number) => number) | null;
  train: { points: Float32Array; labels: Float32Array };
  test: { points: Float32Array; labels: Float32Array };
  showTest: boolean;
  discretize: boolean;
  theme: Theme;
  /** A training point to ring (the one the math panel traces), or none. */
  mark?: number | null;
}

/** A ring at pixel (x, y): the traced point. */
function ring(ctx: CanvasRenderingContext2D, d: MapData, x: number, y: number): void {
  ctx.lineWidth = 3;
  ctx.strokeStyle = ink(d.theme).text;
  ctx.beginPath();
  ctx.arc(x, y, 10, 0, 2 * Math.PI);
  ctx.stroke();
}

/** Regression value → [-1, 1] over the data set's range. */
function normalise(v: number, range: readonly [number, number]): number {
  const mid = (range[0] + range[1]) / 2;
  const half = Math.max(1e-6, (range[1] - range[0]) / 2);
  return (v - mid) / half;
}

/** Colours the grid into `img` (gridSize² pixels). */
export function paintGrid(img: ImageData, d: MapData): void {
  const px = img.data;
  const n = d.gridSize * d.gridSize;
  const g = d.grid;
  if (!g || g.length < n * d.outputs) {
    const c = neutral(d.theme);
    for (let i = 0; i < n; i++) { px[4 * i] = c[0]; px[4 * i + 1] = c[1]; px[4 * i + 2] = c[2]; px[4 * i + 3] = 255; }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (d.task === 'multiclass') {
      mixClasses(px, 4 * i, g, i * d.outputs, d.outputs, d.theme, 0.7, d.discretize);
    } else if (d.task === 'binary') {
      const p = g[i]!;
      // P(class 1) → orange (class 1's colour), P(class 0) → blue.
      const t = d.discretize ? (p >= 0.5 ? -1 : 1) : 1 - 2 * p;
      diverging(px, 4 * i, t, d.theme);
    } else {
      const t = normalise(g[i]!, d.range);
      diverging(px, 4 * i, d.discretize ? Math.sign(t) : t, d.theme);
    }
  }
}

function pointColor(label: number, d: MapData): RGB {
  if (d.task === 'regression') {
    const t = normalise(label, d.range);
    const tmp = new Uint8ClampedArray(4);
    diverging(tmp, 0, t, d.theme, 1);
    return [tmp[0]!, tmp[1]!, tmp[2]!];
  }
  return classColor(label);
}

/** Domain → canvas pixels for a square canvas of side `size`. */
export function toPixel(x: number, y: number, extent: number, size: number): [number, number] {
  return [((x + extent) / (2 * extent)) * size, ((extent - y) / (2 * extent)) * size];
}

export function toDomain(px: number, py: number, extent: number, size: number): [number, number] {
  return [(px / size) * 2 * extent - extent, extent - (py / size) * 2 * extent];
}

function drawPoints(ctx: CanvasRenderingContext2D, set: MapData['train'], d: MapData, size: number,
                    yOf: (i: number) => number, hollow: boolean, fixed?: RGB): void {
  const r = Math.max(2.5, size / 110);
  const edge = ink(d.theme).pointEdge;
  const n = set.labels.length;
  ctx.lineWidth = hollow ? Math.max(1.5, r / 2) : 1;
  for (let i = 0; i < n; i++) {
    const [x, y] = toPixel(set.points[2 * i]!, yOf(i), d.extent, size);
    const c = css(fixed ?? pointColor(set.labels[i]!, d));
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    if (hollow) {
      ctx.strokeStyle = c;
      ctx.stroke();
    } else {
      ctx.fillStyle = c;
      ctx.fill();
      ctx.strokeStyle = edge;
      ctx.stroke();
    }
  }
}

/** 1-D sets: the y axis shows the target over the range (padded). */
function curveScale(d: MapData): (v: number) => number {
  const lo = d.range[0];
  const hi = d.range[1];
  const pad = (hi - lo) * 0.15 + 1e-6;
  // Map [lo - pad, hi + pad] onto the domain's y extent.
  return (v) => -d.extent + ((v - (lo - pad)) / (hi - lo + 2 * pad)) * 2 * d.extent;
}

function strokeCurve(ctx: CanvasRenderingContext2D, d: MapData, size: number, n: number,
                     valueAt: (i: number) => [number, number]): void {
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const [x, v] = valueAt(i);
    const [px, py] = toPixel(x, v, d.extent, size);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.stroke();
}

const imageCache = new WeakMap<HTMLCanvasElement, ImageData>();

/** Draws the whole map onto ctx (a square canvas of side `size` px). */
export function drawMap(ctx: CanvasRenderingContext2D, scratch: HTMLCanvasElement, d: MapData, size: number): void {
  ctx.clearRect(0, 0, size, size);
  const fg = ink(d.theme).text;
  if (d.dims === 2) {
    const sctx = d.gridSize >= 1 && d.grid ? scratch.getContext('2d') : null;
    if (sctx) {
      if (scratch.width !== d.gridSize) { scratch.width = d.gridSize; scratch.height = d.gridSize; }
      let img = imageCache.get(scratch);
      if (!img || img.width !== d.gridSize) {
        img = sctx.createImageData(d.gridSize, d.gridSize);
        imageCache.set(scratch, img);
      }
      paintGrid(img, d);
      sctx.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = !d.discretize;
      ctx.drawImage(scratch, 0, 0, size, size);
    } else {
      ctx.fillStyle = css(neutral(d.theme)); // no predictions yet
      ctx.fillRect(0, 0, size, size);
    }
    drawPoints(ctx, d.train, d, size, (i) => d.train.points[2 * i + 1]!, false);
    if (d.showTest) drawPoints(ctx, d.test, d, size, (i) => d.test.points[2 * i + 1]!, true);
    const m = d.mark;
    if (m != null && m < d.train.labels.length) ring(ctx, d, ...toPixel(d.train.points[2 * m]!, d.train.points[2 * m + 1]!, d.extent, size));
    return;
  }
  // 1-D regression: model (solid) against truth (dashed), points on top.
  const bg = neutral(d.theme);
  ctx.fillStyle = css(bg);
  ctx.fillRect(0, 0, size, size);
  const y = curveScale(d);
  ctx.strokeStyle = ink(d.theme).axis;
  ctx.lineWidth = 1;
  const [, zeroY] = toPixel(0, y(0), d.extent, size);
  ctx.beginPath(); ctx.moveTo(0, zeroY); ctx.lineTo(size, zeroY); ctx.moveTo(size / 2, 0); ctx.lineTo(size / 2, size); ctx.stroke();
  if (d.truth) {
    const truth = d.truth;
    ctx.setLineDash([6, 5]);
    ctx.strokeStyle = fg;
    ctx.lineWidth = 1.5;
    const m = 200;
    strokeCurve(ctx, d, size, m, (i) => {
      const x = -d.extent + (i * 2 * d.extent) / (m - 1);
      return [x, y(truth(x, 0))];
    });
    ctx.setLineDash([]);
  }
  const set = (s: MapData['train']) => (i: number) => y(s.labels[i]!);
  drawPoints(ctx, d.train, d, size, set(d.train), false, NEGATIVE);
  if (d.showTest) drawPoints(ctx, d.test, d, size, set(d.test), true, NEGATIVE);
  if (d.curve && d.curve.length >= 2) {
    const curve = d.curve;
    const m = curve.length / d.outputs;
    ctx.strokeStyle = css(POSITIVE);
    ctx.lineWidth = 3;
    strokeCurve(ctx, d, size, m, (i) => [-d.extent + (i * 2 * d.extent) / (m - 1), y(curve[i * d.outputs]!)]);
  }
  const m = d.mark;
  if (m != null && m < d.train.labels.length) ring(ctx, d, ...toPixel(d.train.points[2 * m]!, y(d.train.labels[m]!), d.extent, size));
}
