import { describe, expect, it } from 'vitest';
import { LossHistory } from './history';

const pt = (epoch: number) => ({ epoch, trainLoss: 1 / (epoch + 1), testLoss: 2 / (epoch + 1), testAccuracy: NaN });

describe('LossHistory', () => {
  it('keeps every epoch until full', () => {
    const h = new LossHistory(8);
    for (let e = 0; e < 7; e++) h.add(pt(e));
    expect(h.points.map((p) => p.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('stays bounded and spans the whole run however long it is', () => {
    const h = new LossHistory(100);
    for (let e = 0; e <= 1_000_000; e += 7) h.add(pt(e));
    expect(h.length).toBeLessThan(100);
    expect(h.length).toBeGreaterThanOrEqual(40);
    expect(h.points[0]!.epoch).toBe(0);
    const last = h.points[h.length - 1]!.epoch;
    expect(last).toBeGreaterThan(1_000_000 - 2 * 7 * h.sampleStride);
    for (let i = 1; i < h.length; i++) expect(h.points[i]!.epoch).toBeGreaterThan(h.points[i - 1]!.epoch);
  });

  it('starts over when the epoch goes backwards (a reset)', () => {
    const h = new LossHistory(8);
    for (let e = 0; e < 20; e++) h.add(pt(e));
    h.add(pt(0));
    expect(h.points.map((p) => p.epoch)).toEqual([0]);
    expect(h.sampleStride).toBe(1);
  });

  it('replaces the values of a repeated epoch', () => {
    const h = new LossHistory(8);
    h.add(pt(3));
    h.add({ ...pt(3), trainLoss: 42 });
    expect(h.length).toBe(1);
    expect(h.points[0]!.trainLoss).toBe(42);
  });

  it('rejects an odd or tiny capacity', () => {
    expect(() => new LossHistory(3)).toThrow(/capacity/);
    expect(() => new LossHistory(7)).toThrow(/capacity/);
  });
});
