// Public entry point of web/src/data: generate, split and prepare data sets.

import type { DatasetId, Task } from '../state/config';
import { createRng, permutation } from '../lib/rng.js';
import { fillClassification, fillRegression, SPECS } from './generators';
import { DOMAIN, type Dataset, type GenerateOptions, type GeneratedId } from './types';

export { DOMAIN, type Dataset, type GenerateOptions, type GeneratedId } from './types';
export { featurize, FEATURES, FEATURE_IDS, featureInfo, type FeatureInfo } from './features';

/** Most points a generated set may have. */
export const MAX_POINTS = 20000;

export interface DatasetInfo {
  id: DatasetId;
  /** Label for the UI. */
  label: string;
  task: Task;
  /** Classes (2..4) for classification, 0 for regression. */
  nClasses: number;
  dims: 1 | 2;
  /** [min, max] of the (noiseless) target: [0, nClasses-1] for classes. */
  range: readonly [number, number];
  /** Suggested number of points (TensorFlow Playground: 500 / 1200). */
  defaultCount: number;
}

const LABELS: Readonly<Record<DatasetId, string>> = {
  circle: 'Circle', xor: 'XOR', gauss: 'Two Gaussians', spiral: 'Spiral', moons: 'Moons',
  and: 'AND', or: 'OR', nand: 'NAND',
  checker: 'Checkerboard', blobs3: '3 blobs', spiral3: '3-arm spiral', blobs4: '4 blobs',
  plane: 'Plane', multigauss: 'Multi-Gaussian', square1d: 'x² (÷6)', abs1d: '|x|', sin1d: '3·sin x',
  custom: 'Your drawing',
};

/** Every data set in UI order, "custom" last. */
export const DATASET_IDS: readonly DatasetId[] = [
  'circle', 'xor', 'gauss', 'spiral', 'moons', 'checker', 'blobs3', 'spiral3', 'blobs4',
  'and', 'or', 'nand', 'plane', 'multigauss', 'square1d', 'abs1d', 'sin1d', 'custom',
];

export function datasetInfo(id: DatasetId): DatasetInfo {
  if (id === 'custom') {
    // Drawn points: up to 4 classes; the actual count comes from the drawing.
    return { id, label: LABELS.custom, task: 'multiclass', nClasses: 4, dims: 2, range: [0, 3], defaultCount: 0 };
  }
  const spec = SPECS[id];
  if (!spec) throw new Error(`unknown data set "${String(id)}"`);
  if (spec.kind === 'class') {
    return {
      id, label: LABELS[id], task: spec.classes === 2 ? 'binary' : 'multiclass', nClasses: spec.classes,
      dims: 2, range: [0, spec.classes - 1], defaultCount: 500,
    };
  }
  return { id, label: LABELS[id], task: 'regression', nClasses: 0, dims: spec.dims, range: spec.range, defaultCount: spec.dims === 1 ? 300 : 1200 };
}

/** binary (sigmoid + BCE), multiclass (softmax + CE) or regression (linear + MSE).
 *  For "custom" the task depends on the drawing: use taskForClasses. */
export function datasetTask(id: DatasetId): Task {
  return datasetInfo(id).task;
}

/** Task of a classification set with this many classes. */
export function taskForClasses(nClasses: number): Task {
  return nClasses <= 2 ? 'binary' : 'multiclass';
}

/** The regression truth f(x1, x2) (for drawing the 1-D curve), or null. */
export function regressionTruth(id: DatasetId): ((x1: number, x2: number) => number) | null {
  const spec = id === 'custom' ? undefined : SPECS[id];
  return spec && spec.kind === 'regression' ? spec.truth : null;
}

/**
 * A reproducible data set: the same (id, n, noise, seed) gives the same bytes.
 * Throws on a bad argument (unknown id, "custom", n outside 1..MAX_POINTS,
 * noise outside 0..50): callers pass validated Config values.
 */
