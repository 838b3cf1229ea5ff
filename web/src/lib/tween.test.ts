import { describe, expect, it } from 'vitest';
import { blendArrays, sameLength } from './tween';

describe('tween arrays', () => {
  it('blends a fraction of the way and ends on the new values', () => {
    const a = Float32Array.of(0, 2, -1), b = Float32Array.of(1, 0, 1);
    expect(Array.from(blendArrays(a, b, 0.5))).toEqual([0.5, 1, 0]);
    expect(Array.from(blendArrays(a, b, 1))).toEqual([1, 0, 1]);
    expect(Array.from(blendArrays(a, b, 0))).toEqual([0, 2, -1]);
  });
  it('blends only arrays of one length', () => {
    expect(sameLength(null, null)).toBe(true);
    expect(sameLength(new Float32Array(2), new Float32Array(2))).toBe(true);
    expect(sameLength(new Float32Array(2), new Float32Array(3))).toBe(false);
    expect(sameLength(null, new Float32Array(1))).toBe(false);
  });
});
