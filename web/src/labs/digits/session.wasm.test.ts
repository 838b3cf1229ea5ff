// The digits GAN session against the real WASM engine (build/node/nn.cjs from
// `bash build.sh wasm`) and the real MNIST asset (web/public/generated, from
// `bash build.sh web`; fetch reads it from disk here): it loads and builds,
// trains and reports every iteration, draws the grid and the interpolation
// from G, judges a digit with D, is deterministic for a seed, and a saved
// snapshot restores the very same networks.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine, type Engine } from '../../engine/nn-wasm.js';
import type { LabSession } from '../../engine/lab-session';
import type { GanSnapshot } from '../../share/ganFile';
import { createSession } from './session';
import { ganDigitsCodec, type GanDigitsConfig } from './config';
import { GRID, INTERPOLATION_STEPS, type GanDigitsEvent, type GanDigitsSnapshot, type Judgement } from './protocol';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const nodeBuild = path.join(root, 'build/node/nn.cjs');
const assetDir = path.join(root, 'web/public/generated');
const manifestUrl = 'file:///mnist.json';

let engine: Engine;
beforeAll(async () => {
  if (!fs.existsSync(nodeBuild)) throw new Error('build/node/nn.cjs is missing: run `bash build.sh wasm` first');
  if (!fs.existsSync(path.join(assetDir, 'mnist.json'))) throw new Error('the MNIST asset is missing: run `bash build.sh web` first');
  const factory = createRequire(import.meta.url)(nodeBuild);
  engine = await createEngine(factory, { wasmBinary: fs.readFileSync(path.join(root, 'build/node/nn.wasm')) });
  vi.stubGlobal('fetch', async (url: string) => {
    const file = path.join(assetDir, url.replace('file:///', ''));
    if (!fs.existsSync(file)) return new Response('not found', { status: 404 });
    return new Response(fs.readFileSync(file));
  });
});

// Small networks keep the test fast; the defaults' shapes are checked by the counts below.
const small = (over: Partial<GanDigitsConfig> = {}): GanDigitsConfig => ({ ...ganDigitsCodec.defaults(), noiseDim: 16, gHidden: [32], dHidden: [32], batch: 16, ...over });

// One session for the file: loading MNIST (55 MB inflated) is the slow part.
let s: LabSession;
const events: GanDigitsEvent[] = [];
const diverged: string[] = [];
beforeAll(async () => {
  s = createSession({ engine, emit: (e) => events.push(e as GanDigitsEvent), diverged: (m) => diverged.push(m) });
  await s.handle({ type: 'load', manifestUrl });
}, 60_000);
afterAll(() => s.dispose());

async function build(config: GanDigitsConfig): Promise<void> {
  events.length = 0;
  await s.handle({ type: 'build', config });
  await s.handle({ type: 'which', which: 'both' });
  s.snapshot(); // drops the previous networks' unsent numbers
}
const snap = (s: LabSession) => s.snapshot()![0] as GanDigitsSnapshot;
const T = 30_000;
function train(s: LabSession, n: number): void {
  let left = n;
  while (left > 0) left -= s.chunk(1e9, left) as number;
}

