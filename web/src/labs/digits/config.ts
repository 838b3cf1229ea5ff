// The digits GAN lab's link schema (version 1): the noise, both networks
// (hidden widths and their activation), the loss, each network's optimizer
// and learning rate, Adam's beta1, the batch, D and G steps per iteration and
// the seed, as URL keys with the page's limits:
// lab=digits&v=1&noise=gaussian&zdim=64&ghidden=256&gact=leaky_relu&...
// The keys and config names are the 2-D GAN lab's (labs/gan/config.ts), so a
// course page that embeds both sets them the same way.
// The defaults were tuned to give recognisable digits within the 3-minute
// target on a loaded 2-core machine (README, bench/gan-digits.mjs).

import { createCodec, fieldMaker, hiddenActivations, sameLength, type LabField, type ResolveContext } from '../../state/labCodec';
import { MAX_SEED, OPTIMIZERS } from '../../state/schema';
import type { ViewSpec } from '../../state/view';
import type { LabProtocol } from '../../embed/protocol';
import type { Optimizer } from '../../state/config';

export const GAN_DIGITS_LAB = 'digits';

export const NOISE_KINDS = ['gaussian', 'uniform'] as const;
export const HIDDEN_ACTIVATIONS = ['leaky_relu', 'relu', 'tanh'] as const;
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];
export const GAN_LOSSES = ['bce', 'least_squares'] as const;

export const MAX_NOISE_DIM = 256;
export const MAX_HIDDEN_LAYERS = 3;
export const MAX_WIDTH = 1024;
export const MAX_BATCH = 256;
export const MAX_STEPS = 5;

export interface GanDigitsConfig {
  noise: (typeof NOISE_KINDS)[number];
  noiseDim: number;
  /** G's hidden widths (its output is 784 tanh pixels). */
  gHidden: number[];
  /** D's hidden widths (its output is one linear unit). */
  dHidden: number[];
  /** Activation of each of G's hidden layers. */
  gActivations: HiddenActivation[];
  /** Activation of each of D's hidden layers. */
  dActivations: HiddenActivation[];
  loss: (typeof GAN_LOSSES)[number];
  gOptimizer: Optimizer;
  gLearningRate: number;
  dOptimizer: Optimizer;
  dLearningRate: number;
  /** Adam's beta1 for both networks (0.5 is the DCGAN habit). */
  beta1: number;
  batch: number;
  dSteps: number;
  gSteps: number;
  seed: number;
}

const field = fieldMaker<GanDigitsConfig>();
const hidden = { kind: 'intList', minLength: 0, maxLength: MAX_HIDDEN_LAYERS, min: 1, max: MAX_WIDTH } as const;
const acts = { kind: 'enumList', values: HIDDEN_ACTIVATIONS, minLength: 0, maxLength: MAX_HIDDEN_LAYERS, unique: false } as const;

