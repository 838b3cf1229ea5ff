// @ts-check
// gan-engine.mjs — our engine on the 2-D GAN workload (bench/gan-workload.mjs) through the
// labs' one GAN trainer, GanPair (web/src/engine/gan.js): its own seeded noise, one D step and
// one G step per iteration, each step's loss read back as the lab reads it. Plain ES module
// with no Node or DOM imports: the same code runs in a browser worker
// (bench/gan-engine-worker.mjs) and in Node (bench/gan-bench.mjs).
import { GanPair } from '../web/src/engine/gan.js';
import { CHECK_ITERATIONS, ganSpec, realBatch, realPool } from './gan-workload.mjs';

/** @typedef {import('../web/src/engine/nn-wasm.js').Engine} Engine */
/** @typedef {{ opt: 'sgd' | 'adam', depth: 'label' | 'code', loss?: 'bce' | 'least_squares' }} GanConfig */
/** Dense layers as [out x in] row-major weights and [out] biases (the core's layout). */
/** @typedef {{ rows: number, cols: number, weight: number[], bias: number[] }} DenseWeights */

/** The initial weights of both networks of `config`, as the engine creates them. @param {Engine} engine @param {GanConfig} config */
export function initialWeights(engine, config) {
  const pair = new GanPair(engine, ganSpec(config));
  try {
    /** @param {import('../web/src/engine/nn-wasm.js').Model} m @returns {DenseWeights[]} */
    const dense = (m) => {
      const p = m.params();
      return Array.from({ length: m.nLayers }, (_, l) => {
        const { weight, bias, rows, cols } = m.layout(l);
        return { rows, cols, weight: Array.from(p.subarray(weight, weight + rows * cols)), bias: Array.from(p.subarray(bias, bias + rows)) };
      });
    };
    return { g: dense(pair.g), d: dense(pair.d) };
  } finally {
    pair.destroy();
  }
}

/** Warm-up iterations at least: V8 compiles the module's hot functions again, optimised, in
 * the background during the first ~1,000-2,000 iterations (measured in Node: 0.6-1 ms of CPU
 * per iteration in the first hundreds, ~36 us from ~2,000 on). */
export const MIN_WARMUP_ITERATIONS = 3000;

/**
 * One round: checkIterations (default CHECK_ITERATIONS) iterations whose D and G losses are
 * recorded (the first is the correctness check), an untimed warm-up of `warmupSeconds` and at
 * least MIN_WARMUP_ITERATIONS, then iterations in chunks until `seconds` have passed. Returns
 * iterations, seconds (and cpuSeconds when `cpuClock`, seconds of process CPU time, is given),
 * the trace and the last losses.
 * @param {Engine} engine
 * @param {GanConfig & { seconds: number, warmupSeconds: number, checkIterations?: number, minWarmupIterations?: number, cpuClock?: () => number }} opt
 */
export function runEngineRound(engine, { seconds, warmupSeconds, checkIterations = CHECK_ITERATIONS,
  minWarmupIterations = MIN_WARMUP_ITERATIONS, cpuClock, ...config }) {
  const pair = new GanPair(engine, ganSpec(config));
  const pool = realPool();
  let k = 0;
  const nextReal = () => realBatch(pool, k++);
  try {
    /** @type {number[][]} */
    const trace = [];
    let diverged = false;
    const step = () => {
      const r = pair.iterate(nextReal);
      diverged ||= r.diverged;
      return r;
    };
    for (let i = 0; i < checkIterations; i++) {
      const r = step();
      trace.push([r.d?.loss ?? NaN, r.g?.loss ?? NaN]);
    }
    const chunk = 32;
    const t0 = performance.now();
    for (let n = 0; n < minWarmupIterations || performance.now() - t0 < warmupSeconds * 1000; n += chunk) for (let i = 0; i < chunk; i++) step();
    let iterations = 0, last = null;
    const c1 = cpuClock?.();
    const t1 = performance.now();
    let elapsed = 0;
    do {
      for (let i = 0; i < chunk; i++) last = step();
      iterations += chunk;
      elapsed = (performance.now() - t1) / 1000;
    } while (elapsed < seconds);
    const cpuSeconds = cpuClock && c1 !== undefined ? cpuClock() - c1 : undefined;
    return { iterations, seconds: elapsed, cpuSeconds, trace, last: [last?.d?.loss ?? NaN, last?.g?.loss ?? NaN], diverged, totalIterations: pair.iterations };
  } finally {
    pair.destroy();
  }
}
