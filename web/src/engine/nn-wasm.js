// @ts-check
// nn-wasm.js — the one JavaScript file that knows Emscripten's heap.
//
// Wraps the C core's ABI (core/nn.h) in an Engine (one module instance,
// heap buffers) and Model objects. Works in the browser/worker (with
// generated/nn.mjs) and in Node (with build/node/nn.cjs, passing
// { wasmBinary } because Emscripten 3.1.6's loader breaks on Node's fetch).
// Typed-array views of the heap go stale when memory grows: every view is
// made fresh on use, never cached. Types are JSDoc, checked by TypeScript
// (web/tsconfig.json's allowJs + this file's @ts-check).
import {
  Activation, ACTIVATION_NAMES, BackwardFlag, LAYER_KIND_NAMES, LayerKind, Limits, Loss, LOSS_NAMES,
  Optimizer, OPTIMIZER_NAMES, Regularization, REGULARIZATION_NAMES, Status,
} from './enums.js';

export { Activation, BackwardFlag, LayerKind, Limits, Loss, Optimizer, Regularization, Status };

/** The ABI version this wrapper speaks (core/nn.h NN_ABI_VERSION). */
export const ABI_VERSION = /** @type {5} */ (Limits.ABI_VERSION);

/** @typedef {import('./enums.js').ActivationName} ActivationName */
/** @typedef {import('./enums.js').LossName} LossName */
/** @typedef {import('./enums.js').OptimizerName} OptimizerName */
/** @typedef {import('./enums.js').RegularizationName} RegularizationName */
/** @typedef {import('./enums.js').LayerKindName} LayerKindName */

/** Anything that points into the module heap: a HeapBuffer or buffer.at(i).
 * @typedef {{ readonly ptr: number }} HeapRef */
/** Float arguments: a heap ref (used in place, no copy) or values (copied in).
 * @typedef {HeapRef | Float32Array | ArrayLike<number>} FloatArg */
/** Emscripten factory (default export of generated/nn.mjs or build/node/nn.cjs).
 * @typedef {(options?: Record<string, unknown>) => Promise<any>} ModuleFactory */

/**
 * A dense network by its sizes (nn_create).
 * @typedef {object} ModelSpec
 * @property {number[]} sizes Layer sizes, inputs first: n_layers + 1 entries, each 1..2^20.
 * @property {Array<ActivationName | number>} activations One activation per layer.
 * @property {LossName | number} loss
 * @property {number} [seed] Weight-initialisation seed (uint32), default 0.
 * @property {number} [maxBatch] Largest batch for a training step; forward/evaluate chunk by it. Default 256.
 */
/**
 * One layer descriptor (core/nn.h): kind, activation and the kind's ints.
 * @typedef {object} LayerSpec
 * @property {LayerKindName | number} [kind] Default 'dense'.
 * @property {ActivationName | number} activation
 * @property {number} [units] Dense: output units.
 * @property {number[]} [ints] The kind's own ints (descriptor ints 2..7), instead of `units`:
 *   dense [units]; conv2d [outChannels, kernelH, kernelW, stride, padding];
 *   maxpool [kernel, stride]; flatten [] (core/nn.h says what fits).
 */
/**
 * nn_plan_layers' answer: every layer's output shape and parameter count,
 * or the first layer the core refuses (layer -1: not one layer's fault,
 * e.g. the input shape or the layer count).
 * @typedef {{ ok: true, layers: Array<{ shape: [number, number, number], params: number }> }
 *   | { ok: false, layer: number, status: number, message: string }} LayerPlan
 */
/**
 * Any network by layer descriptors over an input shape (nn_create_layers).
 * @typedef {object} LayersSpec
 * @property {number | number[]} input Input shape: [channels, height, width] or a flat size n (= [n, 1, 1]).
 * @property {LayerSpec[]} layers
 * @property {LossName | number} loss
 * @property {number} [seed]
 * @property {number} [maxBatch]
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

/** Error carrying a core status code; message is nn_status_str(status). */
export class NnError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.name = 'NnError';
    /** @readonly */
    this.status = status;
  }
}

