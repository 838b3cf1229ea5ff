// One recurrent network of the sequence lab on the core: stacked RNN or
// LSTM layers (return_sequences) under a per-step dense head, over a
// T x F x 1 input (core/nn.h, ABI 6). The core's version-6 calls that the
// Model wrapper (engine/nn-wasm.js) does not wrap are made here, on its
// module and handle: clipping, carried state, per-step inspection.
import { Model, NnError, Status, type Engine } from '../../engine/nn-wasm.js';
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

type CoreModule = Record<string, (...args: number[]) => number>;

export class SeqNet {
  readonly model: Model;
  readonly shape: NetShape;
  private readonly m: CoreModule;

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
    this.m = this.model.module as CoreModule;
  }

  private call(name: string, ...args: number[]): number {
    const fn = this.m[`_${name}`];
    if (typeof fn !== 'function') throw new Error(`the engine has no ${name} (it predates recurrent layers: rebuild with bash build.sh wasm)`);
    return fn(this.model.h(), ...args);
  }
  private check(status: number): void {
    if (status !== Status.OK) throw new NnError(status, this.model.engine.statusString(status));
  }

  /** Clipping by global norm (0: off). */
  setClipNorm(maxNorm: number): void { this.check(this.call('nn_set_clip_norm', maxNorm)); }
  /** The gradient norm the last update measured (before clipping). */
  gradNorm(): number { return this.call('nn_grad_norm'); }
  setStateful(on: boolean): void { this.check(this.call('nn_set_stateful', on ? 1 : 0)); }
  resetState(): void { this.check(this.call('nn_reset_state')); }

  /** nn_sequence_inspect of recurrent layer `layer` for one example: T x H floats per view. */
  inspect(layer: number, x: Float32Array, y: Float32Array): Float32Array {
    const n = this.call('nn_sequence_floats', layer);
    if (n < 0) this.check(n);
    const out = this.model.out('inspect', n);
    const xp = this.model.arg('x', x);
    const yp = this.model.arg('y', y);
    this.check(this.call('nn_sequence_inspect', layer, xp, yp, out.ptr));
    return out.view().slice(0, n);
  }

  loadParams(p: Float32Array): void { this.model.loadParams(p); }
  destroy(): void { this.model.destroy(); }
}
