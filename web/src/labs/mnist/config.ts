// The MNIST lab's link schema: every setting its page holds (the model:
// hidden layers and their activations; training: optimizer, learning rate,
// momentum, batch size, epochs, seed) as URL keys, with the page's limits.
//
// Layers: an MLP is hidden=128,64&act=relu,tanh, the playground's keys, so
// a teacher reads both labs' links the same way. A preset is not a key of
// its own: it is a hidden/act pair (PRESET_LINKS), so a link never holds two
// answers to one question. The convolutional lab will add a layers= key to
// its own schema (e.g. layers=conv:8:3:relu,pool:2,flatten,dense:64:relu),
// and model files already carry a general layer list (share/modelFile.ts).

import type { Activation, Optimizer } from '../../state/config';
import { createCodec, hiddenActivations, sameLength, type LabField } from '../../state/labCodec';
import { ACTIVATIONS, MAX_SEED, OPTIMIZERS } from '../../state/schema';
import type { ViewSpec } from '../../state/view';
import type { LabProtocol } from '../../embed/protocol';
import { MAX_BATCH, MAX_EPOCHS, MAX_HIDDEN_LAYERS, MAX_WIDTH } from './protocol';

export const MNIST_LAB = 'mnist';
/** Pixels per digit and classes: the network is 784 → hidden… → 10 softmax. */
export const MNIST_INPUTS = 784;
export const MNIST_OUTPUTS = 10;
/** The page turns a pixel byte into b * float32(1/255) (nn_gather_u8). */
export const MNIST_PIXEL_SCALE = 1 / 255;

export interface MnistConfig {
  /** Hidden layer widths: 0..4 layers of 1..512 units. */
  hidden: number[];
  /** One activation per hidden layer. */
  activations: Activation[];
  optimizer: Optimizer;
  /** 1e-6..10 */
  learningRate: number;
  /** Momentum factor for SGD + momentum, 0..0.999. */
  momentum: number;
  /** 1..512 */
  batchSize: number;
  /** Training stops by itself after this many epochs, 1..50. */
  epochs: number;
  /** Seed of the weight initialisation and the epoch shuffles. */
  seed: number;
}

function field<K extends keyof MnistConfig & string>(f: LabField<MnistConfig, K>): LabField<MnistConfig, K> {
  return f;
}

/** In the order links are written. */
export const MNIST_FIELDS: readonly LabField<MnistConfig>[] = [
  field({ key: 'hidden', url: 'hidden', spec: { kind: 'intList', minLength: 0, maxLength: MAX_HIDDEN_LAYERS, min: 1, max: MAX_WIDTH }, default: [128], doc: 'hidden layer widths, e.g. 128 or 32,32 ("none" for no hidden layer)' }),
  field({ key: 'activations', url: 'act', spec: { kind: 'enumList', values: ACTIVATIONS, minLength: 0, maxLength: MAX_HIDDEN_LAYERS, unique: false }, default: ['relu'], doc: 'activation of each hidden layer; one name applies to all layers' }),
  field({ key: 'optimizer', url: 'opt', spec: { kind: 'enum', values: OPTIMIZERS }, default: 'adam', doc: 'optimizer' }),
  field({ key: 'learningRate', url: 'lr', spec: { kind: 'number', min: 1e-6, max: 10, integer: false }, default: 0.002, doc: 'learning rate' }),
  field({ key: 'momentum', url: 'mom', spec: { kind: 'number', min: 0, max: 0.999, integer: false }, default: 0.9, doc: 'momentum factor (SGD with momentum)' }),
  field({ key: 'batchSize', url: 'batch', spec: { kind: 'number', min: 1, max: MAX_BATCH, integer: true }, default: 64, doc: 'batch size' }),
  field({ key: 'epochs', url: 'epochs', spec: { kind: 'number', min: 1, max: MAX_EPOCHS, integer: true }, default: 3, doc: 'epochs before training stops by itself' }),
  field({ key: 'seed', url: 'seed', spec: { kind: 'number', min: 0, max: MAX_SEED, integer: true }, default: 1, doc: 'seed of the weights and the epoch shuffles' }),
];

export const mnistCodec = createCodec<MnistConfig>({
  lab: MNIST_LAB,
  version: 1,
  fields: MNIST_FIELDS,
  deferred: ['activations'],
  resolve: hiddenActivations<MnistConfig>('hidden', 'activations', 'act', MNIST_FIELDS[1]!.spec, 'relu'),
  crossCheck: sameLength<MnistConfig>('hidden', 'activations'),
});

/** Parts of the MNIST page that hide= can remove. */
export const MNIST_PANELS = [
  'header',   // title and introduction
  'model',    // presets, layer editor and training settings
  'training', // train/pause, progress, loss and accuracy charts
  'draw',     // drawing pad and the ten probability bars
  'inside',   // confusion matrix, accuracy per digit, misclassified digits
  'weights',  // first-layer weights
  'share',    // copy link / embed / save / export buttons
] as const;
export type MnistPanel = (typeof MNIST_PANELS)[number];

export const mnistView: ViewSpec<MnistPanel, keyof MnistConfig> = { panels: MNIST_PANELS, settings: MNIST_FIELDS };

/** The page's presets as links' hidden/act values (PRESETS in mnist/trainer.js). */
export const PRESET_LINKS: Readonly<Record<'mlp128' | 'classic', string>> = {
  mlp128: 'hidden=128&act=relu',
  classic: 'hidden=32,32&act=relu',
};

/** The page's two halves (mnist/protocol.ts ModelChoice and TrainChoice) from a config. */
export function mnistChoices(c: MnistConfig): {
  model: { hidden: number[]; activations: Activation[] };
  train: { optimizer: Optimizer; lr: number; momentum: number; batchSize: number; epochs: number; seed: number };
} {
  return {
    model: { hidden: [...c.hidden], activations: [...c.activations] },
    train: { optimizer: c.optimizer, lr: c.learningRate, momentum: c.momentum, batchSize: c.batchSize, epochs: c.epochs, seed: c.seed },
  };
}

/** The config a page's ModelChoice and TrainChoice describe (the inverse of mnistChoices). */
export function mnistConfigOf(model: { hidden: readonly number[]; activations: readonly Activation[] },
  train: { optimizer: Optimizer; lr: number; momentum: number; batchSize: number; epochs: number; seed: number }): MnistConfig {
  return {
    hidden: [...model.hidden], activations: [...model.activations], optimizer: train.optimizer, learningRate: train.lr,
    momentum: train.momentum, batchSize: train.batchSize, epochs: train.epochs, seed: train.seed,
  };
}

/** Fields of MNIST's metrics messages: epochs trained (fractional), smoothed
 *  train loss, loss and accuracy (0..1) on the 10k test set, examples/s. */
export const MNIST_METRICS = ['epoch', 'trainLoss', 'testLoss', 'accuracy', 'examplesPerSec'] as const;

/** The postMessage protocol's view of MNIST (embed/protocol.ts startLabBridge). */
export const mnistProtocol: LabProtocol<MnistConfig> = {
  lab: MNIST_LAB,
  fromObject: (obj, base) => mnistCodec.fromObject(obj, base),
  metrics: MNIST_METRICS,
};
