// The sequence session against the real WASM engine (build/node/nn.cjs from
// `bash build.sh wasm`) and the real assets (web/public/generated, written by
// make-sequence-assets.mjs; fetch reads them from disk here): training lowers
// the loss, the views come from the core, sampling speaks the vocabulary,
// weights round-trip, and bad settings get a sentence.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createEngine, type Engine } from '../../engine/nn-wasm.js';
import type { LabSession } from '../../engine/lab-session';
import { createSession } from './session';
import { sequenceCodec, type SequenceConfig } from './config';
import type { SequenceEvent, SequenceSnapshot } from './protocol';
import type { GradientCheck, ParamPreview, TraceResult } from '../../engine/trace.js';
import { makeSequenceAssets } from '../../../scripts/make-sequence-assets.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const nodeBuild = path.join(root, 'build/node/nn.cjs');
const assetDir = path.join(root, 'web/public/generated');
const assets = { manifest: 'file:///seq.json' };

let engine: Engine;
beforeAll(async () => {
  if (!fs.existsSync(nodeBuild)) throw new Error('build/node/nn.cjs is missing: run `bash build.sh wasm` first');
  const factory = createRequire(import.meta.url)(nodeBuild);
  engine = await createEngine(factory, { wasmBinary: fs.readFileSync(path.join(root, 'build/node/nn.wasm')) });
  makeSequenceAssets({ outDir: assetDir, log: () => undefined });
  vi.stubGlobal('fetch', async (url: string) => {
    const file = path.join(assetDir, url.replace('file:///', ''));
    if (!fs.existsSync(file)) return new Response('not found', { status: 404 });
    return new Response(fs.readFileSync(file));
  });
});

function open(): { s: LabSession; events: SequenceEvent[]; diverged: string[] } {
  const events: SequenceEvent[] = [];
  const diverged: string[] = [];
  const s = createSession({ engine, emit: (e) => events.push(e as SequenceEvent), diverged: (m) => diverged.push(m) });
  return { s, events, diverged };
}
const config = (over: Partial<SequenceConfig>): SequenceConfig => ({ ...sequenceCodec.defaults(), ...over });
const snap = (s: LabSession) => s.snapshot()![0] as SequenceSnapshot;
/** Trains exactly n steps (the host's stepping path: validation after the chunk). */
function train(s: LabSession, n: number): void {
  let left = n;
  while (left > 0) left -= s.chunk(1e9, left) as number;
}

