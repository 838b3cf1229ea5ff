// The 2-D GAN lab's link schema (version 1): the real distribution, the
// noise, both networks (hidden widths and activations each), the loss, each
// network's optimizer and learning rate, D and G steps per iteration, the
// batch and the seed. lab=gan&data=ring&zdim=2&ghidden=16,16&... A drawn
// distribution (data=custom) travels as pts= (share/points.ts).
import type { Activation, Optimizer } from '../../state/config';
import { createCodec, fieldMaker, hiddenActivations, sameLength, type LabField, type ResolveContext } from '../../state/labCodec';
import { ACTIVATIONS, MAX_SEED, OPTIMIZERS } from '../../state/schema';
import type { ViewSpec } from '../../state/view';
import type { LabProtocol } from '../../embed/protocol';

export const GAN_LAB = 'gan';

export const DISTRIBUTIONS = ['ring', 'gaussians', 'line', 'moons', 'spiral', 'custom'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];
export const NOISE_KINDS = ['uniform', 'gaussian'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];
export const GAN_LOSSES = ['bce', 'least_squares'] as const;
export type GanLoss = (typeof GAN_LOSSES)[number];

export const MAX_GAN_LAYERS = 5;
export const MAX_GAN_WIDTH = 64;
export const MAX_GAN_BATCH = 1000;
export const MAX_GAN_STEPS = 10;
/** Half-width of the square the lab shows (and draws in). */
export const EXTENT = 2;

export interface GanConfig {
  dist: Distribution;
  /** Noise values per sample: 1 (G maps a line) or 2 (a plane). */
  noiseDim: number;
  noise: NoiseKind;
  gHidden: number[];
  gActivations: Activation[];
  dHidden: number[];
  dActivations: Activation[];
  loss: GanLoss;
  gOptimizer: Optimizer;
  gLearningRate: number;
  dOptimizer: Optimizer;
  dLearningRate: number;
  dSteps: number;
  gSteps: number;
  batch: number;
  seed: number;
}

const field = fieldMaker<GanConfig>();
const hiddenSpec = { kind: 'intList', minLength: 0, maxLength: MAX_GAN_LAYERS, min: 1, max: MAX_GAN_WIDTH } as const;
const actSpec = { kind: 'enumList', values: ACTIVATIONS, minLength: 0, maxLength: MAX_GAN_LAYERS, unique: false } as const;

/** In the order links are written. */
export const GAN_FIELDS: readonly LabField<GanConfig>[] = [
  field({ key: 'dist', url: 'data', spec: { kind: 'enum', values: DISTRIBUTIONS }, default: 'ring', doc: 'the real distribution: ring, gaussians (8 of them on a circle), line, moons, spiral or custom (drawn; its points travel as pts=)' }),
  field({ key: 'noiseDim', url: 'zdim', spec: { kind: 'number', min: 1, max: 2, integer: true }, default: 2, doc: 'noise values per sample (1 or 2)' }),
  field({ key: 'noise', url: 'noise', spec: { kind: 'enum', values: NOISE_KINDS }, default: 'uniform', doc: 'noise: uniform in [-1, 1) or standard normal' }),
  field({ key: 'gHidden', url: 'ghidden', spec: hiddenSpec, default: [16, 16], doc: `the generator's hidden layer widths (0-${MAX_GAN_LAYERS} layers of 1-${MAX_GAN_WIDTH}; none for no hidden layer)` }),
  field({ key: 'gActivations', url: 'gact', spec: actSpec, default: ['relu', 'relu'], doc: 'activation of each of G\'s hidden layers; one name applies to all' }),
  field({ key: 'dHidden', url: 'dhidden', spec: hiddenSpec, default: [16, 16], doc: `the discriminator's hidden layer widths (0-${MAX_GAN_LAYERS} layers of 1-${MAX_GAN_WIDTH})` }),
  field({ key: 'dActivations', url: 'dact', spec: actSpec, default: ['relu', 'relu'], doc: 'activation of each of D\'s hidden layers; one name applies to all' }),
  field({ key: 'loss', url: 'loss', spec: { kind: 'enum', values: GAN_LOSSES }, default: 'bce', doc: 'bce (log loss, non-saturating G) or least_squares (LSGAN)' }),
  field({ key: 'gOptimizer', url: 'gopt', spec: { kind: 'enum', values: OPTIMIZERS }, default: 'adam', doc: 'the generator\'s optimizer' }),
  field({ key: 'gLearningRate', url: 'glr', spec: { kind: 'number', min: 1e-6, max: 10, integer: false }, default: 0.003, doc: 'the generator\'s learning rate' }),
  field({ key: 'dOptimizer', url: 'dopt', spec: { kind: 'enum', values: OPTIMIZERS }, default: 'adam', doc: 'the discriminator\'s optimizer' }),
  field({ key: 'dLearningRate', url: 'dlr', spec: { kind: 'number', min: 1e-6, max: 10, integer: false }, default: 0.003, doc: 'the discriminator\'s learning rate' }),
  field({ key: 'dSteps', url: 'dsteps', spec: { kind: 'number', min: 0, max: MAX_GAN_STEPS, integer: true }, default: 1, doc: 'D steps per iteration' }),
  field({ key: 'gSteps', url: 'gsteps', spec: { kind: 'number', min: 0, max: MAX_GAN_STEPS, integer: true }, default: 1, doc: 'G steps per iteration' }),
  field({ key: 'batch', url: 'batch', spec: { kind: 'number', min: 1, max: MAX_GAN_BATCH, integer: true }, default: 150, doc: 'real and generated samples per step' }),
  field({ key: 'seed', url: 'seed', spec: { kind: 'number', min: 0, max: MAX_SEED, integer: true }, default: 1, doc: 'seed of both networks\' weights, the noise and the real samples' }),
];

