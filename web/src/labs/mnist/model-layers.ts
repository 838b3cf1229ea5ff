// The MNIST lab's model: a list of layers over the 1x28x28 input, its URL
// text (layers=conv:8:5:1:0:relu,pool:2:2,flatten,dense:10:softmax), its
// JSON form (model files, the course-page API) and the core's descriptors.
// Shapes and parameter counts are NOT computed here: the worker asks the
// core (engine.planLayers), which is the one judge of a layer list.
//
// URL text, one item per layer, separated by commas:
//   conv:OUT:KERNEL:STRIDE:PAD:ACT  2-D convolution, KERNEL x KERNEL, zero padding PAD
//   pool:KERNEL:STRIDE               max-pool (no padding)
//   flatten                          c x h x w -> c*h*w
//   dense:UNITS:ACT                  fully connected (reads its input flat)
// Short forms are read too (conv:8:5 = conv:8:5:1:0:relu, pool:2 = pool:2:2,
// dense:64 = dense:64:relu); links are always written in the full form.
// The list ends with the output layer dense:10:softmax.

import type { Activation } from '../../state/config';
import { ACTIVATIONS } from '../../state/schema';
import type { CustomSpec, Parsed } from '../../state/values';
import type { LayerSpec, Shape3 } from '../../share/layers';
import type { LayerPlan } from './protocol';
import type { LrSchedule } from './schedule.js';

export type ConvLayer = { kind: 'conv'; filters: number; kernel: number; stride: number; padding: number; activation: Activation };
export type PoolLayer = { kind: 'pool'; kernel: number; stride: number };
export type FlattenLayer = { kind: 'flatten' };
export type DenseLayerChoice = { kind: 'dense'; units: number; activation: Activation | 'softmax' };
export type MnistLayer = ConvLayer | PoolLayer | FlattenLayer | DenseLayerChoice;
export type MnistLayerKind = MnistLayer['kind'];

export const MNIST_LAYER_KINDS: readonly MnistLayerKind[] = ['conv', 'pool', 'flatten', 'dense'];
/** The input: channels x height x width. */
export const MNIST_INPUT_SHAPE: readonly [number, number, number] = [1, 28, 28];
export const MNIST_CLASS_COUNT = 10;
/** Layers in a list, the output layer included. */
export const MAX_MODEL_LAYERS = 12;
/** Bounds of each setting; whether a layer fits its input is the core's call. */
export const LAYER_LIMITS = {
  filters: { min: 1, max: 128 },
  kernel: { min: 1, max: 32 },
  stride: { min: 1, max: 8 },
  padding: { min: 0, max: 8 },
  units: { min: 1, max: 1024 },
} as const;

/** The output layer every list ends with: ten class probabilities. */
export const OUTPUT_LAYER: DenseLayerChoice = Object.freeze({ kind: 'dense', units: MNIST_CLASS_COUNT, activation: 'softmax' });

function bounded(name: keyof typeof LAYER_LIMITS, text: string | undefined, fallback: number): number | string {
  if (text === undefined || text === '') return fallback;
  const { min, max } = LAYER_LIMITS[name];
  if (!/^\d{1,4}$/.test(text)) return `its ${name} "${text}" is not a whole number`;
  const v = Number(text);
  if (v < min || v > max) return `its ${name} ${v} is out of range (${min} to ${max})`;
  return v;
}

function activationOf(text: string | undefined, allowSoftmax: boolean): Activation | 'softmax' | string {
  if (text === undefined || text === '') return 'relu';
  if ((ACTIVATIONS as readonly string[]).includes(text)) return text as Activation;
  if (allowSoftmax && text === 'softmax') return 'softmax';
  return `its activation "${text}" is not one of: ${ACTIVATIONS.join(', ')}${allowSoftmax ? ', softmax' : ''}`;
}

