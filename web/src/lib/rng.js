// @ts-check
// The one seeded generator of the page, the workers, the Node tests and the
// benchmarks (plain JavaScript so that plain Node loads it too).
// Only integer ops, + - * / and Math.floor are used, which IEEE 754 and
// ECMAScript define exactly, so a (seed, call sequence) gives bit-identical
// numbers in every JavaScript engine, not just in V8.

/**
 * A seeded generator: next() returns a float in [0, 1). `next` does not use
 * `this`, so it may be passed around on its own.
 * @typedef {{ next(): number }} Rng
 */

/**
 * mulberry32: a 32-bit state, period 2^32; plenty for shuffles and a few
 * thousand points.
 * @param {number} seed
 * @returns {Rng}
 */
export function createRng(seed) {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/**
 * The seed of a model's epoch shuffles, derived from its weight seed so the
 * two streams differ (every lab derives it the same way).
 * @param {number} seed
 */
export function shuffleSeed(seed) {
  return (seed ^ 0x9e3779b9) >>> 0;
}

/**
 * Uniform float in [lo, hi).
 * @param {Rng} rng @param {number} lo @param {number} hi
 */
export function uniform(rng, lo, hi) {
  return lo + (hi - lo) * rng.next();
}

/**
 * Integer in [0, n).
 * @param {Rng} rng @param {number} n
 */
export function randomInt(rng, n) {
  return Math.floor(rng.next() * n);
}

/**
 * Approximately standard normal: the Irwin–Hall sum of 12 uniforms minus 6
 * (mean 0, variance 1, tails cut at ±6). Chosen over Box–Muller because it
 * needs no Math.log/Math.cos, whose last bits differ between engines.
 * @param {Rng} rng
 */
export function gaussian(rng) {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += rng.next();
  return sum - 6;
}

/**
 * Fisher–Yates shuffle of `arr` in place.
 * @param {{ length: number, [i: number]: number }} arr
 * @param {Rng} rng
 */
export function shuffleInPlace(arr, rng) {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const t = /** @type {number} */ (arr[i]);
    arr[i] = /** @type {number} */ (arr[j]);
    arr[j] = t;
  }
}

/**
 * A shuffled 0..n-1.
 * @param {Rng} rng @param {number} n
 * @returns {Int32Array}
 */
export function permutation(rng, n) {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, rng);
  return order;
}
