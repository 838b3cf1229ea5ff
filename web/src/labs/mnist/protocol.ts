// The MNIST lab's messages inside the worker host's envelope
// (engine/protocol.ts). The data set and the model live only in the worker;
// the page receives compact results as transferable typed arrays.

import type { Activation, Optimizer } from '../../state/config';
export { MAX_BATCH } from './trainer.js';

export interface ModelChoice {
  /** Hidden layer widths, 0..MAX_HIDDEN_LAYERS layers of 1..MAX_WIDTH units. */
  hidden: number[];
  /** One activation per hidden layer. */
  activations: Activation[];
}

export interface TrainChoice {
  optimizer: Optimizer;
  lr: number;
  /** Momentum factor for SGD + momentum (Adam uses its default betas). */
  momentum: number;
  batchSize: number;
  /** Training stops by itself after this many epochs (Train continues past it). */
  epochs: number;
  seed: number;
}

export type MnistCommand =
  /** Fetch the manifest (absolute URL) and the asset it names, streaming it
   *  into the WASM heap; answered when the data is in (or refused). */
  | { type: 'load'; manifestUrl: string }
  /** Build a fresh model (discarding the old one); does not start training. */
  | { type: 'build'; model: ModelChoice; train: TrainChoice }
  /** Optimizer, learning rate, batch size, epoch limit: apply from the next step. */
  | { type: 'train-settings'; train: TrainChoice }
  /** Whether the page shows the first-layer weights (they are sent only then). */
  | { type: 'want-weights'; want: boolean }
  /** Class probabilities for one 28x28 input; answered with a Float32Array (empty before a model exists). */
  | { type: 'classify'; pixels: Float32Array }
  /** The model's flat parameters (layout: the engine's paramLayout()); answered with a Float32Array. */
  | { type: 'get-params' }
  /** Replaces the model's parameters (a loaded file) and evaluates the test set. */
  | { type: 'load-params'; params: Float32Array }
  /** Runs `steps` training steps (batches) now, paused or not (the course-page API's step). */
  | { type: 'step'; steps: number };

export interface Misclassified {
  /** Test-set indices, most confident mistakes first. */
  index: Int32Array;
  pred: Uint8Array;
  label: Uint8Array;
  confidence: Float32Array;
  /** [n x 10] class probabilities. */
  probs: Float32Array;
  /** [n x 784] the digits' bytes. */
  pixels: Uint8Array;
}

export interface FullEval {
  /** Epochs trained when evaluated, e.g. 1.25. */
  at: number;
  accuracy: number;
  loss: number;
  /** [10 x 10] row = true class, column = predicted. */
  confusion: Int32Array;
  misclassified: Misclassified;
}

export interface Progress {
  epoch: number;
  /** Examples of the current epoch done. */
  position: number;
  nTrain: number;
  steps: number;
  running: boolean;
  /** Training stops by itself when `epoch` reaches this. */
  targetEpochs: number;
  /** Examples per second over the last second or so of training. */
  examplesPerSec: number;
  /** Seconds spent training since the model was built (evaluations excluded). */
  trainSeconds: number;
}

/** The paced snapshot: per-step training losses since the last one, where
 *  each step ended (epochs trained), plus counters. */
export interface MnistSnapshot { progress: Progress; losses: Float32Array; at: Float64Array }

export type MnistEvent =
  | { type: 'load-progress'; loaded: number; total: number }
  | { type: 'loaded'; nTrain: number; nTest: number; seconds: number }
  | { type: 'load-error'; message: string }
  | { type: 'built'; paramCount: number; sizes: number[] }
  | { type: 'subset-eval'; at: number; accuracy: number; loss: number }
  | { type: 'full-eval'; result: FullEval }
  | { type: 'weights'; units: number; inputs: number; weights: Float32Array }
  /** Training reached its epoch limit and stopped by itself. */
  | { type: 'epochs-done' };

export const MAX_HIDDEN_LAYERS = 4;
export const MAX_WIDTH = 512;
export const MAX_EPOCHS = 50;
