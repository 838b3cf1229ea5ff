// @ts-check
// nn-engine.js — one instance of the WASM module and its heap: Engine, heap
// buffers, NnError, and the helpers that write a network's description
// (sizes, activations, layer descriptors) into the heap for one call.
// nn-wasm.js adds class Model on top and re-exports all of this, so callers
// import from nn-wasm.js only. Typed-array views of the heap go stale when
// memory grows: every view is made fresh on use, never cached. Plain JS with
// JSDoc types checked by TypeScript, so Node loads it as it is.
//
// Engine.createModel constructs nn-wasm.js's Model: the two modules import
// each other, which ES modules allow because neither uses the other while it
// is being evaluated (only inside functions).
import { ACTIVATION_NAMES, LAYER_KIND_NAMES, LayerKind, Limits, LOSS_NAMES, Status } from './enums.js';
import { Model } from './nn-wasm.js';

/** The ABI version this wrapper speaks (core/nn.h NN_ABI_VERSION). */
export const ABI_VERSION = /** @type {7} */ (Limits.ABI_VERSION);

/** @typedef {import('./enums.js').ActivationName} ActivationName */
/** @typedef {import('./enums.js').LossName} LossName */
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
 *   dense [units] or [units, perStep] (perStep 1: on each step of a T x F x 1 sequence);
 *   rnn / lstm [hidden, returnSequences]; conv2d [outChannels, kernelH, kernelW, stride, padding];
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
export function enumValue(table, v) {
  if (typeof v === 'number') return Number.isInteger(v) ? v : -1;
  if (typeof v === 'string' && Object.hasOwn(table, v)) return /** @type {number} */ (table[v]);
  return -1;
}

/** An int for the ABI: non-integers become -1 so the core rejects them. @param {unknown} v */
export function intValue(v) {
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
export function ptrOf(ref) {
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
export function withConfig(engine, spec, fn) {
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
export function withLayers(engine, spec, fn) {
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

/**
 * Sequence layer descriptors (core/nn.h, ABI 6), for a T x F x 1 input.
 * rnn / lstm: torch.nn.RNN / LSTM(F, hidden, batch_first=True); returnSequences
 * gives every step's h (T x hidden x 1), else the last step's (hidden x 1 x 1).
 * stepDense: a dense layer on every step (T x units x 1; softmax and CE per step).
 */
export const SequenceLayers = Object.freeze({
  /** @param {number} hidden @param {{ returnSequences?: boolean }} [options] @returns {LayerSpec} */
  rnn: (hidden, { returnSequences = false } = {}) =>
    ({ kind: 'rnn', activation: 'linear', ints: [hidden, returnSequences ? 1 : 0] }),
  /** @param {number} hidden @param {{ returnSequences?: boolean }} [options] @returns {LayerSpec} */
  lstm: (hidden, { returnSequences = false } = {}) =>
    ({ kind: 'lstm', activation: 'linear', ints: [hidden, returnSequences ? 1 : 0] }),
  /** @param {number} units @param {ActivationName | number} activation @returns {LayerSpec} */
  stepDense: (units, activation) => ({ kind: 'dense', activation, ints: [units, 1] }),
});
