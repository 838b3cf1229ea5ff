import { describe, expect, it } from 'vitest';
import { formatTick, niceTicks } from './ticks';

describe('niceTicks', () => {
  it('uses 1-2-5 steps inside the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0.7, 4)).toEqual([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(0, 1234, 5)).toEqual([0, 500, 1000]);
  });
  it('survives degenerate ranges', () => {
    expect(niceTicks(1, 1)).toEqual([1]);
    expect(niceTicks(0, NaN)).toEqual([0]);
  });
  it('formats short labels', () => {
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(25000)).toBe('3e+4');
    expect(formatTick(0)).toBe('0');
  });
});
