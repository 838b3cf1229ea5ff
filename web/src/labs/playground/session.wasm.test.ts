// The worker's Session against the real WASM engine (the Node flavour built
// by `bash build.sh wasm`): determinism, reset, settings applied without a
// reset, divergence, and snapshot shapes.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../engine/nn-wasm.js';
import { MAX_PENDING_LOSSES, Session } from './session';
import type { DataSpec, HyperParams, NetSpec } from './protocol';
import { generateDataset, splitTrainTest } from '../../data/datasets';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const nodeBuild = path.join(root, 'build/node/nn.cjs');

let engine: Engine;
beforeAll(async () => {
  if (!fs.existsSync(nodeBuild)) throw new Error('build/node/nn.cjs is missing: run `bash build.sh wasm` first');
  const factory = createRequire(import.meta.url)(nodeBuild);
  engine = await createEngine(factory, { wasmBinary: fs.readFileSync(path.join(root, 'build/node/nn.wasm')) });
});

const net = (over: Partial<NetSpec> = {}): NetSpec =>
  ({ inputs: 2, hidden: [6, 4], activations: ['tanh', 'tanh'], outputs: 1, task: 'binary', seed: 3, init: 'random', ...over });
const hyper = (over: Partial<HyperParams> = {}): HyperParams =>
  ({ optimizer: 'sgd', learningRate: 0.03, momentum: 0.9, regularization: 'none', regRate: 0, batchSize: 10, ...over });
