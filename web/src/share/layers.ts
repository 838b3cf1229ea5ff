// A network as a list of layers (what model files and the exports describe).
// Where each layer's parameters sit in the flat parameter array is the
// core's answer, never computed here: a live model's model.paramLayout(), or
// for a file not yet loaded the core's plan of its layers
// (share/coreLayout.ts, asked through the worker host).

import type { LayerActivation } from './network';

/**
 * A fully connected layer: y = act(W x + b), W is [units x inputs]; reads
 * its input flat. With `steps`, per step (the core's per_step dense,
 * torch.nn.Linear on (batch, steps, inputs)): the same W and b on each of
 * `steps` rows of `inputs`, giving steps x units x 1.
 */
export interface DenseLayer {
  kind: 'dense';
  inputs: number;
  units: number;
  activation: LayerActivation;
  steps?: number;
}

/** Channels, height, width. */
export type Shape3 = [number, number, number];

/** torch.nn.Conv2d(input[0], filters, kernel, stride, padding): weight [filters, c, k, k], bias [filters]. */
export interface Conv2dLayer {
  kind: 'conv2d';
  input: Shape3;
  filters: number;
  kernel: number;
  stride: number;
  padding: number;
  activation: LayerActivation;
}

/** torch.nn.MaxPool2d(kernel, stride), no padding; no parameters. */
export interface MaxPoolLayer {
  kind: 'maxpool';
  input: Shape3;
  kernel: number;
  stride: number;
  activation: 'linear';
}

/** c x h x w -> (c*h*w) x 1 x 1, like torch.nn.Flatten(). */
export interface FlattenLayer {
  kind: 'flatten';
  input: Shape3;
  activation: 'linear';
}

/**
 * torch.nn.RNN (tanh) or torch.nn.LSTM(input[1], hidden, batch_first=True)
 * over input = [steps, features, 1]: every step's h (steps x hidden x 1) with
 * returnSequences, else the last step's (hidden x 1 x 1). Blocks, in the
 * core's order: weight_ih [G*hidden, features], weight_hh [G*hidden, hidden],
 * bias_ih, bias_hh [G*hidden] (G = 1 RNN, 4 LSTM: gates i, f, g, o).
 */
export interface RecurrentLayer {
  kind: 'rnn' | 'lstm';
  input: Shape3;
  hidden: number;
  returnSequences: boolean;
  activation: LayerActivation;
}

/** Every layer kind a model file or an export knows. */
export type LayerSpec = DenseLayer | Conv2dLayer | MaxPoolLayer | FlattenLayer | RecurrentLayer;
export const LAYER_KINDS: readonly LayerSpec['kind'][] = ['dense', 'conv2d', 'maxpool', 'flatten', 'rnn', 'lstm'];

/** Whether a layer works on steps (a recurrent layer, or a per-step dense layer). */
export function isSequenceLayer(l: LayerSpec): boolean {
  return l.kind === 'rnn' || l.kind === 'lstm' || (l.kind === 'dense' && l.steps !== undefined);
}

/**
 * One parameter block as the core lays it out (model.paramLayout(), from
 * nn_param_block): the layer, the block within it (dense and conv2d: 0
 * weight, 1 bias), its first value in the flat array, its shape in
 * PyTorch's order and its length. Nothing on the page computes these: they
 * come from the core (share/coreLayout.ts).
 */
export interface ParamBlock {
  layer: number;
  block: number;
  offset: number;
  shape: number[];
  length: number;
}

/** Floats the blocks cover (the model's parameter count). */
export function blocksLength(blocks: readonly ParamBlock[]): number {
  return blocks.reduce((n, b) => n + b.length, 0);
}

/** Values a layer reads (its input flattened). */
export function inputSize(l: LayerSpec): number {
  return l.kind === 'dense' ? l.inputs * (l.steps ?? 1) : l.input[0] * l.input[1] * l.input[2];
}

/**
 * A layer's output shape, as torch (and the core) compute it: floor((h + 2p
 * - k) / s) + 1 for conv, the same without padding for max-pool. A shape
 * with a side below 1 means the layer does not fit its input.
 */
export function outputShape(l: LayerSpec): Shape3 {
  switch (l.kind) {
    case 'dense': return l.steps !== undefined ? [l.steps, l.units, 1] : [l.units, 1, 1];
    case 'rnn': case 'lstm': return l.returnSequences ? [l.input[0], l.hidden, 1] : [l.hidden, 1, 1];
    case 'flatten': return [inputSize(l), 1, 1];
    case 'conv2d': {
      const side = (n: number) => Math.floor((n + 2 * l.padding - l.kernel) / l.stride) + 1;
      return [l.filters, side(l.input[1]), side(l.input[2])];
    }
    case 'maxpool': {
      const side = (n: number) => Math.floor((n - l.kernel) / l.stride) + 1;
      return [l.input[0], side(l.input[1]), side(l.input[2])];
    }
  }
}

/** What a layer declares it reads, in words ("3" for a flat dense layer, "1x28x28" or "20x1x1" for the others). */
export function declaredInput(l: LayerSpec): string {
  if (l.kind !== 'dense') return l.input.join('x');
  return l.steps !== undefined ? `${l.steps}x${l.inputs}x1` : String(l.inputs);
}

/** Whether a layer reads this shape (a flat dense layer reads any shape of its size flat). */
export function readsShape(l: LayerSpec, shape: readonly number[]): boolean {
  if (l.kind !== 'dense' || l.steps !== undefined) return declaredInput(l) === shape.join('x');
  return l.inputs === shape[0]! * shape[1]! * shape[2]!;
}

export function outputSize(l: LayerSpec): number {
  const [c, h, w] = outputShape(l);
  return c * h * w;
}

/** Dense layers from the sizes (inputs first) and one activation per layer. */
export function denseLayers(sizes: readonly number[], activations: readonly LayerActivation[]): DenseLayer[] {
  const out: DenseLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) out.push({ kind: 'dense', inputs: sizes[l]!, units: sizes[l + 1]!, activation: activations[l]! });
  return out;
}

/** The sizes (inputs first) and activations of a layer stack (flat sizes for any kind; the engine's nn_create arguments for dense stacks). */
export function denseSizes(layers: readonly LayerSpec[]): { sizes: number[]; activations: LayerActivation[] } {
  return {
    sizes: layers.length === 0 ? [] : [inputSize(layers[0]!), ...layers.map(outputSize)],
    activations: layers.map((l) => l.activation),
  };
}
