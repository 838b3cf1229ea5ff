// The GAN lab's real distributions and measures: sampling is deterministic
// and stays in the square, the sliced Wasserstein distance is 0 for equal
// sets and (2/π)|v| for a set shifted by v, the histogram divergences
// behave, and mode collapse is detected on synthetic samples.
import { describe, expect, it } from 'vitest';
import { createRng, gaussian } from '../../lib/rng.js';
import { DISTRIBUTIONS, EXTENT } from './config';
import { GAUSSIAN_CENTRES, RealSampler, needsPoints } from './data';
import { coverage, diagnose, histogramDivergences, realRegions, slicedWasserstein, spread, type RunSignals } from './metrics';

const custom = new Float32Array([0.5, 0.5, -0.5, -0.5, 1, -1]);

describe('real distributions', () => {
  it('are deterministic per seed and stay inside the square', () => {
    for (const dist of DISTRIBUTIONS) {
      const a = new RealSampler(dist, 7, custom).take(2000);
      const b = new RealSampler(dist, 7, custom).take(2000);
      const c = new RealSampler(dist, 8, custom).take(2000);
      expect(a, dist).toEqual(b);
      expect(a, dist).not.toEqual(c);
      expect(a.every((v) => Number.isFinite(v) && Math.abs(v) <= EXTENT), dist).toBe(true);
      expect(spread(a), dist).toBeGreaterThan(0.3);
    }
  });

  it('have their shapes: the ring at radius 1.2, the Gaussians near their centres, custom near the drawn points', () => {
    const ring = new RealSampler('ring', 1).take(1000);
    let worst = 0;
    for (let i = 0; i < ring.length; i += 2) worst = Math.max(worst, Math.abs(Math.hypot(ring[i]!, ring[i + 1]!) - 1.2));
    expect(worst).toBeLessThan(0.35);
    const g = new RealSampler('gaussians', 1).take(1000);
    worst = 0;
    for (let i = 0; i < g.length; i += 2) worst = Math.max(worst, Math.min(...GAUSSIAN_CENTRES.map(([x, y]) => Math.hypot(g[i]! - x, g[i + 1]! - y))));
    expect(worst).toBeLessThan(0.5);
    const c = new RealSampler('custom', 1, custom).take(300);
    worst = 0;
    for (let i = 0; i < c.length; i += 2) {
      let d = Infinity;
      for (let j = 0; j < custom.length; j += 2) d = Math.min(d, Math.hypot(c[i]! - custom[j]!, c[i + 1]! - custom[j + 1]!));
      worst = Math.max(worst, d);
    }
    expect(worst).toBeLessThan(0.3);
    expect(needsPoints('custom', null)).toBe(true);
    expect(needsPoints('custom', custom)).toBe(false);
    expect(needsPoints('ring', null)).toBe(false);
  });
});

describe('sliced Wasserstein distance', () => {
  const set = new RealSampler('moons', 3).take(1000);
  it('is 0 for identical sets and for a reordering', () => {
    expect(slicedWasserstein(set, set)).toBe(0);
    const rev = new Float32Array(set.length);
    for (let i = 0; i < set.length; i += 2) { rev[set.length - 2 - i] = set[i]!; rev[set.length - 1 - i] = set[i + 1]!; }
    expect(slicedWasserstein(set, rev)).toBeCloseTo(0, 6);
  });

  it('is (2/π)|v| for a set shifted by v, in any direction', () => {
    for (const [vx, vy] of [[0.5, 0], [0, -0.3], [0.6, 0.8]] as const) {
      const shifted = set.map((v, i) => v + (i % 2 === 0 ? vx : vy));
      const want = (2 / Math.PI) * Math.hypot(vx, vy);
      expect(slicedWasserstein(set, shifted)).toBeCloseTo(want, 3);
    }
  });

  it('grows with the gap between disjoint sets, where JS is stuck at 1 bit', () => {
    const rng = createRng(5);
    const blob = (cx: number) => Float32Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? cx : 0) + 0.05 * gaussian(rng));
    const a = blob(-1.5), near = blob(-0.5), far = blob(1.5);
    expect(histogramDivergences(a, near).js).toBeCloseTo(1, 5);
    expect(histogramDivergences(a, far).js).toBeCloseTo(1, 5);
    expect(slicedWasserstein(a, far)).toBeGreaterThan(2.5 * slicedWasserstein(a, near));
  });
});