describe('sequence session (WASM)', () => {
  it('waves: the validation MSE falls, and the views are the core\'s numbers', async () => {
    const { s, events } = open();
    await s.handle({ type: 'build', config: config({ task: 'waves', wave: 'sine', hidden: 16, seqLen: 24, batchSize: 16, learningRate: 0.01 }), assets });
    expect(events[0]).toMatchObject({ type: 'built', vocab: null });
    const first = snap(s).vals[0]!.loss;
    train(s, 150);
    await s.handle({ type: 'want', wanted: { output: true, unrolled: true, gradients: true, gates: true, example: 2, layer: 0 } });
    const after = snap(s);
    const last = after.vals[after.vals.length - 1]!.loss;
    expect(last).toBeLessThan(first * 0.25);
    expect(after.step).toBe(150);
    expect(after.gradNorm).toBeGreaterThan(0);
    const out = after.output!;
    expect(out.kind).toBe('waves');
    if (out.kind !== 'waves') return;
    expect(out.pred.length).toBe(24);
    expect(out.free.length).toBe(24);
    // A trained model predicts the next value of a clean sine closely.
    let err = 0;
    for (let t = 0; t < 24; t++) err += (out.pred[t]! - out.truth[t]!) ** 2;
    expect(err / 24).toBeLessThan(0.05);
    const v = after.view!;
    expect([v.cell, v.T, v.H, v.h.length, v.gradNorm.length]).toEqual(['lstm', 24, 16, 24 * 16, 24]);
    expect(v.gates!.f.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(v.h.every((x) => x > -1 && x < 1)).toBe(true);
    // The last step's loss reaches h_{T-1} directly, and earlier steps only through time.
    expect(v.gradNorm[23]!).toBeGreaterThan(0);
    s.dispose();
  });

  it('names: trains, samples strings of its letters, and weights round-trip', async () => {
    const { s, events } = open();
    await s.handle({ type: 'build', config: config({ task: 'names', hidden: 32, seqLen: 16, batchSize: 16 }), assets });
    const built = events.find((e) => e.type === 'built');
    expect(built && built.type === 'built' && built.vocab).toBe('.abcdefghijklmnopqrstuvwxyz');
    const first = snap(s).vals[0]!.loss;
    expect(first).toBeCloseTo(Math.log(27), 1);
    train(s, 60);
    const after = snap(s);
    expect(after.vals[after.vals.length - 1]!.loss).toBeLessThan(first - 0.4);
    const names = await s.handle({ type: 'sample', count: 6 }) as string[];
    expect(names.length).toBe(6);
    for (const n of names) expect(n).toMatch(/^[a-z]*$/);
    const p = s.params()!;
    train(s, 5);
    s.loadParams(p);
    expect(Array.from(s.params()!)).toEqual(Array.from(p));
    expect(() => s.loadParams(new Float32Array(3))).toThrow('the model has');
    s.dispose();
  });

  it('memory with compare: both cells train on the same batches; bad settings get a sentence', async () => {
    const { s, events } = open();
    await s.handle({ type: 'build', config: config({ task: 'memory', cell: 'lstm', compare: true, hidden: 8, seqLen: 12, delay: 3, batchSize: 8 }), assets });
    const b = events.find((e) => e.type === 'built');
    expect(b?.type === 'built' && b.twinParamCount).toBeGreaterThan(0);
    train(s, 10);
    await s.handle({ type: 'want', wanted: { output: true, unrolled: false, gradients: true, gates: false, example: 0, layer: 0 } });
    const x = snap(s);
    expect(x.twinLosses.length).toBe(10);
    expect(x.twinView?.cell).toBe('rnn');
    expect(x.output?.kind === 'memory' && x.output.twinAccuracy?.length).toBe(12);
    expect(s.params()!.length).toBe(4 * (8 * 2 + 8 * 8 + 16) + 18 + (8 * 2 + 8 * 8 + 16) + 18);
    await expect(s.handle({ type: 'build', config: config({ task: 'text', hidden: 256, seqLen: 256, batchSize: 256, layers: 3 }), assets })).rejects.toThrow(/too large|memory|exceed/i);
    s.dispose();
  });

  it('show the math: a validation sequence\'s trace per step, its gradient check and one weight\'s preview', async () => {
    const { s } = open();
    await s.handle({ type: 'build', config: config({ task: 'memory', cell: 'rnn', hidden: 6, seqLen: 8, delay: 2, batchSize: 8 }), assets });
    train(s, 5);
    const r = await s.handle({ type: 'trace', example: 3 }) as TraceResult;
    expect(r.trace.lab).toBe('sequence');
    expect(r.trace.example.index).toBe(3);
    expect(r.trace.layers[0]).toMatchObject({ kind: 'rnn', hidden: 6, return_sequences: true });
    const steps = r.trace.forward[0]!.steps!;
    expect((steps.h as number[][]).length).toBe(8);
    // h_t = tanh(pre_t): the core's numbers agree with each other
    const pre = steps.pre as number[][], h = steps.h as number[][];
    for (let t = 0; t < 8; t++) for (let j = 0; j < 6; j++) expect(Math.abs(Math.tanh(pre[t]![j]!) - h[t]![j]!)).toBeLessThan(1e-6);
    // dL/dW_hh[0][1]: the finite difference agrees with backprop within 1e-3
    const w = r.layout.find((b) => b.layer === 0 && b.block === 1)!;
    const c = await s.handle({ type: 'check-gradient', param: w.offset + 1 }) as GradientCheck;
    expect(Math.abs(c.finiteDifference - c.backprop)).toBeLessThan(1e-3 * Math.max(1e-3, Math.abs(c.backprop)));
    const p = await s.handle({ type: 'preview', param: w.offset + 1 }) as ParamPreview;
    expect(p.values[1]).toBe(c.backprop); // the gradient it would use (no regularisation on)
    await expect(s.handle({ type: 'trace', example: -1 })).rejects.toThrow('no validation sequence -1');
    s.dispose();
  });

  it('a diverging run pauses with the advice, and nothing is trained past it', async () => {
    const { s, diverged } = open();
    await s.handle({ type: 'build', config: config({ task: 'waves', cell: 'rnn', hidden: 16, seqLen: 16, batchSize: 8, optimizer: 'sgd', learningRate: 10, clipNorm: 0 }), assets });
    s.setRunning(true);
    for (let i = 0; i < 50 && diverged.length === 0; i++) s.chunk(1e9, 20);
    expect(diverged.length).toBe(1);
    expect(diverged[0]).toMatch(/diverged at epoch .*lower the learning rate \(try 1\)/);
    expect(s.status().running).toBe(false);
    s.dispose();
  });
});
