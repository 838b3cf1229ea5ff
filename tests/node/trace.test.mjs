// trace.test.mjs — the trace JSON ("Download these numbers") against
// torch.autograd: traces from the REAL WASM engine (web/src/engine/trace.js
// over build/node/nn.cjs) for every hidden activation x output head the
// playground offers, on small random nets trained a few steps, several
// examples each, plus two CNNs (conv2d, max-pool, flatten, dense; the MNIST
// lab's small fast CNN on a 28x28 input); then
// tests/python/trace_autograd.py recomputes z, a, delta, dW, db, dL/dx and
// the loss in float64 from the same W, b, x, y with Debian's python3-torch
// and compares. Also: the engine's finite difference against the trace's
// backprop, and the optimizer preview against a real step. Sequence models
// (RNN, LSTM, per-step dense): every time step's numbers against an
// unrolled float64 torch cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from './core-load.mjs';
import { rng } from './core-util.mjs';
import { ExampleTracer, buildTrace, traceModel } from '../../web/src/engine/trace.js';
import { Limits, SequenceLayers } from '../../web/src/engine/nn-wasm.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../python/trace_autograd.py', import.meta.url));
const HIDDEN = ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'linear'];
const HEADS = [
  { activation: 'sigmoid', loss: 'bce', outputs: 1 },
  { activation: 'softmax', loss: 'ce', outputs: 3 },
  { activation: 'linear', loss: 'mse', outputs: 1 },
];
const engine = await loadEngine();

/** Targets as the playground makes them: 0/1, one-hot, or a real value. */
function target(loss, outputs, r) {
  if (loss === 'ce') return Array.from({ length: outputs }, (_, j) => (j === r.next() % outputs ? 1 : 0));
  if (loss === 'bce') return [r.next() % 2];
  return [r.uniform()];
}

/** n rows of (x, y) for a model. */
function data(inputs, loss, outputs, n, r) {
  const xs = [], ys = [];
  for (let i = 0; i < n; i++) {
    xs.push(Array.from({ length: inputs }, () => 2 * r.uniform()));
    ys.push(target(loss, outputs, r));
  }
  return { xs, ys };
}

/** A model trained a few Adam steps (with L2 on, which the trace must leave out). */
function trained(spec, xs, ys) {
  const model = engine.createModel({ ...spec, seed: 7, maxBatch: xs.length });
  model.setOptimizer('adam', { lr: 0.03 });
  model.setRegularization('l2', 0.01);
  for (let i = 0; i < 10; i++) model.trainStep(xs.flat(), ys.flat(), xs.length);
  return model;
}

