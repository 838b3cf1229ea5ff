// The MNIST lab's link schema: every setting its page holds (the model as a
// layer list; training: optimizer, learning rate and its schedule, momentum,
// batch size, epochs, augmentation, seed) as URL keys, with the page's limits.
// sched= and lrend= came later in version 2: a link without them trains at a
// constant rate, as before (their defaults).
//
// Layers: layers=conv:8:5:1:0:relu,pool:2:2,flatten,dense:10:softmax (the
// form is documented in model-layers.ts and the README). A preset is not a
// key of its own: it is a layers= value (PRESET_LINKS), so a link never holds
// two answers to one question.
//
// Version 2 (this one) replaced version 1's MLP keys hidden=128,64&act=relu
// (the playground's form) by layers=; a version-1 link, or one without v=
// that has hidden= or act=, is migrated to the same MLP.

import type { Activation, Optimizer } from '../../state/config';
import type { Rejection } from '../../state/codec-types';
import { createCodec, fieldMaker, hiddenActivations, sameLength, type LabField, type MigrationStep } from '../../state/labCodec';
import { ACTIVATIONS, MAX_SEED, OPTIMIZERS } from '../../state/schema';
import type { ViewSpec } from '../../state/view';
import type { LabProtocol } from '../../embed/protocol';
import { MAX_BATCH, MAX_EPOCHS, MAX_HIDDEN_LAYERS, MAX_SHIFT, MAX_WIDTH } from './protocol';
import { LAYERS_SPEC, layersText, mlpLayers, MODEL_PRESETS, type MnistLayer, type ModelPresetId } from './model-layers';
import { DEFAULT_LR_END, LR_END_MAX, LR_END_MIN, LR_SCHEDULES, type LrSchedule } from './schedule.js';

export const MNIST_LAB = 'mnist';
/** Pixels per digit and classes: the network reads 1x28x28 and ends in 10 softmax outputs. */
export const MNIST_INPUTS = 784;
export const MNIST_OUTPUTS = 10;
/** The page turns a pixel byte into b * float32(1/255) (nn_gather_u8). */
export const MNIST_PIXEL_SCALE = 1 / 255;

export interface MnistConfig {
  /** The network, input excluded, output layer (dense 10 softmax) included. */
  layers: MnistLayer[];
  optimizer: Optimizer;
  /** 1e-6..10 */
  learningRate: number;
  /** How the rate falls over the run's epochs (schedule.js has the formulas); none: constant. */
  lrSchedule: LrSchedule;
  /** The rate at the end of the run (epochs) as a fraction of learningRate, 1e-6..1. */
  lrEnd: number;
  /** Momentum factor for SGD + momentum, 0..0.999. */
  momentum: number;
  /** 1..512 */
  batchSize: number;
  /** Training stops by itself after this many epochs, 1..50. */
  epochs: number;
  /** Augmentation: training digits are moved by up to this many pixels in x and y (0: off). */
  shift: number;
  /** Seed of the weight initialisation, the epoch shuffles and the shifts. */
  seed: number;
}

const field = fieldMaker<MnistConfig>();

