import type { DatasetId, Task } from '../state/config';

/** Inputs live in [-DOMAIN, DOMAIN] on both axes, like TensorFlow Playground. */
export const DOMAIN = 6;

/** A generated or drawn data set. */
export interface Dataset {
  /** [n x 2] row-major (x1, x2). For 1-D sets x2 is 0. */
  points: Float32Array;
  /** [n]: class index (0..nClasses-1) for classification, target for regression. */
  labels: Float32Array;
  task: Task;
  /** 2..4 for classification, 0 for regression. */
  nClasses: number;
  /** 2 for plane sets, 1 for the curve sets (drawn as curves, model vs truth). */
  dims: 1 | 2;
}

export interface GenerateOptions {
  /** Number of points, 1..MAX_POINTS. */
  n: number;
  /** Noise in percent, 0..50 (Config.noise). */
  noise: number;
  /** Any integer; used modulo 2^32. */
  seed: number;
}

export type GeneratedId = Exclude<DatasetId, 'custom'>;
