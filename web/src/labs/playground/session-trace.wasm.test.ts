// The session's show-the-math commands on the real WASM engine: a trace is a
// snapshot (training on does not change it, the model is not changed by it),
// its optimizer preview is the next step's, the finite difference agrees.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, Limits, type Engine } from '../../engine/nn-wasm.js';
import { Session } from './session';
import { generateDataset, splitTrainTest } from '../../data/datasets';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
let engine: Engine;
beforeAll(async () => {
  const factory = createRequire(import.meta.url)(path.join(root, 'build/node/nn.cjs'));
  engine = await createEngine(factory, { wasmBinary: fs.readFileSync(path.join(root, 'build/node/nn.wasm')) });
});

function session(): Session {
  const s = new Session(engine, { diverged: () => undefined });
  s.applyHyper({ optimizer: 'momentum', learningRate: 0.05, momentum: 0.9, regularization: 'l2', regRate: 0.001, batchSize: 1 });
  s.build({ inputs: 2, hidden: [5], activations: ['sigmoid'], outputs: 3, task: 'multiclass', seed: 4, init: 'random' });
  const ds = generateDataset('blobs3', { n: 60, noise: 0, seed: 2 });
  const { train, test } = splitTrainTest(ds, 50, 2);
  s.setData({ train, test, task: ds.task, nClasses: ds.nClasses, features: ['x1', 'x2'], dims: 2 });
  return s;
}

describe('Session trace', () => {
  it('traces a training example as a snapshot and checks its gradients', () => {
    const s = session();
    s.step(3);
    const before = s.params();
    const r = s.trace(4);
    expect(Array.from(s.params())).toEqual(Array.from(before));
    expect(r.epoch).toBe(3);
    expect(r.trace.example.index).toBe(4);
    expect(r.trace.loss).toBe('ce');
    expect(r.trace.layers.map((l) => l.activation)).toEqual(['sigmoid', 'softmax']);
    expect(r.trace.optimizer?.kind).toBe('momentum');
    expect(r.preview.length).toBe(before.length * Limits.PREVIEW_FLOATS);
    // the preview's w is the traced weight; the trace's W is the snapshot's
    expect(r.preview[0]).toBe(before[0]);
    expect((r.trace.forward[0]!.W as number[][])[0]![0]).toBe(Number(before[0]!.toPrecision(9)));
    s.step(2); // training goes on; the check still answers about the snapshot
    for (const param of [0, 7, before.length - 1]) {
      const c = s.checkGradient(param);
      const rel = Math.abs(c.finiteDifference - c.backprop) / Math.max(Math.abs(c.backprop), 1e-6);
      expect(rel).toBeLessThan(1e-3);
    }
    expect(() => s.trace(10_000)).toThrow(/no training example/);
  });
});
