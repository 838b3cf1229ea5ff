import { describe, expect, it } from 'vitest';
import { formatTick, formatValue, niceTicks } from './ticks';

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
    expect(formatTick(0)).toBe('0');
    expect(formatTick(5000)).toBe('5000');
  });
  it('labels every tick of a long run with its own value', () => {
    // Epoch axes: a tick at 25,000 must not read "3e+4".
    expect(formatTick(25000)).toBe('25k');
    expect(formatTick(15000)).toBe('15k');
    expect(formatTick(120000)).toBe('120k');
    expect(formatTick(1500000)).toBe('1.5M');
    expect(formatTick(0.00014)).toBe('1.4e-4');
    expect(formatTick(0.0005)).toBe('5e-4');
    for (const hi of [3e4, 7.7e4, 2.2e5, 1.9e6]) {
      const labels = niceTicks(0, hi, 4).map(formatTick);
      expect(new Set(labels).size).toBe(labels.length);
    }
  });
});

describe('formatValue', () => {
  it('gives four significant digits without float noise', () => {
    expect(formatValue(0.123456)).toBe('0.1235');
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
    expect(formatValue(1234.5)).toBe('1235');
    expect(formatValue(0.0000251)).toBe('2.51e-5');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(NaN)).toBe('—');
  });
});
