import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS, SampledSeries, StepSeries } from './series';

const pt = (epoch: number) => ({ epoch, trainLoss: 1 / (epoch + 1), testLoss: 2 / (epoch + 1), testAccuracy: NaN });

describe('SampledSeries', () => {
  it('keeps every epoch until full', () => {
    const h = new SampledSeries(8);
    for (let e = 0; e < 7; e++) h.add(pt(e));
    expect(h.points.map((p) => p.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('stays bounded and spans the whole run however long it is', () => {
    const h = new SampledSeries(100);
    for (let e = 0; e <= 1_000_000; e += 7) h.add(pt(e));
    expect(h.length).toBeLessThan(100);
    expect(h.length).toBeGreaterThanOrEqual(40);
    expect(h.points[0]!.epoch).toBe(0);
    const last = h.points[h.length - 1]!.epoch;
    expect(last).toBeGreaterThan(1_000_000 - 2 * 7 * h.sampleStride);
    for (let i = 1; i < h.length; i++) expect(h.points[i]!.epoch).toBeGreaterThan(h.points[i - 1]!.epoch);
  });

  it('starts over when the epoch goes backwards (a reset)', () => {
    const h = new SampledSeries(8);
    for (let e = 0; e < 20; e++) h.add(pt(e));
    h.add(pt(0));
    expect(h.points.map((p) => p.epoch)).toEqual([0]);
    expect(h.sampleStride).toBe(1);
  });

  it('replaces the values of a repeated epoch', () => {
    const h = new SampledSeries(8);
    h.add(pt(3));
    h.add({ ...pt(3), trainLoss: 42 });
    expect(h.length).toBe(1);
    expect(h.points[0]!.trainLoss).toBe(42);
  });

  it('rejects an odd or tiny capacity', () => {
    expect(() => new SampledSeries(3)).toThrow(/capacity/);
    expect(() => new SampledSeries(7)).toThrow(/capacity/);
  });
});

describe('StepSeries', () => {
  it('keeps one bucket per step while there is room', () => {
    const s = new StepSeries();
    s.pushAll([3, 2, 1]);
    expect(s.length).toBe(3);
    expect(Array.from(s.raw.subarray(0, 3))).toEqual([3, 2, 1]);
    expect(Array.from(s.x.subarray(0, 3))).toEqual([1, 2, 3]);
  });

  it('smooths without a bias towards zero: a constant loss stays constant', () => {
    const s = new StepSeries(0.98);
    for (let i = 0; i < 50; i++) s.push(2.5);
    expect(s.ema).toBeCloseTo(2.5, 12);
    expect(s.smooth[0]).toBeCloseTo(2.5, 12);
  });

  it('stays within MAX_BUCKETS and keeps the exact mean of every step', () => {
    const s = new StepSeries();
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
    const s = new StepSeries();
    for (let i = 0; i < MAX_BUCKETS + 2; i++) s.push(1, i / 100);
    expect(s.stepsPerBucket).toBe(2);
    expect(s.x[0]).toBeCloseTo(0.005, 12);
    expect(s.x[s.length - 1]).toBeCloseTo((MAX_BUCKETS + 1) / 100 - 0.005, 12);
  });

  it('ignores non-finite losses', () => {
    const s = new StepSeries();
    s.pushAll([1, Number.NaN, Number.POSITIVE_INFINITY, 1]);
    expect(s.steps).toBe(2);
  });
});
