// The layer and neuron "show the math" is on, and its numbers, read from the
// trace: what every view (dense, map, backward, update) writes into formulas.

import type { Trace, TraceLayer } from '../../engine/trace.js';
import { flat, isMap, position, posName, sub } from './format';

export interface Neuron {
  t: Trace | undefined;
  layer: number;
  /** The neuron: its flat index in the layer's output. */
  unit: number;
  info: TraceLayer | undefined;
  kind: string;
  inShape: number[];
  outShape: number[];
  /** [channel, row, column] of the unit in a feature map; [unit, 0, 0] in a flat layer. */
  uc: number; ur: number; uk: number;
  /** The layer's input, flat. */
  xin: number[];
  inputName(i: number): string;
  fwd: Trace['forward'][number] | undefined;
  bwd: Trace['backward'][number] | undefined;
  z: number; a: number; delta: number;
  act: string;
  isOutput: boolean;
  /** Its parameters: a dense unit's row or a conv filter (shared by its map); -1: none. */
  filter: number;
  Wrow: number[]; dWrow: number[];
  b: number | undefined; db: number | undefined;
  nIn: number;
  kh: number; kw: number;
  weightName(i: number): string;
}

/** Neuron `unit` of layer `layer` in trace t (defaults while there is no trace). */
export function neuronOf(t: Trace | undefined, layer: number, unit: number, inputNames?: string[]): Neuron {
  const nLayers = t?.layers.length ?? 0;
  const info = t?.layers[layer];
  const kind = info?.kind ?? 'dense';
  const outShape = info?.output_shape ?? [];
  const inShape = layer === 0 ? (t?.input_shape ?? []) : (t?.layers[layer - 1]?.output_shape ?? []);
  const inputName = (i: number) => (layer === 0
    ? (isMap(inShape) ? posName('x', inShape, i) : (inputNames?.[i] ?? `x${sub(i + 1)}`))
    : (isMap(inShape) ? posName(`a${sub(layer)}`, inShape, i) : `a${sub(layer)}${sub(i + 1)}`));
  const xin = !t ? [] : layer === 0 ? flat(t.example.x) : flat(t.forward[layer - 1]?.a);
  const fwd = t?.forward[layer];
  const bwd = t?.backward[layer];
  const [uc, ur, uk] = isMap(outShape) ? position(outShape, unit) : [unit, 0, 0];
  const filter = kind === 'dense' ? unit : kind === 'conv2d' ? uc : -1;
  const Wrow = filter >= 0 && fwd?.W ? flat((fwd.W as unknown[])[filter]) : [];
  const kh = info?.kernel?.[0] ?? 1, kw = info?.kernel?.[1] ?? 1;
  const weightName = (i: number) => {
    if (kind === 'dense') return `w from ${inputName(i)}`;
    const [ci, ki, kj] = position([inShape[0] ?? 1, kh, kw], i);
    return (inShape[0] ?? 1) === 1 ? `w[${ki},${kj}]` : `w[${ci},${ki},${kj}]`;
  };
  return {
    t, layer, unit, info, kind, inShape, outShape, uc, ur, uk, xin, inputName, fwd, bwd,
    z: flat(fwd?.z)[unit] ?? NaN,
    a: flat(fwd?.a)[unit] ?? NaN,
    delta: flat(bwd?.delta)[unit] ?? NaN,
    act: info?.activation ?? 'linear',
    isOutput: layer === nLayers - 1,
    filter, Wrow,
    dWrow: filter >= 0 && bwd?.dW ? flat((bwd.dW as unknown[])[filter]) : [],
    b: filter >= 0 ? fwd?.b?.[filter] : undefined,
    db: filter >= 0 ? bwd?.db?.[filter] : undefined,
    nIn: Wrow.length,
    kh, kw, weightName,
  };
}
