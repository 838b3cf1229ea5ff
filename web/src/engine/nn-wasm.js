// @ts-check
// nn-wasm.js — the core's networks in JavaScript: class Model wraps a model
// handle of the C core's ABI (core/nn.h). The module instance and its heap
// (Engine, HeapBuffer, NnError, createEngine) live in nn-engine.js; this file
// re-exports them, so callers import everything from here. Works in the
// browser/worker (with generated/nn.mjs) and in Node (with build/node/nn.cjs,
// passing { wasmBinary } because Emscripten 3.1.6's loader breaks on Node's
// fetch). Types are JSDoc, checked by TypeScript (web/tsconfig.json's allowJs
// + this file's @ts-check).
import { BackwardFlag, GAN_LOSS_NAMES, Limits, OPTIMIZER_NAMES, REGULARIZATION_NAMES, Status } from './enums.js';
import { enumValue, Engine, HeapBuffer, intValue, NnError, ptrOf, withConfig, withLayers } from './nn-engine.js';

export { Activation, BackwardFlag, GanLoss, LayerKind, Limits, Loss, Optimizer, Regularization, Status } from './enums.js';
export { ABI_VERSION, createEngine, SequenceLayers } from './nn-engine.js';
export { Engine, HeapBuffer, NnError };

/** @typedef {import('./enums.js').OptimizerName} OptimizerName */
/** @typedef {import('./enums.js').RegularizationName} RegularizationName */
/** @typedef {import('./nn-engine.js').HeapRef} HeapRef */
/** @typedef {import('./nn-engine.js').FloatArg} FloatArg */
/** @typedef {import('./nn-engine.js').ModuleFactory} ModuleFactory */
/** @typedef {import('./nn-engine.js').ModelSpec} ModelSpec */
/** @typedef {import('./nn-engine.js').LayerSpec} LayerSpec */
/** @typedef {import('./nn-engine.js').LayerPlan} LayerPlan */
/** @typedef {import('./nn-engine.js').LayersSpec} LayersSpec */
/** @typedef {import('./enums.js').ActivationName} ActivationName */
/** @typedef {import('./enums.js').LossName} LossName */
/** @typedef {import('./enums.js').LayerKindName} LayerKindName */
/** @typedef {import('./enums.js').GanLossName} GanLossName */
/**
 * What a GAN step reports (nn_gan_step_d / _g, NN_GAN_STATS): the loss before
 * the update; D's mean output on the real and the generated rows (its
 * probability "real" under BCE, the raw score under least squares; real is 0
 * in a generator step). status: Status.OK or Status.ERR_DIVERGED (no update).
 * @typedef {{ loss: number, real: number, fake: number, status: number }} GanStats
 */
/**
 * @typedef {object} OptimizerParams
 * @property {number} [lr] Learning rate > 0 (default 0.01).
 * @property {number} [beta1] Momentum factor (momentum) or Adam beta1, 0 <= beta1 < 1 (default 0.9).
 * @property {number} [beta2] Adam beta2, 0 <= beta2 < 1 (default 0.999).
 * @property {number} [eps] Adam epsilon > 0 (default 1e-8).
 */
/**
 * One block of the flat parameter array (nn_param_block).
 * @typedef {object} ParamBlock
 * @property {number} layer
 * @property {number} block Index within the layer (dense: 0 weight, 1 bias).
 * @property {number} offset First float in params()/grads().
 * @property {number[]} shape PyTorch's shape, e.g. [out, in] for a dense weight.
 * @property {number} length Floats in the block.
 */
/**
 * One example's numbers per layer (nn_explain).
 * @typedef {object} Explanation
 * @property {Array<{ z: Float32Array, a: Float32Array, delta: Float32Array }>} layers
 *   Pre-activation, activation and delta dL/dz of every layer.
 * @property {Float32Array} inputGrad dL/dx.
 */