test('traces of every activation x loss match torch.autograd (float64)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-trace-'));
  try {
    const files = [];
    const r = rng(20261130);
    for (const hidden of HIDDEN) {
      for (const head of HEADS) {
        const inputs = 2 + (r.next() % 4);
        const sizes = [inputs, 3 + (r.next() % 4), 2 + (r.next() % 4), head.outputs];
        const { xs, ys } = data(inputs, head.loss, head.outputs, 6, r);
        const model = trained({ sizes, activations: [hidden, hidden, head.activation], loss: head.loss }, xs, ys);
        const scratch = traceModel(engine, model, head.loss);
        for (let e = 0; e < 3; e++) {
          const { trace } = buildTrace(scratch, {
            loss: head.loss, x: xs[e] ?? [], y: ys[e] ?? [], index: e, lab: 'test',
            config: { hidden, head: head.activation }, optimizer: model.optimizerInfo(),
          });
          assert.equal(trace.layers.length, 3);
          assert.deepEqual(trace.layers.map((l) => l.activation), [hidden, hidden, head.activation]);
          assert.equal(trace.optimizer?.regularization, 'l2');
          const file = join(dir, `${hidden}-${head.loss}-${e}.json`);
          writeFileSync(file, JSON.stringify(trace));
          files.push(file);
        }
        scratch.destroy();
        model.destroy();
      }
    }
    // a CNN: [C][H][W] vectors, conv weights [out][in][kh][kw]
    const cnn = { input: [2, 6, 6], loss: 'ce', layers: [
      { kind: 'conv2d', activation: 'tanh', ints: [3, 3, 3, 1, 1] },
      { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'flatten', activation: 'linear' },
      { kind: 'dense', activation: 'softmax', units: 4 },
    ] };
    const { xs, ys } = data(72, 'ce', 4, 2, r);
    const model = trained(cnn, xs, ys);
    const scratch = traceModel(engine, model, 'ce');
    const { trace } = buildTrace(scratch, { loss: 'ce', x: xs[0] ?? [], y: ys[0] ?? [], index: 0, lab: 'test' });
    assert.deepEqual(trace.input_shape, [2, 6, 6]);
    assert.deepEqual(trace.layers.map((l) => l.output_shape), [[3, 6, 6], [3, 3, 3], [27], [4]]);
    assert.deepEqual(trace.layers[0], { kind: 'conv2d', activation: 'tanh', output_shape: [3, 6, 6], filters: 3, kernel: [3, 3], stride: 1, padding: 1 });
    const cnnFile = join(dir, 'cnn.json');
    writeFileSync(cnnFile, JSON.stringify(trace));
    files.push(cnnFile);
    scratch.destroy();
    model.destroy();

    // the MNIST lab's "small fast CNN" (a dense layer straight after a pool reads it flat), on a 28x28 digit-sized input
    const fast = { input: [1, 28, 28], loss: 'ce', layers: [
      { kind: 'conv2d', activation: 'relu', ints: [8, 5, 5, 1, 0] },
      { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'conv2d', activation: 'relu', ints: [16, 5, 5, 1, 0] },
      { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'dense', activation: 'softmax', units: 10 },
    ] };
    const digits = data(784, 'ce', 10, 2, r);
    const mnistModel = trained(fast, digits.xs.map((x) => x.map((v) => Math.abs(v) / 2)), digits.ys);
    const mnistScratch = traceModel(engine, mnistModel, 'ce');
    const mnistTrace = buildTrace(mnistScratch, { loss: 'ce', x: (digits.xs[0] ?? []).map((v) => Math.abs(v) / 2), y: digits.ys[0] ?? [], index: 0, lab: 'mnist' }).trace;
    assert.deepEqual(mnistTrace.layers.map((l) => l.output_shape), [[8, 24, 24], [8, 12, 12], [16, 8, 8], [16, 4, 4], [10]]);
    const mnistFile = join(dir, 'mnist-cnn.json');
    writeFileSync(mnistFile, JSON.stringify(mnistTrace));
    files.push(mnistFile);
    mnistScratch.destroy();
    mnistModel.destroy();

    const run = spawnSync(PYTHON, [SCRIPT, ...files], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `trace_autograd.py failed:\n${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}');
    assert.equal(result.files, files.length);
    assert.ok(result.worst > 0, 'a float32 engine cannot match float64 exactly: no comparison happened');
    console.log(`JSON vs torch.autograd (float64): ${files.length} traces, worst relative difference ${result.worst.toExponential(2)} (${result.where})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the trace leaves regularisation out and changes nothing in the model', () => {
  const r = rng(5);
  const { xs, ys } = data(2, 'bce', 1, 4, r);
  const model = trained({ sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], loss: 'bce' }, xs, ys);
  const before = model.params();
  const scratch = traceModel(engine, model, 'bce');
  const { trace, grads } = buildTrace(scratch, { loss: 'bce', x: xs[0] ?? [], y: ys[0] ?? [], index: 0, lab: 'test' });
  assert.deepEqual(model.params(), before);
  // the same example through the live model with L2 off: the same gradients
  model.setRegularization('none');
  const loss = model.computeGradients(xs[0] ?? [], ys[0] ?? [], 1);
  assert.deepEqual(model.grads(), grads);
  assert.equal(trace.loss_value, Number(loss.toPrecision(9)));
  // and the delta of a sigmoid + BCE output is a - y
  const out = /** @type {number[]} */ (trace.output);
  const delta = /** @type {number[]} */ (trace.backward[1]?.delta);
  assert.ok(Math.abs((delta[0] ?? NaN) - ((out[0] ?? NaN) - (ys[0]?.[0] ?? NaN))) < 1e-7);
  scratch.destroy();
  model.destroy();
});

test('the engine finite difference agrees with the trace backprop within 1e-3', () => {
  const r = rng(11);
  let worst = 0;
  for (const hidden of ['tanh', 'sigmoid', 'leaky_relu']) {
    const { xs, ys } = data(3, 'ce', 3, 4, r);
    const model = trained({ sizes: [3, 5, 3], activations: [hidden, 'softmax'], loss: 'ce' }, xs, ys);
    const scratch = traceModel(engine, model, 'ce');
    const { grads } = buildTrace(scratch, { loss: 'ce', x: xs[1] ?? [], y: ys[1] ?? [], index: 1, lab: 'test' });
    const before = scratch.params();
    for (let i = 0; i < scratch.paramCount; i++) {
      const fd = scratch.finiteDifference(i, xs[1] ?? [], ys[1] ?? []);
      const g = grads[i] ?? NaN;
      const rel = Math.abs(fd.value - g) / Math.max(Math.abs(fd.value), Math.abs(g), 1e-6);
      worst = Math.max(worst, rel);
      assert.ok(rel <= 1e-3, `${hidden} param ${i}: fd ${fd.value}, backprop ${g}`);
      assert.ok(fd.h > 0 && Number.isFinite(fd.lossPlus) && Number.isFinite(fd.lossMinus));
    }
    assert.deepEqual(scratch.params(), before, 'the finite difference changed a parameter');
    scratch.destroy();
    model.destroy();
  }
  console.log(`finite difference vs backprop: worst relative difference ${worst.toExponential(2)}`);
  assert.throws(() => engine.createModel({ sizes: [2, 1], activations: ['linear'], loss: 'mse' }).finiteDifference(3, [0, 0], [0]), /out of range/);
});

