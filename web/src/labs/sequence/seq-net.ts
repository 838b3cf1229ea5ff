// One recurrent network of the sequence lab on the core: stacked RNN or
// LSTM layers (return_sequences) under a per-step dense head, over a
// T x F x 1 input (core/nn.h, ABI 6), through the engine's Model wrapper.
import { Model, type Engine } from '../../engine/nn-wasm.js';
import type { Cell } from './config';

export interface NetShape {
  cell: Cell;
  hidden: number;
  layers: number;
  /** Steps per sequence. */
  T: number;
  /** Features per input step and outputs per step. */
  F: number;
  V: number;
  loss: 'mse' | 'ce';
  seed: number;
  maxBatch: number;
}

/** The floats nn_sequence_inspect writes per (step, unit): RNN h, dL/dh; LSTM also c, i, f, g, o. */
export const INSPECT_VIEWS = { rnn: 2, lstm: 7 } as const;

export class SeqNet {
  readonly model: Model;
  readonly shape: NetShape;

  constructor(engine: Engine, shape: NetShape) {
    this.shape = shape;
    this.model = new Model(engine, {
      input: [shape.T, shape.F, 1],
      layers: [
        ...Array.from({ length: shape.layers }, () => ({ kind: shape.cell, activation: 'linear' as const, ints: [shape.hidden, 1] })),
        { kind: 'dense' as const, activation: shape.loss === 'ce' ? 'softmax' as const : 'linear' as const, ints: [shape.V, 1] },
      ],
      loss: shape.loss,
      seed: shape.seed,
      maxBatch: shape.maxBatch,
    });
  }

  /** Clipping by global norm (0: off). */
  setClipNorm(maxNorm: number): void { this.model.setClipNorm(maxNorm); }
  /** The gradient norm the last update measured (before clipping). */
  gradNorm(): number { return this.model.gradNorm(); }
  setStateful(on: boolean): void { this.model.setStateful(on); }
  resetState(): void { this.model.resetState(); }
  /** nn_sequence_inspect of recurrent layer `layer` for one example: T x H floats per view. */
  inspect(layer: number, x: Float32Array, y: Float32Array): Float32Array { return this.model.sequenceInspect(layer, x, y); }

  loadParams(p: Float32Array): void { this.model.loadParams(p); }
  destroy(): void { this.model.destroy(); }
}
