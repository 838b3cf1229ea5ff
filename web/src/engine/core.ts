// The narrow slice of the WASM engine the trainer uses. Keeping it an
// interface lets session.ts stay independent of how the wrapper
// (nn-wasm.js) spells things, and keeps heap details in one adapter.

export interface HeapArray<T extends Float32Array | Int32Array> {
  /** Byte address in the module's memory. */
  readonly ptr: number;
  readonly length: number;
  /** A fresh view on the heap (memory may have grown since the last one). */
  view(): T;
  free(): void;
}

export interface CoreModel {
  readonly paramCount: number;
  setOptimizer(kind: number, lr: number, beta1: number, beta2: number, eps: number): void;
  setRegularization(kind: number, rate: number): void;
  /** One epoch over n rows in the given order; returns the mean step loss
   *  (NaN when diverged: check `diverged()`). */
  trainEpoch(x: HeapArray<Float32Array>, y: HeapArray<Float32Array>, n: number,
             order: HeapArray<Int32Array>, batch: number): number;
  diverged(): boolean;
  forward(x: HeapArray<Float32Array>, n: number, out: HeapArray<Float32Array>): void;
  forwardAll(x: HeapArray<Float32Array>, n: number, out: HeapArray<Float32Array>): void;
  evaluate(x: HeapArray<Float32Array>, y: HeapArray<Float32Array>, n: number): { loss: number; correct: number };
  setParam(layer: number, which: 0 | 1, row: number, col: number, value: number): void;
  /** A copy of the flat parameter array. */
  params(): Float32Array;
  loadParams(values: Float32Array): void;
  reset(seed: number): void;
  destroy(): void;
}

export interface CoreModelSpec {
  sizes: number[];
  /** nn_activation values, one per dense layer. */
  activations: number[];
  loss: number;
  seed: number;
  maxBatch: number;
}

export interface Core {
  readonly abiVersion: number;
  allocF32(n: number): HeapArray<Float32Array>;
  allocI32(n: number): HeapArray<Int32Array>;
  /** Throws an Error with a readable message when the spec is invalid. */
  createModel(spec: CoreModelSpec): CoreModel;
}

// nn.h enum values (part of the ABI, never reordered).
export const ACT = { linear: 0, relu: 1, leaky_relu: 2, tanh: 3, sigmoid: 4, softmax: 5 } as const;
export const LOSS = { mse: 0, bce: 1, ce: 2 } as const;
export const OPT = { sgd: 0, momentum: 1, adam: 2 } as const;
export const REG = { none: 0, l1: 1, l2: 2 } as const;
