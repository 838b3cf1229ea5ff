// @ts-check
// trace.js — one example's forward and backward pass as the trace JSON
// ("Download these numbers"; README section "Trace JSON").
//
// Every number comes from the core: a scratch model with the same layers
// and a copy of the parameters (a batch of 1, regularisation off) runs
// nn_explain (z, a, delta per layer, dL/dx) and nn_compute_gradients (the
// example's loss and dL/dW, dL/db); for RNN and LSTM layers also
// nn_sequence_inspect and nn_sequence_math (every time step's numbers).
// This file only reshapes them into PyTorch's layouts; it computes nothing. Plain JS so Node tests import it.
import { ACTIVATION_NAMES, LAYER_KIND_NAMES, LayerKind } from './enums.js';

/** @typedef {import('./nn-wasm.js').Engine} Engine */
/** @typedef {import('./nn-wasm.js').Model} Model */
/** @typedef {import('./enums.js').LossName} LossName */
/** Nested lists of numbers (a tensor in PyTorch's layout); `any` below the top: JSDoc cannot name a recursive alias.
 * @typedef {number | any[]} NestedNumbers */

/**
 * @typedef {object} TraceLayer
 * @property {string} kind 'dense' | 'conv2d' | 'maxpool' | 'flatten' | 'rnn' | 'lstm'
 * @property {string} activation
 * @property {number[]} output_shape [units] or [C, H, W]; a sequence output [T, units]
 * @property {number} [units] dense
 * @property {boolean} [per_step] dense applied to every step of a [T, F] input (torch.nn.Linear on (T, F))
 * @property {number} [hidden] rnn, lstm: H
 * @property {boolean} [return_sequences] rnn, lstm: output every step's h [T, H] (else the last [H])
 * @property {number} [filters] conv2d
 * @property {number[]} [kernel] conv2d [kh, kw]; maxpool [k, k]
 * @property {number} [stride] conv2d, maxpool
 * @property {number} [padding] conv2d
 */
/**
 * The trace JSON of one example (format "nn-trace", version 1).
 * @typedef {object} Trace
 * @property {'nn-trace'} format
 * @property {1} version
 * @property {string} lab
 * @property {Record<string, unknown>} config
 * @property {number[]} input_shape
 * @property {TraceLayer[]} layers
 * @property {LossName} loss
 * @property {{ index: number, x: NestedNumbers, y: number[] }} example
 * @property {Array<{ W?: NestedNumbers, b?: number[], z: NestedNumbers, a: NestedNumbers } & Partial<RecurrentForward>>} forward
 * @property {NestedNumbers} output
 * @property {number} loss_value
 * @property {Array<{ delta: NestedNumbers, dW?: NestedNumbers, db?: number[] } & Partial<RecurrentBackward>>} backward
 * @property {NestedNumbers} input_grad
 * @property {ReturnType<Model['optimizerInfo']>} [optimizer] the live model's optimizer when traced
 */
/**
 * An RNN / LSTM layer's parameters (torch's names and shapes, G = 1 or 4 gates
 * i, f, g, o) and its time steps, [T][...] (step t in row t).
 * @typedef {object} RecurrentForward
 * @property {NestedNumbers} W_ih [G*H][F]
 * @property {NestedNumbers} W_hh [G*H][H]
 * @property {number[]} b_ih [G*H]
 * @property {number[]} b_hh [G*H]
 * @property {{ pre: NestedNumbers, h: NestedNumbers, c?: NestedNumbers, i?: NestedNumbers, f?: NestedNumbers,
 *   g?: NestedNumbers, o?: NestedNumbers }} steps pre [T][G*H] = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh;
 *   h [T][H] (before the layer's activation); LSTM: c, and the gates after sigmoid / tanh, [T][H] each
 */
/**
 * @typedef {object} RecurrentBackward
 * @property {NestedNumbers} dW_ih
 * @property {NestedNumbers} dW_hh
 * @property {number[]} db_ih
 * @property {number[]} db_hh
 * @property {{ dh: NestedNumbers, dh_from_output: NestedNumbers, dh_from_next: NestedNumbers, delta: NestedNumbers }} steps
 *   dh [T][H] = dL/dh_t through time = dh_from_output (the layer's output at t) + dh_from_next (step t+1);
 *   delta [T][G*H] = dL/dpre_t (its sum over t is db_ih; delta_t x_t^T is step t's share of dW_ih)
 */