/** In the order links are written. */
export const MNIST_FIELDS: readonly LabField<MnistConfig>[] = [
  field({ key: 'layers', url: 'layers', spec: LAYERS_SPEC, default: mlpLayers([128], ['relu']), doc: 'the layers, e.g. conv:8:5:1:0:relu,pool:2:2,flatten,dense:10:softmax (forms: the layer table)' }),
  field({ key: 'optimizer', url: 'opt', spec: { kind: 'enum', values: OPTIMIZERS }, default: 'adam', doc: 'optimizer' }),
  field({ key: 'learningRate', url: 'lr', spec: { kind: 'number', min: 1e-6, max: 10, integer: false }, default: 0.002, doc: 'learning rate' }),
  field({ key: 'lrSchedule', url: 'sched', spec: { kind: 'enum', values: LR_SCHEDULES }, default: 'none', doc: 'learning-rate schedule over the run\'s epochs: none (constant), step (lower each epoch), exp (smooth geometric), cos (half cosine)' }),
  field({ key: 'lrEnd', url: 'lrend', spec: { kind: 'number', min: LR_END_MIN, max: LR_END_MAX, integer: false }, default: DEFAULT_LR_END, doc: 'the scheduled rate at the end of the run, as a fraction of lr' }),
  field({ key: 'momentum', url: 'mom', spec: { kind: 'number', min: 0, max: 0.999, integer: false }, default: 0.9, doc: 'momentum factor (SGD with momentum)' }),
  field({ key: 'batchSize', url: 'batch', spec: { kind: 'number', min: 1, max: MAX_BATCH, integer: true }, default: 64, doc: 'batch size' }),
  field({ key: 'epochs', url: 'epochs', spec: { kind: 'number', min: 1, max: MAX_EPOCHS, integer: true }, default: 3, doc: 'epochs before training stops by itself' }),
  field({ key: 'shift', url: 'shift', spec: { kind: 'number', min: 0, max: MAX_SHIFT, integer: true }, default: 0, doc: `augmentation: move each training digit by a random -N to N pixels in x and in y (0 = off, at most ${MAX_SHIFT})` }),
  field({ key: 'seed', url: 'seed', spec: { kind: 'number', min: 0, max: MAX_SEED, integer: true }, default: 1, doc: 'seed of the weights, the epoch shuffles and the shifts' }),
];

/** Version 1's model keys, read only to migrate them (hidden=128,64&act=relu). */
interface MlpKeys { hidden: number[]; activations: Activation[] }
const V1_FIELDS: readonly LabField<MlpKeys>[] = [
  { key: 'hidden', url: 'hidden', spec: { kind: 'intList', minLength: 0, maxLength: MAX_HIDDEN_LAYERS, min: 1, max: MAX_WIDTH }, default: [128], doc: '' },
  { key: 'activations', url: 'act', spec: { kind: 'enumList', values: ACTIVATIONS, minLength: 0, maxLength: MAX_HIDDEN_LAYERS, unique: false }, default: ['relu'], doc: '' },
];
const v1Codec = createCodec<MlpKeys>({
  lab: MNIST_LAB, version: 1, fields: V1_FIELDS, deferred: ['activations'],
  resolve: hiddenActivations<MlpKeys>('hidden', 'activations', 'act', V1_FIELDS[1]!.spec, 'relu'),
  crossCheck: sameLength<MlpKeys>('hidden', 'activations'),
});

/** Version 1 → 2: hidden=/act= become the same MLP as layers= (their rules, messages included, are version 1's). */
const migrateMlpKeys: MigrationStep = (params, notes: Rejection[]) => {
  const out = new Map(params);
  // lock= names settings by URL key: version 1's model keys are now layers.
  const lock = out.get('lock');
  if (lock !== undefined && lock !== 'all') {
    const keys = lock.split(',').map((k) => (k === 'hidden' || k === 'act' ? 'layers' : k));
    out.set('lock', [...new Set(keys)].join(','));
  }
  if (!params.has('hidden') && !params.has('act')) return out;
  const mlp = v1Codec.parseParams(out, notes); // removes hidden and act
  if (!out.has('layers')) out.set('layers', layersText(mlpLayers(mlp.hidden, mlp.activations)));
  return out;
};

export const mnistCodec = createCodec<MnistConfig>({
  lab: MNIST_LAB,
  version: 2,
  fields: MNIST_FIELDS,
  migrations: [migrateMlpKeys],
  // Links written before v= existed carried hidden=/act=.
  versionWithoutV: (params) => (params.has('hidden') || params.has('act') ? 1 : 2),
});

/** A config object of the course-page API or an older model file with
 *  version 1's hidden/activations (and no layers): the same MLP as layers,
 *  or, when those are invalid, without them and with version 1's rejections. */
export function upgradeMlpObject(obj: unknown): { obj: unknown; rejected: Rejection[] } {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { obj, rejected: [] };
  const o = obj as Record<string, unknown>;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(o, k);
  if (has('layers') || (!has('hidden') && !has('activations'))) return { obj, rejected: [] };
  const { hidden, activations, ...rest } = o;
  const r = v1Codec.fromObject({ ...(hidden !== undefined ? { hidden } : {}), ...(activations !== undefined ? { activations } : {}) });
  if (r.rejected.length > 0) return { obj: rest, rejected: r.rejected };
  return { obj: { ...rest, layers: mlpLayers(r.config.hidden, r.config.activations) }, rejected: [] };
}

