// Slow motion's animation, for every lab: between two steps a second apart a
// view's numbers move from the old values to the new ones over a few frames
// instead of jumping. Only arrays of numbers are blended; counters show the
// new step at once.

import type { Speed } from '../state/speed';

/** How long a step's change is animated at `speed` (0: not at all). */
export function tweenMs(speed: Speed): number {
  if (speed === 'max' || speed > 10) return 0;
  return speed <= 1 ? 400 : speed <= 3 ? 250 : 80;
}

/** `b` a fraction k (0..1) of the way from `a` (same lengths). */
export function blendArrays(a: Float32Array, b: Float32Array, k: number): Float32Array {
  const out = new Float32Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = a[i]! + (b[i]! - a[i]!) * k;
  return out;
}

/** Both absent, or both present with as many values. */
export const sameLength = (a: Float32Array | null, b: Float32Array | null): boolean =>
  (a === null) === (b === null) && (a === null || a.length === b!.length);

/** Eases in and out, so a step starts and settles gently. */
export const ease = (t: number): number => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));
