// nn-wasm.js — the one JavaScript file that knows Emscripten's heap.
//
// Wraps the C core's ABI (core/nn.h) in an Engine (one module instance,
// heap buffers) and Model objects. Works in the browser/worker (with
// generated/nn.mjs) and in Node (with build/node/nn.cjs, passing
// { wasmBinary } because Emscripten 3.1.6's loader breaks on Node's fetch).
// Typed-array views of the heap go stale when memory grows: every view is
// made fresh on use, never cached.

/** The ABI version this wrapper speaks (core/nn.h NN_ABI_VERSION). */
export const ABI_VERSION = 2;

export const Activation = Object.freeze({ LINEAR: 0, RELU: 1, LEAKY_RELU: 2, TANH: 3, SIGMOID: 4, SOFTMAX: 5 });
export const Loss = Object.freeze({ MSE: 0, BCE: 1, CE: 2 });
export const Optimizer = Object.freeze({ SGD: 0, MOMENTUM: 1, ADAM: 2 });
export const Regularization = Object.freeze({ NONE: 0, L1: 1, L2: 2 });
export const Status = Object.freeze({
  OK: 0, ERR_NULL: -1, ERR_LAYERS: -2, ERR_SIZE: -3, ERR_ACTIVATION: -4, ERR_SOFTMAX_HIDDEN: -5,
  ERR_LOSS: -6, ERR_LOSS_OUTPUT: -7, ERR_TOO_LARGE: -8, ERR_BATCH: -9, ERR_NOMEM: -10,
  ERR_NONFINITE: -11, ERR_OPTIMIZER: -12, ERR_REGULARIZATION: -13, ERR_INDEX: -14, ERR_DIVERGED: -15,
});

const ACTIVATION_NAMES = { linear: 0, relu: 1, leaky_relu: 2, tanh: 3, sigmoid: 4, softmax: 5 };
const LOSS_NAMES = { mse: 0, bce: 1, ce: 2 };
const OPTIMIZER_NAMES = { sgd: 0, momentum: 1, adam: 2 };
const REGULARIZATION_NAMES = { none: 0, l1: 1, l2: 2 };

/** Error carrying a core status code; message is nn_status_str(status). */
export class NnError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'NnError';
    this.status = status;
  }
}

// Maps a name or a number to an enum value; unknown names become -1 so the
// core reports them (the core is the one validator).
function enumValue(table, v) {
  if (typeof v === 'number') return Number.isInteger(v) ? v : -1;
  if (typeof v === 'string' && Object.hasOwn(table, v)) return table[v];
  return -1;
}

const KINDS = {
  f32: { bytes: 4, heap: 'HEAPF32', Array: Float32Array },
  u8: { bytes: 1, heap: 'HEAPU8', Array: Uint8Array },
  i32: { bytes: 4, heap: 'HEAP32', Array: Int32Array },
};

/** A block of the module's heap: ptr (bytes), length (elements). */
class HeapBuffer {
  constructor(engine, kind, length) {
    this.engine = engine;
    this.kind = kind;
    this.length = length;
    this.ptr = engine.alloc(length * KINDS[kind].bytes);
  }
  /** A fresh typed-array view (memory may have grown since the last one). */
  view() {
    if (!this.ptr) throw new Error('heap buffer used after free()');
    const k = KINDS[this.kind];
    return new k.Array(this.engine.module[k.heap].buffer, this.ptr, this.length);
  }
  /** Copies `values` in, starting at element `offset`. */
  set(values, offset = 0) {
    this.view().set(values, offset);
    return this;
  }
  /** A pointer to element `index`, for passing a slice (e.g. a batch of rows). */
  at(index) {
    if (!Number.isInteger(index) || index < 0 || index > this.length) throw new RangeError(`index ${index} outside 0..${this.length}`);
    return { ptr: this.ptr + index * KINDS[this.kind].bytes };
  }
  free() {
    if (this.ptr) this.engine.module._nn_wasm_free(this.ptr);
    this.ptr = 0;
  }
}