export function generateDataset(id: GeneratedId, opts: GenerateOptions): Dataset {
  const spec = SPECS[id];
  if (!spec || (id as DatasetId) === 'custom') throw new Error(`cannot generate data set "${String(id)}"`);
  const { n, noise, seed } = opts;
  if (!Number.isInteger(n) || n < 1 || n > MAX_POINTS) throw new Error(`n must be an integer in 1..${MAX_POINTS}, got ${n}`);
  if (!Number.isFinite(noise) || noise < 0 || noise > 50) throw new Error(`noise must be 0..50 (percent), got ${noise}`);
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
  const points = new Float32Array(2 * n);
  const labels = new Float32Array(n);
  const info = datasetInfo(id);
  if (spec.kind === 'class') fillClassification(spec, n, noise / 100, seed >>> 0, points, labels);
  else fillRegression(spec, n, noise / 100, seed >>> 0, points, labels);
  return { points, labels, task: info.task, nClasses: info.nClasses, dims: info.dims };
}

/** A classification set from drawn points (classes 0..3, coordinates in the domain). */
export function datasetFromPoints(points: ReadonlyArray<{ x: number; y: number; cls: number }>): Dataset {
  const n = points.length;
  const xy = new Float32Array(2 * n);
  const labels = new Float32Array(n);
  let maxClass = 1;
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    xy[2 * i] = Math.max(-DOMAIN, Math.min(DOMAIN, p.x));
    xy[2 * i + 1] = Math.max(-DOMAIN, Math.min(DOMAIN, p.y));
    labels[i] = p.cls;
    if (p.cls > maxClass) maxClass = p.cls;
  }
  const nClasses = maxClass + 1;
  return { points: xy, labels, task: taskForClasses(nClasses), nClasses, dims: 2 };
}

function subset(ds: Dataset, order: Int32Array, from: number, to: number): Dataset {
  const n = to - from;
  const points = new Float32Array(2 * n);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const src = order[from + i]!;
    points[2 * i] = ds.points[2 * src]!;
    points[2 * i + 1] = ds.points[2 * src + 1]!;
    labels[i] = ds.labels[src]!;
  }
  return { points, labels, task: ds.task, nClasses: ds.nClasses, dims: ds.dims };
}

/**
 * Seeded shuffle, then the first round(n * trainRatio / 100) points train.
 * trainRatio is a percentage (Config.trainRatio). With n >= 2 both parts
 * keep at least one point.
 */
export function splitTrainTest(ds: Dataset, trainRatio: number, seed: number): { train: Dataset; test: Dataset } {
  const n = ds.labels.length;
  const order = permutation(createRng((seed ^ 0x5bd1e995) >>> 0), n);
  let nTrain = Math.round((n * trainRatio) / 100);
  if (n >= 2) nTrain = Math.min(n - 1, Math.max(1, nTrain));
  else nTrain = n;
  return { train: subset(ds, order, 0, nTrain), test: subset(ds, order, nTrain, n) };
}

/** Output units of the network for a task (1 for binary and regression). */
export function outputSize(task: Task, nClasses: number): number {
  return task === 'multiclass' ? nClasses : 1;
}

/**
 * Network targets, [n x outputSize(task, nClasses)]: 0/1 for binary
 * (one sigmoid output + BCE), one-hot for multiclass (softmax + CE), the raw
 * value for regression (linear output + MSE).
 */
export function targetsFor(ds: Dataset, task: Task = ds.task): Float32Array {
  const n = ds.labels.length;
  if (task === 'regression') return Float32Array.from(ds.labels);
  if (task === 'binary') {
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = ds.labels[i]! >= 0.5 ? 1 : 0;
    return y;
  }
  const k = ds.nClasses;
  const y = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const c = ds.labels[i]!;
    if (c >= 0 && c < k) y[i * k + c] = 1;
  }
  return y;
}