/** In the order links are written. */
export const GAN_DIGITS_FIELDS: readonly LabField<GanDigitsConfig>[] = [
  field({ key: 'noise', url: 'noise', spec: { kind: 'enum', values: NOISE_KINDS }, default: 'gaussian', doc: 'the noise G starts from: gaussian (standard normal) or uniform in [-1, 1)' }),
  field({ key: 'noiseDim', url: 'zdim', spec: { kind: 'number', min: 1, max: MAX_NOISE_DIM, integer: true }, default: 64, doc: 'noise values per sample (G\'s input size)' }),
  field({ key: 'gHidden', url: 'ghidden', spec: hidden, default: [256], doc: `G's hidden layer widths (0 to ${MAX_HIDDEN_LAYERS} layers, none for no hidden layer); its output is 784 tanh pixels` }),
  field({ key: 'gActivations', url: 'gact', spec: acts, default: ['leaky_relu'], doc: 'activation of each of G\'s hidden layers; one name applies to all' }),
  field({ key: 'dHidden', url: 'dhidden', spec: hidden, default: [256], doc: `D's hidden layer widths (0 to ${MAX_HIDDEN_LAYERS} layers); its output is one linear unit` }),
  field({ key: 'dActivations', url: 'dact', spec: acts, default: ['leaky_relu'], doc: 'activation of each of D\'s hidden layers; one name applies to all' }),
  field({ key: 'loss', url: 'loss', spec: { kind: 'enum', values: GAN_LOSSES }, default: 'bce', doc: 'bce (non-saturating G) or least_squares (LSGAN)' }),
  field({ key: 'gOptimizer', url: 'gopt', spec: { kind: 'enum', values: OPTIMIZERS }, default: 'adam', doc: 'G\'s optimizer' }),
  field({ key: 'gLearningRate', url: 'glr', spec: { kind: 'number', min: 1e-6, max: 1, integer: false }, default: 0.001, doc: 'G\'s learning rate' }),
  field({ key: 'dOptimizer', url: 'dopt', spec: { kind: 'enum', values: OPTIMIZERS }, default: 'adam', doc: 'D\'s optimizer' }),
  field({ key: 'dLearningRate', url: 'dlr', spec: { kind: 'number', min: 1e-6, max: 1, integer: false }, default: 0.001, doc: 'D\'s learning rate' }),
  field({ key: 'beta1', url: 'beta1', spec: { kind: 'number', min: 0, max: 0.999, integer: false }, default: 0.5, doc: 'Adam\'s beta1, both networks' }),
  field({ key: 'batch', url: 'batch', spec: { kind: 'number', min: 1, max: MAX_BATCH, integer: true }, default: 32, doc: 'real and generated digits per step' }),
  field({ key: 'dSteps', url: 'dsteps', spec: { kind: 'number', min: 0, max: MAX_STEPS, integer: true }, default: 1, doc: 'D steps per iteration' }),
  field({ key: 'gSteps', url: 'gsteps', spec: { kind: 'number', min: 0, max: MAX_STEPS, integer: true }, default: 1, doc: 'G steps per iteration' }),
  field({ key: 'seed', url: 'seed', spec: { kind: 'number', min: 0, max: MAX_SEED, integer: true }, default: 1, doc: 'seed of both networks\' weights, the noise and the real batches' }),
];

const resolveG = hiddenActivations<GanDigitsConfig>('gHidden', 'gActivations', 'gact', acts, 'leaky_relu');
const resolveD = hiddenActivations<GanDigitsConfig>('dHidden', 'dActivations', 'dact', acts, 'leaky_relu');

export const ganDigitsCodec = createCodec<GanDigitsConfig>({
  lab: GAN_DIGITS_LAB,
  version: 1,
  fields: GAN_DIGITS_FIELDS,
  // Read after the hidden widths: one name fills every layer, and new widths
  // without activations keep the first one (labs/gan does the same).
  deferred: ['gActivations', 'dActivations'],
  resolve: (ctx: ResolveContext<GanDigitsConfig>) => { resolveG(ctx); resolveD(ctx); },
  crossCheck: (c) => [
    ...sameLength<GanDigitsConfig>('gHidden', 'gActivations')(c),
    ...sameLength<GanDigitsConfig>('dHidden', 'dActivations')(c),
    ...(c.dSteps + c.gSteps === 0 ? ['D steps and G steps cannot both be 0 (an iteration would do nothing)'] : []),
  ],
});

/** Parts of the page that hide= can remove. */
export const GAN_DIGITS_PANELS = [
  'header',      // title and introduction
  'settings',    // networks and training settings
  'training',    // run bar, losses and D's means
  'samples',     // the grid of samples from fixed noise
  'interpolate', // the strip between two noise vectors
  'draw',        // D's score for a drawn digit
  'share',       // copy link / embed / save / export
] as const;
export type GanDigitsPanel = (typeof GAN_DIGITS_PANELS)[number];

export const ganDigitsView: ViewSpec<GanDigitsPanel, keyof GanDigitsConfig> = { panels: GAN_DIGITS_PANELS, settings: GAN_DIGITS_FIELDS };

/** Fields of the lab's metrics messages: iterations, both losses (the last
 *  step's), D's mean on real and generated digits (a probability under bce,
 *  the raw score under least squares), iterations per second. */
export const GAN_DIGITS_METRICS = ['iteration', 'dLoss', 'gLoss', 'dReal', 'dFake', 'iterationsPerSec'] as const;

export const ganDigitsProtocol: LabProtocol<GanDigitsConfig> = {
  lab: GAN_DIGITS_LAB,
  fromObject: (obj, base) => ganDigitsCodec.fromObject(obj, base),
  metrics: GAN_DIGITS_METRICS,
};