/** upgradeMlpObject for model files: an invalid old MLP is left as it is (the file check reports it).
 *  A file saved before the learning-rate schedule existed trained at a constant rate: it gets
 *  lrSchedule none (and the default lrEnd) instead of being refused for lacking them. */
export function upgradeConfigObject(obj: unknown): unknown {
  const r = upgradeMlpObject(obj);
  const up = r.rejected.length > 0 ? obj : r.obj;
  if (typeof up !== 'object' || up === null || Array.isArray(up)) return up;
  const o = up as Record<string, unknown>;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(o, k);
  if (has('lrSchedule') || has('lrEnd')) return up;
  return { ...o, lrSchedule: 'none', lrEnd: DEFAULT_LR_END };
}

/** Parts of the MNIST page that hide= can remove. */
export const MNIST_PANELS = [
  'header',   // title and introduction
  'model',    // presets, layer editor and training settings
  'training', // train/pause, progress, loss and accuracy charts
  'draw',     // drawing pad and the ten probability bars
  'inside',   // confusion matrix, accuracy per digit, misclassified digits
  'weights',  // first-layer weights (MLP) or the convolution filters (CNN)
  'layers',   // what each layer makes of a digit: feature maps and activations
  'share',    // copy link / embed / save / export buttons
] as const;
export type MnistPanel = (typeof MNIST_PANELS)[number];

export const mnistView: ViewSpec<MnistPanel, keyof MnistConfig> = { panels: MNIST_PANELS, settings: MNIST_FIELDS };

/** The page's presets as links' layers= values (MODEL_PRESETS in model-layers.ts). */
export const PRESET_LINKS: Readonly<Record<ModelPresetId, string>> = Object.fromEntries(
  (Object.keys(MODEL_PRESETS) as ModelPresetId[]).map((k) => [k, `layers=${layersText(MODEL_PRESETS[k].layers)}`]),
) as Record<ModelPresetId, string>;

export type MnistTrainSettings = {
  optimizer: Optimizer; lr: number; lrSchedule: LrSchedule; lrEnd: number; momentum: number; batchSize: number; epochs: number; shift: number; seed: number;
};

/** The page's two halves (mnist/protocol.ts ModelChoice and TrainChoice) from a config. */
export function mnistChoices(c: MnistConfig): { model: { layers: MnistLayer[] }; train: MnistTrainSettings } {
  return {
    model: { layers: c.layers.map((l) => ({ ...l })) },
    train: {
      optimizer: c.optimizer, lr: c.learningRate, lrSchedule: c.lrSchedule, lrEnd: c.lrEnd, momentum: c.momentum,
      batchSize: c.batchSize, epochs: c.epochs, shift: c.shift, seed: c.seed,
    },
  };
}

/** The config a page's ModelChoice and TrainChoice describe (the inverse of mnistChoices). */
export function mnistConfigOf(model: { layers: readonly MnistLayer[] }, train: MnistTrainSettings): MnistConfig {
  return {
    layers: model.layers.map((l) => ({ ...l })), optimizer: train.optimizer, learningRate: train.lr,
    lrSchedule: train.lrSchedule, lrEnd: train.lrEnd, momentum: train.momentum, batchSize: train.batchSize, epochs: train.epochs, shift: train.shift, seed: train.seed,
  };
}

/** Fields of MNIST's metrics messages: epochs trained (fractional), smoothed
 *  train loss, loss and accuracy (0..1) on the 10k test set, examples/s. */
export const MNIST_METRICS = ['epoch', 'trainLoss', 'testLoss', 'accuracy', 'examplesPerSec'] as const;

/** The postMessage protocol's view of MNIST (embed/protocol.ts startLabBridge). */
export const mnistProtocol: LabProtocol<MnistConfig> = {
  lab: MNIST_LAB,
  fromObject: (obj, base) => {
    const up = upgradeMlpObject(obj);
    const r = mnistCodec.fromObject(up.obj, base);
    return { ...r, rejected: [...up.rejected, ...r.rejected] };
  },
  metrics: MNIST_METRICS,
};
