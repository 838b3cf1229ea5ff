// The one table that drives defaults, URL parsing and URL writing.
// Every Config key appears exactly once, with its URL name, type, bounds
// and default. View options (embedding) have their own, smaller table.

import type { Activation, Config, DatasetId, Feature, Optimizer, Regularization, WeightInit } from './config';
import { defaultViewOptions as defaultLabView, type LabViewOptions } from './view';

export const ACTIVATIONS: readonly Activation[] = ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'linear'];
export const FEATURE_VALUES: readonly Feature[] = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
export const OPTIMIZERS: readonly Optimizer[] = ['sgd', 'momentum', 'adam'];
export const WEIGHT_INITS: readonly WeightInit[] = ['random', 'zeros'];
export const REGULARIZATIONS: readonly Regularization[] = ['none', 'l1', 'l2'];
export const DATASET_VALUES: readonly DatasetId[] = [
  'circle', 'xor', 'gauss', 'spiral', 'moons', 'checker', 'blobs3', 'spiral3', 'blobs4',
  'and', 'or', 'nand', 'plane', 'multigauss', 'square1d', 'abs1d', 'sin1d', 'custom',
];

export const MAX_HIDDEN_LAYERS = 8;
export const MAX_LAYER_WIDTH = 64;
export const MAX_SEED = 2147483647;

/** A fresh seed for the Regenerate and New buttons. */
export function randomSeed(): number {
  return Math.floor(Math.random() * MAX_SEED);
}

export type { FieldSpec } from './values';
import type { FieldSpec } from './values';

export interface ConfigField<K extends keyof Config = keyof Config> {
  key: K;
  /** Short, stable URL key. Never rename one: add a migration instead. */
  url: string;
  spec: FieldSpec;
  default: Config[K];
  /** One line for the README and error messages. */
  doc: string;
}

function field<K extends keyof Config>(f: ConfigField<K>): ConfigField<K> {
  return f;
}

/** In the order links are written. */
export const CONFIG_FIELDS: readonly ConfigField[] = [
  field({ key: 'dataset', url: 'data', spec: { kind: 'enum', values: DATASET_VALUES }, default: 'circle', doc: 'data set' }),
  field({ key: 'noise', url: 'noise', spec: { kind: 'number', min: 0, max: 50, integer: false }, default: 0, doc: 'noise, percent' }),
  field({ key: 'trainRatio', url: 'train', spec: { kind: 'number', min: 10, max: 90, integer: false }, default: 50, doc: 'share of points used for training, percent' }),
  field({ key: 'dataSeed', url: 'dseed', spec: { kind: 'number', min: 0, max: MAX_SEED, integer: true }, default: 1, doc: 'seed of the data generator' }),
  field({ key: 'hidden', url: 'hidden', spec: { kind: 'intList', minLength: 0, maxLength: MAX_HIDDEN_LAYERS, min: 1, max: MAX_LAYER_WIDTH }, default: [6, 3], doc: 'hidden layer widths, e.g. 4,2 ("none" for no hidden layer)' }),
  field({ key: 'activations', url: 'act', spec: { kind: 'enumList', values: ACTIVATIONS, minLength: 0, maxLength: MAX_HIDDEN_LAYERS, unique: false }, default: ['tanh', 'tanh'], doc: 'activation of each hidden layer; one name applies to all layers' }),
  field({ key: 'features', url: 'feat', spec: { kind: 'enumList', values: FEATURE_VALUES, minLength: 1, maxLength: FEATURE_VALUES.length, unique: true }, default: ['x1', 'x2'], doc: 'input features, in input order' }),
  field({ key: 'optimizer', url: 'opt', spec: { kind: 'enum', values: OPTIMIZERS }, default: 'sgd', doc: 'optimizer' }),
  field({ key: 'learningRate', url: 'lr', spec: { kind: 'number', min: 1e-5, max: 10, integer: false }, default: 0.03, doc: 'learning rate' }),
  field({ key: 'momentum', url: 'mom', spec: { kind: 'number', min: 0, max: 0.999, integer: false }, default: 0.9, doc: 'momentum factor, also Adam beta1' }),
  field({ key: 'regularization', url: 'reg', spec: { kind: 'enum', values: REGULARIZATIONS }, default: 'none', doc: 'regularisation' }),
  field({ key: 'regRate', url: 'rr', spec: { kind: 'number', min: 0, max: 10, integer: false }, default: 0, doc: 'regularisation rate' }),
  field({ key: 'batchSize', url: 'batch', spec: { kind: 'number', min: 1, max: 256, integer: true }, default: 10, doc: 'batch size' }),
  field({ key: 'seed', url: 'seed', spec: { kind: 'number', min: 0, max: MAX_SEED, integer: true }, default: 1, doc: 'seed of the weight initialisation' }),
  field({ key: 'init', url: 'init', spec: { kind: 'enum', values: WEIGHT_INITS }, default: 'random', doc: 'initial weights: random (seeded) or zeros (every weight and bias 0)' }),
  field({ key: 'showTestData', url: 'test', spec: { kind: 'bool' }, default: false, doc: 'show test points' }),
  field({ key: 'discretize', url: 'disc', spec: { kind: 'bool' }, default: false, doc: 'draw the output as hard classes' }),
  field({ key: 'drawClass', url: 'cls', spec: { kind: 'number', min: 0, max: 3, integer: true }, default: 0, doc: 'class used for drawing points' }),
];

/** A fresh copy of the defaults (arrays are not shared). */
export function defaultConfig(): Config {
  const c: Record<string, unknown> = {};
  for (const f of CONFIG_FIELDS) c[f.key] = Array.isArray(f.default) ? [...f.default] : f.default;
  return c as unknown as Config;
}

export const DEFAULT_CONFIG: Readonly<Config> = Object.freeze(defaultConfig());

export function fieldByUrl(url: string): ConfigField | undefined {
  return CONFIG_FIELDS.find((f) => f.url === url);
}

export function fieldByKey(key: keyof Config): ConfigField {
  const f = CONFIG_FIELDS.find((x) => x.key === key);
  if (!f) throw new Error(`no schema entry for ${String(key)}`);
  return f;
}

// ---------------------------------------------------------------- view options

/** Parts of the page that hide= can remove. */
export const PANELS = [
  'header',        // title bar and page links
  'datasets',      // data set picker
  'data-settings', // noise, train/test ratio, regenerate
  'draw-tools',    // draw / erase / clear and the class picker
  'features',      // input feature toggles
  'network-editor',// add/remove layers and neurons, activations
  'hyperparams',   // optimizer, learning rate, regularisation, batch size, seed
  'neurons',       // neuron thumbnails
  'loss-chart',    // loss and accuracy curves
  'counters',      // epoch and examples/s
  'share',         // copy link / embed / save / export buttons
] as const;
export type Panel = (typeof PANELS)[number];

/** How the page is shown, not what it trains; never part of Config (see view.ts). */
export type ViewOptions = LabViewOptions<Panel, keyof Config>;

export function defaultViewOptions(): ViewOptions {
  return defaultLabView<Panel, keyof Config>();
}

/** URL names accepted by lock=, plus "all". */
export const LOCK_VALUES: readonly string[] = [...CONFIG_FIELDS.map((f) => f.url), 'all'];

export { THEMES, VIEW_KEYS } from './view';
