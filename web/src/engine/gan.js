// @ts-check
// gan.js — the one GAN trainer of the labs, the Node tests and the
// benchmarks: a generator G and a discriminator D on one engine, trained
// against each other by the core's GAN steps (nn_gan_step_d / _g), with the
// noise drawn here from a seeded generator so a configuration and seed give
// the same bits everywhere. Real data comes from the caller, one batch at a
// time. Plain JavaScript so Node loads it as it is.
import { createRng, gaussian } from '../lib/rng.js';
import { Status } from './enums.js';

/** @typedef {import('./nn-wasm.js').Engine} Engine */
/** @typedef {import('./nn-wasm.js').Model} Model */
/** @typedef {import('./nn-wasm.js').LayerSpec} LayerSpec */
/** @typedef {import('./nn-wasm.js').GanStats} GanStats */
/** @typedef {import('./enums.js').OptimizerName} OptimizerName */
/** @typedef {'uniform' | 'gaussian'} NoiseKind */
/** @typedef {'bce' | 'least_squares'} GanLossName */
/**
 * One network's optimizer.
 * @typedef {{ kind: OptimizerName, lr: number, beta1?: number, beta2?: number }} GanOptimizer
 */
/**
 * A GAN: the noise, both networks (G's input is the noise, D's output one
 * linear unit), the loss, each network's optimizer, and how many D and G
 * steps make one iteration.
 * @typedef {object} GanSpec
 * @property {number} noiseDim Noise values per sample (G's input size).
 * @property {NoiseKind} noise Uniform in [-1, 1) or standard normal.
 * @property {number | number[]} sampleShape A sample's shape, D's input (flat size or [c, h, w]).
 * @property {LayerSpec[]} generator G's layers; the last one's output size is the sample's.
 * @property {LayerSpec[]} discriminator D's layers; the last is one linear unit.
 * @property {GanLossName} loss
 * @property {GanOptimizer} optG
 * @property {GanOptimizer} optD
 * @property {number} batch Real and generated rows per step.
 * @property {number} dSteps D steps per iteration (0..).
 * @property {number} gSteps G steps per iteration (0..).
 * @property {number} seed Weights (G: seed, D: seed + 1) and the noise stream.
 * @property {number} [maxRows] Most rows generate, judge and pushes take at once (default: the batch; a lab's views need more).
 */

/** Fills `out` with noise of `kind` from rng. @param {{ next(): number }} rng @param {NoiseKind} kind @param {Float32Array} out */
export function fillNoise(rng, kind, out) {
  if (kind === 'gaussian') for (let i = 0; i < out.length; i++) out[i] = gaussian(rng);
  else for (let i = 0; i < out.length; i++) out[i] = 2 * rng.next() - 1;
  return out;
}

/** The noise stream's seed, apart from the weights' (both derive from the one seed). @param {number} seed */
export const noiseSeed = (seed) => (seed ^ 0x5bd1e995) >>> 0;

export class GanPair {
  /** @param {Engine} engine @param {GanSpec} spec */
  constructor(engine, spec) {
    this.spec = spec;
    const maxBatch = Math.max(1, spec.batch);
    const maxRows = Math.max(maxBatch, spec.maxRows ?? 0);
    /** @type {Model} */
    this.g = engine.createModel({ input: spec.noiseDim, layers: spec.generator, loss: 'mse', seed: spec.seed >>> 0, maxBatch: maxRows });
    try {
      /** @type {Model} */
      this.d = engine.createModel({ input: spec.sampleShape, layers: spec.discriminator, loss: 'mse', seed: (spec.seed + 1) >>> 0, maxBatch: Math.max(2 * maxBatch, maxRows) });
    } catch (err) {
      this.g.destroy();
      throw err;
    }
    this.setOptimizers(spec.optG, spec.optD);
    this.rng = createRng(noiseSeed(spec.seed));
    this.noise = new Float32Array(maxBatch * spec.noiseDim);
    this.iterations = 0;
    this.dStepsDone = 0;
    this.gStepsDone = 0;
  }

  /** @param {GanOptimizer} optG @param {GanOptimizer} optD */
  setOptimizers(optG, optD) {
    this.g.setOptimizer(optG.kind, { lr: optG.lr, beta1: optG.beta1 ?? (optG.kind === 'adam' ? 0.5 : 0.9), beta2: optG.beta2 ?? 0.999 });
    this.d.setOptimizer(optD.kind, { lr: optD.lr, beta1: optD.beta1 ?? (optD.kind === 'adam' ? 0.5 : 0.9), beta2: optD.beta2 ?? 0.999 });
    this.spec = { ...this.spec, optG, optD };
  }

  /**
   * Training settings that keep both networks' weights (the lab's live
   * settings): the loss, and D and G steps per iteration.
   * @param {{ loss?: GanLossName, dSteps?: number, gSteps?: number }} patch
   */
  setTraining(patch) {
    this.spec = { ...this.spec, ...patch };
  }

  /** A fresh batch of noise from the pair's stream (a view, valid until the next call). */
  nextNoise() {
    return fillNoise(this.rng, this.spec.noise, this.noise);
  }

  /** One D step on `real` [batch x sample] and fresh noise. @param {Float32Array} real @returns {GanStats} */
  stepD(real) {
    const s = this.d.ganStepD(this.g, real, this.nextNoise(), this.spec.batch, this.spec.loss);
    this.dStepsDone++;
    return s;
  }

  /** One G step on fresh noise. @returns {GanStats} */
  stepG() {
    const s = this.g.ganStepG(this.d, this.nextNoise(), this.spec.batch, this.spec.loss);
    this.gStepsDone++;
    return s;
  }

  /**
   * One iteration: dSteps D steps (each on a new real batch from nextReal),
   * then gSteps G steps; `which` limits it to one network (the lab's "step D
   * only" / "step G only"). The last D and G stats, or null for a network
   * that did not step; diverged: a step reported Status.ERR_DIVERGED.
   * @param {() => Float32Array} nextReal @param {'both' | 'd' | 'g'} [which]
   */
  iterate(nextReal, which = 'both') {
    /** @type {GanStats | null} */
    let d = null;
    /** @type {GanStats | null} */
    let g = null;
    let diverged = false;
    const dSteps = which === 'g' ? 0 : which === 'd' ? Math.max(1, this.spec.dSteps) : this.spec.dSteps;
    const gSteps = which === 'd' ? 0 : which === 'g' ? Math.max(1, this.spec.gSteps) : this.spec.gSteps;
    for (let i = 0; i < dSteps && !diverged; i++) {
      d = this.stepD(nextReal());
      diverged = d.status === Status.ERR_DIVERGED;
    }
    for (let i = 0; i < gSteps && !diverged; i++) {
      g = this.stepG();
      diverged = g.status === Status.ERR_DIVERGED;
    }
    this.iterations++;
    return { d, g, diverged };
  }

  /** G's samples of `noise` [n x noiseDim]. @param {Float32Array} noise @param {number} n */
  generate(noise, n) {
    return this.g.forward(noise, n);
  }

  /** D's raw outputs (logits under BCE) for n samples. @param {Float32Array} x @param {number} n */
  judge(x, n) {
    return this.d.forward(x, n);
  }

  /** Per sample, -(gradient of its G loss): where D pushes it. @param {Float32Array} x @param {number} n */
  pushes(x, n) {
    const grad = this.d.ganSampleGrad(x, n, this.spec.loss);
    for (let i = 0; i < grad.length; i++) grad[i] = -(grad[i] ?? 0);
    return grad;
  }

  destroy() {
    this.g.destroy();
    this.d.destroy();
  }
}
