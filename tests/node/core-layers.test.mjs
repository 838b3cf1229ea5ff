// ABI v3/v4 through the wrapper on the real .wasm: models from layer
// descriptors, the parameter layout and shapes the core hands out, the
// split training step (== trainStep bit for bit), the input gradient, a
// caller-supplied output gradient, and explain; v4's CNN kinds and planLayers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './core-load.mjs';
import { rng } from './core-util.mjs';
import { Status } from '../../web/src/engine/nn-wasm.js';

const engine = await loadEngine();

function data(r, rows, inputs, outputs) {
  const x = Float32Array.from({ length: rows * inputs }, () => r.uniform());
  const y = new Float32Array(rows * outputs);
  for (let i = 0; i < rows; i++) y[i * outputs + (r.next() % outputs)] = 1;
  return { x, y };
}

test('a model from descriptors has the same bits as the same model from sizes', () => {
  const a = engine.createModel({ sizes: [6, 5, 3], activations: ['relu', 'softmax'], loss: 'ce', seed: 4, maxBatch: 8 });
  const b = engine.createModel({
    input: [2, 3, 1], loss: 'ce', seed: 4, maxBatch: 8,
    layers: [{ kind: 'dense', units: 5, activation: 'relu' }, { units: 3, activation: 'softmax' }],
  });
  assert.deepEqual(b.sizes, [6, 5, 3]);
  assert.deepEqual(b.params(), a.params());
  const r = rng(3);
  const { x, y } = data(r, 8, 6, 3);
  for (const m of [a, b]) {
    m.setOptimizer('adam', { lr: 0.01 });
    for (let i = 0; i < 4; i++) m.trainStep(x, y, 8);
  }
  assert.deepEqual(b.params(), a.params());
  assert.deepEqual(b.layerShapes(), [[2, 3, 1], [5, 1, 1], [3, 1, 1]]);
  assert.deepEqual(b.descriptors(), [[0, 1, 5, 0, 0, 0, 0, 0], [0, 5, 3, 0, 0, 0, 0, 0]]);
  a.destroy();
  b.destroy();
});

test('paramLayout gives every block with its PyTorch shape and offset', () => {
  const m = engine.createModel({ sizes: [3, 4, 2], activations: ['tanh', 'linear'], loss: 'mse', seed: 1 });
  const layout = m.paramLayout();
  assert.deepEqual(layout.map(({ layer, block, offset, shape, length }) => [layer, block, offset, shape, length]), [
    [0, 0, 0, [4, 3], 12], [0, 1, 12, [4], 4], [1, 0, 16, [2, 4], 8], [1, 1, 24, [2], 2],
  ]);
  assert.equal(layout.reduce((s, b) => s + b.length, 0), m.paramCount);
  m.setParam(1, 0, 1, 3, 0.625);
  m.setParam(1, 1, 1, 0, -0.5);
  const p = m.params();
  assert.equal(p[16 + 1 * 4 + 3], 0.625);
  assert.equal(p[24 + 1], -0.5);
  assert.deepEqual(m.layout(1), { weight: 16, bias: 24, rows: 2, cols: 4 });
  m.destroy();
});

test('forwardTrain + backward + update equals trainStep bit for bit', () => {
  const spec = { sizes: [4, 8, 8, 3], activations: ['leaky_relu', 'sigmoid', 'softmax'], loss: 'ce', seed: 9, maxBatch: 5 };
  const a = engine.createModel(spec), b = engine.createModel(spec);
  for (const m of [a, b]) {
    m.setOptimizer('momentum', { lr: 0.1, beta1: 0.7 });
    m.setRegularization('l2', 0.001);
  }
  const r = rng(11);
  for (let step = 0; step < 10; step++) {
    const rows = 1 + (step % 5);
    const { x, y } = data(r, rows, 4, 3);
    const la = a.trainStep(x, y, rows);
    b.forwardTrain(x, rows);
    const lb = b.backward(y, { inputGrad: step % 2 === 1 });
    assert.equal(b.update(), 0);
    assert.equal(Object.is(la, lb), true, `step ${step}: loss ${la} vs ${lb}`);
  }
  assert.deepEqual(b.params(), a.params());
  a.destroy();
  b.destroy();
});