describe('histogram divergences', () => {
  it('are near 0 for two samples of one distribution and finite for disjoint ones', () => {
    const a = new RealSampler('ring', 1).take(4000), b = new RealSampler('ring', 2).take(4000);
    const same = histogramDivergences(a, b);
    expect(same.js).toBeLessThan(0.05);
    expect(same.kl).toBeLessThan(0.2);
    const apart = histogramDivergences(a, new Float32Array(4000).fill(1.9));
    expect(Number.isFinite(apart.kl)).toBe(true);
    expect(apart.kl).toBeGreaterThan(5);
  });
});

describe('mode collapse detection', () => {
  const real = new RealSampler('gaussians', 4).take(1000);
  const regions = realRegions(real);
  const signals = (fake: Float32Array, extra: Partial<RunSignals> = {}): RunSignals => ({
    iteration: 5000, realSpread: spread(real), fakeSpread: spread(fake), coverage: coverage(fake, regions),
    dReal: 0.5, dFake: 0.5, gLoss: 0.7, gLossBefore: 0.7, diverged: false, ...extra,
  });

  it('finds the 8 Gaussians as 8 regions, all covered by a second real sample', () => {
    const c = coverage(new RealSampler('gaussians', 5).take(1000), regions);
    expect(c.regions).toBe(8);
    expect(c.covered).toBe(8);
    expect(c.onData).toBeGreaterThan(0.95);
    expect(diagnose(signals(new RealSampler('gaussians', 5).take(1000))).kind).toBe('ok');
  });

  it('says "collapse" when G sends everything to one point', () => {
    const rng = createRng(2);
    const point = Float32Array.from({ length: 1000 }, (_, i) => GAUSSIAN_CENTRES[0]![i % 2]! + 0.01 * gaussian(rng));
    const d = diagnose(signals(point));
    expect(d.kind).toBe('collapse');
    expect(d.text).toMatch(/Mode collapse/);
  });

  it('says "partial" when G covers 2 of 8 modes with a normal spread', () => {
    const rng = createRng(3);
    const two = Float32Array.from({ length: 1000 }, (_, i) => {
      const c = GAUSSIAN_CENTRES[(i >> 1) % 2 === 0 ? 0 : 4]!;
      return c[i % 2]! + 0.08 * gaussian(rng);
    });
    const c = coverage(two, regions);
    expect(c.covered).toBe(2);
    const d = diagnose(signals(two));
    expect(d.kind).toBe('partial');
    expect(d.text).toMatch(/covers 2 of the 8 regions/);
  });

  it('says D wins when D is sure and G\'s loss rises, D is stuck when it says one thing everywhere, and divergence when asked', () => {
    const good = new RealSampler('gaussians', 6).take(1000);
    expect(diagnose(signals(good, { dReal: 0.99, dFake: 0.01, gLoss: 4, gLossBefore: 2 })).kind).toBe('d-wins');
    expect(diagnose(signals(good, { dReal: 0.99, dFake: 0.01, gLoss: 1, gLossBefore: 2 })).kind).toBe('ok');
    expect(diagnose(signals(good, { diverged: true })).kind).toBe('diverged');
    const shifted = good.map((v, i) => (i % 2 === 0 ? v + 0.6 : v));
    expect(coverage(shifted, regions).onData).toBeLessThan(0.5);
    expect(diagnose(signals(shifted)).kind).toBe('off-data');
    expect(diagnose(signals(good, { dReal: 0.99, dFake: 0.99 })).kind).toBe('stuck');
    expect(diagnose(signals(good, { iteration: 10 })).kind).toBe('early');
  });
});
