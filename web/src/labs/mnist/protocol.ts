// The MNIST lab's messages inside the worker host's envelope
// (engine/protocol.ts). The data set and the model live only in the worker;
// the page receives compact results as transferable typed arrays.

import type { Optimizer } from '../../state/config';
import type { MnistLayer } from './model-layers';
import type { LrSchedule } from './schedule.js';
export { MAX_BATCH } from './trainer.js';

export interface ModelChoice {
  /** The layers over the 1x28x28 input, the output layer (dense 10 softmax) included. */
  layers: MnistLayer[];
}

/** The core's verdict on a layer list (engine.planLayers), for the editor. */
export type LayerPlan =
  | { ok: true; layers: { shape: [number, number, number]; params: number }[] }
  /** `layer`: index of the first layer the core refused; `message`: the core's status sentence;
   *  `before`: the plan of the layers before it (the last one's shape is the refused layer's input). */
  | { ok: false; layer: number; message: string; before: { shape: [number, number, number]; params: number }[] };

/** One layer's output for one digit, as the core's forward_all gives it (c x h x w, row-major). */
export interface LayerOutput { shape: [number, number, number]; values: Float32Array }

/** One digit through the model: its 784 input values (0..1) and every layer's output. */
export interface Inspection { input: Float32Array; layers: LayerOutput[] }

/** Each conv layer's weights [out x in x k x k], in layer order. */
export interface ConvFilters { layer: number; out: number; in: number; kernel: number; weights: Float32Array }

export interface TrainChoice {
  optimizer: Optimizer;
  lr: number;
  /** The rate's schedule over `epochs` (schedule.js: scheduledRate). */
  lrSchedule: LrSchedule;
  /** The scheduled rate at the end of the run, as a fraction of lr. */
  lrEnd: number;
  /** Momentum factor for SGD + momentum (Adam uses its default betas). */
  momentum: number;
  batchSize: number;
  /** Training stops by itself after this many epochs (Train continues past it). */
  epochs: number;
  /** Augmentation: random shifts of 0..shift pixels in x and y of training digits (0: off). */
  shift: number;
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
  | { type: 'step'; steps: number }
  /** The core's plan of a layer list (shapes, parameters, or the refused layer); answered with a LayerPlan. Needs no data. */
  | { type: 'plan'; layers: MnistLayer[] }
  /** Every layer's output for one digit: a test digit by index, or 784 pixels 0..1; answered with an Inspection (no layers before a model exists). */
  | { type: 'inspect'; testIndex: number } | { type: 'inspect'; pixels: Float32Array }
  /** The conv layers' filters; answered with ConvFilters[]. */
  | { type: 'filters' }
  /** Show the math: one digit's forward and backward pass with the weights of this moment (a test digit by
   *  index, or 784 pixels 0..1 with the label chosen for them); answered with a TraceResult (engine/trace.js). */
  | { type: 'trace'; testIndex: number } | { type: 'trace'; pixels: Float32Array; label: number }
  /** The engine's finite difference of the last trace's loss for flat parameter `param`; answered with a GradientCheck. */
  | { type: 'check-gradient'; param: number }
  /** What the next update would do to flat parameter `param` with the last trace's gradient; answered with a ParamPreview. */
  | { type: 'preview'; param: number };

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
  /** The learning rate of the next step (the schedule's, as the core holds it). */
  lr: number;
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
  /** shapes: the input's and every layer's output shape (c, h, w), from the core. */
  | { type: 'built'; paramCount: number; sizes: number[]; shapes: [number, number, number][] }
  | { type: 'subset-eval'; at: number; accuracy: number; loss: number }
  | { type: 'full-eval'; result: FullEval }
  | { type: 'weights'; units: number; inputs: number; weights: Float32Array }
  /** Training reached its epoch limit and stopped by itself. */
  | { type: 'epochs-done' };

export const MAX_HIDDEN_LAYERS = 4;
export const MAX_WIDTH = 512;
export const MAX_EPOCHS = 50;
/** Largest augmentation shift in pixels. */
export const MAX_SHIFT = 4;
