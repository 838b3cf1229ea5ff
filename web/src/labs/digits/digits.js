// @ts-check
// The digits GAN's plain-JavaScript core, shared by the lab's worker session,
// the Node tests and bench/gan-digits*.mjs: the GanPair spec of a config,
// real batches drawn from the MNIST bytes the MNIST lab loads, and pixel
// scaling. G ends in tanh, so real pixels are scaled to [-1, 1] to match.
import { createRng, randomInt } from '../../lib/rng.js';

/** @typedef {import('../../engine/gan.js').GanSpec} GanSpec */
/** @typedef {import('../../engine/nn-wasm.js').LayerSpec} LayerSpec */
/** @typedef {import('../../engine/enums.js').ActivationName} ActivationName */
/** @typedef {import('../../engine/enums.js').OptimizerName} OptimizerName */

export const DIGIT_PIXELS = 784;

/**
 * The settings the networks and the training are built from (config.ts's
 * GanDigitsConfig has these fields and more).
 * @typedef {object} DigitsGanSettings
 * @property {number} noiseDim
 * @property {'uniform' | 'gaussian'} noise
 * @property {number[]} gHidden G's hidden widths
 * @property {number[]} dHidden D's hidden widths
 * @property {ActivationName[]} gActivations G's hidden activations, one per layer
 * @property {ActivationName[]} dActivations D's hidden activations, one per layer
 * @property {'bce' | 'least_squares'} loss
 * @property {OptimizerName} gOptimizer
 * @property {number} gLearningRate
 * @property {OptimizerName} dOptimizer
 * @property {number} dLearningRate
 * @property {number} beta1 Adam's beta1, both networks
 * @property {number} batch
 * @property {number} dSteps
 * @property {number} gSteps
 * @property {number} seed
 */

/** GanPair's spec for the settings. @param {DigitsGanSettings} s @returns {GanSpec} */
export function digitsGanSpec(s) {
  /** @param {number[]} hidden @param {ActivationName[]} acts @returns {LayerSpec[]} */
  const hiddenLayers = (hidden, acts) => hidden.map((units, i) => ({ units, activation: acts[i] ?? 'leaky_relu' }));
  return {
    noiseDim: s.noiseDim,
    noise: s.noise,
    sampleShape: DIGIT_PIXELS,
    generator: [...hiddenLayers(s.gHidden, s.gActivations), { units: DIGIT_PIXELS, activation: 'tanh' }],
    discriminator: [...hiddenLayers(s.dHidden, s.dActivations), { units: 1, activation: 'linear' }],
    loss: s.loss,
    optG: { kind: s.gOptimizer, lr: s.gLearningRate, beta1: s.beta1 },
    optD: { kind: s.dOptimizer, lr: s.dLearningRate, beta1: s.beta1 },
    batch: s.batch,
    dSteps: s.dSteps,
    gSteps: s.gSteps,
    seed: s.seed,
  };
}

/** Byte pixel 0..255 to G's range [-1, 1]. */
const TO_TANH = new Float32Array(256).map((_, v) => v / 127.5 - 1);

/**
 * Random real batches from MNIST's training pixels (n x 784 bytes), scaled
 * to [-1, 1], from a seeded stream (a config and seed draw the same digits).
 */
export class RealBatches {
  /**
   * @param {() => Uint8Array} pixels the training pixels, asked for each batch (a heap view
   *   goes stale when the WebAssembly memory grows) @param {number} n @param {number} batch @param {number} seed
   */
  constructor(pixels, n, batch, seed) {
    this.pixels = pixels;
    this.n = n;
    this.rng = createRng((seed ^ 0x2545f491) >>> 0);
    this.out = new Float32Array(batch * DIGIT_PIXELS);
  }

  /** The next batch (a view, valid until the next call). */
  next() {
    const { out } = this;
    const pixels = this.pixels();
    const rows = out.length / DIGIT_PIXELS;
    for (let r = 0; r < rows; r++) {
      const src = randomInt(this.rng, this.n) * DIGIT_PIXELS;
      const dst = r * DIGIT_PIXELS;
      for (let i = 0; i < DIGIT_PIXELS; i++) out[dst + i] = /** @type {number} */ (TO_TANH[/** @type {number} */ (pixels[src + i])]);
    }
    return out;
  }
}

/** G's outputs in [-1, 1] to ink 0..1 (in place). @param {Float32Array} x */
export function toInk(x) {
  for (let i = 0; i < x.length; i++) x[i] = Math.min(1, Math.max(0, ((x[i] ?? 0) + 1) / 2));
  return x;
}

/** Drawn ink 0..1 to D's input range [-1, 1] (a copy). @param {Float32Array} ink */
export function inkToInput(ink) {
  return ink.map((v) => 2 * Math.min(1, Math.max(0, v)) - 1);
}