/**
 * Maps a name or a number to an enum value; unknown names become -1 so the
 * core reports them (the core is the one validator).
 * @param {Readonly<Record<string, number>>} table
 * @param {unknown} v
 */
function enumValue(table, v) {
  if (typeof v === 'number') return Number.isInteger(v) ? v : -1;
  if (typeof v === 'string' && Object.hasOwn(table, v)) return /** @type {number} */ (table[v]);
  return -1;
}

/** An int for the ABI: non-integers become -1 so the core rejects them. @param {unknown} v */
function intValue(v) {
  return typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff ? v : -1;
}

const KINDS = {
  f32: { bytes: 4, heap: 'HEAPF32', Array: Float32Array },
  u8: { bytes: 1, heap: 'HEAPU8', Array: Uint8Array },
  i32: { bytes: 4, heap: 'HEAP32', Array: Int32Array },
};

/**
 * A block of the module heap holding `length` elements of one kind.
 * @template {Float32Array | Uint8Array | Int32Array} T
 */
export class HeapBuffer {
  /** @param {Engine} engine @param {'f32' | 'u8' | 'i32'} kind @param {number} length */
  constructor(engine, kind, length) {
    this.engine = engine;
    /** @readonly */
    this.kind = kind;
    /** @readonly */
    this.length = length;
    this.ptr = engine.alloc(length * KINDS[kind].bytes);
  }
  /** A fresh typed-array view; do not keep it across calls that may grow memory. @returns {T} */
  view() {
    if (!this.ptr) throw new Error('heap buffer used after free()');
    const k = KINDS[this.kind];
    return /** @type {T} */ (new k.Array(this.engine.module[k.heap].buffer, this.ptr, this.length));
  }
  /** Copies `values` in, starting at element `offset`. @param {ArrayLike<number>} values @returns {this} */
  set(values, offset = 0) {
    this.view().set(values, offset);
    return this;
  }
  /** A pointer to element `index` (0..length), for passing a slice (e.g. a batch of rows). @param {number} index @returns {HeapRef} */
  at(index) {
    if (!Number.isInteger(index) || index < 0 || index > this.length) throw new RangeError(`index ${index} outside 0..${this.length}`);
    return { ptr: this.ptr + index * KINDS[this.kind].bytes };
  }
  /** Returns the memory; the buffer is unusable afterwards. */
  free() {
    if (this.ptr) this.engine.module._nn_wasm_free(this.ptr);
    this.ptr = 0;
  }
}

