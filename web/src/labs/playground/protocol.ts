// The playground's messages inside the worker host's envelope
// (engine/protocol.ts): its commands and its snapshot.

import type { Activation, Config, Feature, Task, WeightInit } from '../../state/config';

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
  /** 'zeros': every weight and bias starts at 0 (the initialisation lesson: the symmetry never breaks). */
  init: WeightInit;
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

export type PlaygroundCommand =
  | { type: 'build'; net: NetSpec }
  | { type: 'data'; data: DataSpec }
  | { type: 'hyper'; hyper: HyperParams }
  | { type: 'view'; view: ViewSpec }
  | { type: 'step'; epochs: number }
  | { type: 'reset' }
  | { type: 'setParam'; layer: number; which: 0 | 1; row: number; col: number; value: number }
  | { type: 'loadParams'; params: Float32Array }
  | { type: 'getParams' }
  | { type: 'predict'; points: Float32Array }
  // show the math: trace one training example; the engine's finite difference on that trace
  | { type: 'trace'; index: number }
  | { type: 'checkGradient'; param: number };

/** The answers to 'trace' and 'checkGradient' (engine/trace.js, shared by the labs). */
export type { TraceResult, GradientCheck } from '../../engine/trace.js';

export interface Snapshot {
  /** Completed epochs. */
  epoch: number;
  /** Epochs trained as a fraction: batches trained one at a time (a slow
   *  speed, a step) may stop inside an epoch. */
  progress: number;
  /** Batches of the current epoch trained, and batches per epoch. */
  stepInEpoch: number;
  stepsPerEpoch: number;
  running: boolean;
  /** The loss on the whole train set after the latest epoch. */
  trainLoss: number;
  /** Each epoch's train loss (the mean of its steps' losses) since the last
   *  snapshot, oldest first, at the epochs in epochLossEpochs (consecutive
   *  unless the page took no snapshot for MAX_PENDING_LOSSES epochs); batches
   *  trained one at a time (a slow speed, a step) add each batch's loss at
   *  its fractional epoch instead. */
  epochLosses: Float32Array;
  epochLossEpochs: Float64Array;
  testLoss: number;
  /** Weights and biases the learner set by hand (setParam) since the
   *  network was built, reset or loaded: lessons check "set by hand". */
  handSet: number;
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