/** One item of the URL text, or why it is not a layer. */
export function parseLayer(item: string): MnistLayer | string {
  const [kind, ...parts] = item.split(':');
  const n = (k: number) => parts[k];
  const tooMany = (max: number) => (parts.length > max ? `"${kind}" takes at most ${max} settings` : null);
  switch (kind) {
    case 'conv': {
      const extra = tooMany(5);
      if (extra) return extra;
      const filters = bounded('filters', n(0), -1);
      if (filters === -1) return 'conv needs its number of filters (conv:OUT:KERNEL:STRIDE:PAD:ACT)';
      const kernel = bounded('kernel', n(1), 3);
      const stride = bounded('stride', n(2), 1);
      const padding = bounded('padding', n(3), 0);
      const activation = activationOf(n(4), false);
      for (const v of [filters, kernel, stride, padding]) if (typeof v === 'string') return `conv: ${v}`;
      if (!(ACTIVATIONS as readonly string[]).includes(activation)) return `conv: ${activation}`;
      return { kind: 'conv', filters: filters as number, kernel: kernel as number, stride: stride as number, padding: padding as number, activation: activation as Activation };
    }
    case 'pool': {
      const extra = tooMany(2);
      if (extra) return extra;
      const kernel = bounded('kernel', n(0), 2);
      if (typeof kernel === 'string') return `pool: ${kernel}`;
      const stride = bounded('stride', n(1), kernel);
      if (typeof stride === 'string') return `pool: ${stride}`;
      return { kind: 'pool', kernel, stride };
    }
    case 'flatten':
      return parts.length > 0 ? 'flatten takes no settings' : { kind: 'flatten' };
    case 'dense': {
      const extra = tooMany(2);
      if (extra) return extra;
      const units = bounded('units', n(0), -1);
      if (units === -1) return 'dense needs its number of units (dense:UNITS:ACT)';
      if (typeof units === 'string') return `dense: ${units}`;
      const activation = activationOf(n(1), true);
      if (activation !== 'softmax' && !(ACTIVATIONS as readonly string[]).includes(activation)) return `dense: ${activation}`;
      return { kind: 'dense', units, activation: activation as Activation | 'softmax' };
    }
    default:
      return `"${kind ?? ''}" is not a layer kind (${MNIST_LAYER_KINDS.join(', ')})`;
  }
}

/** The full URL form of one layer. */
export function layerText(l: MnistLayer): string {
  switch (l.kind) {
    case 'conv': return `conv:${l.filters}:${l.kernel}:${l.stride}:${l.padding}:${l.activation}`;
    case 'pool': return `pool:${l.kernel}:${l.stride}`;
    case 'flatten': return 'flatten';
    case 'dense': return `dense:${l.units}:${l.activation}`;
  }
}

export function layersText(layers: readonly MnistLayer[]): string {
  return layers.map(layerText).join(',');
}

/** Checks of the whole list that need no shapes: its length and the output layer. */
export function listProblem(layers: readonly MnistLayer[]): string | null {
  if (layers.length < 1 || layers.length > MAX_MODEL_LAYERS) return `must list 1 to ${MAX_MODEL_LAYERS} layers`;
  const last = layers[layers.length - 1]!;
  if (last.kind !== 'dense' || last.units !== MNIST_CLASS_COUNT || last.activation !== 'softmax') {
    return `must end with the output layer ${layerText(OUTPUT_LAYER)} (ten digit probabilities)`;
  }
  const soft = layers.findIndex((l) => l.kind === 'dense' && l.activation === 'softmax');
  if (soft < layers.length - 1) return `layer ${soft + 1}: only the output layer may be a softmax`;
  return null;
}

/** The URL text of a layer list, or the reason (naming the layer) it is not one. */
export function parseLayers(raw: string): Parsed {
  const items = raw.split(',');
  if (items.length > MAX_MODEL_LAYERS) return { ok: false, reason: `must list 1 to ${MAX_MODEL_LAYERS} layers` };
  const layers: MnistLayer[] = [];
  for (let i = 0; i < items.length; i++) {
    const l = parseLayer(items[i]!);
    if (typeof l === 'string') return { ok: false, reason: `layer ${i + 1} ("${items[i]!.slice(0, 30)}"): ${l}` };
    layers.push(l);
  }
  const problem = listProblem(layers);
  return problem ? { ok: false, reason: problem } : { ok: true, value: layers };
}