/** One instance of the WASM module. */
export class Engine {
  /** @param {any} module The raw Emscripten module (_nn_* functions, HEAP* views). */
  constructor(module) {
    /** @readonly @type {any} */
    this.module = module;
  }
  /** Allocates `bytes` (16-byte aligned) in the heap; throws NnError on failure. @param {number} bytes @returns {number} */
  alloc(bytes) {
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > 0x7fffffff) throw new RangeError(`cannot allocate ${bytes} bytes`);
    const ptr = this.module._nn_wasm_alloc(bytes);
    if (!ptr) throw new NnError(Status.ERR_NOMEM, this.statusString(Status.ERR_NOMEM));
    return ptr;
  }
  /** @param {number} n @returns {HeapBuffer<Float32Array>} */
  allocF32(n) { return new HeapBuffer(this, 'f32', n); }
  /** @param {number} n @returns {HeapBuffer<Uint8Array>} */
  allocU8(n) { return new HeapBuffer(this, 'u8', n); }
  /** @param {number} n @returns {HeapBuffer<Int32Array>} */
  allocI32(n) { return new HeapBuffer(this, 'i32', n); }
  /**
   * A new heap buffer holding a copy of `arr` (kind from its type; other arrays become f32).
   * @overload
   * @param {Uint8Array} arr
   * @returns {HeapBuffer<Uint8Array>}
   */
  /**
   * @overload
   * @param {Int32Array} arr
   * @returns {HeapBuffer<Int32Array>}
   */
  /**
   * @overload
   * @param {Float32Array | ArrayLike<number>} arr
   * @returns {HeapBuffer<Float32Array>}
   */
  /**
   * @param {Uint8Array | Int32Array | Float32Array | ArrayLike<number>} arr
   * @returns {HeapBuffer<any>}
   */
  fromArray(arr) {
    const kind = arr instanceof Uint8Array ? 'u8' : arr instanceof Int32Array ? 'i32' : 'f32';
    return new HeapBuffer(this, kind, arr.length).set(arr);
  }
  /** The core's sentence for a status code (nn_status_str). @param {number} status @returns {string} */
  statusString(status) {
    return this.cString(this.module._nn_status_str(status));
  }
  /** @param {number} ptr A NUL-terminated UTF-8 string in the heap. */
  cString(ptr) {
    const heap = this.module.HEAPU8;
    let end = ptr;
    while (heap[end] !== 0) end++;
    return new TextDecoder().decode(heap.subarray(ptr, end));
  }
  /** Throws NnError for a negative status; returns it otherwise. @param {number} status @returns {number} */
  check(status) {
    if (status < 0) throw new NnError(status, this.statusString(status));
    return status;
  }
  /** nn_check_config / nn_check_layers: Status.OK or the first problem; never throws. @param {ModelSpec | LayersSpec} spec @returns {number} */
  checkConfig(spec) {
    if ('layers' in spec) return this.checkLayers(spec);
    return withConfig(this, spec, (sizes, acts, loss, maxBatch) =>
      this.module._nn_check_config(spec.sizes.length - 1, sizes, acts, loss, maxBatch));
  }
  /** nn_check_layers: Status.OK or the first problem; never throws. @param {LayersSpec} spec @returns {number} */
  checkLayers(spec) {
    return withLayers(this, spec, (n, desc, shape, loss, maxBatch) =>
      this.module._nn_check_layers(n, desc, shape, loss, maxBatch));
  }
  /**
   * The model editor's plan (nn_plan_layers): each layer's output shape
   * [c, h, w] and parameter count, or the first refused layer with the
   * core's status and sentence. Never throws for a bad spec.
   * @param {LayerSpec[]} layers @param {number | number[]} input [c, h, w] or a flat size
   * @returns {LayerPlan}
   */
  planLayers(layers, input) {
    const count = Array.isArray(layers) ? Math.min(layers.length, Limits.MAX_LAYERS) : 0;
    const out = this.allocI32(Math.max(count, 1) * Limits.PLAN_INTS + 1);
    try {
      const badAt = out.ptr + 4 * Math.max(count, 1) * Limits.PLAN_INTS;
      const status = withLayers(this, { layers, input, loss: 0 }, (n, desc, shape) =>
        this.module._nn_plan_layers(n, desc, shape, out.ptr, badAt));
      const v = out.view();
      if (status !== Status.OK) {
        return { ok: false, layer: /** @type {number} */ (v[v.length - 1]), status, message: this.statusString(status) };
      }
      return {
        ok: true,
        layers: Array.from({ length: count }, (_, l) => {
          const o = l * Limits.PLAN_INTS;
          return { shape: /** @type {[number, number, number]} */ ([v[o] ?? 0, v[o + 1] ?? 0, v[o + 2] ?? 0]), params: v[o + 3] ?? 0 };
        }),
      };
    } finally {
      out.free();
    }
  }
  /** A new model from sizes (ModelSpec) or layer descriptors (LayersSpec); throws NnError (message from the core) for an invalid spec. @param {ModelSpec | LayersSpec} spec @returns {Model} */
  createModel(spec) {
    return new Model(this, spec);
  }
  /**
   * dst[i*rowLen+j] = src[idx[i]*rowLen+j] * scale; idx null means rows 0..n-1.
   * src holds srcRows rows. Throws NnError on bad arguments.
   * @param {HeapRef} dst @param {HeapRef} src @param {number} srcRows @param {HeapRef | null} idx
   * @param {number} n @param {number} rowLen @param {number} scale @returns {number}
   */
  gatherU8(dst, src, srcRows, idx, n, rowLen, scale) {
    return this.check(this.module._nn_gather_u8(ptrOf(dst), ptrOf(src), srcRows, idx ? ptrOf(idx) : 0, n, rowLen, scale));
  }
}