/** One instance of the WASM module. */
export class Engine {
  constructor(module) {
    this.module = module;
  }
  /** Allocates `bytes` (16-byte aligned); throws on failure. */
  alloc(bytes) {
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > 0x7fffffff) throw new RangeError(`cannot allocate ${bytes} bytes`);
    const ptr = this.module._nn_wasm_alloc(bytes);
    if (!ptr) throw new NnError(Status.ERR_NOMEM, this.statusString(Status.ERR_NOMEM));
    return ptr;
  }
  allocF32(n) { return new HeapBuffer(this, 'f32', n); }
  allocU8(n) { return new HeapBuffer(this, 'u8', n); }
  allocI32(n) { return new HeapBuffer(this, 'i32', n); }
  /** Copies a typed array into a new heap buffer of the matching kind. */
  fromArray(arr) {
    const kind = arr instanceof Uint8Array ? 'u8' : arr instanceof Int32Array ? 'i32' : 'f32';
    return new HeapBuffer(this, kind, arr.length).set(arr);
  }
  /** nn_status_str as a JS string. */
  statusString(status) {
    return this.cString(this.module._nn_status_str(status));
  }
  cString(ptr) {
    const heap = this.module.HEAPU8;
    let end = ptr;
    while (heap[end] !== 0) end++;
    return new TextDecoder().decode(heap.subarray(ptr, end));
  }
  /** Throws NnError for a negative status; returns it otherwise. */
  check(status) {
    if (status < 0) throw new NnError(status, this.statusString(status));
    return status;
  }
  /** nn_check_config: 0 or a negative status; never throws. */
  checkConfig(spec) {
    return withConfig(this, spec, (sizes, acts, loss, maxBatch) =>
      this.module._nn_check_config(spec.sizes.length - 1, sizes, acts, loss, maxBatch));
  }
  createModel(spec) {
    return new Model(this, spec);
  }
  /** dst rows (floats) = src rows (bytes) * scale, rows chosen by idx (or 0..n-1). */
  gatherU8(dst, src, srcRows, idx, n, rowLen, scale) {
    return this.check(this.module._nn_gather_u8(ptrOf(dst), ptrOf(src), srcRows, idx ? ptrOf(idx) : 0, n, rowLen, scale));
  }
}

function ptrOf(ref) {
  if (ref && typeof ref.ptr === 'number') return ref.ptr;
  throw new TypeError('expected a heap buffer (or buffer.at(i))');
}

// Writes sizes/activations into the heap for one call, then frees them.
function withConfig(engine, spec, fn) {
  const sizes = Array.isArray(spec.sizes) ? spec.sizes : [];
  const acts = Array.isArray(spec.activations) ? spec.activations : [];
  const n = Math.max(sizes.length, 1);
  const s = engine.allocI32(n);
  const a = engine.allocI32(Math.max(acts.length, n));
  try {
    s.set(sizes.map((v) => (Number.isInteger(v) ? v : -1)));
    a.set(acts.map((v) => enumValue(ACTIVATION_NAMES, v)));
    if (sizes.length < 2 || acts.length !== sizes.length - 1) return Status.ERR_LAYERS;
    const maxBatch = spec.maxBatch ?? 256;
    return fn(s.ptr, a.ptr, enumValue(LOSS_NAMES, spec.loss), Number.isInteger(maxBatch) ? maxBatch : -1);
  } finally {
    s.free();
    a.free();
  }
}