const LAYER_KEYS: Readonly<Record<MnistLayerKind, readonly string[]>> = {
  conv: ['kind', 'filters', 'kernel', 'stride', 'padding', 'activation'],
  pool: ['kind', 'kernel', 'stride'],
  flatten: ['kind'],
  dense: ['kind', 'units', 'activation'],
};

/** A JSON layer list (objects as layerText's fields, or the URL text) as URL text; undefined for a wrong type. */
function layersJson(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v) || v.length > MAX_MODEL_LAYERS + 1) return undefined;
  const items: string[] = [];
  for (const l of v) {
    if (typeof l !== 'object' || l === null || Array.isArray(l)) return undefined;
    const o = l as Record<string, unknown>;
    const keys = LAYER_KEYS[o.kind as MnistLayerKind];
    if (!keys || !Object.keys(o).every((k) => keys.includes(k))) return undefined;
    const vals = keys.slice(1).map((k) => o[k]);
    if (!vals.every((x) => (typeof x === 'number' && Number.isInteger(x)) || (typeof x === 'string' && /^[a-z_]+$/.test(x)))) return undefined;
    items.push([o.kind as string, ...vals.map(String)].join(':'));
  }
  return items.join(',');
}

/** The layers= field's spec for the lab codec. */
export const LAYERS_SPEC: CustomSpec = {
  kind: 'custom',
  parse: parseLayers,
  write: (v) => layersText(v as MnistLayer[]),
  json: layersJson,
  jsonType: 'a layer list (e.g. [{"kind":"dense","units":10,"activation":"softmax"}] or "dense:10:softmax")',
};

/** An MLP's list: hidden dense layers, then the output layer. */
export function mlpLayers(hidden: readonly number[], activations: readonly Activation[]): MnistLayer[] {
  return [...hidden.map((units, i): MnistLayer => ({ kind: 'dense', units, activation: activations[i] ?? 'relu' })), { ...OUTPUT_LAYER }];
}

export function sameLayers(a: readonly MnistLayer[], b: readonly MnistLayer[]): boolean {
  return layersText(a) === layersText(b);
}

/** Whether any layer is spatial (conv, pool, flatten): then the first layer has no 28x28 weight images. */
export function isSpatial(layers: readonly MnistLayer[]): boolean {
  return layers.some((l) => l.kind !== 'dense');
}

/** One layer as the engine's LayerSpec (core descriptor: kind, activation, the kind's ints). */
export function engineLayer(l: MnistLayer): { kind: 'dense' | 'conv2d' | 'maxpool' | 'flatten'; activation: Activation | 'softmax'; ints: number[] } {
  switch (l.kind) {
    case 'conv': return { kind: 'conv2d', activation: l.activation, ints: [l.filters, l.kernel, l.kernel, l.stride, l.padding] };
    case 'pool': return { kind: 'maxpool', activation: 'linear', ints: [l.kernel, l.stride] };
    case 'flatten': return { kind: 'flatten', activation: 'linear', ints: [] };
    case 'dense': return { kind: 'dense', activation: l.activation, ints: [l.units] };
  }
}

/** A short name for a row of the editor and the messages ("conv 8 5x5"). */
export function layerLabel(l: MnistLayer): string {
  switch (l.kind) {
    case 'conv': return `conv ${l.filters} ${l.kernel}×${l.kernel}${l.stride > 1 ? ` stride ${l.stride}` : ''}${l.padding > 0 ? ` pad ${l.padding}` : ''}`;
    case 'pool': return `max-pool ${l.kernel}×${l.kernel}${l.stride !== l.kernel ? ` stride ${l.stride}` : ''}`;
    case 'flatten': return 'flatten';
    case 'dense': return `dense ${l.units}`;
  }
}