/** @param {unknown} ref @returns {number} */
function ptrOf(ref) {
  if (ref && typeof (/** @type {HeapRef} */ (ref)).ptr === 'number') return /** @type {HeapRef} */ (ref).ptr;
  throw new TypeError('expected a heap buffer (or buffer.at(i))');
}

/**
 * Writes sizes/activations into the heap for one call, then frees them.
 * @template R
 * @param {Engine} engine @param {ModelSpec} spec
 * @param {(sizes: number, acts: number, loss: number, maxBatch: number) => R} fn
 * @returns {R | number}
 */
function withConfig(engine, spec, fn) {
  const sizes = Array.isArray(spec.sizes) ? spec.sizes : [];
  const acts = Array.isArray(spec.activations) ? spec.activations : [];
  const n = Math.max(sizes.length, 1);
  const s = engine.allocI32(n);
  const a = engine.allocI32(Math.max(acts.length, n));
  try {
    s.set(sizes.map(intValue));
    a.set(acts.map((v) => enumValue(ACTIVATION_NAMES, v)));
    if (sizes.length < 2 || acts.length !== sizes.length - 1) return Status.ERR_LAYERS;
    return fn(s.ptr, a.ptr, enumValue(LOSS_NAMES, spec.loss), intValue(spec.maxBatch ?? 256));
  } finally {
    s.free();
    a.free();
  }
}

/**
 * The descriptor ints of one layer (NN_DESC_INTS).
 * @param {LayerSpec} layer @returns {number[]}
 */
function descriptor(layer) {
  const desc = new Array(Limits.DESC_INTS).fill(0);
  desc[0] = enumValue(LAYER_KIND_NAMES, layer?.kind ?? 'dense');
  // a dense layer without units gets -1 (refused); a kind without ints (flatten) none
  const ints = Array.isArray(layer?.ints) ? layer.ints
    : layer?.units !== undefined || desc[0] === LayerKind.DENSE ? [layer?.units] : [];
  desc[1] = enumValue(ACTIVATION_NAMES, layer?.activation);
  ints.slice(0, Limits.DESC_INTS - 2).forEach((v, i) => { desc[2 + i] = intValue(v); });
  // more ints than the descriptor holds: an impossible value the core rejects
  if (ints.length > Limits.DESC_INTS - 2) desc[Limits.DESC_INTS - 1] = -1;
  return desc;
}

/**
 * Writes descriptors and the input shape into the heap for one call, then frees them.
 * @template R
 * @param {Engine} engine @param {LayersSpec} spec
 * @param {(n: number, desc: number, shape: number, loss: number, maxBatch: number) => R} fn
 * @returns {R}
 */
