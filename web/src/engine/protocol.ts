// The typed message protocol between the UI thread (client.ts) and the
// training worker (trainer.worker.ts).
//
// Why not comlink: training streams snapshots continuously and is paced by
// the UI's animation frames (the worker sends a snapshot only after the UI
// has drawn the previous one). That is a stream with back-pressure, not a
// set of request/response calls, so a small discriminated union of messages
// fits better and keeps every transfer explicit.

import type { Activation, Config, Feature, Task } from '../state/config';

/** Everything that fixes the network's shape and initial weights. */
export interface NetSpec {
  /** Number of network inputs (= features.length). */
  inputs: number;
  hidden: number[];
  activations: Activation[];
  /** 1 for binary (sigmoid + BCE) and regression (linear + MSE), nClasses for softmax + CE. */
  outputs: number;
  task: Task;
  /** Seeds the initial weights and the per-epoch shuffle. */
  seed: number;
}

/** Settings that apply to a running model without a reset: these Config
 *  fields, derived so the two cannot drift apart. */
export type HyperParams = Pick<Config, 'optimizer' | 'learningRate' | 'momentum' | 'regularization' | 'regRate' | 'batchSize'>;

/** Raw 2-D points and labels (class index, or regression target). */
export interface PointSet {
  points: Float32Array; // [n x 2]
  labels: Float32Array; // [n]
}

export interface DataSpec {
  train: PointSet;
  test: PointSet;
  task: Task;
  nClasses: number;
  features: Feature[];
  /** 1 for the 1-D regression curves (x2 is 0), 2 otherwise. */
  dims: 1 | 2;
}

export interface ViewSpec {
  /** Output map resolution (cells per side). */
  gridSize: number;
  /** Per-neuron thumbnails wanted (computed only when visible). */
  neuronGrids: boolean;
  /** Thumbnail resolution (cells per side). */
  neuronGridSize: number;
  /** Half-width of the square domain drawn, e.g. 6 for [-6, 6]². */
  extent: number;
}

export type ToWorker =
  | { type: 'build'; net: NetSpec }
  | { type: 'data'; data: DataSpec }
  | { type: 'hyper'; hyper: HyperParams }
  | { type: 'view'; view: ViewSpec }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; epochs: number }
  | { type: 'reset' }
  | { type: 'setParam'; layer: number; which: 0 | 1; row: number; col: number; value: number }
  | { type: 'loadParams'; params: Float32Array; requestId: number }
  | { type: 'getParams'; requestId: number }
  | { type: 'predict'; points: Float32Array; requestId: number }
  /** The UI drew the last snapshot: the worker may send the next one. */
  | { type: 'ack' }
  | { type: 'ping'; id: number };

export interface Snapshot {
  epoch: number;
  running: boolean;
  trainLoss: number;
  testLoss: number;
  /** Fraction correct, NaN for regression. */
  trainAccuracy: number;
  testAccuracy: number;
  /** Training examples processed per second over the last chunk(s). */
  examplesPerSec: number;
  /** The same, counting only time spent inside the engine's training calls. */
  engineExamplesPerSec: number;
  /** Epochs per second over the last chunk(s). */
  epochsPerSec: number;
  /** Output map: [gridSize² x outputs], row 0 at the top (largest x2). */
  outputGrid: Float32Array;
  gridSize: number;
  outputs: number;
  /** Every hidden layer's post-activations over the thumbnail grid, layer
   *  after layer: [neuronGridSize² x width] blocks (absent when hidden). */
  neuronGrids: Float32Array | null;
  neuronGridSize: number;
  /** The flat parameter array (nn_params layout) for drawing links. */
  params: Float32Array;
  /** For 1-D data sets: the network's outputs along a line of x1 values
   *  (x2 = 0), [samples x outputs]. */
  curve: Float32Array | null;
}

export type FromWorker =
  | { type: 'ready'; abiVersion: number }
  | { type: 'built'; paramCount: number; sizes: number[] }
  | { type: 'snapshot'; snap: Snapshot }
  /** Training stopped because the loss became NaN/Inf. */
  | { type: 'diverged'; epoch: number; message: string }
  /** A recoverable problem with a request (bad config, bad params file …). */
  | { type: 'error'; message: string; requestId?: number }
  /** The WASM module could not be loaded or initialised. */
  | { type: 'fatal'; message: string }
  | { type: 'params'; params: Float32Array; requestId: number }
  | { type: 'loaded'; requestId: number }
  | { type: 'predictions'; values: Float32Array; requestId: number }
  | { type: 'pong'; id: number };