const resolveG = hiddenActivations<GanConfig>('gHidden', 'gActivations', 'gact', actSpec, 'relu');
const resolveD = hiddenActivations<GanConfig>('dHidden', 'dActivations', 'dact', actSpec, 'relu');

export const ganCodec = createCodec<GanConfig>({
  lab: GAN_LAB,
  version: 1,
  fields: GAN_FIELDS,
  deferred: ['gActivations', 'dActivations'],
  resolve: (ctx: ResolveContext<GanConfig>) => { resolveG(ctx); resolveD(ctx); },
  crossCheck: (c) => [
    ...sameLength<GanConfig>('gHidden', 'gActivations')(c),
    ...sameLength<GanConfig>('dHidden', 'dActivations')(c),
    ...(c.dSteps + c.gSteps === 0 ? ['an iteration needs at least one D or G step'] : []),
  ],
});

/** Parts of the page that hide= can remove. */
export const GAN_PANELS = [
  'header',   // title and introduction
  'settings', // data, noise, networks, training settings
  'training', // run bar, losses and distance charts
  'map',      // samples, D's heatmap, G's manifold, gradient arrows
  'health',   // mode collapse / divergence, in words
  'share',    // copy link / embed
] as const;
export type GanPanel = (typeof GAN_PANELS)[number];

export const ganView: ViewSpec<GanPanel, keyof GanConfig> = { panels: GAN_PANELS, settings: GAN_FIELDS };

/** Fields of the GAN lab's metrics messages: iterations, D's and G's loss,
 *  the sliced Wasserstein distance, the histogram JS divergence (bits),
 *  D's mean output on real and generated samples, iterations/s. */
export const GAN_METRICS = ['iteration', 'dLoss', 'gLoss', 'distance', 'js', 'dReal', 'dFake', 'iterationsPerSec'] as const;

export const ganProtocol: LabProtocol<GanConfig> = {
  lab: GAN_LAB,
  fromObject: (obj, base) => ganCodec.fromObject(obj, base),
  metrics: GAN_METRICS,
};

/** The layer lists GanPair builds: G ends in 2 linear units (a point), D in one linear logit. */
export function ganLayers(c: GanConfig): { generator: { units: number; activation: Activation }[]; discriminator: { units: number; activation: Activation }[] } {
  const hidden = (w: number[], a: Activation[]) => w.map((units, i) => ({ units, activation: a[i] ?? 'relu' }));
  return {
    generator: [...hidden(c.gHidden, c.gActivations), { units: 2, activation: 'linear' }],
    discriminator: [...hidden(c.dHidden, c.dActivations), { units: 1, activation: 'linear' }],
  };
}