test('the optimizer preview is the next step, bit for bit', () => {
  const r = rng(3);
  for (const opt of ['sgd', 'momentum', 'adam']) {
    const { xs, ys } = data(2, 'mse', 1, 1, r);
    const model = engine.createModel({ sizes: [2, 3, 1], activations: ['tanh', 'linear'], loss: 'mse', seed: 2, maxBatch: 1 });
    model.setOptimizer(opt, { lr: 0.1 });
    model.setRegularization('l1', 0.01);
    for (let step = 0; step < 3; step++) {
      const info = model.optimizerInfo();
      assert.equal(info.kind, opt);
      assert.equal(info.step, step);
      assert.equal(info.regularization, 'l1');
      const scratch = traceModel(engine, model, 'mse');
      const { grads } = buildTrace(scratch, { loss: 'mse', x: xs[0] ?? [], y: ys[0] ?? [], index: 0, lab: 'test' });
      scratch.destroy();
      const preview = model.optimizerPreview(0, model.paramCount, grads);
      model.trainStep(xs[0] ?? [], ys[0] ?? [], 1);
      const after = model.params();
      for (let i = 0; i < model.paramCount; i++) assert.equal(preview[i * Limits.PREVIEW_FLOATS + 6], after[i], `${opt} step ${step} param ${i}`);
    }
    model.destroy();
  }
});

test('sequence models: traces of RNN and LSTM layers match torch.autograd step by step; the finite difference and the preview agree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-trace-seq-'));
  try {
    const r = rng(1313);
    const T = 5, F = 3, V = 3;
    const models = [
      { name: 'lstm-seq2seq', loss: 'ce', input: [T, F, 1], outputs: T * V, layers: [SequenceLayers.lstm(4, { returnSequences: true }), SequenceLayers.stepDense(V, 'softmax')] },
      { name: 'rnn-seq2seq', loss: 'ce', input: [T, F, 1], outputs: T * V, layers: [SequenceLayers.rnn(4, { returnSequences: true }), SequenceLayers.stepDense(V, 'softmax')] },
      { name: 'lstm-rnn-seq2one', loss: 'mse', input: [T, F, 1], outputs: 1, layers: [SequenceLayers.lstm(3, { returnSequences: true }),
        SequenceLayers.rnn(3, { returnSequences: false }), { kind: 'dense', activation: 'linear', units: 1 }] },
    ];
    const files = [];
    let worstFd = 0;
    for (const spec of models) {
      const xs = [], ys = [];
      for (let i = 0; i < 4; i++) {
        xs.push(Array.from({ length: T * F }, () => 2 * r.uniform() - 1));
        ys.push(spec.loss === 'ce' ? Array.from({ length: T }, () => { const k = r.next() % V; return Array.from({ length: V }, (_, j) => (j === k ? 1 : 0)); }).flat() : [r.uniform()]);
      }
      const model = trained({ input: spec.input, layers: spec.layers, loss: spec.loss }, xs, ys);
      const tracer = new ExampleTracer(engine);
      const { trace, preview } = tracer.trace(model, { loss: spec.loss, x: xs[1] ?? [], y: ys[1] ?? [], index: 1, lab: 'sequence', epoch: 0 });
      assert.deepEqual(trace.input_shape, [T, F]);
      const rec = trace.layers[0];
      assert.equal(rec?.return_sequences, true);
      assert.equal(/** @type {number[][]} */ (trace.forward[0]?.steps?.h).length, T, 'per-step arrays are [T][...]');
      assert.equal(/** @type {number[][]} */ (trace.backward[0]?.steps?.delta)[0]?.length, (rec?.kind === 'lstm' ? 4 : 1) * (rec?.hidden ?? 0));
      const file = join(dir, `${spec.name}.json`);
      writeFileSync(file, JSON.stringify(trace));
      files.push(file);
      // the finite difference of every parameter (double forward through the steps) against backprop
      for (let i = 0; i < model.paramCount; i++) {
        const c = tracer.check(i);
        const rel = Math.abs(c.finiteDifference - c.backprop) / Math.max(Math.abs(c.finiteDifference), Math.abs(c.backprop), 1e-4);
        worstFd = Math.max(worstFd, rel);
        assert.ok(rel <= 1e-3, `${spec.name} param ${i}: fd ${c.finiteDifference}, backprop ${c.backprop}`);
      }
      // one weight's preview is the update the live model's next step with these gradients makes
      const one = tracer.preview(model, 2);
      assert.deepEqual(one.values, preview.subarray(2 * Limits.PREVIEW_FLOATS, 3 * Limits.PREVIEW_FLOATS));
      tracer.dispose();
      model.destroy();
    }
    const run = spawnSync(PYTHON, [SCRIPT, ...files], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `trace_autograd.py failed:\n${run.stdout}\n${run.stderr}`);
    const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}');
    assert.equal(result.files, files.length);
    assert.ok(result.worst > 0, 'no comparison happened');
    console.log(`sequence traces vs torch.autograd (float64): ${files.length} traces, worst ${result.worst.toExponential(2)} (${result.where}); finite difference vs backprop worst ${worstFd.toExponential(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
