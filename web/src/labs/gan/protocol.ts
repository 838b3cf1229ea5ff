// Messages between the GAN page (store.ts) and its worker session
// (session.ts), through the worker host.
import type { GanConfig } from './config';
import type { Diagnosis } from './metrics';
import type { GanSnapshot as GanFileSnapshot } from '../../share/ganFile';

export type { GanFileSnapshot };

/** Views the page shows now: the session computes only these. */
export interface Wanted {
  /** Samples, D's heatmap, G's manifold and arrows (the map panel). */
  map: boolean;
}

export type GanCommand =
  /** A new pair; `points` are the drawn points (flat x, y) for dist = custom; `snapshot`: a GAN file's networks to start from. */
  | { type: 'build'; config: GanConfig; points: Float32Array | null; snapshot?: GanFileSnapshot }
  /** Both networks as a GAN file holds them (share/ganFile.ts), answered with a GanFileSnapshot. */
  | { type: 'snapshot' }
  /** Settings that keep the weights: learning rates, optimizers, steps, batch. */
  | { type: 'settings'; config: GanConfig }
  | { type: 'want'; wanted: Wanted }
  /** One iteration of one network only (or both). */
  | { type: 'iterate'; which: 'd' | 'g' | 'both' }
  | { type: 'get-params' }
  | { type: 'load-params'; params: Float32Array };

/** The map's data, all for the same weights. */
export interface MapView {
  /** Fixed real and generated sets (the noise is fixed too, so only G moves them). */
  real: Float32Array;
  fake: Float32Array;
  /** -∂L_G/∂x per generated point (where D pushes it). */
  arrows: Float32Array;
  /** D's output on a gridSize² grid over the square, row 0 at the top: probability (BCE) or raw score (least squares). */
  grid: Float32Array;
  gridSize: number;
  /** G's image of a noise grid: rows x cols points (1-D noise: 1 x cols, a curve). */
  manifold: Float32Array;
  manifoldRows: number;
  manifoldCols: number;
}

/** Metrics measured on the fixed sets, at an iteration. */
export interface DistancePoint { at: number; distance: number; kl: number; js: number }

export interface GanSnapshot {
  iteration: number;
  running: boolean;
  iterationsPerSec: number;
  /** Losses since the last snapshot, with their x (iterations). */
  at: Float32Array;
  dLosses: Float32Array;
  gLosses: Float32Array;
  /** Last D step's mean D on real and generated samples. */
  dReal: number;
  dFake: number;
  distances: DistancePoint[];
  diagnosis: Diagnosis;
  map: MapView | null;
}

export type GanEvent =
  | { type: 'built'; gParams: number; dParams: number };