test('the input gradient matches central differences of the loss', () => {
  const m = engine.createModel({ sizes: [3, 5, 2], activations: ['tanh', 'softmax'], loss: 'ce', seed: 2, maxBatch: 2 });
  const x = new Float32Array([0.3, -0.7, 0.5, 0.1, 0.9, -0.2]);
  const y = new Float32Array([1, 0, 0, 1]);
  m.forwardTrain(x, 2);
  m.backward(y, { inputGrad: true });
  const gx = m.inputGrad();
  assert.equal(gx.length, 6);
  const h = 1e-2; // float32 forward: a wide step, loose tolerance
  for (let i = 0; i < 6; i++) {
    const xp = x.slice(), xm = x.slice();
    xp[i] += h;
    xm[i] -= h;
    const want = (m.evaluate(xp, y, 2).loss - m.evaluate(xm, y, 2).loss) / (2 * h); // both the batch mean
    assert.ok(Math.abs(gx[i] - want) < 1e-3 + 1e-2 * Math.abs(want), `x[${i}]: ${gx[i]} vs ${want}`);
  }
  m.destroy();
});

test('backwardFrom trains a generator through a discriminator like one stacked network', () => {
  const g = engine.createModel({ sizes: [2, 3, 2], activations: ['tanh', 'linear'], loss: 'mse', seed: 5, maxBatch: 4 });
  const d = engine.createModel({ sizes: [2, 4, 1], activations: ['relu', 'sigmoid'], loss: 'bce', seed: 6, maxBatch: 4 });
  const stack = engine.createModel({ sizes: [2, 3, 2, 4, 1], activations: ['tanh', 'linear', 'relu', 'sigmoid'], loss: 'bce', maxBatch: 4 });
  stack.loadParams([...g.params(), ...d.params()]);
  const z = new Float32Array([0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8]);
  const ones = [1, 1, 1, 1];
  g.forwardTrain(z, 4);
  const fake = g.forward(z, 4);
  assert.throws(() => g.backwardFrom([0, 0, 0, 0, 0, 0, 0, 0]), /forward_train/); // forward ended it
  g.forwardTrain(z, 4);
  d.forwardTrain(fake, 4);
  const loss = d.backward(ones, { inputGrad: true });
  g.backwardFrom(d.inputGrad());
  const stackLoss = stack.computeGradients(z, ones, 4);
  assert.ok(Math.abs(loss - stackLoss) < 1e-6, `${loss} vs ${stackLoss}`);
  const gg = g.grads(), gs = stack.grads();
  for (let i = 0; i < gg.length; i++) assert.ok(Math.abs(gg[i] - gs[i]) <= 1e-5 * Math.abs(gs[i]) + 1e-7, `grad ${i}: ${gg[i]} vs ${gs[i]}`);
  const before = g.params();
  assert.equal(g.update(), 0);
  assert.notDeepEqual(g.params(), before);
  for (const m of [g, d, stack]) m.destroy();
});

test('explain gives each layer\'s z, a and delta for one example', () => {
  const m = engine.createModel({ sizes: [2, 2, 1], activations: ['relu', 'linear'], loss: 'mse', maxBatch: 4 });
  // z1 = W1 x + b1, a1 = relu(z1), z2 = w2 . a1 + b2, MSE delta2 = 2 (z2 - y)
  [[0.5, -1], [2, 0.25]].forEach((row, j) => row.forEach((w, k) => m.setParam(0, 0, j, k, w)));
  m.setParam(0, 1, 0, 0, 0.125);
  m.setParam(0, 1, 1, 0, -0.5);
  m.setParam(1, 0, 0, 0, 1.5);
  m.setParam(1, 0, 0, 1, -2);
  m.setParam(1, 1, 0, 0, 0.25);
  const before = m.params();
  const e = m.explain([1, 2], [0.5]);
  const z1 = [0.5 - 2 + 0.125, 2 + 0.5 - 0.5], a1 = [0, 2];
  const z2 = 1.5 * 0 - 2 * 2 + 0.25, d2 = 2 * (z2 - 0.5);
  const d1 = [0, -2 * d2]; // relu' is 0 where z1 < 0
  const dx = [0.5 * d1[0] + 2 * d1[1], -1 * d1[0] + 0.25 * d1[1]];
  assert.deepEqual(Array.from(e.layers[0].z), z1);
  assert.deepEqual(Array.from(e.layers[0].a), a1);
  assert.deepEqual(Array.from(e.layers[0].delta), d1);
  assert.deepEqual(Array.from(e.layers[1].z), [z2]);
  assert.deepEqual(Array.from(e.layers[1].a), [z2]);
  assert.deepEqual(Array.from(e.layers[1].delta), [d2]);
  assert.deepEqual(Array.from(e.inputGrad), dx);
  assert.deepEqual(m.params(), before, 'explain leaves the parameters alone');
  m.destroy();
});