/**
 * A lab's answer to its trace command: the trace JSON of one example (the
 * weights as they were at that moment) and what the optimizer's next update
 * would do to every parameter if this example's gradients were the step's
 * (nn_optimizer_preview: PREVIEW_FLOATS per parameter, nn_params layout).
 * @typedef {object} TraceResult
 * @property {Trace} trace
 * @property {Float32Array} preview every parameter's (empty when traced with `preview: false`: then
 *   ExampleTracer.preview answers for one parameter at a time)
 * @property {import('./nn-wasm.js').ParamBlock[]} layout
 * @property {number} epoch the epochs trained when traced (a fraction in labs that stop inside an epoch)
 */
/**
 * The answer to a gradient check: the engine's central finite difference of
 * the traced example's loss, beside backprop's gradient for that parameter.
 * @typedef {{ param: number, finiteDifference: number, backprop: number, h: number }} GradientCheck
 */
/** One parameter's optimizer preview (ExampleTracer.preview).
 * @typedef {{ param: number, values: Float32Array, optimizer: ReturnType<Model['optimizerInfo']> }} ParamPreview
 */

/** A float32 printed exactly enough to round-trip. @param {number} v */
export const exact = (v) => Number(v.toPrecision(9));

/**
 * Nested lists of `flat` in a row-major shape ([2, 3] -> [[a, b, c], [d, e, f]]).
 * @param {ArrayLike<number>} flat @param {number[]} shape @returns {NestedNumbers[]}
 */
export function nest(flat, shape) {
  /** @param {number} offset @param {number} dim @returns {NestedNumbers[]} */
  const build = (offset, dim) => {
    const n = shape[dim] ?? 1;
    if (dim === shape.length - 1) return Array.from({ length: n }, (_, i) => exact(flat[offset + i] ?? NaN));
    const stride = shape.slice(dim + 1).reduce((p, d) => p * d, 1);
    return Array.from({ length: n }, (_, i) => build(offset + i * stride, dim + 1));
  };
  return build(0, 0);
}

/** @param {Readonly<Record<string, number>>} table @param {number | undefined} value */
const nameOf = (table, value) => Object.keys(table).find((k) => table[k] === value) ?? String(value);

/** A recurrent layer (RNN, LSTM). @param {number} kind */
export const isRecurrent = (kind) => kind === LayerKind.RNN || kind === LayerKind.LSTM;

/** A layer whose output is a sequence T x units x 1: a per-step dense, or a recurrent layer returning every step.
 * @param {number[]} d descriptor */
const sequenceOutput = (d) => (d[0] === LayerKind.DENSE || isRecurrent(d[0] ?? -1)) && d[3] === 1;

/** The shape a layer's per-example vectors take in the trace: [C][H][W] for conv and pool, [T][units] for a
 * sequence output, flat otherwise.
 * @param {number[]} d descriptor @param {number[]} shape [c, h, w] */
function vectorShape(d, shape) {
  const [c = 1, h = 1, w = 1] = shape;
  if (d[0] === LayerKind.CONV2D || d[0] === LayerKind.MAXPOOL) return [c, h, w];
  return sequenceOutput(d) ? [c, h] : [c * h * w];
}

/**
 * A recurrent layer's steps from nn_sequence_inspect and nn_sequence_math (layouts in nn.h), as trace fields.
 * @param {Model} scratch @param {number} l layer @param {number[]} d descriptor @param {number[]} inShape [T, F, 1]
 * @param {Float32Array} x @param {Float32Array} y
 * @returns {{ fwd: RecurrentForward['steps'], bwd: RecurrentBackward['steps'] }}
 */
function recurrentSteps(scratch, l, d, inShape, x, y) {
  const T = inShape[0] ?? 1, H = d[2] ?? 0, GH = (d[0] === LayerKind.LSTM ? 4 : 1) * H, TH = T * H, TGH = T * GH;
  const views = scratch.sequenceInspect(l, x, y), math = scratch.sequenceMath(l, x, y);
  /** @param {Float32Array} v @param {number} view @param {number} [width] */
  const rows = (v, view, width = H) => nest(v.subarray(view * TH, view * TH + T * width), [T, width]);
  /** @type {RecurrentForward['steps']} */
  const fwd = { pre: nest(math.subarray(0, TGH), [T, GH]), h: rows(views, 0) };
  if (d[0] === LayerKind.LSTM) Object.assign(fwd, { c: rows(views, 2), i: rows(views, 3), f: rows(views, 4), g: rows(views, 5), o: rows(views, 6) });
  const tail = math.subarray(2 * TGH);
  return { fwd, bwd: {
    dh: rows(views, 1), dh_from_output: rows(tail, 0), dh_from_next: rows(tail, 1),
    delta: nest(math.subarray(TGH, 2 * TGH), [T, GH]),
  } };
}

