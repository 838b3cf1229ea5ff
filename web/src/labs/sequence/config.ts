// The sequence lab's link schema: the task and its data settings, the
// recurrent model (cell, width, depth), the training settings and the
// sampling temperature, as URL keys with the page's limits (version 1).
// lab=sequence&task=names&cell=lstm&hidden=64&... Every key is one setting;
// what the page shows (embed=, hide=, lock=, speed=) is state/view.ts's.

import type { Optimizer } from '../../state/config';
import { createCodec, fieldMaker, type LabField } from '../../state/labCodec';
import { MAX_SEED, OPTIMIZERS } from '../../state/schema';
import type { ViewSpec } from '../../state/view';
import type { LabProtocol } from '../../embed/protocol';

export const SEQUENCE_LAB = 'sequence';

export const TASKS = ['waves', 'memory', 'names', 'text'] as const;
export type Task = (typeof TASKS)[number];
export const CELLS = ['rnn', 'lstm'] as const;
export type Cell = (typeof CELLS)[number];
export const WAVES = ['sine', 'sines', 'square', 'sawtooth'] as const;
export type Wave = (typeof WAVES)[number];

export const MAX_HIDDEN = 256;
export const MAX_LAYERS = 3;
export const MIN_SEQ_LEN = 2;
export const MAX_SEQ_LEN = 256;
export const MAX_BATCH = 256;
export const MAX_DELAY = 64;

export interface SequenceConfig {
  task: Task;
  cell: Cell;
  /** Units per recurrent layer. */
  hidden: number;
  /** Stacked recurrent layers. */
  layers: number;
  /** Steps per training sequence (backprop through time spans them all). */
  seqLen: number;
  batchSize: number;
  optimizer: Optimizer;
  learningRate: number;
  /** Gradient clipping by global norm (0: off). */
  clipNorm: number;
  /** Seed of the weights, the data and the batches. */
  seed: number;
  /** Waves: the signal, and the noise added to its input (standard deviation). */
  wave: Wave;
  noise: number;
  /** Memory: the target is the input this many steps earlier. */
  delay: number;
  /** Names and text: sampling temperature (1: the model's own distribution). */
  temperature: number;
  /** Also trains a twin of the other cell kind on the same batches (loss and gradient views side by side). */
  compare: boolean;
}

const field = fieldMaker<SequenceConfig>();

/** In the order links are written. */
export const SEQUENCE_FIELDS: readonly LabField<SequenceConfig>[] = [
  field({ key: 'task', url: 'task', spec: { kind: 'enum', values: TASKS }, default: 'names', doc: 'the task: waves (predict the next value), memory (echo a bit k steps later), names or text (the next character)' }),
  field({ key: 'cell', url: 'cell', spec: { kind: 'enum', values: CELLS }, default: 'lstm', doc: 'recurrent cell: rnn (Elman, tanh) or lstm' }),
  field({ key: 'hidden', url: 'hidden', spec: { kind: 'number', min: 1, max: MAX_HIDDEN, integer: true }, default: 32, doc: 'units per recurrent layer' }),
  field({ key: 'layers', url: 'layers', spec: { kind: 'number', min: 1, max: MAX_LAYERS, integer: true }, default: 1, doc: 'stacked recurrent layers' }),
  field({ key: 'seqLen', url: 'len', spec: { kind: 'number', min: MIN_SEQ_LEN, max: MAX_SEQ_LEN, integer: true }, default: 32, doc: 'steps per training sequence (backprop through time covers all)' }),
  field({ key: 'batchSize', url: 'batch', spec: { kind: 'number', min: 1, max: MAX_BATCH, integer: true }, default: 32, doc: 'sequences per batch' }),
  field({ key: 'optimizer', url: 'opt', spec: { kind: 'enum', values: OPTIMIZERS }, default: 'adam', doc: 'optimizer' }),
  field({ key: 'learningRate', url: 'lr', spec: { kind: 'number', min: 1e-6, max: 10, integer: false }, default: 0.01, doc: 'learning rate' }),
  field({ key: 'clipNorm', url: 'clip', spec: { kind: 'number', min: 0, max: 1000, integer: false }, default: 5, doc: 'clip the gradients to this global norm (0 = off)' }),
  field({ key: 'seed', url: 'seed', spec: { kind: 'number', min: 0, max: MAX_SEED, integer: true }, default: 1, doc: 'seed of the weights, the data and the batches' }),
  field({ key: 'wave', url: 'wave', spec: { kind: 'enum', values: WAVES }, default: 'sines', doc: 'waves: sine, sines (a sum of two), square or sawtooth' }),
  field({ key: 'noise', url: 'noise', spec: { kind: 'number', min: 0, max: 1, integer: false }, default: 0, doc: 'waves: noise added to the input (standard deviation)' }),
  field({ key: 'delay', url: 'delay', spec: { kind: 'number', min: 1, max: MAX_DELAY, integer: true }, default: 5, doc: `memory: the target is the input k steps earlier (1..${MAX_DELAY}; keep it below len)` }),
  field({ key: 'temperature', url: 'temp', spec: { kind: 'number', min: 0.05, max: 5, integer: false }, default: 0.8, doc: 'names and text: sampling temperature (1 = the model\'s distribution, lower = safer)' }),
  field({ key: 'compare', url: 'compare', spec: { kind: 'bool' }, default: false, doc: 'also train the other cell kind on the same batches (loss and per-step gradients side by side)' }),
];

export const sequenceCodec = createCodec<SequenceConfig>({
  lab: SEQUENCE_LAB,
  version: 1,
  fields: SEQUENCE_FIELDS,
  crossCheck: (c) => (c.task === 'memory' && c.delay >= c.seqLen ? [`the delay (${c.delay}) must be shorter than the sequence (${c.seqLen} steps)`] : []),
});

/** Parts of the page that hide= can remove. */
export const SEQUENCE_PANELS = [
  'header',   // title and introduction
  'settings', // task, model and training settings
  'training', // run bar and the loss chart
  'output',   // the task's output: prediction vs truth, free run, samples, accuracy per step
  'unrolled', // hidden state over time (heatmap)
  'gradients',// per-step gradient norms
  'gates',    // LSTM gate activations
  'share',    // copy link / embed / save / export
] as const;
export type SequencePanel = (typeof SEQUENCE_PANELS)[number];

export const sequenceView: ViewSpec<SequencePanel, keyof SequenceConfig> = { panels: SEQUENCE_PANELS, settings: SEQUENCE_FIELDS };

/** Fields of the sequence lab's metrics messages: epochs (fractional), the
 *  smoothed train loss, the validation loss (nats per symbol for names and
 *  text, MSE for waves), its perplexity, the accuracy (memory), steps/s. */
export const SEQUENCE_METRICS = ['epoch', 'trainLoss', 'valLoss', 'perplexity', 'accuracy', 'stepsPerSec'] as const;

export const sequenceProtocol: LabProtocol<SequenceConfig> = {
  lab: SEQUENCE_LAB,
  fromObject: (obj, base) => sequenceCodec.fromObject(obj, base),
  metrics: SEQUENCE_METRICS,
};

/** Character tasks' losses are cross-entropies in nats per symbol. */
export function isCharTask(task: Task): boolean {
  return task === 'names' || task === 'text';
}