describe('digits GAN session (WASM)', () => {
  it('loads MNIST, builds the default networks, trains, and shows G\'s samples and D\'s verdicts', async () => {
    await build(ganDigitsCodec.defaults());
    // G 64-256-784, D 784-256-1: weights and biases.
    expect(events).toEqual([{ type: 'built', gParams: 64 * 256 + 256 + 256 * 784 + 784, dParams: 784 * 256 + 256 + 257 }]);

    await build(small());
    train(s, 120);
    await s.handle({ type: 'want', wanted: { samples: true, interpolate: true } });
    const r = snap(s);
    expect(r.iteration).toBe(120);
    expect(r.dLoss.length).toBe(120);
    for (const series of [r.dLoss, r.gLoss, r.dReal, r.dFake]) expect(series.every(Number.isFinite)).toBe(true);
    // D tells real from fake better than chance by now; its means are probabilities.
    const mean = (a: Float32Array) => a.slice(-20).reduce((x, y) => x + y, 0) / 20;
    expect(mean(r.dReal)).toBeGreaterThan(mean(r.dFake));
    expect(r.dReal.every((v) => v > 0 && v < 1)).toBe(true);
    expect(r.samples!.length).toBe(GRID * 784);
    expect(r.strip!.length).toBe(INTERPOLATION_STEPS * 784);
    expect(r.samples!.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Not blank: G has some ink somewhere, and different noise gives different images.
    expect(r.samples!.some((v) => v > 0.5)).toBe(true);
    expect(r.samples!.subarray(0, 784)).not.toEqual(r.samples!.subarray(784, 2 * 784));
    // A new right end changes the strip's far end only.
    await s.handle({ type: 'reroll', end: 'b' });
    const again = snap(s);
    expect(again.strip!.subarray(0, 784)).toEqual(r.strip!.subarray(0, 784));
    expect(again.strip!.subarray(9 * 784)).not.toEqual(r.strip!.subarray(9 * 784));
    // D's verdict on a drawn digit: a logit and its probability; a wrong size is a sentence.
    const ink = new Float32Array(784);
    for (let y = 4; y < 24; y++) ink[y * 28 + 14] = 1;
    const j = await s.handle({ type: 'judge', pixels: ink }) as Judgement;
    expect(Number.isFinite(j.score)).toBe(true);
    expect(j.probability).toBeCloseTo(1 / (1 + Math.exp(-j.score)), 6);
    await expect(s.handle({ type: 'judge', pixels: new Float32Array(10) })).rejects.toThrow(/784 pixels/);
    expect(diverged).toEqual([]);
    await s.handle({ type: 'want', wanted: { samples: false, interpolate: false } });
  }, T);

  it('is deterministic for a seed, and D only / G only train one network', async () => {
    await build(small({ seed: 5 }));
    train(s, 30);
    const first = s.params()!;
    await build(small({ seed: 5 }));
    train(s, 30);
    expect(s.params()).toEqual(first);
    const g0 = s.params()!;
    await s.handle({ type: 'which', which: 'd' });
    train(s, 3);
    const nG = 16 * 32 + 32 + 32 * 784 + 784;
    const g1 = s.params()!;
    expect(g1.subarray(0, nG)).toEqual(g0.subarray(0, nG));
    expect(g1.subarray(nG)).not.toEqual(g0.subarray(nG));
    await s.handle({ type: 'which', which: 'g' });
    train(s, 3);
    const g2 = s.params()!;
    expect(g2.subarray(nG)).toEqual(g1.subarray(nG));
    expect(g2.subarray(0, nG)).not.toEqual(g1.subarray(0, nG));
  }, T);

  it('a snapshot restores the very same networks and iteration count; live settings keep the weights', async () => {
    await build(small({ seed: 9 }));
    train(s, 25);
    const saved = await s.handle({ type: 'snapshot' }) as GanSnapshot;
    expect(saved.iterations).toBe(25);
    const weights = s.params()!;
    await s.handle({ type: 'want', wanted: { samples: true, interpolate: false } });
    const grid = snap(s).samples!;

    await build(small({ seed: 3 }));
    train(s, 5);
    expect(s.params()).not.toEqual(weights);
    await s.handle({ type: 'restore', config: small({ seed: 9 }), snapshot: saved });
    expect(s.params()).toEqual(weights);
    const r = snap(s);
    expect(r.iteration).toBe(25);
    expect(r.samples).toEqual(grid);

    // A larger batch and a new rate keep the weights.
    await s.handle({ type: 'settings', config: small({ seed: 9, batch: 64, gLearningRate: 0.0002 }) });
    expect(s.params()).toEqual(weights);
    train(s, 2);
    expect(snap(s).iteration).toBe(27);
    expect(() => s.loadParams(new Float32Array(5))).toThrow(/this GAN has/);
  }, T);
});
