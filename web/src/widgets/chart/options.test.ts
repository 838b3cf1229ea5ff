import { describe, expect, it } from 'vitest';
import { valueRange, withAlpha } from './options';

describe('valueRange', () => {
  it('pads the visible values, and never takes non-negative values below 0', () => {
    const [a, b] = valueRange(0.2, 0.6, undefined, false);
    expect(a).toBeCloseTo(0.18, 12);
    expect(b).toBeCloseTo(0.62, 12);
    expect(valueRange(0.01, 2, undefined, false)[0]).toBe(0);
    const [c, d] = valueRange(-1, 1, undefined, false);
    expect(c).toBeCloseTo(-1.1, 12);
    expect(d).toBeCloseTo(1.1, 12);
  });
  it('starts at 0 for a loss axis, and takes a fixed range as given', () => {
    const [a, b] = valueRange(0.2, 0.6, undefined, true);
    expect(a).toBe(0);
    expect(b).toBeCloseTo(0.63, 12);
    expect(valueRange(0.2, 0.6, [0, 1], true)).toEqual([0, 1]);
  });
  it('gives a flat line and no data a readable range', () => {
    const [a, b] = valueRange(0.5, 0.5, undefined, false);
    expect(a).toBeLessThan(0.5);
    expect(b).toBeGreaterThan(0.5);
    expect(valueRange(null, null, undefined, false)).toEqual([0, 1]);
  });
});

describe('withAlpha', () => {
  it('adds an alpha to the palette colour forms', () => {
    expect(withAlpha('#0072b2', 0.35)).toBe('rgba(0,114,178,0.35)');
    expect(withAlpha('rgb(0,114,178)', 0.5)).toBe('rgba(0,114,178,0.5)');
    expect(withAlpha('teal', 0.5)).toBe('teal');
  });
});
