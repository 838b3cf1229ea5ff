// The GAN session against the real WASM engine (build/node/nn.cjs from
// `bash build.sh wasm`): training lowers the distance, the map's views come
// from both networks, a D-only iteration leaves G alone, the same seed gives
// the same bits, a file's snapshot restores, and a divergence stops with a
// sentence.
import { describe, expect, it } from 'vitest';
import { testEngine } from '../../share/test-core';
import type { LabSession } from '../../engine/lab-session';
import { createSession } from './session';
import { ganCodec, type GanConfig } from './config';
import type { GanFileSnapshot, GanSnapshot } from './protocol';

async function open(config: Partial<GanConfig> = {}, points: Float32Array | null = null) {
  const engine = await testEngine();
  const events: unknown[] = [];
  const diverged: string[] = [];
  const s: LabSession = createSession({ engine, emit: (e) => events.push(e), diverged: (m) => diverged.push(m) });
  await s.handle({ type: 'build', config: { ...ganCodec.defaults(), batch: 64, ...config }, points });
  await s.handle({ type: 'want', wanted: { map: true } });
  const snap = () => s.snapshot()![0] as GanSnapshot;
  return { s, events, diverged, snap };
}

describe('GAN session', () => {
  it('trains: the distance falls, and the map holds both networks\' views', async () => {
    const { s, events, snap } = await open();
    expect(events).toEqual([{ type: 'built', gParams: 2 * 16 + 16 + 16 * 16 + 16 + 16 * 2 + 2, dParams: 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1 }]);
    const first = snap();
    const d0 = first.distances[0]!.distance;
    expect(first.map!.fake.length).toBe(1000);
    expect(first.map!.grid.length).toBe(48 * 48);
    expect(first.map!.manifold.length).toBe(2 * 13 * 13);
    // A step-limited chunk measures at its end: 8 measurements over 800 iterations.
    for (let i = 0; i < 8; i++) expect(s.chunk(10_000, 100)).toBe(100);
    const later = snap();
    expect(later.iteration).toBe(800);
    expect(later.dLosses.length).toBe(800);
    expect(later.distances).toHaveLength(8);
    // GANs oscillate: the best of the run, not the last, is what "falls" means here.
    expect(Math.min(...later.distances.map((d) => d.distance))).toBeLessThan(d0 / 2);
    expect(later.map!.grid.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(later.map!.arrows.some((v) => v !== 0)).toBe(true);
    s.dispose();
  });

  it('a D-only iteration changes D\'s map, not G\'s samples; a G-only one the reverse; a seed repeats', async () => {
    const a = await open({ seed: 5 });
    a.s.chunk(10_000, 20);
    const before = a.snap().map!;
    await a.s.handle({ type: 'iterate', which: 'd' });
    const afterD = a.snap().map!;
    expect(afterD.fake).toEqual(before.fake);
    expect(afterD.grid).not.toEqual(before.grid);
    await a.s.handle({ type: 'iterate', which: 'g' });
    const afterG = a.snap().map!;
    expect(afterG.fake).not.toEqual(afterD.fake);
    expect(afterG.grid).toEqual(afterD.grid);
    const b = await open({ seed: 5 });
    b.s.chunk(10_000, 20);
    await b.s.handle({ type: 'iterate', which: 'd' });
    await b.s.handle({ type: 'iterate', which: 'g' });
    expect(b.s.params()).toEqual(a.s.params());
    a.s.dispose();
    b.s.dispose();
  });

  it('restores a snapshot: the same weights and iteration count', async () => {
    const a = await open({ dist: 'custom' }, new Float32Array([0, 1, 1, 0, -1, 0]));
    a.s.chunk(10_000, 30);
    const snapshot = await a.s.handle({ type: 'snapshot' }) as GanFileSnapshot;
    expect(snapshot.iterations).toBe(30);
    const b = await open({ dist: 'custom' }, new Float32Array([0, 1, 1, 0, -1, 0]));
    await b.s.handle({ type: 'build', config: { ...ganCodec.defaults(), batch: 64, dist: 'custom' }, points: new Float32Array([0, 1, 1, 0, -1, 0]), snapshot });
    expect(b.s.params()).toEqual(a.s.params());
    expect(b.s.status().epoch).toBe(30);
    a.s.dispose();
    b.s.dispose();
  });

  it('refuses a custom distribution without points, and stops on divergence with advice', async () => {
    const engine = await testEngine();
    const s = createSession({ engine, emit: () => undefined, diverged: () => undefined });
    await expect(Promise.resolve().then(() => s.handle({ type: 'build', config: { ...ganCodec.defaults(), dist: 'custom' }, points: null }))).rejects.toThrow(/Draw some points/);
    s.dispose();
    const d = await open({ gOptimizer: 'sgd', gLearningRate: 10, dOptimizer: 'sgd', dLearningRate: 10, gActivations: ['linear', 'linear'], dActivations: ['linear', 'linear'], gHidden: [64, 64], dHidden: [64, 64], loss: 'least_squares', dist: 'gaussians' });
    d.s.setRunning(true);
    d.s.chunk(10_000, 100);
    expect(d.diverged).toHaveLength(1);
    expect(d.diverged[0]).toMatch(/diverged at iteration \d+.*lower the learning rates.*switch to Adam/);
    expect(d.s.status().running).toBe(false);
    expect(d.snap().diagnosis.kind).toBe('diverged');
    d.s.dispose();
  });
});
