// Messages between the sequence page (store.ts) and its worker session
// (session.ts), through the worker host.
import type { SequenceConfig } from './config';

/** Where the page serves the corpora: the manifest (seq.json from
 *  web/scripts/make-sequence-assets.mjs) names the hashed files beside it. */
export interface AssetUrls { manifest: string }

/** Views the page shows now: the session computes only these. */
export interface Wanted {
  output: boolean;
  unrolled: boolean;
  gradients: boolean;
  gates: boolean;
  /** Which validation sequence the per-step views follow. */
  example: number;
  /** Which recurrent layer (0 = the first). */
  layer: number;
}

export type SequenceCommand =
  | { type: 'build'; config: SequenceConfig; assets: AssetUrls }
  /** Training settings that keep the weights: optimizer, rate, clipping, batch, temperature. */
  | { type: 'settings'; config: SequenceConfig }
  | { type: 'want'; wanted: Wanted }
  | { type: 'sample'; count: number }
  | { type: 'get-params' }
  | { type: 'load-params'; params: Float32Array }
  /** Show the math: validation sequence `example` through a copy of the model as it is now, against its own
   *  targets; answered with a TraceResult (engine/trace.js; per-step numbers of every recurrent layer). */
  | { type: 'trace'; example: number }
  /** The engine's finite difference of the last trace's loss for flat parameter `param`; answered with a GradientCheck. */
  | { type: 'check-gradient'; param: number }
  /** What the next update would do to flat parameter `param` with the last trace's gradient; answered with a ParamPreview. */
  | { type: 'preview'; param: number };

/** One model's per-step view of a validation sequence (from nn_sequence_inspect). */
export interface StepView {
  cell: 'rnn' | 'lstm';
  T: number;
  H: number;
  /** h_t, T x H. */
  h: Float32Array;
  /** ‖∂L/∂h_t‖ for t = 0..T-1, for the loss at the last step only (see session.ts). */
  gradNorm: Float32Array;
  /** LSTM: the gates i, f, g, o and the cell c_t, T x H each. */
  gates: { i: Float32Array; f: Float32Array; g: Float32Array; o: Float32Array; c: Float32Array } | null;
}

export type OutputView =
  | { kind: 'waves'; truth: Float32Array; input: Float32Array; pred: Float32Array; free: Float32Array; warmup: number }
  | { kind: 'memory'; delay: number; accuracy: Float64Array; twinAccuracy: Float64Array | null }
  | { kind: 'samples'; samples: string[]; temperature: number };

export interface ValPoint { at: number; loss: number; accuracy: number | null; twinLoss: number | null }

export interface SequenceSnapshot {
  step: number;
  /** Epochs trained (fractional). */
  epoch: number;
  running: boolean;
  stepsPerSec: number;
  /** Symbols (or values) per second: steps/s x batch x T. */
  symbolsPerSec: number;
  /** Train losses since the last snapshot, with their x (epochs). */
  losses: Float32Array;
  twinLosses: Float32Array;
  at: Float32Array;
  vals: ValPoint[];
  gradNorm: number;
  output: OutputView | null;
  view: StepView | null;
  twinView: StepView | null;
}

export type SequenceEvent =
  | { type: 'built'; paramCount: number; twinParamCount: number; vocab: string | null; stepsPerEpoch: number; valRows: number }
  | { type: 'load-error'; message: string };