/**
 * A scratch copy of `model` for tracing: the same layers and parameters, a
 * batch of 1, plain SGD and no regularisation (so its gradients are the data
 * loss's). The caller destroys it.
 * @param {Engine} engine @param {Model} model @param {LossName} loss @returns {Model}
 */
export function traceModel(engine, model, loss) {
  const layers = model.descriptors().map((d) => ({ kind: d[0] ?? -1, activation: d[1] ?? -1, ints: d.slice(2) }));
  const copy = engine.createModel({ input: model.layerShapes()[0] ?? [], layers, loss, maxBatch: 1 });
  try {
    copy.loadParams(model.params());
  } catch (e) {
    copy.destroy();
    throw e;
  }
  return copy;
}

/**
 * One example's trace from a trace model (traceModel): forward, backward, loss.
 * Also returns the flat per-example gradients (for the optimizer preview).
 * @param {Model} scratch from traceModel
 * @param {{ loss: LossName, x: ArrayLike<number>, y: ArrayLike<number>, index: number, lab: string,
 *   config?: Record<string, unknown>, optimizer?: ReturnType<Model['optimizerInfo']> }} what
 * @returns {{ trace: Trace, grads: Float32Array }}
 */
export function buildTrace(scratch, { loss, x, y, index, lab, config = {}, optimizer }) {
  const xs = Float32Array.from(x), ys = Float32Array.from(y);
  const explanation = scratch.explain(xs, ys);
  const descs = scratch.descriptors();
  const shapes = scratch.layerShapes();
  // before nn_compute_gradients: both overwrite the gradients with this example's
  const steps = descs.map((d, l) => (isRecurrent(d[0] ?? -1) ? recurrentSteps(scratch, l, d, shapes[l] ?? [], xs, ys) : null));
  const lossValue = scratch.computeGradients(xs, ys, 1); // batch of 1, no regularisation
  const grads = scratch.grads();
  const params = scratch.params();
  const blocks = scratch.paramLayout();
  const inputShape = shapes[0] ?? [xs.length, 1, 1];
  const flatInput = (inputShape[1] ?? 1) === 1 && (inputShape[2] ?? 1) === 1;
  const first = descs[0] ?? [];
  // a sequence model's input [T][F] (a recurrent or per-step first layer)
  const sequenceInput = !flatInput && (isRecurrent(first[0] ?? -1) || (first[0] === LayerKind.DENSE && first[3] === 1));
  const inShape = sequenceInput ? inputShape.slice(0, 2) : flatInput ? [inputShape[0] ?? xs.length] : inputShape;
  /** @type {TraceLayer[]} */
  const layers = [];
  /** @type {Trace['forward']} */
  const forward = [];
  /** @type {Trace['backward']} */
  const backward = [];
  descs.forEach((d, l) => {
    const kind = d[0] ?? -1;
    const outShape = vectorShape(d, shapes[l + 1] ?? []);
    /** @type {TraceLayer} */
    const layer = { kind: nameOf(LAYER_KIND_NAMES, kind), activation: nameOf(ACTIVATION_NAMES, d[1]), output_shape: outShape };
    if (kind === LayerKind.DENSE) layer.units = d[2] ?? 0;
    if (kind === LayerKind.DENSE && d[3] === 1) layer.per_step = true;
    if (isRecurrent(kind)) Object.assign(layer, { hidden: d[2] ?? 0, return_sequences: d[3] === 1 });
    if (kind === LayerKind.CONV2D) Object.assign(layer, { filters: d[2], kernel: [d[3], d[4]], stride: d[5], padding: d[6] });
    if (kind === LayerKind.MAXPOOL) Object.assign(layer, { kernel: [d[2], d[2]], stride: d[3] });
    layers.push(layer);
    const ex = explanation.layers[l];
    if (!ex) throw new Error(`no explanation for layer ${l}`);
    /** @type {Trace['forward'][number]} */
    const fwd = { z: nest(ex.z, outShape), a: nest(ex.a, outShape) };
    /** @type {Trace['backward'][number]} */
    const bwd = { delta: nest(ex.delta, outShape) };
    const names = ['ih', 'hh'];
    for (const block of blocks.filter((b) => b.layer === l)) {
      const p = params.subarray(block.offset, block.offset + block.length);
      const g = grads.subarray(block.offset, block.offset + block.length);
      if (isRecurrent(kind)) { // torch's weight_ih, weight_hh, bias_ih, bias_hh
        const name = names[block.block % 2] ?? '', weight = block.block < 2;
        Object.assign(fwd, { [`${weight ? 'W' : 'b'}_${name}`]: weight ? nest(p, block.shape) : Array.from(p, exact) });
        Object.assign(bwd, { [`${weight ? 'dW' : 'db'}_${name}`]: weight ? nest(g, block.shape) : Array.from(g, exact) });
      } else if (block.block === 0) {
        fwd.W = nest(p, block.shape);
        bwd.dW = nest(g, block.shape);
      } else if (block.block === 1) {
        fwd.b = Array.from(p, exact);
        bwd.db = Array.from(g, exact);
      }
    }
    const layerSteps = steps[l];
    if (layerSteps) {
      fwd.steps = layerSteps.fwd;
      bwd.steps = layerSteps.bwd;
    }
    forward.push(fwd);
    backward.push(bwd);
  });
  const lastLayer = forward[forward.length - 1];
  /** @type {Trace} */
  const trace = {
    format: 'nn-trace',
    version: 1,
    lab,
    config,
    input_shape: inShape,
    layers,
    loss,
    example: { index, x: flatInput ? Array.from(xs, exact) : nest(xs, inShape), y: Array.from(ys, exact) },
    forward,
    output: lastLayer ? lastLayer.a : [],
    loss_value: exact(lossValue),
    backward,
    input_grad: flatInput ? Array.from(explanation.inputGrad, exact) : nest(explanation.inputGrad, inShape),
  };
  if (optimizer) trace.optimizer = optimizer;
  return { trace, grads };
}

