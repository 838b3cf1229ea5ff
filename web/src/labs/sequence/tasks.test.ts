// The sequence lab's seeded batches: shapes, targets that really are the
// task (next value, the bit k steps back, the next character), and sampling.
import { describe, expect, it } from 'vitest';
import { accuracyPerStep, createTaskData, namesStream, sampleIndex, waveValue } from './tasks.js';
import { createRng } from '../../lib/rng.js';

const base = { seqLen: 12, batchSize: 4, seed: 3, wave: 'sine' as const, noise: 0, delay: 3 };

describe('sequence tasks', () => {
  it('waves: the target at t is the input at t + 1 (no noise), and a seed gives the same batches', () => {
    const d = createTaskData({ ...base, task: 'waves' }, null);
    expect([d.features, d.outputs, d.loss]).toEqual([1, 1, 'mse']);
    const b = d.batch(4);
    expect(b.x.length).toBe(4 * 12);
    for (let r = 0; r < 4; r++) for (let t = 0; t < 11; t++) expect(b.y[r * 12 + t]).toBeCloseTo(b.x[r * 12 + t + 1]!, 6);
    expect(createTaskData({ ...base, task: 'waves' }, null).batch(4).x).toEqual(b.x);
    expect(d.batch(4).x).not.toEqual(b.x);
    expect(waveValue('square', 0.25)).toBe(0.8);
    expect(waveValue('sawtooth', 0.5)).toBeCloseTo(0, 6);
  });

  it('memory: one-hot bits, the target at t >= k is the bit at t - k', () => {
    const d = createTaskData({ ...base, task: 'memory' }, null);
    const b = d.batch(2);
    const bit = (a: Float32Array, r: number, t: number) => (a[(r * 12 + t) * 2 + 1] === 1 ? 1 : 0);
    for (let r = 0; r < 2; r++) {
      for (let t = 0; t < 12; t++) {
        expect(b.x[(r * 12 + t) * 2]! + b.x[(r * 12 + t) * 2 + 1]!).toBe(1);
        expect(bit(b.y, r, t)).toBe(t >= 3 ? bit(b.x, r, t - 3) : 0);
      }
    }
    // The targets themselves score 100 % at every step.
    expect(Array.from(accuracyPerStep(b.y, b.y, 2, 12, 2))).toEqual(new Array(12).fill(1));
  });

  it('names: a stream of framed names; windows predict the next character', () => {
    const vocab = '.abn';
    const s = namesStream(['anna', 'bab'], vocab, 1);
    const text = Array.from(s, (i) => vocab[i]).join('');
    expect(['.anna.bab.', '.bab.anna.']).toContain(text);
    const d = createTaskData({ ...base, task: 'names', seqLen: 4 }, { vocab, train: s, val: s });
    expect([d.features, d.outputs, d.loss, d.vocab]).toEqual([4, 4, 'ce', vocab]);
    const b = d.batch(3);
    const at = (a: Float32Array, r: number, t: number) => a.slice((r * 4 + t) * 4, (r * 4 + t + 1) * 4).indexOf(1);
    for (let r = 0; r < 3; r++) for (let t = 0; t < 3; t++) expect(at(b.y, r, t)).toBe(at(b.x, r, t + 1));
    expect(() => createTaskData({ ...base, task: 'text' }, null)).toThrow('not loaded');
  });

  it('sampling: temperature 1 follows p, a low one picks the most likely symbol', () => {
    const rng = createRng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[sampleIndex([0.2, 0.5, 0.3], 1, rng.next)]!++;
    expect(counts[1]! / 3000).toBeGreaterThan(0.45);
    expect(counts[1]! / 3000).toBeLessThan(0.55);
    for (let i = 0; i < 100; i++) expect(sampleIndex([0.2, 0.5, 0.3], 0.05, rng.next)).toBe(1);
    expect(sampleIndex([0, 0, 0], 1, rng.next)).toBe(0);
  });
});
