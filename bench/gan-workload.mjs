// @ts-check
// gan-workload.mjs — the 2-D GAN benchmark's workload (issue 14 §5), shared by our engine's
// runs (bench/gan-engine.mjs, in a browser worker and in Node), the TensorFlow.js worker
// (bench/gan-tfjs-worker.js) and the bundle the PyTorch peer reads (bench/gan-bench.mjs).
// Plain ES module, no Node or DOM APIs.
//
// GAN Lab's defaults (poloclub/ganlab, demo/ganlab.ts + ganlab.html): batch 150, 2-D uniform
// noise in [-1, 1), "1 hidden layer(s)" of 8 neurons in each network, ReLU hidden units, G's
// output tanh, D's output one unit (GAN Lab applies a sigmoid and logs, its real-sample term
// weighted by 0.95; we keep the logit and use the engine's BCE with logits), log loss, SGD lr 0.1 for both networks, 1 D step + 1 G
// step per iteration. GAN Lab's code builds one more 8x8 hidden layer than its label says
// (noise->8, then "numLayers" 8->8 layers, then 8->2): depth 'label' is the issue's
// 2-8-2 / 2-8-1 (the target), depth 'code' is what GAN Lab really trains, 2-8-8-2 / 2-8-8-1.
// The real data: a mixture of 8 Gaussians on a ring (GAN Lab's default is a Gaussian
// mixture too), a seeded pool of batches cycled in order by every peer.
import { createRng, gaussian } from '../web/src/lib/rng.js';
import { fillNoise, noiseSeed } from '../web/src/engine/gan.js';

export const BATCH = 150;
export const NOISE_DIM = 2;
export const HIDDEN = 8;
export const SEED = 14;
/** Real batches in the pool every peer cycles through. */
export const REAL_BATCHES = 64;
/** Iterations whose losses every peer records (the correctness check's trace). */
export const CHECK_ITERATIONS = 50;

/** The optimizers compared: GAN Lab's default (SGD lr 0.1), and its Adam (beta1 0.9). */
export const OPTIMIZERS = Object.freeze({
  sgd: { kind: /** @type {const} */ ('sgd'), lr: 0.1 },
  adam: { kind: /** @type {const} */ ('adam'), lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
});

/** Hidden layers per network for each depth (see the header). */
export const DEPTHS = Object.freeze({ label: 1, code: 2 });

/**
 * The GanPair spec (engine/gan.js) of a configuration.
 * @param {{ opt: keyof typeof OPTIMIZERS, depth: keyof typeof DEPTHS, loss?: 'bce' | 'least_squares' }} config
 * @returns {import('../web/src/engine/gan.js').GanSpec}
 */
export function ganSpec({ opt, depth, loss = 'bce' }) {
  const o = OPTIMIZERS[opt];
  if (!o) throw new Error(`unknown optimizer ${opt}`);
  const hidden = DEPTHS[depth];
  if (!hidden) throw new Error(`unknown depth ${depth}`);
  const relu = Array.from({ length: hidden }, () => ({ kind: /** @type {const} */ ('dense'), activation: /** @type {const} */ ('relu'), units: HIDDEN }));
  return {
    noiseDim: NOISE_DIM, noise: 'uniform', sampleShape: 2,
    generator: [...relu, { kind: 'dense', activation: 'tanh', units: 2 }],
    discriminator: [...relu, { kind: 'dense', activation: 'linear', units: 1 }],
    loss, optG: { ...o }, optD: { ...o }, batch: BATCH, dSteps: 1, gSteps: 1, seed: SEED,
  };
}

/** The pool of real batches [REAL_BATCHES x BATCH x 2]: 8 Gaussians (sd 0.05) on a ring of radius 0.7. */
export function realPool() {
  const rng = createRng(0x7ea1 + SEED);
  const out = new Float32Array(REAL_BATCHES * BATCH * 2);
  for (let i = 0; i < REAL_BATCHES * BATCH; i++) {
    const angle = (Math.floor(rng.next() * 8) * Math.PI) / 4;
    out[2 * i] = 0.7 * Math.cos(angle) + 0.05 * gaussian(rng);
    out[2 * i + 1] = 0.7 * Math.sin(angle) + 0.05 * gaussian(rng);
  }
  return out;
}

/** Real batch i of the pool (a view). @param {Float32Array} pool @param {number} i */
export function realBatch(pool, i) {
  const k = i % REAL_BATCHES;
  return pool.subarray(k * BATCH * 2, (k + 1) * BATCH * 2);
}

/**
 * GanPair's own noise stream (same seed derivation, same draws in the same order: the D step's
 * batch, then the G step's), for the peers that do not run GanPair. next() returns a fresh array.
 */
export function noiseStream(seed = SEED) {
  const rng = createRng(noiseSeed(seed));
  return { next: () => fillNoise(rng, 'uniform', new Float32Array(BATCH * NOISE_DIM)) };
}

const median = (/** @type {number[]} */ v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};
export { median };

/**
 * The PyTorch peer's bundle (bench/gan-peers-torch.py) as file name -> bytes: meta.json (the
 * weights, the optimizer, the loss), real.f32 (the pool) and noise.f32 (the noise stream's
 * first `noiseIterations` iterations: 2 batches each, the D step's then the G step's).
 * @param {{ opt: keyof typeof OPTIMIZERS, depth: keyof typeof DEPTHS, loss?: 'bce' | 'least_squares' }} config
 * @param {{ g: unknown[], d: unknown[] }} weights @param {number} noiseIterations @param {number} [checkIterations]
 * @returns {Record<string, Uint8Array>}
 */
export function torchBundleFiles(config, weights, noiseIterations, checkIterations = CHECK_ITERATIONS) {
  const spec = ganSpec(config);
  const meta = { batch: BATCH, noiseDim: NOISE_DIM, loss: spec.loss, optimizer: OPTIMIZERS[config.opt], checkIterations, weights };
  const pool = realPool();
  const stream = noiseStream(spec.seed);
  const noise = new Float32Array(2 * noiseIterations * BATCH * NOISE_DIM);
  for (let i = 0; i < 2 * noiseIterations; i++) noise.set(stream.next(), i * BATCH * NOISE_DIM);
  return {
    'meta.json': new TextEncoder().encode(JSON.stringify(meta)),
    'real.f32': new Uint8Array(pool.buffer),
    'noise.f32': new Uint8Array(noise.buffer),
  };
}
