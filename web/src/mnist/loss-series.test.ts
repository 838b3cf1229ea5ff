import { describe, expect, it } from 'vitest';
import { LossSeries, MAX_BUCKETS } from './loss-series';

describe('LossSeries', () => {
  it('keeps one bucket per step while there is room', () => {
    const s = new LossSeries();
    s.pushAll([3, 2, 1]);
    expect(s.length).toBe(3);
    expect(Array.from(s.raw.subarray(0, 3))).toEqual([3, 2, 1]);
    expect(Array.from(s.x.subarray(0, 3))).toEqual([1, 2, 3]);
  });

  it('smooths without a bias towards zero: a constant loss stays constant', () => {
    const s = new LossSeries(0.98);
    for (let i = 0; i < 50; i++) s.push(2.5);
    expect(s.ema).toBeCloseTo(2.5, 12);
    expect(s.smooth[0]).toBeCloseTo(2.5, 12);
  });

  it('stays within MAX_BUCKETS and keeps the exact mean of every step', () => {
    const s = new LossSeries();
    const n = MAX_BUCKETS * 5 + 3; // full at 2048, 4096 and 8192 steps: merges three times
    let sum = 0;
    for (let i = 0; i < n; i++) { const v = Math.sin(i) + 2; sum += v; s.push(v); }
    expect(s.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(s.stepsPerBucket).toBe(8);
    expect(s.steps).toBe(n);
    // Every bucket but the last is full.
    let total = 0;
    for (let b = 0; b < s.length - 1; b++) total += s.raw[b]! * s.stepsPerBucket;
    const lastFill = n - (s.length - 1) * s.stepsPerBucket;
    total += s.raw[s.length - 1]! * lastFill;
    expect(total / n).toBeCloseTo(sum / n, 9);
  });

  it('keeps the mean x of merged buckets', () => {
    const s = new LossSeries();
    for (let i = 0; i < MAX_BUCKETS + 2; i++) s.push(1, i / 100);
    expect(s.stepsPerBucket).toBe(2);
    expect(s.x[0]).toBeCloseTo(0.005, 12);
    expect(s.x[s.length - 1]).toBeCloseTo((MAX_BUCKETS + 1) / 100 - 0.005, 12);
  });

  it('ignores non-finite losses', () => {
    const s = new LossSeries();
    s.pushAll([1, Number.NaN, Number.POSITIVE_INFINITY, 1]);
    expect(s.steps).toBe(2);
  });
});
