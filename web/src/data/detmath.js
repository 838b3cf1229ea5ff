// @ts-check
// sin, cos and exp built from + - * / only, so generated data and input
// features are bit-identical in every JavaScript engine (Math.sin and
// Math.exp are implementation-approximated and may differ in the last bit).
// Plain JavaScript so plain Node (the sequence lab's task data) loads it too.
// Accuracy is about 1e-15 relative over the ranges used here (|x| < 100).

const TWO_PI = 6.283185307179586;
const PI = 3.141592653589793;
const HALF_PI = 1.5707963267948966;

/** Taylor series of sin on [-pi/4, pi/4]. */
/** @param {number} x */
function sinKernel(x) {
  const x2 = x * x;
  return x * (1 + x2 * (-1 / 6 + x2 * (1 / 120 + x2 * (-1 / 5040 + x2 * (1 / 362880
    + x2 * (-1 / 39916800 + x2 * (1 / 6227020800 + x2 * (-1 / 1307674368000))))))));
}

/** Taylor series of cos on [-pi/4, pi/4]. */
/** @param {number} x */
function cosKernel(x) {
  const x2 = x * x;
  return 1 + x2 * (-1 / 2 + x2 * (1 / 24 + x2 * (-1 / 720 + x2 * (1 / 40320
    + x2 * (-1 / 3628800 + x2 * (1 / 479001600 + x2 * (-1 / 87178291200)))))));
}

/** @param {number} x @returns {number} */
export function detSin(x) {
  if (!Number.isFinite(x)) return NaN;
  // Reduce to [-pi, pi], then to a quarter turn around 0, ±pi/2 or pi.
  let r = x - TWO_PI * Math.floor(x / TWO_PI + 0.5);
  const quadrant = Math.floor(r / HALF_PI + 0.5); // -2..2
  r -= quadrant * HALF_PI;
  switch (quadrant) {
    case 0: return sinKernel(r);
    case 1: return cosKernel(r);
    case -1: return -cosKernel(r);
    default: return -sinKernel(r); // ±2: a half turn
  }
}

/** @param {number} x @returns {number} */
export function detCos(x) {
  return detSin(x + HALF_PI);
}

/** exp for x <= 0 down to about -700 (the generators only need decay). @param {number} x @returns {number} */
export function detExp(x) {
  if (Number.isNaN(x)) return NaN;
  if (x > 700) return Infinity;
  if (x < -700) return 0;
  // exp(x) = 2^k * exp(r), r = x - k ln2 in [-ln2/2, ln2/2].
  const LN2 = 0.6931471805599453;
  const k = Math.floor(x / LN2 + 0.5);
  const r = x - k * LN2;
  let term = 1;
  let sum = 1;
  for (let i = 1; i <= 18; i++) {
    term = (term * r) / i;
    sum += term;
  }
  let scale = 1;
  const base = k < 0 ? 0.5 : 2;
  for (let i = Math.abs(k); i > 0; i--) scale *= base;
  return sum * scale;
}

export { PI, TWO_PI };