/** A network owned by the core. Methods throw NnError on invalid input;
 * training methods do not throw on divergence: they return the non-finite
 * loss and `status` is Status.ERR_DIVERGED (the update was skipped). Call
 * destroy() when done. */
export class Model {
  /** @param {Engine} engine @param {ModelSpec | LayersSpec} spec */
  constructor(engine, spec) {
    /** @readonly */
    this.engine = engine;
    /** @readonly @type {any} */
    this.module = engine.module;
    const status = engine.checkConfig(spec);
    if (status !== Status.OK) throw new NnError(status, engine.statusString(status));
    const seed = (spec.seed ?? 0) >>> 0;
    /** @type {number} */
    this.handle = 'layers' in spec
      ? withLayers(engine, spec, (n, desc, shape, loss, maxBatch) =>
        this.module._nn_create_layers(n, desc, shape, loss, seed, maxBatch))
      : /** @type {number} */ (withConfig(engine, spec, (sizes, acts, loss, maxBatch) =>
        this.module._nn_create(spec.sizes.length - 1, sizes, acts, loss, seed, maxBatch)));
    if (!this.handle) throw new NnError(Status.ERR_NOMEM, engine.statusString(Status.ERR_NOMEM));
    /** @readonly */
    this.nLayers = this.module._nn_n_layers(this.handle);
    /** Sizes, inputs first (each shape flattened): nLayers + 1 entries. @readonly @type {number[]} */
    this.sizes = Array.from({ length: this.nLayers + 1 }, (_, i) => this.module._nn_layer_size(this.handle, i));
    /** @readonly */
    this.maxBatch = this.module._nn_max_batch(this.handle);
    /** @readonly */
    this.paramCount = this.module._nn_param_count(this.handle);
    /** Rows of the last forwardTrain (the input gradient's rows). */
    this.trainRows = 0;
    /** heap copies of typed-array arguments, grown on demand @type {Record<string, HeapBuffer<any>>} */
    this.scratch = {};
  }
  get inputs() { return /** @type {number} */ (this.sizes[0]); }
  get outputs() { return /** @type {number} */ (this.sizes[this.nLayers]); }
  /** Status of the last core call on this model (Status.OK after a success). @returns {number} */
  get status() { return this.module._nn_status(this.h()); }
  /** @returns {number} */
  h() {
    if (!this.handle) throw new Error('model used after destroy()');
    return this.handle;
  }
  /** @returns {never} */
  fail() {
    const st = this.status;
    throw new NnError(st, this.engine.statusString(st));
  }
  /**
   * A typed array is copied into a scratch heap buffer; a heap ref is used as is.
   * `rows` x `width` values are what the core will read: a shorter array is
   * refused here (the core cannot know an array's length and would read the
   * scratch buffer's stale rest). Row counts the core itself refuses (< 1, or
   * over `maxRows`) are left to its status.
   * @param {string} name @param {FloatArg | null | undefined} value
   * @param {number} [rows] @param {number} [width] @param {number} [maxRows] @returns {number}
   */
  arg(name, value, rows, width, maxRows = Infinity) {
    if (value && typeof (/** @type {HeapRef} */ (value)).ptr === 'number') return /** @type {HeapRef} */ (value).ptr;
    const arr = value instanceof Float32Array ? value : Float32Array.from(/** @type {ArrayLike<number>} */ (value ?? []));
    if (rows !== undefined && width !== undefined && Number.isInteger(rows) && rows >= 1 && rows <= maxRows && arr.length < rows * width) {
      throw new RangeError(`${name} holds ${arr.length} values; ${rows} rows of ${width} need ${rows * width}`);
    }
    return this.out(name, arr.length).set(arr).ptr;
  }
  /** A scratch heap buffer of at least `length` floats. @param {string} name @param {number} length @returns {HeapBuffer<Float32Array>} */
  out(name, length) {
    let buf = this.scratch[name];
    if (!buf || buf.length < length) {
      buf?.free();
      buf = this.scratch[name] = this.engine.allocF32(Math.max(length, 1));
    }
    return buf;
  }
  /** A scratch heap buffer of at least `length` ints. @param {string} name @param {number} length @returns {HeapBuffer<Int32Array>} */
  outI32(name, length) {
    let buf = this.scratch[name];
    if (!buf || buf.length < length || buf.kind !== 'i32') {
      buf?.free();
      buf = this.scratch[name] = this.engine.allocI32(Math.max(length, 1));
    }
    return buf;
  }
  /** kind: Optimizer value or 'sgd' | 'momentum' | 'adam'. @param {OptimizerName | number} kind @param {OptimizerParams} [params] */
  setOptimizer(kind, { lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = {}) {
    const st = this.module._nn_set_optimizer(this.h(), enumValue(OPTIMIZER_NAMES, kind), lr, beta1, beta2, eps);
    if (st !== Status.OK) this.fail();
  }
  /** kind: Regularization value or 'none' | 'l1' | 'l2'. @param {RegularizationName | number} kind */
  setRegularization(kind, rate = 0) {
    const st = this.module._nn_set_regularization(this.h(), enumValue(REGULARIZATION_NAMES, kind), rate);
    if (st !== Status.OK) this.fail();
  }
  /**
   * Returns the loss; throws for bad input, but not for divergence
   * (status ERR_DIVERGED, non-finite loss) which callers handle as a state.
   * @param {number} loss
   */
  lossResult(loss) {
    const st = this.status;
    if (st !== Status.OK && st !== Status.ERR_DIVERGED) this.fail();
    return loss;
  }
  /** One update on `batch` rows (1..maxBatch); x [batch x inputs], y [batch x outputs].
   *  Returns the batch's mean loss before the update. @param {FloatArg} x @param {FloatArg} y @param {number} batch */
  trainStep(x, y, batch) {
    return this.lossResult(this.module._nn_train_step(this.h(), this.arg('x', x, batch, this.inputs, this.maxBatch), this.arg('y', y, batch, this.outputs, this.maxBatch), batch));
  }
  /** One pass over n rows in steps of `batch`, in `order` (indices) or 0..n-1. Returns the mean step loss.
   * @param {FloatArg} x @param {FloatArg} y @param {number} n
   * @param {HeapRef | Int32Array | ArrayLike<number> | null | undefined} order @param {number} batch */
  trainEpoch(x, y, n, order, batch) {
    const orderPtr = order == null ? 0 : 'ptr' in order && typeof order.ptr === 'number' ? order.ptr : this.intArg(/** @type {ArrayLike<number>} */ (order));
    return this.lossResult(this.module._nn_train_epoch(this.h(), this.arg('x', x, n, this.inputs), this.arg('y', y, n, this.outputs), n, orderPtr, batch));
  }
  /** @param {ArrayLike<number>} values @returns {number} */
  intArg(values) {
    const arr = values instanceof Int32Array ? values : Int32Array.from(values);
    return this.outI32('order', arr.length).set(arr).ptr;
  }
  /** Forward + backward, no update; then read grads(). Returns the loss. @param {FloatArg} x @param {FloatArg} y @param {number} batch */
  computeGradients(x, y, batch) {
    return this.lossResult(this.module._nn_compute_gradients(this.h(), this.arg('x', x, batch, this.inputs, this.maxBatch), this.arg('y', y, batch, this.outputs, this.maxBatch), batch));
  }
  /**
   * The first third of trainStep: forward in training mode on `batch` rows
   * (1..maxBatch, copied into the core), keeping every layer's activations
   * for backward()/backwardFrom(). Any other call that runs the network ends
   * that state.
   * @param {FloatArg} x [batch x inputs] @param {number} batch
   */
  forwardTrain(x, batch) {
    if (this.module._nn_forward_train(this.h(), this.arg('x', x, batch, this.inputs, this.maxBatch), batch) !== Status.OK) this.fail();
    this.trainRows = batch;
  }
  /**
   * The gradients of the loss against targets y for the last forwardTrain
   * (read with grads(); with `inputGrad`, also dL/dx for inputGrad()).
   * Returns the batch's mean loss.
   * @param {FloatArg} y [rows x outputs] @param {{ inputGrad?: boolean }} [options]
   */
  backward(y, { inputGrad = false } = {}) {
    const flags = inputGrad ? BackwardFlag.INPUT_GRAD : 0;
    return this.lossResult(this.module._nn_backward(this.h(), this.arg('y', y), flags));
  }
  /**
   * The gradients from a caller-supplied dL/d(output) instead of a loss,
   * e.g. a GAN's generator trained through the discriminator's inputGrad().
   * @param {FloatArg} dy [rows x outputs] @param {{ inputGrad?: boolean }} [options]
   */
  backwardFrom(dy, { inputGrad = false } = {}) {
    const flags = inputGrad ? BackwardFlag.INPUT_GRAD : 0;
    if (this.module._nn_backward_from(this.h(), this.arg('dy', dy), flags) !== Status.OK) this.fail();
  }
  /** A copy of dL/dx [rows x inputs] from the last backward called with { inputGrad: true }. @returns {Float32Array} */
  inputGrad() {
    const ptr = this.module._nn_input_grad(this.h());
    if (!ptr) throw new Error('no input gradient: call backward(y, { inputGrad: true }) after forwardTrain first');
    return new Float32Array(this.module.HEAPF32.buffer, ptr, this.trainRows * this.inputs).slice();
  }
  /** The optimizer on the last backward's gradients. Returns Status.OK, or
   * Status.ERR_DIVERGED when it was skipped (a non-finite loss or gradient). @returns {number} */
  update() {
    const st = this.module._nn_update(this.h());
    if (st !== Status.OK && st !== Status.ERR_DIVERGED) this.fail();
    return st;
  }
  /**
   * GAN, this model the discriminator D (one linear output): one D step on
   * `batch` real rows and `batch` rows generated by `generator` from `noise`
   * (nn_gan_step_d). Throws for bad input; divergence is a status.
   * @param {Model} generator @param {FloatArg} real [batch x inputs] @param {FloatArg} noise [batch x generator inputs]
   * @param {number} batch @param {GanLossName | number} loss @returns {GanStats}
   */
  ganStepD(generator, real, noise, batch, loss) {
    const stats = this.out('ganStats', Limits.GAN_STATS);
    const st = this.module._nn_gan_step_d(this.h(), generator.h(), this.arg('x', real, batch, this.inputs, Math.floor(this.maxBatch / 2)), generator.arg('x', noise, batch, generator.inputs, generator.maxBatch), batch, enumValue(GAN_LOSS_NAMES, loss), stats.ptr);
    return this.ganStats(st, stats);
  }
  /**
   * GAN, this model the generator G: one G step through `discriminator`
   * (nn_gan_step_g; D's parameters and optimizer state are untouched).
   * @param {Model} discriminator @param {FloatArg} noise [batch x inputs] @param {number} batch
   * @param {GanLossName | number} loss @returns {GanStats}
   */
  ganStepG(discriminator, noise, batch, loss) {
    const stats = this.out('ganStats', Limits.GAN_STATS);
    const st = this.module._nn_gan_step_g(this.h(), discriminator.h(), this.arg('x', noise, batch, this.inputs, Math.min(this.maxBatch, discriminator.maxBatch)), batch, enumValue(GAN_LOSS_NAMES, loss), stats.ptr);
    return this.ganStats(st, stats);
  }
  /** @param {number} st @param {HeapBuffer<Float32Array>} stats @returns {GanStats} */
  ganStats(st, stats) {
    if (st !== Status.OK && st !== Status.ERR_DIVERGED) throw new NnError(st, this.engine.statusString(st));
    const [loss = NaN, real = NaN, fake = NaN] = stats.view();
    return { loss, real, fake, status: st };
  }
  /**
   * GAN, this model D: per sample, the gradient of that sample's generator
   * loss with respect to it (nn_gan_sample_grad); minus it is where D pushes
   * the point. @param {FloatArg} x [n x inputs] @param {number} n
   * @param {GanLossName | number} loss @returns {Float32Array} [n x inputs]
   */
  ganSampleGrad(x, n, loss) {
    const dst = this.out('ganGrad', n * this.inputs);
    const st = this.module._nn_gan_sample_grad(this.h(), this.arg('x', x, n, this.inputs, this.maxBatch), n, enumValue(GAN_LOSS_NAMES, loss), dst.ptr);
    if (st !== Status.OK) throw new NnError(st, this.engine.statusString(st));
    return dst.view().slice(0, n * this.inputs);
  }
  /**
   * One example, every layer shown (nn_explain): pre-activation, activation
   * and delta dL/dz per layer, and dL/dx. Off the hot path: it overwrites
   * grads(), never the parameters.
   * @param {FloatArg} x [inputs] @param {FloatArg} y [outputs] @returns {Explanation}
   */
  explain(x, y) {
    const total = this.module._nn_explain_floats(this.h());
    const dst = this.out('explain', total);
    if (this.module._nn_explain(this.h(), this.arg('x', x, 1, this.inputs), this.arg('y', y, 1, this.outputs), dst.ptr) !== Status.OK) this.fail();
    const view = dst.view();
    let off = 0;
    /** @param {number} n */
    const take = (n) => view.slice(off, (off += n));
    const layers = this.sizes.slice(1).map((w) => ({ z: take(w), a: take(w), delta: take(w) }));
    return { layers, inputGrad: take(this.inputs) };
  }
  // ---- show the math (ABI v5): finite difference, optimizer state and preview ----
  /**
   * The engine's central finite difference of the mean data loss (no
   * regularisation) of n examples with respect to flat parameter `index`
   * (nn_finite_difference: a double-precision forward, the model untouched).
   * @param {number} index @param {FloatArg} x [n x inputs] @param {FloatArg} y [n x outputs] @param {number} [n]
   * @returns {{ value: number, h: number, lossPlus: number, lossMinus: number }}
   */
  finiteDifference(index, x, y, n = 1) {
    const out = this.out('fd', 2 * Limits.FD_DOUBLES); // doubles: 2 floats each, 16-byte aligned
    if (this.module._nn_finite_difference(this.h(), intValue(index), this.arg('x', x, n, this.inputs), this.arg('y', y, n, this.outputs), n, out.ptr) !== Status.OK) this.fail();
    const [value = NaN, h = NaN, lossPlus = NaN, lossMinus = NaN] = new Float64Array(this.module.HEAPF32.buffer, out.ptr, Limits.FD_DOUBLES);
    return { value, h, lossPlus, lossMinus };
  }
  /**
   * The optimizer's settings and position (nn_optimizer_info).
   * @returns {{ kind: OptimizerName, step: number, lr: number, beta1: number, beta2: number, eps: number,
   *   regularization: RegularizationName, rate: number }}
   */
  optimizerInfo() {
    const out = this.out('optinfo', 2 * Limits.OPTIM_INFO_DOUBLES);
    this.engine.check(this.module._nn_optimizer_info(this.h(), out.ptr));
    const v = Array.from(new Float64Array(this.module.HEAPF32.buffer, out.ptr, Limits.OPTIM_INFO_DOUBLES));
    const name = /** @param {Readonly<Record<string, number>>} table @param {number | undefined} value */ (table, value) =>
      Object.keys(table).find((k) => table[k] === value) ?? 'unknown';
    return {
      kind: /** @type {OptimizerName} */ (name(OPTIMIZER_NAMES, v[0])), step: v[1] ?? 0, lr: v[2] ?? 0,
      beta1: v[3] ?? 0, beta2: v[4] ?? 0, eps: v[5] ?? 0,
      regularization: /** @type {RegularizationName} */ (name(REGULARIZATION_NAMES, v[6])), rate: v[7] ?? 0,
    };
  }
  /**
   * What the next update would do to parameters first..first+count-1 for
   * data-loss gradients `grads` (nn_optimizer_preview): Limits.PREVIEW_FLOATS
   * floats per parameter — w, the gradient used (regularisation added on
   * weights), state 1 and 2 before, state 1 and 2 after, w after.
   * @param {number} first @param {number} count @param {FloatArg} grads [count] @returns {Float32Array}
   */
  optimizerPreview(first, count, grads) {
    const out = this.out('preview', Math.max(count, 1) * Limits.PREVIEW_FLOATS);
    if (this.module._nn_optimizer_preview(this.h(), intValue(first), intValue(count), this.arg('grads', grads), out.ptr) !== Status.OK) this.fail();
    return out.view().slice(0, count * Limits.PREVIEW_FLOATS);
  }
  /** Gradient clipping by global norm on every update (torch clip_grad_norm_); 0 turns it off. @param {number} maxNorm */
  setClipNorm(maxNorm) {
    if (this.module._nn_set_clip_norm(this.h(), maxNorm) !== Status.OK) this.fail();
  }
  /** The global gradient norm the last update measured (before clipping); 0 before any. @returns {number} */
  gradNorm() {
    return this.module._nn_grad_norm(this.h());
  }
  /** Carried state floats per batch row: per RNN/LSTM layer h [H], then c [H] for an LSTM; 0 without one. @returns {number} */
  stateFloats() {
    return this.engine.check(this.module._nn_state_floats(this.h()));
  }
  /** Carried state of rows 0..rows-1 ([rows x stateFloats()]). @param {number} [rows] @returns {Float32Array} */
  getState(rows = 1) {
    const n = this.stateFloats() * Math.max(intValue(rows), 1);
    const out = this.out('state', n);
    if (this.module._nn_get_state(this.h(), out.ptr, intValue(rows)) !== Status.OK) this.fail();
    return out.view().slice(0, n);
  }
  /** Sets the carried state of rows 0..rows-1 from [rows x stateFloats()] values. @param {FloatArg} values @param {number} [rows] */
  setState(values, rows = 1) {
    if (this.module._nn_set_state(this.h(), this.arg('state', values), intValue(rows)) !== Status.OK) this.fail();
  }
  /** Every row's carried state to zero. */
  resetState() {
    if (this.module._nn_reset_state(this.h()) !== Status.OK) this.fail();
  }
  /**
   * Stateful: every forward pass starts row r from the carried state of row r
   * and leaves its final state there (generation step by step; truncated BPTT).
   * @param {boolean} on
   */
  setStateful(on) {
    if (this.module._nn_set_stateful(this.h(), on ? 1 : 0) !== Status.OK) this.fail();
  }
  /** Floats of sequenceInspect(layer): 2*T*H (RNN) or 7*T*H (LSTM). @param {number} layer @returns {number} */
  sequenceFloats(layer) {
    return this.engine.check(this.module._nn_sequence_floats(this.h(), intValue(layer)));
  }
  /**
   * Per-step views of recurrent layer `layer` for one example (off the hot path):
   * [T x H] each, step t in row t: RNN h, dL/dh; LSTM h, dL/dh, c, i, f, g, o.
   * dL/dh_t is the full gradient through time. Overwrites grads() like explain().
   * @param {number} layer @param {FloatArg} x [inputs] @param {FloatArg} y [outputs] @returns {Float32Array}
   */
  sequenceInspect(layer, x, y) {
    const total = this.sequenceFloats(layer);
    const dst = this.out('sequence', total);
    if (this.module._nn_sequence_inspect(this.h(), intValue(layer), this.arg('x', x, 1, this.inputs), this.arg('y', y, 1, this.outputs), dst.ptr) !== Status.OK) this.fail();
    return dst.view().slice(0, total);
  }
  /** Floats of sequenceMath(layer): 2*T*G*H + 2*T*H (G = 1 RNN, 4 LSTM). @param {number} layer @returns {number} */
  sequenceMathFloats(layer) {
    return this.engine.check(this.module._nn_sequence_math_floats(this.h(), intValue(layer)));
  }
  /**
   * The math of every step of recurrent layer `layer` for one example (nn_sequence_math):
   * z_t [T x G*H] (pre-activations; LSTM rows i, f, g, o), dL/dz_t [T x G*H], then dL/dh_t
   * from the output at t [T x H] and from step t+1 [T x H]. Overwrites grads() like explain().
   * @param {number} layer @param {FloatArg} x [inputs] @param {FloatArg} y [outputs] @returns {Float32Array}
   */
  sequenceMath(layer, x, y) {
    const total = this.sequenceMathFloats(layer);
    const dst = this.out('sequence', total);
    if (this.module._nn_sequence_math(this.h(), intValue(layer), this.arg('x', x, 1, this.inputs), this.arg('y', y, 1, this.outputs), dst.ptr) !== Status.OK) this.fail();
    return dst.view().slice(0, total);
  }
  /**
   * Outputs [n x outputs]: a new Float32Array, or written into `out` (returned).
   * @template {HeapRef} R
   * @overload
   * @param {FloatArg} x @param {number} n @param {R} out @returns {R}
   */
  /**
   * @overload
   * @param {FloatArg} x @param {number} n @returns {Float32Array}
   */
  /**
   * @param {FloatArg} x @param {number} n @param {HeapRef} [out] @returns {HeapRef | Float32Array}
   */
  forward(x, n, out) {
    const dst = out ?? this.out('out', n * this.outputs);
    if (this.module._nn_forward(this.h(), this.arg('x', x, n, this.inputs), n, ptrOf(dst)) !== Status.OK) this.fail();
    return out ? out : /** @type {HeapBuffer<Float32Array>} */ (dst).view().slice(0, n * this.outputs);
  }
  /** Every layer's outputs, one Float32Array [n x sizes[l+1]] per layer. @param {FloatArg} x @param {number} n @returns {Float32Array[]} */
  forwardAll(x, n) {
    const widths = this.sizes.slice(1);
    const total = widths.reduce((s, w) => s + n * w, 0);
    const dst = this.out('all', total);
    if (this.module._nn_forward_all(this.h(), this.arg('x', x, n, this.inputs), n, dst.ptr) !== Status.OK) this.fail();
    const view = dst.view();
    const layers = [];
    let off = 0;
    for (const w of widths) {
      layers.push(view.slice(off, off + n * w));
      off += n * w;
    }
    return layers;
  }
  /** Mean loss and the number of correctly classified rows (nn.h rule). @param {FloatArg} x @param {FloatArg} y @param {number} n @returns {{ loss: number, correct: number }} */
  evaluate(x, y, n) {
    const r = this.out('eval', 2).ptr;
    if (this.module._nn_evaluate(this.h(), this.arg('x', x, n, this.inputs), this.arg('y', y, n, this.outputs), n, r, r + 4) !== Status.OK) this.fail();
    const loss = this.module.HEAPF32[r >> 2];
    const correct = this.module.HEAP32[(r + 4) >> 2];
    return { loss, correct };
  }
  /** which 0: weight [row = output unit, col = input unit]; which 1: bias (col 0).
   * @param {number} layer @param {number} which @param {number} row @param {number} [col] @returns {number} */
  getParam(layer, which, row, col = 0) {
    const v = this.module._nn_get_param(this.h(), layer, which, row, col);
    if (this.status !== Status.OK) this.fail();
    return v;
  }
  /** @param {number} layer @param {number} which @param {number} row @param {number} col @param {number} value */
  setParam(layer, which, row, col, value) {
    if (this.module._nn_set_param(this.h(), layer, which, row, col, value) !== Status.OK) this.fail();
  }
  /** A copy of the flat parameter array (layout: paramLayout()). @returns {Float32Array} */
  params() {
    return new Float32Array(this.module.HEAPF32.buffer, this.module._nn_params(this.h()), this.paramCount).slice();
  }
  /** A copy of the gradient array (same layout), from the last backward, step or computeGradients. @returns {Float32Array} */
  grads() {
    return new Float32Array(this.module.HEAPF32.buffer, this.module._nn_grads(this.h()), this.paramCount).slice();
  }
  /** Replaces all parameters (length must be paramCount, all finite); optimizer state kept. @param {Float32Array | ArrayLike<number>} values */
  loadParams(values) {
    if (values.length !== this.paramCount) throw new NnError(Status.ERR_INDEX, this.engine.statusString(Status.ERR_INDEX));
    if (this.module._nn_load_params(this.h(), this.arg('params', values), values.length) !== Status.OK) this.fail();
  }
  /** Every block of the flat parameter array, in order, as the core lays it out. @returns {ParamBlock[]} */
  paramLayout() {
    const count = this.engine.check(this.module._nn_param_blocks(this.h()));
    const buf = this.outI32('block', Limits.BLOCK_INTS);
    const blocks = [];
    for (let i = 0; i < count; i++) {
      this.engine.check(this.module._nn_param_block(this.h(), i, buf.ptr));
      const [layer = 0, block = 0, offset = 0, ndims = 0, ...dims] = buf.view();
      const shape = dims.slice(0, ndims);
      blocks.push({ layer, block, offset, shape, length: shape.reduce((p, d) => p * d, 1) });
    }
    return blocks;
  }
  /** The input's shape, then every layer's output shape: nLayers + 1 [channels, height, width]. @returns {number[][]} */
  layerShapes() {
    const buf = this.outI32('shape', 3);
    return Array.from({ length: this.nLayers + 1 }, (_, i) => {
      this.engine.check(this.module._nn_layer_shape(this.h(), i, buf.ptr));
      return Array.from(buf.view().subarray(0, 3));
    });
  }
  /** Every layer's descriptor ints (NN_DESC_INTS each), as the core holds them. @returns {number[][]} */
  descriptors() {
    const buf = this.outI32('desc', Limits.DESC_INTS);
    return Array.from({ length: this.nLayers }, (_, l) => {
      this.engine.check(this.module._nn_layer_desc(this.h(), l, buf.ptr));
      return Array.from(buf.view().subarray(0, Limits.DESC_INTS));
    });
  }
  /** Offsets (in floats) of a dense layer's weight block [out x in] and bias [out] in params(), from paramLayout().
   * @param {number} layer @returns {{ weight: number, bias: number, rows: number, cols: number }} */
  layout(layer) {
    const blocks = this.paramLayout().filter((b) => b.layer === layer);
    const [w, b] = blocks;
    if (!w || !b) throw new NnError(Status.ERR_INDEX, this.engine.statusString(Status.ERR_INDEX));
    return { weight: w.offset, bias: b.offset, rows: w.shape[0] ?? 0, cols: w.length / (w.shape[0] ?? 1) };
  }
  /** Re-initialises parameters from `seed` and clears optimizer state. @param {number} seed */
  reset(seed) {
    if (this.module._nn_reset(this.h(), seed >>> 0) !== Status.OK) this.fail();
  }
  /** Frees the model and its scratch buffers. Safe to call twice. */
  destroy() {
    if (!this.handle) return;
    this.module._nn_destroy(this.handle);
    this.handle = 0;
    for (const buf of Object.values(this.scratch)) buf.free();
    this.scratch = {};
  }
}
