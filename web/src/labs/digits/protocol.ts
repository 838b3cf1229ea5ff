// Messages between the digits GAN page (store.ts) and its worker session
// (session.ts), through the worker host.
import type { GanDigitsConfig } from './config';
import type { GanSnapshot } from '../../share/ganFile';

/** Views the page shows now: the session computes only these. */
export interface Wanted {
  samples: boolean;
  interpolate: boolean;
}

export type GanDigitsCommand =
  | { type: 'load'; manifestUrl: string }
  | { type: 'build'; config: GanDigitsConfig }
  /** Settings that keep both networks' weights: optimizers, rates, beta1, the loss, the steps. */
  | { type: 'settings'; config: GanDigitsConfig }
  | { type: 'want'; wanted: Wanted }
  /** New interpolation ends: 'a', 'b' or both drawn again from the ends' own stream. */
  | { type: 'reroll'; end: 'a' | 'b' | 'both' }
  /** Which networks an iteration trains (the "D only" / "G only" buttons). */
  | { type: 'which'; which: 'both' | 'd' | 'g' }
  /** D's verdict on a drawn digit: 784 ink values 0..1; answered with a Judgement. */
  | { type: 'judge'; pixels: Float32Array }
  /** Both networks as a GAN file holds them (share/ganFile.ts); answered with a GanSnapshot. */
  | { type: 'snapshot' }
  /** A checked GAN file: new networks from `config` with the file's weights and iteration count. */
  | { type: 'restore'; config: GanDigitsConfig; snapshot: GanSnapshot }
  | { type: 'get-params' }
  | { type: 'load-params'; params: Float32Array };

/** D's verdict on one digit: its raw output and, under bce, the probability "real". */
export interface Judgement { score: number; probability: number | null }

export interface GanDigitsSnapshot {
  iteration: number;
  running: boolean;
  iterationsPerSec: number;
  /** Per iteration since the last snapshot: both losses and D's means on real and generated digits. */
  dLoss: Float32Array;
  gLoss: Float32Array;
  dReal: Float32Array;
  dFake: Float32Array;
  at: Float32Array;
  /** The fixed noise's samples, GRID x 784 ink 0..1, when due. */
  samples: Float32Array | null;
  /** INTERPOLATION_STEPS x 784 ink 0..1, when due. */
  strip: Float32Array | null;
}

export type GanDigitsEvent =
  | { type: 'progress'; loaded: number; total: number }
  | { type: 'loaded'; nTrain: number }
  | { type: 'load-error'; message: string }
  | { type: 'built'; gParams: number; dParams: number };

/** Samples in the grid (10 x 10: the benchmark classifies them all). */
export const GRID_SIDE = 10;
export const GRID = GRID_SIDE * GRID_SIDE;
export const INTERPOLATION_STEPS = 10;
