// core-util.mjs — helpers shared by the core-*.test.mjs files (not a test).
// The data generator and hash mirror tests/native/test_util.h bit for bit.

/** xorshift32 state in a one-element Uint32Array. */
export function rng(seed) {
  const s = new Uint32Array([seed >>> 0]);
  return {
    next() {
      let x = s[0];
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      s[0] = x >>> 0;
      return s[0];
    },
    /** Uniform in [-1, 1): 24 bits, exact in float (as tu_uniform). */
    uniform() {
      return (this.next() >>> 8) * (1 / 8388608) - 1;
    },
  };
}

/** FNV-1a over the bytes of a typed array. */
export function fnv1a(arr) {
  const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  let h = 2166136261;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}
