// Types for nn-wasm.js, the wrapper around the C core's WebAssembly ABI
// (core/nn.h). Hand-written; keep in step with nn-wasm.js.

/** The ABI version the wrapper speaks; createEngine refuses other modules. */
export declare const ABI_VERSION: 2;

/** Activation values (nn.h nn_activation). Softmax only on the output layer. */
export declare const Activation: Readonly<{ LINEAR: 0; RELU: 1; LEAKY_RELU: 2; TANH: 3; SIGMOID: 4; SOFTMAX: 5 }>;
/** Loss values (nn.h nn_loss): MSE any output, BCE needs sigmoid, CE needs softmax. */
export declare const Loss: Readonly<{ MSE: 0; BCE: 1; CE: 2 }>;
/** Optimizer values (nn.h nn_optimizer). */
export declare const Optimizer: Readonly<{ SGD: 0; MOMENTUM: 1; ADAM: 2 }>;
/** Regularisation values (nn.h nn_regularization), on weights only. */
export declare const Regularization: Readonly<{ NONE: 0; L1: 1; L2: 2 }>;
/** Status codes (nn.h nn_status_code): 0 ok, errors negative. */
export declare const Status: Readonly<{
  OK: 0; ERR_NULL: -1; ERR_LAYERS: -2; ERR_SIZE: -3; ERR_ACTIVATION: -4; ERR_SOFTMAX_HIDDEN: -5;
  ERR_LOSS: -6; ERR_LOSS_OUTPUT: -7; ERR_TOO_LARGE: -8; ERR_BATCH: -9; ERR_NOMEM: -10;
  ERR_NONFINITE: -11; ERR_OPTIMIZER: -12; ERR_REGULARIZATION: -13; ERR_INDEX: -14; ERR_DIVERGED: -15;
}>;

export type ActivationName = 'linear' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid' | 'softmax';
export type LossName = 'mse' | 'bce' | 'ce';
export type OptimizerName = 'sgd' | 'momentum' | 'adam';
export type RegularizationName = 'none' | 'l1' | 'l2';

/** Thrown for any core error; message is the core's nn_status_str. */
export declare class NnError extends Error {
  readonly status: number;
  constructor(status: number, message: string);
}

/** Anything that points into the module heap: a HeapBuffer or buffer.at(i). */
export interface HeapRef {
  readonly ptr: number;
}

/** A block of the module heap holding `length` elements of one kind. */
export interface HeapBuffer<T extends Float32Array | Uint8Array | Int32Array> extends HeapRef {
  readonly kind: 'f32' | 'u8' | 'i32';
  readonly length: number;
  /** A fresh view; do not keep it across calls that may grow memory. */
  view(): T;
  /** Copies values in from element `offset` (default 0). Returns this. */
  set(values: ArrayLike<number>, offset?: number): this;
  /** Pointer to element `index` (0..length), e.g. the first row of a batch. */
  at(index: number): HeapRef;
  /** Returns the memory; the buffer is unusable afterwards. */
  free(): void;
}

/** Float arguments: a heap ref (used in place, no copy) or values (copied in). */
export type FloatArg = HeapRef | Float32Array | ArrayLike<number>;

export interface ModelSpec {
  /** Layer sizes, inputs first: n_layers + 1 entries, each 1..2^20. */
  sizes: number[];
  /** One activation per dense layer (n_layers entries). */
  activations: Array<ActivationName | number>;
  loss: LossName | number;
  /** Weight-initialisation seed (uint32), default 0. */
  seed?: number;
  /** Largest batch for a training step; forward/evaluate chunk by it. Default 256. */
  maxBatch?: number;
}

export interface OptimizerParams {
  /** Learning rate > 0 (default 0.01). */
  lr?: number;
  /** Momentum factor (momentum) or Adam beta1, 0 <= beta1 < 1 (default 0.9). */
  beta1?: number;
  /** Adam beta2, 0 <= beta2 < 1 (default 0.999). */
  beta2?: number;
  /** Adam epsilon > 0 (default 1e-8). */
  eps?: number;
}

