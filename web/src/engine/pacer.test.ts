import { describe, expect, it } from 'vitest';
import { CATCH_UP_MS, Pacer } from './pacer';

/** Drives a pacer with a fake clock like the host does: at each tick it runs
 *  what the allowance permits (at most `perTick`), then sleeps until the next
 *  step is due or `tickMs` passes. Returns the times steps ran. */
function simulate(p: Pacer, durationMs: number, tickMs: number, perTick = Infinity): number[] {
  const times: number[] = [];
  let now = 1000;
  const end = now + durationMs;
  while (now < end) {
    const n = Math.min(p.allowance(now), perTick);
    for (let i = 0; i < n; i++) times.push(now);
    p.took(n, now);
    now += Math.max(tickMs, p.waitMs(now));
  }
  return times;
}

/** The most steps in any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('Pacer', () => {
  it.each([1, 3, 10, 100, 1000])('never runs more than %d steps a second (plus the first)', (rate) => {
    for (const tick of [0.5, 4, 16, 250]) {
      const times = simulate(new Pacer(rate), 10_000, tick, 50);
      for (const windowMs of [1000, 3000, 10_000]) {
        const limit = (rate * windowMs) / 1000 + 1 + (rate * CATCH_UP_MS) / 1000;
        expect(maxInWindow(times, windowMs)).toBeLessThanOrEqual(Math.floor(limit));
      }
    }
  });

  it('keeps up with its rate when the loop is fast enough', () => {
    const times = simulate(new Pacer(10), 10_000, 4);
    expect(times.length).toBeGreaterThanOrEqual(99);
    expect(times.length).toBeLessThanOrEqual(101);
  });

  it('spaces slow-motion steps a full interval apart', () => {
    const times = simulate(new Pacer(1), 5_000, 4);
    expect(times.length).toBe(5);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000 - CATCH_UP_MS);
  });

  it('full speed is unlimited and never waits', () => {
    for (const rate of [Infinity, 0, -1, NaN]) {
      const p = new Pacer(rate);
      expect(p.limited).toBe(false);
      expect(p.allowance(0)).toBe(Infinity);
      p.took(1e6, 0);
      expect(p.allowance(0)).toBe(Infinity);
      expect(p.waitMs(0)).toBe(0);
    }
  });

  it('says how long to wait for the next step', () => {
    const p = new Pacer(2);
    expect(p.allowance(0)).toBe(1);
    p.took(1, 0);
    expect(p.allowance(100)).toBe(0);
    expect(p.waitMs(100)).toBe(400);
    expect(p.allowance(500)).toBe(1);
  });

  it('a pause does not bank steps: after a long gap only the catch-up allowance runs at once', () => {
    const p = new Pacer(1000);
    p.took(1, 0);
    expect(p.allowance(60_000)).toBe(Math.floor(CATCH_UP_MS / 1) + 1);
  });

  it('a new rate starts a new schedule', () => {
    const p = new Pacer(1);
    p.took(1, 0);
    expect(p.allowance(10)).toBe(0);
    p.setRate(Infinity);
    expect(p.allowance(10)).toBe(Infinity);
    p.setRate(1);
    expect(p.allowance(10)).toBe(1);
  });
});