export interface ModelPreset {
  readonly label: string;
  readonly layers: readonly MnistLayer[];
  /** Training settings the preset comes with (the others stay). */
  readonly train?: {
    optimizer: 'adam' | 'momentum' | 'sgd'; lr: number; batchSize: number;
    lrSchedule: LrSchedule; lrEnd?: number; epochs?: number; shift?: number;
  };
}

function parsed(text: string): MnistLayer[] {
  const r = parseLayers(text);
  if (!r.ok) throw new Error(`preset ${text}: ${r.reason}`);
  return r.value as MnistLayer[];
}

/** The page's presets (ids are the preset select's values and the benchmarks' names). */
export const MODEL_PRESETS: Readonly<Record<'mlp128' | 'classic' | 'cnn-fast' | 'lenet5' | 'convnetjs', ModelPreset>> = {
  mlp128: { label: '784-128-10 ReLU', layers: parsed('dense:128:relu,dense:10:softmax') },
  classic: { label: '784-32-32-10 (tutorial)', layers: parsed('dense:32:relu,dense:32:relu,dense:10:softmax') },
  'cnn-fast': {
    label: 'Small fast CNN',
    layers: parsed('conv:8:5:1:0:relu,pool:2:2,conv:16:5:1:0:relu,pool:2:2,flatten,dense:10:softmax'),
    // Tuned for 99 % on the 10k test set within a minute (bench/cnn-tune.mjs, bench/cnn-browser.mjs):
    // a constant rate plateaus at 98.6-98.8 %; the cosine decay over 5 epochs and 1-pixel shifts pass 99 %.
    train: { optimizer: 'adam', lr: 0.002, batchSize: 32, lrSchedule: 'cos', lrEnd: 0.01, epochs: 5, shift: 1 },
  },
  lenet5: {
    label: 'LeNet-5 style',
    layers: parsed('conv:6:5:1:2:relu,pool:2:2,conv:16:5:1:0:relu,pool:2:2,flatten,dense:120:relu,dense:84:relu,dense:10:softmax'),
    train: { optimizer: 'adam', lr: 0.002, batchSize: 32, lrSchedule: 'none' },
  },
  convnetjs: {
    label: 'ConvNetJS demo net',
    layers: parsed('conv:8:5:1:2:relu,pool:2:2,conv:16:5:1:2:relu,pool:3:3,flatten,dense:10:softmax'),
    train: { optimizer: 'momentum', lr: 0.01, batchSize: 20, lrSchedule: 'none' },
  },
};
export type ModelPresetId = keyof typeof MODEL_PRESETS;

/**
 * The layer list as a model file and the PyTorch export hold it, with each
 * layer's input shape from the core (the built model's layerShapes(): the
 * input's shape, then every layer's output shape).
 */
export function fileLayers(layers: readonly MnistLayer[], shapes: readonly (readonly number[])[]): LayerSpec[] {
  return layers.map((l, i): LayerSpec => {
    const [c = 0, h = 0, w = 0] = shapes[i] ?? [];
    const input: Shape3 = [c, h, w];
    switch (l.kind) {
      case 'conv': return { kind: 'conv2d', input, filters: l.filters, kernel: l.kernel, stride: l.stride, padding: l.padding, activation: l.activation };
      case 'pool': return { kind: 'maxpool', input, kernel: l.kernel, stride: l.stride, activation: 'linear' };
      case 'flatten': return { kind: 'flatten', input, activation: 'linear' };
      case 'dense': return { kind: 'dense', inputs: c * h * w, units: l.units, activation: l.activation };
    }
  });
}

/** The sentence for a refused layer: which one, its input, the core's reason. */
export function refusalText(layers: readonly MnistLayer[], plan: LayerPlan & { ok: false }): string {
  const l = layers[plan.layer];
  const input = plan.before.length > 0 ? plan.before[plan.before.length - 1]!.shape : MNIST_INPUT_SHAPE;
  const [c, h, w] = input;
  const shape = h === 1 && w === 1 ? `${c} values` : `${h}×${w}×${c}`;
  return `Layer ${plan.layer + 1}${l ? ` (${layerLabel(l)})` : ''} does not fit its ${shape} input: ${plan.message}`;
}