/** One instance of the WASM module. */
export declare class Engine {
  /** The raw Emscripten module (_nn_* functions, HEAP* views). */
  readonly module: any;
  /** Allocates bytes (16-byte aligned) in the heap; throws NnError on failure. */
  alloc(bytes: number): number;
  allocF32(n: number): HeapBuffer<Float32Array>;
  allocU8(n: number): HeapBuffer<Uint8Array>;
  allocI32(n: number): HeapBuffer<Int32Array>;
  /** A new heap buffer holding a copy of `arr` (kind from its type; other arrays become f32). */
  fromArray(arr: Uint8Array): HeapBuffer<Uint8Array>;
  fromArray(arr: Int32Array): HeapBuffer<Int32Array>;
  fromArray(arr: Float32Array | ArrayLike<number>): HeapBuffer<Float32Array>;
  /** The core's sentence for a status code. */
  statusString(status: number): string;
  /** Throws NnError for a negative status; returns it otherwise. */
  check(status: number): number;
  /** Validates a spec without allocating a model: Status.OK or the first problem. */
  checkConfig(spec: ModelSpec): number;
  /** A new model; throws NnError (message from the core) for an invalid spec. */
  createModel(spec: ModelSpec): Model;
  /** dst[i*rowLen+j] = src[idx[i]*rowLen+j] * scale; idx null means rows 0..n-1.
   *  src holds srcRows rows. Throws NnError on bad arguments. */
  gatherU8(dst: HeapRef, src: HeapRef, srcRows: number, idx: HeapRef | null, n: number, rowLen: number, scale: number): number;
}

/** A network in the core. Methods throw NnError on invalid input; training
 *  methods do not throw on divergence: they return the non-finite loss and
 *  `status` is Status.ERR_DIVERGED (the update was skipped). */
export declare class Model {
  readonly engine: Engine;
  readonly sizes: number[];
  readonly nLayers: number;
  readonly maxBatch: number;
  readonly paramCount: number;
  readonly inputs: number;
  readonly outputs: number;
  /** Status of the last core call on this model. */
  readonly status: number;
  setOptimizer(kind: OptimizerName | number, params?: OptimizerParams): void;
  setRegularization(kind: RegularizationName | number, rate?: number): void;
  /** One update on `batch` rows (1..maxBatch); x [batch x inputs], y [batch x outputs].
   *  Returns the batch's mean loss before the update. */
  trainStep(x: FloatArg, y: FloatArg, batch: number): number;
  /** One pass over n rows in steps of `batch`, in `order` (indices) or 0..n-1.
   *  Returns the mean step loss. */
  trainEpoch(x: FloatArg, y: FloatArg, n: number, order: HeapRef | Int32Array | ArrayLike<number> | null, batch: number): number;
  /** Forward + backward, no update; then read grads(). Returns the loss. */
  computeGradients(x: FloatArg, y: FloatArg, batch: number): number;
  /** Outputs [n x outputs]: a new Float32Array, or written into `out` (returned). */
  forward(x: FloatArg, n: number): Float32Array;
  forward<R extends HeapRef>(x: FloatArg, n: number, out: R): R;
  /** Every layer's outputs, one Float32Array [n x sizes[l+1]] per layer. */
  forwardAll(x: FloatArg, n: number): Float32Array[];
  /** Mean loss and the number of correctly classified rows (nn.h rule). */
  evaluate(x: FloatArg, y: FloatArg, n: number): { loss: number; correct: number };
  /** which 0: weight [row = output unit, col = input unit]; which 1: bias (col 0). */
  getParam(layer: number, which: 0 | 1, row: number, col?: number): number;
  setParam(layer: number, which: 0 | 1, row: number, col: number, value: number): void;
  /** Copy of all parameters: per layer W [out x in] row-major, then b [out]. */
  params(): Float32Array;
  /** Copy of the gradients, same layout. */
  grads(): Float32Array;
  /** Replaces all parameters (length must be paramCount, all finite); optimizer state kept. */
  loadParams(values: Float32Array | ArrayLike<number>): void;
  /** Offsets of layer l's weights and bias inside params(). */
  layout(layer: number): { weight: number; bias: number; rows: number; cols: number };
  /** Re-initialises parameters from `seed` and clears optimizer state. */
  reset(seed: number): void;
  /** Frees the model and its scratch buffers. Safe to call twice. */
  destroy(): void;
}

/** Emscripten factory (default export of generated/nn.mjs or build/node/nn.cjs). */
export type ModuleFactory = (options?: Record<string, unknown>) => Promise<any>;

/** Instantiates the module and checks its ABI version (throws on a mismatch).
 *  Node: createEngine(require('build/node/nn.cjs'), { wasmBinary: bytes }). */
export declare function createEngine(factory: ModuleFactory, moduleOptions?: Record<string, unknown>): Promise<Engine>;
