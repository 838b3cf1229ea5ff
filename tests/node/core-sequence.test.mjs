// The sequence ABI (v6) through the real .wasm and the Model wrapper: an LSTM
// learns a memory task (echo the symbol one step back) with clipping;
// stepwise generation on a T = 1 model equals the T-step pass bit for bit;
// the per-step views have their documented sizes and meaning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './core-load.mjs';
import { SequenceLayers } from '../../web/src/engine/nn-wasm.js';
import { rng } from './core-util.mjs';

const engine = await loadEngine();

/** One-hot symbols x [n x T x V] and targets y = the symbol `delay` steps back (step < delay: symbol 0). */
function echoData(n, T, V, delay, seed) {
  const r = rng(seed);
  const x = new Float32Array(n * T * V), y = new Float32Array(n * T * V);
  for (let i = 0; i < n; i++) {
    const s = Array.from({ length: T }, () => r.next() % V);
    for (let t = 0; t < T; t++) {
      x[(i * T + t) * V + s[t]] = 1;
      y[(i * T + t) * V + (t >= delay ? s[t - delay] : 0)] = 1;
    }
  }
  return { x, y };
}

test('an LSTM with a per-step softmax learns to echo the previous symbol; clipping reports the norm', () => {
  const T = 8, V = 4, B = 16;
  const m = engine.createModel({ input: [T, V, 1], layers: [SequenceLayers.lstm(12, { returnSequences: true }),
    SequenceLayers.stepDense(V, 'softmax')], loss: 'ce', seed: 3, maxBatch: B });
  try {
    m.setOptimizer('adam', { lr: 0.03 });
    m.setClipNorm(1);
    assert.equal(m.gradNorm(), 0);
    const first = m.trainStep(echoData(B, T, V, 1, 1).x, echoData(B, T, V, 1, 1).y, B);
    assert.ok(Math.abs(first - Math.log(V)) < 0.2, `initial loss ${first} near ln ${V}`);
    assert.ok(m.gradNorm() > 0 && Number.isFinite(m.gradNorm()));
    let loss = first;
    for (let step = 0; step < 200; step++) {
      const { x, y } = echoData(B, T, V, 1, 100 + step);
      loss = m.trainStep(x, y, B);
    }
    const test = echoData(64, T, V, 1, 9999);
    const { loss: evalLoss, correct } = m.evaluate(test.x, test.y, 64);
    assert.ok(evalLoss < 0.15, `echo loss after 200 steps: ${evalLoss} (last step ${loss})`);
    assert.ok(correct / (64 * T) > 0.95, `accuracy per step ${correct / (64 * T)}`);
  } finally {
    m.destroy();
  }
});

test('stepwise generation on a T = 1 model equals the T-step pass bit for bit; the state round-trips', () => {
  const T = 7, V = 5, B = 3;
  const layers = [SequenceLayers.rnn(6, { returnSequences: true }), SequenceLayers.lstm(4, { returnSequences: true }),
    SequenceLayers.stepDense(V, 'softmax')];
  const full = engine.createModel({ input: [T, V, 1], layers, loss: 'ce', seed: 5, maxBatch: B });
  const step = engine.createModel({ input: [1, V, 1], layers, loss: 'ce', seed: 6, maxBatch: B });
  try {
    step.loadParams(full.params());
    const { x } = echoData(B, T, V, 1, 42);
    const want = full.forward(x, B);
    step.setStateful(true);
    step.resetState();
    assert.equal(step.stateFloats(), 6 + 2 * 4);
    for (let t = 0; t < T; t++) {
      const xs = new Float32Array(B * V);
      for (let b = 0; b < B; b++) xs.set(x.subarray((b * T + t) * V, (b * T + t + 1) * V), b * V);
      const got = step.forward(xs, B);
      for (let b = 0; b < B; b++)
        assert.deepEqual(got.subarray(b * V, (b + 1) * V), want.subarray((b * T + t) * V, (b * T + t + 1) * V), `step ${t} row ${b}`);
    }
    const state = step.getState(B);
    assert.equal(state.length, B * 14);
    assert.ok(state.some((v) => v !== 0));
    step.resetState();
    assert.deepEqual(step.getState(B), new Float32Array(B * 14));
    step.setState(state, B);
    assert.deepEqual(step.getState(B), state);
  } finally {
    full.destroy();
    step.destroy();
  }
});

test('per-step views: sizes, h is the layer output, dL/dh through time', () => {
  const T = 6, F = 3, H = 4;
  const m = engine.createModel({ input: [T, F, 1], layers: [SequenceLayers.lstm(H, { returnSequences: true }),
    SequenceLayers.rnn(H, { returnSequences: false }), { kind: 'dense', activation: 'linear', units: 1 }], loss: 'mse', seed: 2, maxBatch: 2 });
  try {
    assert.equal(m.sequenceFloats(0), 7 * T * H);
    assert.equal(m.sequenceFloats(1), 2 * T * H);
    const x = Float32Array.from({ length: T * F }, (_, i) => Math.sin(i));
    const v0 = m.sequenceInspect(0, x, [0.5]), v1 = m.sequenceInspect(1, x, [0.5]);
    const all = m.forwardAll(x, 1);
    assert.deepEqual(v0.subarray(0, T * H), all[0], 'LSTM h_t is its output');
    assert.deepEqual(v1.subarray((T - 1) * H, T * H), all[1], 'the RNN output is its last h');
    // the RNN returns its last step only: dL/dh_t before it comes through the recurrence alone, and is non-zero
    const dh = v1.subarray(T * H, 2 * T * H);
    for (let t = 0; t < T; t++) assert.ok(dh.subarray(t * H, (t + 1) * H).some((g) => g !== 0), `dL/dh_${t}`);
    // LSTM gates are in (0, 1) (i, f, o) and (-1, 1) (g)
    for (let q = 3; q < 7; q++)
      for (const g of v0.subarray(q * T * H, (q + 1) * T * H)) assert.ok(q === 5 ? g > -1 && g < 1 : g > 0 && g < 1);
  } finally {
    m.destroy();
  }
});