/** A network owned by the core. Call destroy() when done. */
export class Model {
  constructor(engine, spec) {
    this.engine = engine;
    this.module = engine.module;
    const status = engine.checkConfig(spec);
    if (status !== Status.OK) throw new NnError(status, engine.statusString(status));
    this.handle = withConfig(engine, spec, (sizes, acts, loss, maxBatch) =>
      this.module._nn_create(spec.sizes.length - 1, sizes, acts, loss, (spec.seed ?? 0) >>> 0, maxBatch));
    if (!this.handle) throw new NnError(Status.ERR_NOMEM, engine.statusString(Status.ERR_NOMEM));
    this.sizes = spec.sizes.slice();
    this.nLayers = this.sizes.length - 1;
    this.maxBatch = this.module._nn_max_batch(this.handle);
    this.paramCount = this.module._nn_param_count(this.handle);
    this.scratch = {}; // heap copies of typed-array arguments, grown on demand
  }
  get inputs() { return this.sizes[0]; }
  get outputs() { return this.sizes[this.nLayers]; }
  /** Status of the last call (Status.OK after a success). */
  get status() { return this.module._nn_status(this.h()); }
  h() {
    if (!this.handle) throw new Error('model used after destroy()');
    return this.handle;
  }
  fail() {
    const st = this.status;
    throw new NnError(st, this.engine.statusString(st));
  }
  // A typed array is copied into a scratch heap buffer; a heap ref is used as is.
  arg(name, value) {
    if (value && typeof value.ptr === 'number') return value.ptr;
    if (!(value instanceof Float32Array)) value = Float32Array.from(value ?? []);
    let buf = this.scratch[name];
    if (!buf || buf.length < value.length) {
      buf?.free();
      buf = this.scratch[name] = this.engine.allocF32(Math.max(value.length, 1));
    }
    buf.set(value);
    return buf.ptr;
  }
  out(name, length) {
    let buf = this.scratch[name];
    if (!buf || buf.length < length) {
      buf?.free();
      buf = this.scratch[name] = this.engine.allocF32(Math.max(length, 1));
    }
    return buf;
  }
  /** kind: Optimizer value or 'sgd' | 'momentum' | 'adam'. */
  setOptimizer(kind, { lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = {}) {
    const st = this.module._nn_set_optimizer(this.h(), enumValue(OPTIMIZER_NAMES, kind), lr, beta1, beta2, eps);
    if (st !== Status.OK) this.fail();
  }
  /** kind: Regularization value or 'none' | 'l1' | 'l2'. */
  setRegularization(kind, rate = 0) {
    const st = this.module._nn_set_regularization(this.h(), enumValue(REGULARIZATION_NAMES, kind), rate);
    if (st !== Status.OK) this.fail();
  }
  // Returns the loss; throws for bad input, but not for divergence
  // (status ERR_DIVERGED, non-finite loss) which callers handle as a state.
  lossResult(loss) {
    const st = this.status;
    if (st !== Status.OK && st !== Status.ERR_DIVERGED) this.fail();
    return loss;
  }
  trainStep(x, y, batch) {
    return this.lossResult(this.module._nn_train_step(this.h(), this.arg('x', x), this.arg('y', y), batch));
  }
  trainEpoch(x, y, n, order, batch) {
    const orderPtr = order == null ? 0 : order.ptr ?? this.intArg(order);
    return this.lossResult(this.module._nn_train_epoch(this.h(), this.arg('x', x), this.arg('y', y), n, orderPtr, batch));
  }
  intArg(values) {
    const arr = values instanceof Int32Array ? values : Int32Array.from(values);
    let buf = this.scratch.order;
    if (!buf || buf.length < arr.length) {
      buf?.free();
      buf = this.scratch.order = this.engine.allocI32(Math.max(arr.length, 1));
    }
    buf.set(arr);
    return buf.ptr;
  }
  computeGradients(x, y, batch) {
    return this.lossResult(this.module._nn_compute_gradients(this.h(), this.arg('x', x), this.arg('y', y), batch));
  }
  /** Outputs for n inputs: into `out` (a heap buffer/ref) if given, else a new Float32Array. */
  forward(x, n, out) {
    const dst = out ?? this.out('out', n * this.outputs);
    if (this.module._nn_forward(this.h(), this.arg('x', x), n, ptrOf(dst)) !== Status.OK) this.fail();
    return out ? out : dst.view().slice(0, n * this.outputs);
  }
  /** Every layer's outputs for n inputs: one Float32Array [n x sizes[l+1]] per layer. */
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
  /** { loss, correct } over n examples. */
  evaluate(x, y, n) {
    const res = this.out('eval', 2);
    const r = res.ptr;
    if (this.module._nn_evaluate(this.h(), this.arg('x', x), this.arg('y', y), n, r, r + 4) !== Status.OK) this.fail();
    const loss = this.module.HEAPF32[r >> 2];
    const correct = this.module.HEAP32[(r + 4) >> 2];
    return { loss, correct };
  }
  /** which: 0 weight (row = output unit, col = input unit), 1 bias (col 0). */
  getParam(layer, which, row, col = 0) {
    const v = this.module._nn_get_param(this.h(), layer, which, row, col);
    if (this.status !== Status.OK) this.fail();
    return v;
  }
  setParam(layer, which, row, col, value) {
    if (this.module._nn_set_param(this.h(), layer, which, row, col, value) !== Status.OK) this.fail();
  }
  /** A copy of the flat parameter array (nn.h layout). */
  params() {
    return new Float32Array(this.module.HEAPF32.buffer, this.module._nn_params(this.h()), this.paramCount).slice();
  }
  /** A copy of the gradient array (same layout), from the last step or computeGradients. */
  grads() {
    return new Float32Array(this.module.HEAPF32.buffer, this.module._nn_grads(this.h()), this.paramCount).slice();
  }
  loadParams(values) {
    if (values.length !== this.paramCount) throw new NnError(Status.ERR_INDEX, this.engine.statusString(Status.ERR_INDEX));
    if (this.module._nn_load_params(this.h(), this.arg('params', values), values.length) !== Status.OK) this.fail();
  }
  /** Offsets (in floats) of layer l's weight block [out x in] and bias [out] in params(). */
  layout(layer) {
    let off = 0;
    for (let l = 0; l < layer; l++) off += this.sizes[l] * this.sizes[l + 1] + this.sizes[l + 1];
    const w = this.sizes[layer] * this.sizes[layer + 1];
    return { weight: off, bias: off + w, rows: this.sizes[layer + 1], cols: this.sizes[layer] };
  }
  reset(seed) {
    if (this.module._nn_reset(this.h(), seed >>> 0) !== Status.OK) this.fail();
  }
  destroy() {
    if (!this.handle) return;
    this.module._nn_destroy(this.handle);
    this.handle = 0;
    for (const buf of Object.values(this.scratch)) buf.free();
    this.scratch = {};
  }
}

/** Instantiates the module from its Emscripten factory and checks the ABI version. */
export async function createEngine(factory, moduleOptions = {}) {
  const module = await factory(moduleOptions);
  const version = module._nn_abi_version();
  if (version !== ABI_VERSION) {
    throw new Error(`WASM module ABI version ${version} does not match the wrapper's ${ABI_VERSION}; rebuild with "bash build.sh wasm"`);
  }
  return new Engine(module);
}