/**
 * A lab session's "show the math" state: traces one example of a live model
 * and keeps the scratch copy (the weights of that moment) for the gradient
 * check that follows. One per session; dispose() frees the copy.
 */
export class ExampleTracer {
  /** @param {Engine} engine */
  constructor(engine) {
    this.engine = engine;
    /** @type {{ model: Model, x: Float32Array, y: Float32Array, grads: Float32Array, from: Model } | null} */
    this.traced = null;
  }
  /**
   * Traces one example through a copy of `model` as it is now (training may
   * go on: the copy does not move).
   * `preview: false` leaves the optimizer preview of every parameter out
   * (7 floats a parameter: 28 MB for a million): preview() gives one.
   * @param {Model} model
   * @param {{ loss: LossName, x: ArrayLike<number>, y: ArrayLike<number>, index: number, lab: string, epoch: number,
   *   preview?: boolean }} what
   * @returns {TraceResult}
   */
  trace(model, { loss, x, y, index, lab, epoch, preview: all = true }) {
    const xs = Float32Array.from(x), ys = Float32Array.from(y);
    const scratch = traceModel(this.engine, model, loss);
    try {
      const { trace, grads } = buildTrace(scratch, { loss, x: xs, y: ys, index, lab, optimizer: model.optimizerInfo() });
      const preview = all ? model.optimizerPreview(0, model.paramCount, grads) : new Float32Array(0);
      this.traced?.model.destroy();
      this.traced = { model: scratch, x: xs, y: ys, grads, from: model };
      return { trace, preview, layout: model.paramLayout(), epoch };
    } catch (e) {
      scratch.destroy();
      throw e;
    }
  }
  /**
   * The engine's finite difference for flat parameter `param` of the last trace.
   * @param {number} param @returns {GradientCheck}
   */
  check(param) {
    const t = this.traced;
    if (!t) throw new Error('trace an example first');
    if (!Number.isInteger(param) || param < 0 || param >= t.grads.length) throw new RangeError(`no parameter ${param}`);
    const fd = t.model.finiteDifference(param, t.x, t.y, 1);
    return { param, finiteDifference: fd.value, backprop: t.grads[param] ?? NaN, h: fd.h };
  }
  /**
   * What the optimizer's next update of `model` (the live one, whose trace
   * this is) would do to parameter `param` with the traced example's
   * gradient: its state as it is now (still the trace's while paused).
   * @param {Model} model @param {number} param
   * @returns {{ param: number, values: Float32Array, optimizer: ReturnType<Model['optimizerInfo']> }}
   */
  preview(model, param) {
    const t = this.traced;
    if (!t) throw new Error('trace an example first');
    if (t.from !== model) throw new Error('the model changed since the trace: trace again');
    if (!Number.isInteger(param) || param < 0 || param >= t.grads.length) throw new RangeError(`no parameter ${param}`);
    return { param, values: model.optimizerPreview(param, 1, t.grads.subarray(param, param + 1)), optimizer: model.optimizerInfo() };
  }
  dispose() {
    this.traced?.model.destroy();
    this.traced = null;
  }
}