function withLayers(engine, spec, fn) {
  const layers = Array.isArray(spec.layers) ? spec.layers : [];
  const input = typeof spec.input === 'number' ? [spec.input, 1, 1] : Array.isArray(spec.input) ? spec.input : [];
  const shape = [0, 1, 2].map((i) => intValue(input.length === 3 ? input[i] : -1));
  const d = engine.allocI32(Math.max(layers.length, 1) * Limits.DESC_INTS);
  const s = engine.allocI32(3);
  try {
    d.set(layers.flatMap(descriptor));
    s.set(shape);
    // at most NN_MAX_LAYERS + 1 reaches the core, which reports the count
    return fn(Math.min(layers.length, Limits.MAX_LAYERS + 1), d.ptr, s.ptr, enumValue(LOSS_NAMES, spec.loss), intValue(spec.maxBatch ?? 256));
  } finally {
    d.free();
    s.free();
  }
}

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
   * @param {string} name @param {FloatArg | null | undefined} value @returns {number}
   */
  arg(name, value) {
    if (value && typeof (/** @type {HeapRef} */ (value)).ptr === 'number') return /** @type {HeapRef} */ (value).ptr;
    const arr = value instanceof Float32Array ? value : Float32Array.from(/** @type {ArrayLike<number>} */ (value ?? []));
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
    return this.lossResult(this.module._nn_train_step(this.h(), this.arg('x', x), this.arg('y', y), batch));
  }
  /** One pass over n rows in steps of `batch`, in `order` (indices) or 0..n-1. Returns the mean step loss.
   * @param {FloatArg} x @param {FloatArg} y @param {number} n
   * @param {HeapRef | Int32Array | ArrayLike<number> | null | undefined} order @param {number} batch */
  trainEpoch(x, y, n, order, batch) {
    const orderPtr = order == null ? 0 : 'ptr' in order && typeof order.ptr === 'number' ? order.ptr : this.intArg(/** @type {ArrayLike<number>} */ (order));
    return this.lossResult(this.module._nn_train_epoch(this.h(), this.arg('x', x), this.arg('y', y), n, orderPtr, batch));
  }
  /** @param {ArrayLike<number>} values @returns {number} */
  intArg(values) {
    const arr = values instanceof Int32Array ? values : Int32Array.from(values);
    return this.outI32('order', arr.length).set(arr).ptr;
  }
  /** Forward + backward, no update; then read grads(). Returns the loss. @param {FloatArg} x @param {FloatArg} y @param {number} batch */
  computeGradients(x, y, batch) {
    return this.lossResult(this.module._nn_compute_gradients(this.h(), this.arg('x', x), this.arg('y', y), batch));
  }
  /**
   * The first third of trainStep: forward in training mode on `batch` rows
   * (1..maxBatch, copied into the core), keeping every layer's activations
   * for backward()/backwardFrom(). Any other call that runs the network ends
   * that state.
   * @param {FloatArg} x [batch x inputs] @param {number} batch
   */
  forwardTrain(x, batch) {
    if (this.module._nn_forward_train(this.h(), this.arg('x', x), batch) !== Status.OK) this.fail();
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
   * One example, every layer shown (nn_explain): pre-activation, activation
   * and delta dL/dz per layer, and dL/dx. Off the hot path: it overwrites
   * grads(), never the parameters.
   * @param {FloatArg} x [inputs] @param {FloatArg} y [outputs] @returns {Explanation}
   */
  explain(x, y) {
    const total = this.module._nn_explain_floats(this.h());
    const dst = this.out('explain', total);
    if (this.module._nn_explain(this.h(), this.arg('x', x), this.arg('y', y), dst.ptr) !== Status.OK) this.fail();
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
    if (this.module._nn_finite_difference(this.h(), intValue(index), this.arg('x', x), this.arg('y', y), n, out.ptr) !== Status.OK) this.fail();
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
    if (this.module._nn_forward(this.h(), this.arg('x', x), n, ptrOf(dst)) !== Status.OK) this.fail();
    return out ? out : /** @type {HeapBuffer<Float32Array>} */ (dst).view().slice(0, n * this.outputs);
  }
  /** Every layer's outputs, one Float32Array [n x sizes[l+1]] per layer. @param {FloatArg} x @param {number} n @returns {Float32Array[]} */
  forwardAll(x, n) {
    const widths = this.sizes.slice(1);
    const total = widths.reduce((s, w) => s + n * w, 0);
    const dst = this.out('all', total);
    if (this.module._nn_forward_all(this.h(), this.arg('x', x), n, dst.ptr) !== Status.OK) this.fail();
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
    if (this.module._nn_evaluate(this.h(), this.arg('x', x), this.arg('y', y), n, r, r + 4) !== Status.OK) this.fail();
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

/** Instantiates the module from its Emscripten factory and checks its ABI version (throws on a mismatch).
 *  Node: createEngine(require('build/node/nn.cjs'), { wasmBinary: bytes }).
 * @param {ModuleFactory} factory @param {Record<string, unknown>} [moduleOptions] @returns {Promise<Engine>} */
export async function createEngine(factory, moduleOptions = {}) {
  const module = await factory(moduleOptions);
  const version = module._nn_abi_version();
  if (version !== ABI_VERSION) {
    throw new Error(`WASM module ABI version ${version} does not match the wrapper's ${ABI_VERSION}; rebuild with "bash build.sh wasm"`);
  }
  return new Engine(module);
}
