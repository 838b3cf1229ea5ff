// @ts-check
// The sequence lab's data: seeded batches for each task, as the flat arrays
// the core trains on (x: batch x T x F, y: batch x T x V, PyTorch's
// batch_first order). Plain JavaScript so the Node tests load it.
//
// - waves: one feature per step, the signal (plus noise) at t; the target is
//   the clean signal at t + 1 (MSE). Each sequence starts at a random
//   phase. Sines come from data/detmath.js: the same bits in every engine.
// - memory: a random bit per step, one-hot (F = 2); the target at t is the
//   bit at t - k (class 0 before step k, which the accuracy leaves out).
// - names, text: a stream of symbol indices (names joined by '.', or the
//   book); a sequence is a window of T + 1 symbols at a random place, input
//   one-hot s[t], target one-hot s[t + 1] (cross-entropy).
import { createRng, gaussian, permutation, randomInt } from '../../lib/rng.js';
import { detSin, TWO_PI } from '../../data/detmath.js';

/** Batches in an "epoch" of generated data (waves, memory), which never runs out. */
export const GENERATED_EPOCH_STEPS = 100;

/**
 * Batches per epoch at this batch size.
 * @param {{ trainSymbols: number | null }} data @param {number} seqLen @param {number} batchSize
 */
export function stepsPerEpoch(data, seqLen, batchSize) {
  return data.trainSymbols === null ? GENERATED_EPOCH_STEPS : Math.max(1, Math.ceil(data.trainSymbols / (seqLen * batchSize)));
}

/** Validation windows of a character task: the whole names validation set at 32 steps, 8k characters of the book. */
const CHAR_VAL_ROWS = 256;

/** Steps per wave period, per kind: slow enough to see, fast enough to learn. */
const PERIOD = 16;

/**
 * The clean signal at phase `u` (in periods).
 * @param {'sine' | 'sines' | 'square' | 'sawtooth'} wave @param {number} u
 */
export function waveValue(wave, u) {
  const frac = u - Math.floor(u);
  switch (wave) {
    case 'sine': return detSin(TWO_PI * u);
    case 'sines': return 0.6 * detSin(TWO_PI * u) + 0.4 * detSin(TWO_PI * u * 2.7 + 1);
    case 'square': return frac < 0.5 ? 0.8 : -0.8;
    case 'sawtooth': return 1.6 * frac - 0.8;
  }
}

/**
 * @typedef {object} Batch
 * @property {Float32Array} x batch x T x F
 * @property {Float32Array} y batch x T x V
 * @property {number} rows
 */

/**
 * @typedef {object} TaskData
 * @property {number} features F, values per input step
 * @property {number} outputs V, values per output step
 * @property {'mse' | 'ce'} loss
 * @property {number | null} trainSymbols symbols in the training stream (an epoch covers them once), or
 *   null for generated data (an epoch is GENERATED_EPOCH_STEPS batches)
 * @property {(rows: number) => Batch} batch the next training batch
 * @property {Batch} val the fixed validation set
 * @property {string} [vocab] the symbols (character tasks)
 */

/**
 * @param {{ task: 'waves' | 'memory' | 'names' | 'text', seqLen: number, batchSize: number, seed: number,
 *           wave: 'sine' | 'sines' | 'square' | 'sawtooth', noise: number, delay: number }} c
 * @param {{ vocab: string, train: Uint8Array, val: Uint8Array } | null} stream the symbols (names, text)
 * @returns {TaskData}
 */
