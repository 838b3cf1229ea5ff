import { describe, expect, it } from 'vitest';
import { formatAccuracy, formatLoss, formatPerSecond } from './format';

describe('number formats', () => {
  it('prints losses as plain numbers that parse back', () => {
    expect(formatLoss(0.123456)).toBe('0.1235');
    expect(formatLoss(0.0000241)).toBe('2.41e-5');
    expect(Number(formatLoss(0.0000241))).toBeCloseTo(0.0000241, 7);
    expect(formatLoss(0)).toBe('0.0000');
    expect(formatLoss(12345)).toBe('1.235e+4');
    expect(formatLoss(NaN)).toBe('—');
    expect(Number.isNaN(Number(formatLoss(undefined)))).toBe(true);
  });
  it('prints accuracy in percent with one decimal', () => {
    expect(formatAccuracy(0.9876)).toBe('98.8');
    expect(formatAccuracy(1)).toBe('100.0');
    expect(formatAccuracy(NaN)).toBe('—');
  });
  it('abbreviates rates', () => {
    expect(formatPerSecond(1234)).toBe('1234');
    expect(formatPerSecond(154000)).toBe('154k');
    expect(formatPerSecond(2_500_000)).toBe('2.50M');
    expect(formatPerSecond(0)).toBe('0');
  });
});
