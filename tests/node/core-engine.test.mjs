// The real .wasm through the wrapper: exact outputs from hand-set weights,
// XOR convergence, trainEpoch == the equivalent train steps (bit for bit),
// forwardAll's layout, evaluate, parameter round trips, the uint8 gather,
// and heap buffers that survive memory growth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './core-load.mjs';
import { Status } from '../../web/src/engine/enums.js';
import { rng } from './core-util.mjs';

const engine = await loadEngine();
const f = Math.fround;

test('exact outputs from hand-set weights for every activation', () => {
  // zero weights, biases (z0, z1): the outputs are act(z0), act(z1)
  const cases = [
    ['linear', -1.5, 2.25, [-1.5, 2.25]],
    ['relu', -1.5, 2.25, [0, 2.25]],
    ['leaky_relu', -2, 2.25, [f(-2 * f(0.01)), 2.25]],
    ['tanh', 0.5, -2, [f(0.46211715726000974), f(-0.9640275800758169)]],
    ['sigmoid', 1, -3, [f(0.7310585786300049), f(0.04742587317756678)]],
    ['softmax', 1, 3, [f(0.11920292202211755), f(0.8807970779778823)]],
  ];
  for (const [act, z0, z1, want] of cases) {
    const m = engine.createModel({ sizes: [1, 2], activations: [act], loss: act === 'softmax' ? 'ce' : 'mse', maxBatch: 1 });
    m.setParam(0, 0, 0, 0, 0);
    m.setParam(0, 0, 1, 0, 0);
    m.setParam(0, 1, 0, 0, z0);
    m.setParam(0, 1, 1, 0, z1);
    assert.deepEqual(Array.from(m.forward([7], 1)), want, act);
    m.destroy();
  }
});

test('XOR 2-4-1 reaches loss < 0.01 within 300 Adam steps (seed 1)', () => {
  const m = engine.createModel({ sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], loss: 'bce', seed: 1, maxBatch: 4 });
  m.setOptimizer('adam', { lr: 0.05 });
  const x = engine.fromArray(new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]));
  const y = engine.fromArray(new Float32Array([0, 1, 1, 0]));
  let steps = 0;
  while (steps < 300 && m.evaluate(x, y, 4).loss >= 0.01) {
    m.trainStep(x, y, 4);
    steps++;
  }
  const { loss, correct } = m.evaluate(x, y, 4);
  assert.ok(loss < 0.01, `loss ${loss} after ${steps} steps`);
  assert.equal(correct, 4);
  m.destroy();
});

test('trainEpoch with an order equals the same train steps, bit for bit', () => {
  const r = rng(5);
  const n = 23, batch = 4;
  const x = Float32Array.from({ length: n * 3 }, () => r.uniform());
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) y[i * 2 + (r.next() % 2)] = 1;
  const order = Int32Array.from({ length: n }, (_, i) => (i * 7) % n);
  const spec = { sizes: [3, 5, 2], activations: ['relu', 'softmax'], loss: 'ce', seed: 3, maxBatch: batch };
  const a = engine.createModel(spec), b = engine.createModel(spec);
  for (const m of [a, b]) m.setOptimizer('momentum', { lr: 0.1, beta1: 0.8 });
  const meanA = a.trainEpoch(x, y, n, order, batch);
  let sum = 0, steps = 0;
  for (let s = 0; s < n; s += batch) {
    const rows = Math.min(batch, n - s);
    const xb = new Float32Array(rows * 3), yb = new Float32Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      xb.set(x.subarray(order[s + i] * 3, order[s + i] * 3 + 3), i * 3);
      yb.set(y.subarray(order[s + i] * 2, order[s + i] * 2 + 2), i * 2);
    }
    sum += b.trainStep(xb, yb, rows);
    steps++;
  }
  assert.deepEqual(a.params(), b.params());
  assert.ok(Math.abs(meanA - sum / steps) < 1e-6, `mean loss ${meanA} vs ${sum / steps}`);
  a.destroy();
  b.destroy();
});

