// A network as a list of layers, and where each layer's parameters sit in
// the flat parameter array. paramLayout is the ONE place that computes it
// outside the core (model files check counts with it, the PyTorch export and
// the overflow check read blocks with it); it follows the core's order (per
// layer: weight, then bias; max-pool and flatten have none). Pages that have
// a model ask the core (model.paramLayout(), engine.planLayers); this module
// serves files, which must be checked before anything is built.

import type { LayerActivation } from './network';

/** A fully connected layer: y = act(W x + b), W is [units x inputs]; reads its input flat. */
export interface DenseLayer {
  kind: 'dense';
  inputs: number;
  units: number;
  activation: LayerActivation;
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

/** Every layer kind a model file or an export knows. */
export type LayerSpec = DenseLayer | Conv2dLayer | MaxPoolLayer | FlattenLayer;
export const LAYER_KINDS: readonly LayerSpec['kind'][] = ['dense', 'conv2d', 'maxpool', 'flatten'];

/** One parameter block: a layer's weight or bias, in PyTorch's layout. */
export interface ParamBlock {
  layer: number;
  name: 'weight' | 'bias';
  /** dense weight [units, inputs] (row-major), conv weight [filters, c, k, k], bias [units or filters]. */
  shape: number[];
  /** Index of the block's first value in the flat array. */
  offset: number;
  size: number;
}

/** Values a layer reads (its input flattened). */
export function inputSize(l: LayerSpec): number {
  return l.kind === 'dense' ? l.inputs : l.input[0] * l.input[1] * l.input[2];
}

/**
 * A layer's output shape, as torch (and the core) compute it: floor((h + 2p
 * - k) / s) + 1 for conv, the same without padding for max-pool. A shape
 * with a side below 1 means the layer does not fit its input.
 */
export function outputShape(l: LayerSpec): Shape3 {
  switch (l.kind) {
    case 'dense': return [l.units, 1, 1];
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

export function outputSize(l: LayerSpec): number {
  const [c, h, w] = outputShape(l);
  return c * h * w;
}

function blockShapes(l: LayerSpec): [['weight', number[]], ['bias', number[]]] | [] {
  switch (l.kind) {
    case 'dense': return [['weight', [l.units, l.inputs]], ['bias', [l.units]]];
    case 'conv2d': return [['weight', [l.filters, l.input[0], l.kernel, l.kernel]], ['bias', [l.filters]]];
    default: return [];
  }
}

/** Blocks in the core's order (per layer: weight, then bias) and the total count. */
export function paramLayout(layers: readonly LayerSpec[]): { blocks: ParamBlock[]; count: number } {
  const blocks: ParamBlock[] = [];
  let offset = 0;
  layers.forEach((l, layer) => {
    for (const [name, shape] of blockShapes(l)) {
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

/** The sizes (inputs first) and activations of a layer stack (flat sizes for any kind; the engine's nn_create arguments for dense stacks). */
export function denseSizes(layers: readonly LayerSpec[]): { sizes: number[]; activations: LayerActivation[] } {
  return {
    sizes: layers.length === 0 ? [] : [inputSize(layers[0]!), ...layers.map(outputSize)],
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

/** One layer's pre-activations for input a (flat, c-major), rounded to float32 at the end of the layer. */
function layerForward(l: LayerSpec, params: Float32Array, blocks: ParamBlock[], a: Float64Array): Float64Array {
  const [w, b] = blocks;
  switch (l.kind) {
    case 'dense': {
      const z = new Float64Array(l.units);
      for (let r = 0; r < l.units; r++) {
        let sum = params[b!.offset + r]!;
        const row = w!.offset + r * l.inputs;
        for (let c = 0; c < l.inputs; c++) sum += params[row + c]! * a[c]!;
        z[r] = Math.fround(sum);
      }
      return z;
    }
    case 'conv2d': {
      // Loop order for speed (weight outermost); the sums are the same terms as the core's.
      const [c, h, wi] = l.input;
      const [, oh, ow] = outputShape(l);
      const k = l.kernel, s = l.stride, p = l.padding;
      const z = new Float64Array(l.filters * oh * ow);
      for (let f = 0; f < l.filters; f++) {
        const out = z.subarray(f * oh * ow, (f + 1) * oh * ow);
        out.fill(params[b!.offset + f]!);
        for (let ch = 0; ch < c; ch++) {
          for (let i = 0; i < k; i++) {
            for (let j = 0; j < k; j++) {
              const wv = params[w!.offset + ((f * c + ch) * k + i) * k + j]!;
              for (let y = 0; y < oh; y++) {
                const yy = y * s - p + i;
                if (yy < 0 || yy >= h) continue;
                const inRow = (ch * h + yy) * wi;
                for (let x = 0; x < ow; x++) {
                  const xx = x * s - p + j;
                  if (xx >= 0 && xx < wi) out[y * ow + x] += wv * a[inRow + xx]!;
                }
              }
            }
          }
        }
      }
      for (let i = 0; i < z.length; i++) z[i] = Math.fround(z[i]!);
      return z;
    }
    case 'maxpool': {
      const [c, h, wi] = l.input;
      const [, oh, ow] = outputShape(l);
      const z = new Float64Array(c * oh * ow);
      let o = 0;
      for (let ch = 0; ch < c; ch++) {
        for (let y = 0; y < oh; y++) {
          for (let x = 0; x < ow; x++) {
            let m = -Infinity;
            for (let i = 0; i < l.kernel; i++) for (let j = 0; j < l.kernel; j++) m = Math.max(m, a[(ch * h + y * l.stride + i) * wi + x * l.stride + j]!);
            z[o++] = m;
          }
        }
      }
      return z;
    }
    case 'flatten':
      return a.slice();
  }
}

/**
 * The output pre-activations (logits) for one input, rounded to float32
 * after each layer as the engine does: enough to see whether finite
 * weights overflow (the exact outputs come from the engine).
 */
export function outputLogits(layers: readonly LayerSpec[], params: Float32Array, input: ArrayLike<number>): number[] {
  const { blocks } = paramLayout(layers);
  let a: Float64Array = Float64Array.from(input);
  let z: Float64Array = new Float64Array(0);
  layers.forEach((l, i) => {
    z = layerForward(l, params, blocks.filter((b) => b.layer === i), a);
    a = z.map((v) => activate(l.activation, v));
  });
  return Array.from(z);
}