function data(id: 'circle' | 'xor' | 'plane' = 'circle'): DataSpec {
  const ds = generateDataset(id, { n: 200, noise: 0, seed: 7 });
  const { train, test } = splitTrainTest(ds, 50, 7);
  return { train, test, task: ds.task, nClasses: ds.nClasses, features: ['x1', 'x2'], dims: 2 };
}
function session(n = net(), h = hyper(), d = data()): { s: Session; diverged: string[] } {
  const diverged: string[] = [];
  const s = new Session(engine, { diverged: (_e, m) => diverged.push(m) });
  s.applyHyper(h);
  s.build(n);
  s.setData(d);
  return { s, diverged };
}
const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('Session on the real engine', () => {
  it('is deterministic: same config and seed give bit-identical weights', () => {
    const a = session().s;
    const b = session().s;
    a.step(25);
    b.step(25);
    expect(a.epoch).toBe(25);
    expect(bytes(a.params())).toBe(bytes(b.params()));
    const c = session(net({ seed: 4 })).s;
    c.step(25);
    expect(bytes(c.params())).not.toBe(bytes(a.params()));
  });

  it('init=zeros starts (and resets) every weight and bias at 0; the hidden units stay identical while training (the symmetry never breaks)', () => {
    const { s } = session(net({ init: 'zeros', hidden: [4], activations: ['tanh'] }), hyper({ learningRate: 0.3 }));
    expect([...s.params()].every((v) => v === 0)).toBe(true);
    s.step(20);
    const p = s.params();
    // Layer 1: 4 units × 2 inputs, then 4 biases; every unit's weights and bias equal the first's.
    for (let u = 1; u < 4; u++) {
      expect([p[2 * u], p[2 * u + 1], p[8 + u]]).toEqual([p[0], p[1], p[8]]);
    }
    s.reset();
    expect([...s.params()].every((v) => v === 0)).toBe(true);
    const random = session(net({ hidden: [4], activations: ['tanh'] })).s.params();
    expect(random[0]).not.toBe(random[2]);
  });

  it('counts weights set by hand until the network is reset or loaded, and its snapshot reports them', () => {
    const { s } = session();
    expect(s.snapshot()!.handSet).toBe(0);
    s.setParam(0, 0, 0, 1, 2.5);
    s.setParam(2, 1, 0, 0, -1);
    const snap = s.snapshot()!;
    expect(snap.handSet).toBe(2);
    expect(snap.params[1]).toBe(2.5);
    s.reset();
    expect(s.snapshot()!.handSet).toBe(0);
    s.setParam(0, 0, 0, 0, 1);
    s.loadParams(s.params());
    expect(s.snapshot()!.handSet).toBe(0);
  });

  it('reset restores the initial weights and epoch 0, and replays identically', () => {
    const { s } = session();
    const initial = bytes(s.params());
    s.step(10);
    const after10 = bytes(s.params());
    expect(after10).not.toBe(initial);
    s.reset();
    expect(s.epoch).toBe(0);
    expect(bytes(s.params())).toBe(initial);
    s.step(10);
    expect(bytes(s.params())).toBe(after10);
  });

  it('applies optimizer and learning-rate changes without resetting', () => {
    const { s } = session();
    s.step(5);
    const before = bytes(s.params());
    s.applyHyper(hyper({ optimizer: 'adam', learningRate: 0.01, batchSize: 32 }));
    expect(bytes(s.params())).toBe(before);
    expect(s.epoch).toBe(5);
    s.step(1);
    expect(s.epoch).toBe(6);
  });

  it('learns the circle and reports losses, accuracy and grids', () => {
    const { s } = session(net(), hyper({ optimizer: 'adam', learningRate: 0.03 }));
    s.setView({ gridSize: 32, neuronGrids: true, neuronGridSize: 8, extent: 6 });
    s.step(150);
    const snap = s.snapshot()!;
    expect(snap.testAccuracy).toBeGreaterThan(0.95);
    expect(snap.trainLoss).toBeLessThan(0.15);
    expect(snap.gridSize).toBe(32);
    expect(snap.outputGrid.length).toBe(32 * 32);
    for (const v of snap.outputGrid) expect(v >= 0 && v <= 1).toBe(true);
    // Hidden layers (6 + 4 units) and the output, over the 8×8 thumbnail grid.
    expect(snap.neuronGrids!.length).toBe(8 * 8 * (6 + 4 + 1));
    expect(snap.params.length).toBe(2 * 6 + 6 + 6 * 4 + 4 + 4 + 1);
  });

  it('keeps weights when the data change (drawn points), trains on the new data', () => {
    const { s } = session();
    s.step(3);
    const w = bytes(s.params());
    s.setData(data('xor'));
    expect(bytes(s.params())).toBe(w);
    expect(s.trainCount).toBe(100);
  });

  it('stops with advice when training diverges', () => {
    const { s, diverged } = session(net({ task: 'regression', hidden: [8, 8], activations: ['relu', 'relu'] }),
      hyper({ learningRate: 10, batchSize: 1 }), data('plane'));
    s.running = true;
    for (let i = 0; i < 50 && s.running; i++) s.step(1);
    expect(s.running).toBe(false);
    expect(diverged).toHaveLength(1);
    expect(diverged[0]).toMatch(/learning rate/);
    const params = s.params();
    for (const v of params) expect(Number.isFinite(v)).toBe(true); // the bad update was skipped
  });

  it("sends every epoch's train loss once, with its epoch", () => {
    // A batch larger than the train set: each epoch is one step on all of it,
    // so its loss is the train-set loss of the weights before it.
    const { s } = session(net(), hyper({ batchSize: 256 }));
    const before: number[] = [];
    for (let e = 0; e < 40; e++) { before.push(s.snapshot()!.trainLoss); s.step(1); }
    const { s: t } = session(net(), hyper({ batchSize: 256 }));
    t.step(40);
    const snap = t.snapshot()!;
    expect(Array.from(snap.epochLossEpochs)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(snap.epochLosses).toHaveLength(40);
    snap.epochLosses.forEach((loss, i) => expect(loss).toBeCloseTo(before[i]!, 5));
    expect(snap.epochLosses[39]).not.toBeCloseTo(snap.epochLosses[0]!, 3); // it learns
    // Sent once: the next snapshot carries only the newer epochs.
    t.step(3);
    expect(Array.from(t.snapshot()!.epochLossEpochs)).toEqual([41, 42, 43]);
    expect(t.snapshot()!.epochLosses).toHaveLength(0);
    // A reset starts again from epoch 1, dropping what was not sent.
    t.step(5);
    t.reset();
    t.step(2);
    expect(Array.from(t.snapshot()!.epochLossEpochs)).toEqual([1, 2]);
  });

  it('bounds the losses kept while no snapshot is taken, keeping the newest', () => {
    const { s } = session(net({ hidden: [2], activations: ['tanh'] }), hyper({ batchSize: 256 }));
    s.step(MAX_PENDING_LOSSES + 100);
    const snap = s.snapshot()!;
    expect(snap.epochLosses.length).toBeLessThanOrEqual(MAX_PENDING_LOSSES);
    expect(snap.epochLosses.length).toBeGreaterThan(MAX_PENDING_LOSSES / 2);
    expect(snap.epochLossEpochs[snap.epochLossEpochs.length - 1]).toBe(MAX_PENDING_LOSSES + 100);
    for (let i = 1; i < snap.epochLossEpochs.length; i++) expect(snap.epochLossEpochs[i]).toBeGreaterThan(snap.epochLossEpochs[i - 1]!);
  });

  it('an epoch trained batch by batch (a slow pace, a step) equals one trained whole, bit for bit', () => {
    const whole = session().s;
    const byBatch = session().s;
    const perEpoch = byBatch.stepsPerEpoch();
    expect(perEpoch).toBe(10); // 100 training points, batch 10
    whole.step(3);
    for (let i = 0; i < 3 * perEpoch; i++) expect(byBatch.chunk(1)).toBe(1);
    expect(byBatch.epoch).toBe(3);
    expect(bytes(byBatch.params())).toBe(bytes(whole.params()));
  });

  it('stops inside an epoch and goes on from there, reporting the fractional epoch and each batch loss', () => {
    const { s } = session();
    s.snapshot();
    expect(s.chunk(3)).toBe(3);
    expect(s.epoch).toBe(0);
    expect(s.progress).toBeCloseTo(0.3, 12);
    const snap = s.snapshot()!;
    expect(snap.progress).toBeCloseTo(0.3, 12);
    expect(snap.stepInEpoch).toBe(3);
    expect(snap.stepsPerEpoch).toBe(10);
    expect(Array.from(snap.epochLossEpochs).map((e) => +e.toFixed(6))).toEqual([0.1, 0.2, 0.3]);
    expect(snap.epochLosses).toHaveLength(3);
    // One epoch's worth from inside an epoch lands at the same point of the next one.
    s.step(1);
    expect(s.progress).toBeCloseTo(1.3, 12);
    // Full speed from inside an epoch finishes it batch by batch, then trains whole epochs,
    // and the weights are those of an uninterrupted run.
    while (s.progress !== s.epoch) expect(s.chunk(Infinity, 0)).toBe(1); // a budget of 0: one step per call
    expect(s.epoch).toBe(2);
    expect(s.chunk(Infinity, 0)).toBe(10); // at an epoch's start: a whole epoch in one core call
    expect(s.progress).toBe(3);
    const ref = session().s;
    ref.step(s.epoch);
    expect(bytes(s.params())).toBe(bytes(ref.params()));
  });

  it('reports why a model cannot be built', () => {
    expect(() => session(net({ hidden: [0] }))).toThrow(/size|layer/i);
  });
});
