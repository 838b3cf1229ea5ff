// Adapts the WASM wrapper (nn-wasm.js, helper A's) to the Core interface the
// session uses, and loads the browser flavour of the module.

import { createEngine, Status, type Engine, type Model } from './nn-wasm.js';
import type { Core, CoreModel, CoreModelSpec, HeapArray } from './core';

function adaptModel(m: Model): CoreModel {
  return {
    paramCount: m.paramCount,
    setOptimizer: (kind, lr, beta1, beta2, eps) => m.setOptimizer(kind, { lr, beta1, beta2, eps }),
    setRegularization: (kind, rate) => m.setRegularization(kind, rate),
    trainEpoch: (x, y, n, order, batch) => m.trainEpoch(x, y, n, order, batch),
    diverged: () => m.status === Status.ERR_DIVERGED,
    forward: (x, n, out) => { m.forward(x, n, out); },
    forwardAll: (x, n, out) => {
      const dst = out.view();
      let off = 0;
      for (const layer of m.forwardAll(x, n)) { dst.set(layer, off); off += layer.length; }
    },
    evaluate: (x, y, n) => m.evaluate(x, y, n),
    setParam: (layer, which, row, col, value) => m.setParam(layer, which, row, col, value),
    params: () => m.params(),
    loadParams: (values) => m.loadParams(values),
    reset: (seed) => m.reset(seed),
    destroy: () => m.destroy(),
  };
}

export function adaptEngine(engine: Engine, abiVersion: number): Core {
  return {
    abiVersion,
    allocF32: (n): HeapArray<Float32Array> => engine.allocF32(n),
    allocI32: (n): HeapArray<Int32Array> => engine.allocI32(n),
    createModel: (spec: CoreModelSpec) => adaptModel(engine.createModel(spec)),
  };
}

/** Loads generated/nn.mjs (+ nn.wasm, resolved by the bundler). */
export async function loadCore(): Promise<Core> {
  const mod = await import('./generated/nn.mjs');
  const factory = mod.default;
  const engine = await createEngine(factory);
  return adaptEngine(engine, engine.module._nn_abi_version());
}