test('forwardAll returns each layer in order; evaluate counts argmax matches', () => {
  const m = engine.createModel({ sizes: [2, 3, 2], activations: ['relu', 'softmax'], loss: 'ce', seed: 9, maxBatch: 2 });
  const x = [0.5, -1, 1, 1, -0.25, 0.75]; // 3 rows: chunked by maxBatch 2
  const layers = m.forwardAll(x, 3);
  assert.equal(layers.length, 2);
  assert.equal(layers[0].length, 9);
  assert.deepEqual(layers[1], m.forward(x, 3));
  // the hidden layer by hand from the parameters
  const { weight, bias } = m.layout(0);
  const p = m.params();
  for (let row = 0; row < 3; row++) {
    for (let j = 0; j < 3; j++) {
      const z = f(f(f(p[bias + j]) + f(x[row * 2] * p[weight + j * 2])) + f(x[row * 2 + 1] * p[weight + j * 2 + 1]));
      assert.equal(layers[0][row * 3 + j], Math.max(z, 0), `hidden ${row},${j}`);
    }
  }
  const out = layers[1];
  const y = [1, 0, 0, 1, 0, 1];
  let want = 0;
  for (let row = 0; row < 3; row++) want += (out[row * 2 + 1] > out[row * 2] ? 1 : 0) === (y[row * 2 + 1] > y[row * 2] ? 1 : 0) ? 1 : 0;
  assert.equal(m.evaluate(x, y, 3).correct, want);
  m.destroy();
});

test('params / loadParams / reset round trips', () => {
  const spec = { sizes: [4, 6, 3], activations: ['tanh', 'softmax'], loss: 'ce', seed: 11, maxBatch: 8 };
  const a = engine.createModel(spec);
  const fresh = a.params();
  assert.equal(fresh.length, a.paramCount);
  assert.equal(a.paramCount, 4 * 6 + 6 + 6 * 3 + 3);
  assert.ok(fresh.some((v) => v !== 0), 'weights initialised');
  const { bias } = a.layout(0);
  assert.deepEqual(Array.from(fresh.subarray(bias, bias + 6)), [0, 0, 0, 0, 0, 0], 'biases start at 0');
  const bound = Math.sqrt(6 / (4 + 6)); // Xavier uniform for tanh
  for (let i = 0; i < 24; i++) assert.ok(Math.abs(fresh[i]) <= bound, `weight ${fresh[i]} within ${bound}`);
  const x = Array.from({ length: 8 * 4 }, (_, i) => Math.sin(i));
  const y = Array.from({ length: 8 * 3 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  a.setOptimizer('adam', { lr: 0.01 });
  for (let i = 0; i < 5; i++) a.trainStep(x, y, 8);
  const trained = a.params();
  const b = engine.createModel(spec);
  b.loadParams(trained);
  assert.deepEqual(b.params(), trained);
  assert.deepEqual(b.forward(x, 8), a.forward(x, 8), 'loaded model predicts identically');
  a.reset(11);
  assert.deepEqual(a.params(), fresh, 'reset(seed) == a new model with that seed');
  assert.equal(a.getParam(0, 0, 1, 2), fresh[1 * 4 + 2]);
  a.destroy();
  b.destroy();
});

test('gatherU8 scales the chosen rows', () => {
  const src = engine.fromArray(new Uint8Array([0, 255, 10, 20, 30, 40]));
  const idx = engine.fromArray(new Int32Array([2, 0]));
  const dst = engine.allocF32(4);
  engine.gatherU8(dst, src, 3, idx, 2, 2, 0.5);
  assert.deepEqual(Array.from(dst.view()), [15, 20, 0, 127.5]);
  assert.throws(() => engine.gatherU8(dst, src, 2, idx, 2, 2, 1), (e) => e.status === Status.ERR_INDEX);
  for (const b of [src, idx, dst]) b.free();
});

test('heap buffers stay valid when memory grows', () => {
  const m = engine.createModel({ sizes: [2, 2, 1], activations: ['tanh', 'sigmoid'], loss: 'bce', seed: 2, maxBatch: 4 });
  const x = engine.fromArray(new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]));
  const y = engine.fromArray(new Float32Array([0, 1, 1, 0]));
  const before = m.forward(x, 4);
  const oldBytes = engine.module.HEAPU8.length;
  const big = engine.allocF32(64 << 20); // 256 MiB forces growth
  assert.ok(engine.module.HEAPU8.length > oldBytes, 'memory grew');
  big.view()[big.length - 1] = 1;
  assert.deepEqual(m.forward(x, 4), before);
  assert.deepEqual(Array.from(x.view()), [0, 0, 0, 1, 1, 0, 1, 1]);
  assert.ok(Number.isFinite(m.trainStep(x, y, 4)));
  big.free();
  m.destroy();
});
