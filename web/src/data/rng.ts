// Seeded random numbers for the dataset generators.
// Only integer ops, + - * / and Math.floor are used, which IEEE 754 and
// ECMAScript define exactly, so a (seed, call sequence) gives bit-identical
// numbers in every JavaScript engine, not just in V8.

/** A seeded generator: next() returns a float in [0, 1). */
export interface Rng {
  next(): number;
}

/** mulberry32: a 32-bit state, period 2^32; plenty for a few thousand points. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** Uniform float in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** Integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/** Approximately standard normal: the Irwin–Hall sum of 12 uniforms minus 6
 *  (mean 0, variance 1, tails cut at ±6). Chosen over Box–Muller because it
 *  needs no Math.log/Math.cos, whose last bits differ between engines. */
export function gaussian(rng: Rng): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += rng.next();
  return sum - 6;
}

/** Fisher–Yates shuffle of 0..n-1. */
export function permutation(rng: Rng, n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