export function createTaskData(c, stream) {
  const T = c.seqLen;
  const rng = createRng((c.seed ^ 0x5eed5eed) >>> 0);
  const valRows = 64;
  switch (c.task) {
    case 'waves': {
      const make = (/** @type {import('../../lib/rng.js').Rng} */ r, /** @type {number} */ rows) => {
        const x = new Float32Array(rows * T);
        const y = new Float32Array(rows * T);
        for (let b = 0; b < rows; b++) {
          const phase = r.next();
          for (let t = 0; t < T; t++) {
            x[b * T + t] = waveValue(c.wave, phase + t / PERIOD) + (c.noise > 0 ? c.noise * gaussian(r) : 0);
            y[b * T + t] = waveValue(c.wave, phase + (t + 1) / PERIOD);
          }
        }
        return { x, y, rows };
      };
      return { features: 1, outputs: 1, loss: 'mse', trainSymbols: null, batch: (rows) => make(rng, rows), val: make(createRng(c.seed + 7919), valRows) };
    }
    case 'memory': {
      const k = Math.min(c.delay, T - 1);
      const make = (/** @type {import('../../lib/rng.js').Rng} */ r, /** @type {number} */ rows) => {
        const x = new Float32Array(rows * T * 2);
        const y = new Float32Array(rows * T * 2);
        const bits = new Uint8Array(T);
        for (let b = 0; b < rows; b++) {
          for (let t = 0; t < T; t++) {
            bits[t] = r.next() < 0.5 ? 0 : 1;
            x[(b * T + t) * 2 + /** @type {number} */ (bits[t])] = 1;
            y[(b * T + t) * 2 + (t >= k ? /** @type {number} */ (bits[t - k]) : 0)] = 1;
          }
        }
        return { x, y, rows };
      };
      return { features: 2, outputs: 2, loss: 'ce', trainSymbols: null, batch: (rows) => make(rng, rows), val: make(createRng(c.seed + 7919), 256) };
    }
    case 'names':
    case 'text': {
      if (!stream) throw new Error(`the ${c.task} data is not loaded`);
      const V = stream.vocab.length;
      const window = (/** @type {Uint8Array} */ s, /** @type {number} */ start, /** @type {Float32Array} */ x, /** @type {Float32Array} */ y, /** @type {number} */ b) => {
        for (let t = 0; t < T; t++) {
          x[(b * T + t) * V + /** @type {number} */ (s[start + t])] = 1;
          y[(b * T + t) * V + /** @type {number} */ (s[start + t + 1])] = 1;
        }
      };
      const pick = (/** @type {Uint8Array} */ s, /** @type {(n: number) => number} */ at, /** @type {number} */ rows) => {
        if (s.length < T + 1) throw new Error(`the ${c.task} data has fewer than ${T + 1} symbols`);
        const x = new Float32Array(rows * T * V);
        const y = new Float32Array(rows * T * V);
        for (let b = 0; b < rows; b++) window(s, at(b), x, y, b);
        return { x, y, rows };
      };
      const span = stream.train.length - T;
      // Validation: evenly spaced windows over the validation stream (the same every run), without overlap.
      const valSpan = stream.val.length - T;
      const nVal = Math.max(1, Math.min(CHAR_VAL_ROWS, Math.floor(valSpan / T)));
      return {
        features: V, outputs: V, loss: 'ce', vocab: stream.vocab,
        trainSymbols: stream.train.length,
        batch: (rows) => pick(stream.train, () => randomInt(rng, span), rows),
        val: pick(stream.val, (b) => Math.floor((b * valSpan) / nVal), nVal),
      };
    }
  }
}

/**
 * Names as one stream of symbol indices, each name framed by the boundary
 * symbol (index 0): ".anna.bob.", in a seeded order.
 * @param {string[]} names @param {string} vocab @param {number} seed @returns {Uint8Array}
 */
export function namesStream(names, vocab, seed) {
  const order = permutation(createRng(seed >>> 0), names.length);
  const text = `.${Array.from(order, (i) => names[i]).join('.')}.`;
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = vocab.indexOf(/** @type {string} */ (text[i]));
  return out;
}

/**
 * A symbol drawn from probabilities `p` at temperature `temp`: p^(1/temp),
 * renormalised (temp 1: p itself; towards 0: the most likely symbol).
 * @param {ArrayLike<number>} p @param {number} temp @param {() => number} next uniform in [0, 1)
 * @returns {number}
 */
export function sampleIndex(p, temp, next) {
  const w = new Float64Array(p.length);
  let max = 0;
  for (let i = 0; i < p.length; i++) max = Math.max(max, /** @type {number} */ (p[i]));
  if (!(max > 0)) return 0;
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    // Relative to the largest, so a low temperature does not underflow to all zeros.
    const v = /** @type {number} */ (p[i]) / max;
    w[i] = v > 0 ? Math.pow(v, 1 / temp) : 0;
    sum += /** @type {number} */ (w[i]);
  }
  let u = next() * sum;
  for (let i = 0; i < w.length; i++) {
    u -= /** @type {number} */ (w[i]);
    if (u < 0) return i;
  }
  return w.length - 1;
}

/**
 * Per-step accuracy of per-step class outputs against one-hot targets,
 * over `rows` sequences: fraction correct at each step (argmax).
 * @param {Float32Array} out rows x T x V @param {Float32Array} y rows x T x V
 * @param {number} rows @param {number} T @param {number} V @returns {Float64Array}
 */
export function accuracyPerStep(out, y, rows, T, V) {
  const acc = new Float64Array(T);
  for (let b = 0; b < rows; b++) {
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * V;
      let best = 0;
      let truth = 0;
      for (let v = 1; v < V; v++) {
        if (/** @type {number} */ (out[o + v]) > /** @type {number} */ (out[o + best])) best = v;
        if (/** @type {number} */ (y[o + v]) > /** @type {number} */ (y[o + truth])) truth = v;
      }
      if (best === truth) acc[t] = /** @type {number} */ (acc[t]) + 1 / rows;
    }
  }
  return acc;
}