// ABI v4: CNN kinds through the wrapper.
const CNN_FAST = [
  { kind: 'conv2d', activation: 'relu', ints: [8, 5, 5, 1, 0] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
  { kind: 'conv2d', activation: 'relu', ints: [16, 5, 5, 1, 0] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
  { kind: 'flatten', activation: 'linear' }, { kind: 'dense', activation: 'softmax', units: 10 },
];

test('planLayers gives every layer\'s shape and parameter count, or names the refused layer', () => {
  const plan = engine.planLayers(CNN_FAST, [1, 28, 28]);
  assert.deepEqual(plan, { ok: true, layers: [
    { shape: [8, 24, 24], params: 208 }, { shape: [8, 12, 12], params: 0 }, { shape: [16, 8, 8], params: 3216 },
    { shape: [16, 4, 4], params: 0 }, { shape: [256, 1, 1], params: 0 }, { shape: [10, 1, 1], params: 2570 }] });
  const tooBig = CNN_FAST.map((l, i) => (i === 3 ? { ...l, ints: [9, 2] } : l));
  const refused = engine.planLayers(tooBig, [1, 28, 28]);
  assert.equal(refused.ok, false);
  assert.ok(!refused.ok && refused.layer === 3 && refused.status === Status.ERR_LAYER_CONFIG && /do not fit/.test(refused.message),
    JSON.stringify(refused));
  const badInput = engine.planLayers(CNN_FAST, [1, 0, 28]);
  assert.ok(!badInput.ok && badInput.layer === -1, JSON.stringify(badInput));
  const none = engine.planLayers([], [1, 28, 28]);
  assert.ok(!none.ok && none.layer === -1, JSON.stringify(none));
});

test('a CNN model: shapes, PyTorch weight layout, forwardAll feature maps in c, h, w order', () => {
  const m = engine.createModel({ input: [1, 28, 28], layers: CNN_FAST, loss: 'ce', seed: 3, maxBatch: 4 });
  try {
    assert.deepEqual(m.layerShapes(), [[1, 28, 28], [8, 24, 24], [8, 12, 12], [16, 8, 8], [16, 4, 4], [256, 1, 1], [10, 1, 1]]);
    assert.deepEqual(m.paramLayout().map((b) => b.shape), [[8, 1, 5, 5], [8], [16, 8, 5, 5], [16], [10, 256], [10]]);
    const r = rng(9);
    const x = Float32Array.from({ length: 2 * 784 }, () => r.uniform());
    const all = m.forwardAll(x, 2);
    assert.deepEqual(all.map((a) => a.length), [2 * 4608, 2 * 1152, 2 * 1024, 2 * 256, 2 * 256, 2 * 10]);
    // the first pool's feature map (example 1, channel 5, row 3, col 7) is the max of the conv's 2x2 window
    const conv = all[0], pool = all[1];
    const at = (arr, ex, size, c, h, w, y, xx) => arr[ex * size + (c * h + y) * w + xx];
    const want = Math.max(at(conv, 1, 4608, 5, 24, 24, 6, 14), at(conv, 1, 4608, 5, 24, 24, 6, 15),
      at(conv, 1, 4608, 5, 24, 24, 7, 14), at(conv, 1, 4608, 5, 24, 24, 7, 15));
    assert.equal(at(pool, 1, 1152, 5, 12, 12, 3, 7), want);
    assert.deepEqual(all[4], all[3], 'flatten keeps the order');
    assert.deepEqual(all[5], m.forward(x, 2));
  } finally {
    m.destroy();
  }
});
