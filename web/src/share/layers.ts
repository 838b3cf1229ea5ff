// A network as a list of layers, and where each layer's parameters sit in
// the flat parameter array. paramLayout is the ONE place that computes it
// (model files check counts with it, the PyTorch export and the overflow
// check read blocks with it); when the core hands out its own layout per
// layer and block, this function is what gets swapped for it.

import type { LayerActivation } from './network';

/** A fully connected layer: y = act(W x + b), W is [units x inputs]. */
export interface DenseLayer {
  kind: 'dense';
  inputs: number;
  units: number;
  activation: LayerActivation;
}

/** Every layer kind a model file or an export knows (conv2d, pool, flatten come with their labs). */
export type LayerSpec = DenseLayer;
export const LAYER_KINDS: readonly LayerSpec['kind'][] = ['dense'];

/** One parameter block: a layer's weight or bias, in PyTorch's layout. */
export interface ParamBlock {
  layer: number;
  name: 'weight' | 'bias';
  /** dense weight [units, inputs] (row-major), bias [units]. */
  shape: number[];
  /** Index of the block's first value in the flat array. */
  offset: number;
  size: number;
}

/** Blocks in the core's order (per layer: weight, then bias) and the total count. */
export function paramLayout(layers: readonly LayerSpec[]): { blocks: ParamBlock[]; count: number } {
  const blocks: ParamBlock[] = [];
  let offset = 0;
  layers.forEach((l, layer) => {
    for (const [name, shape] of [['weight', [l.units, l.inputs]], ['bias', [l.units]]] as const) {
      const size = shape.reduce((a, b) => a * b, 1);
      blocks.push({ layer, name, shape: [...shape], offset, size });
      offset += size;
    }
  });
  return { blocks, count: offset };
}

/** Dense layers from the sizes (inputs first) and one activation per layer. */
export function denseLayers(sizes: readonly number[], activations: readonly LayerActivation[]): DenseLayer[] {
  const out: DenseLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) out.push({ kind: 'dense', inputs: sizes[l]!, units: sizes[l + 1]!, activation: activations[l]! });
  return out;
}

/** The sizes (inputs first) and activations of a dense stack (the engine's nn_create arguments). */
export function denseSizes(layers: readonly DenseLayer[]): { sizes: number[]; activations: LayerActivation[] } {
  return {
    sizes: layers.length === 0 ? [] : [layers[0]!.inputs, ...layers.map((l) => l.units)],
    activations: layers.map((l) => l.activation),
  };
}

function activate(act: LayerActivation, v: number): number {
  switch (act) {
    case 'relu': return v > 0 ? v : 0;
    case 'leaky_relu': return v > 0 ? v : Math.fround(0.01 * v);
    case 'tanh': return Math.fround(Math.tanh(v));
    case 'sigmoid': return Math.fround(1 / (1 + Math.exp(-v)));
    default: return v;
  }
}

/**
 * The output pre-activations (logits) for one input, rounded to float32
 * after each layer as the engine does: enough to see whether finite
 * weights overflow (the exact outputs come from the engine).
 */
export function outputLogits(layers: readonly LayerSpec[], params: Float32Array, input: ArrayLike<number>): number[] {
  const { blocks } = paramLayout(layers);
  let a: number[] = Array.from(input);
  let z: number[] = [];
  layers.forEach((l, i) => {
    const w = blocks[2 * i]!.offset;
    const b = blocks[2 * i + 1]!.offset;
    z = [];
    for (let r = 0; r < l.units; r++) {
      let sum = params[b + r]!;
      for (let c = 0; c < l.inputs; c++) sum += params[w + r * l.inputs + c]! * a[c]!;
      z.push(Math.fround(sum));
    }
    a = z.map((v) => activate(l.activation, v));
  });
  return z;
}
