// The same seed and data give bit-identical parameters after 100 steps in
// the WASM build: twice, in a fresh module instance, and equal to the
// native build (tests/native/test_determinism.c, run here with --hash).
// Dense networks, CNNs (conv2d, max-pool, flatten) and recurrent networks (LSTM with a per-step
// softmax, stacked RNNs; gradient clipping), and GANs (ganStepD / ganStepG / ganSampleGrad, both
// losses, a conv D).
// SCENARIOS, GANS, makeData and ganHash mirror that C file; change both together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine } from './core-load.mjs';
import { rng, fnv1a } from './core-util.mjs';

const SCENARIOS = [
  { sizes: [20, 16, 10], act: ['relu', 'softmax'], loss: 'ce', opt: 'adam', lr: 1e-3, beta1: 0.9, reg: 'none', rate: 0, seed: 1, batch: 8 },
  { sizes: [3, 8, 8, 1], act: ['tanh', 'tanh', 'sigmoid'], loss: 'bce', opt: 'momentum', lr: 0.1, beta1: 0.9, reg: 'l2', rate: 1e-3, seed: 2, batch: 5 },
  { sizes: [4, 6, 2], act: ['leaky_relu', 'linear'], loss: 'mse', opt: 'sgd', lr: 0.05, beta1: 0, reg: 'l1', rate: 1e-3, seed: 3, batch: 7 },
  { sizes: [5, 9, 3], act: ['sigmoid', 'softmax'], loss: 'mse', opt: 'adam', lr: 0.01, beta1: 0.9, reg: 'none', rate: 0, seed: 4, batch: 3 },
  { sizes: [30, 16, 10], act: ['relu', 'softmax'], loss: 'ce', opt: 'adam', lr: 1e-3, beta1: 0.9, reg: 'l2', rate: 1e-4, seed: 5, batch: 16, sparse: true },
  { sizes: [100, 5], loss: 'ce', opt: 'adam', lr: 2e-3, beta1: 0.9, reg: 'l2', rate: 1e-4, seed: 6, batch: 6, sparse: true,
    input: [1, 10, 10], layers: [
      { kind: 'conv2d', activation: 'relu', ints: [4, 3, 3, 1, 1] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'conv2d', activation: 'relu', ints: [6, 3, 3, 1, 0] }, { kind: 'maxpool', activation: 'linear', ints: [2, 1] },
      { kind: 'flatten', activation: 'linear' }, { kind: 'dense', activation: 'softmax', units: 5 }] },
  { sizes: [126, 3], loss: 'mse', opt: 'momentum', lr: 0.02, beta1: 0.9, reg: 'l1', rate: 1e-4, seed: 7, batch: 4,
    input: [2, 7, 9], layers: [
      { kind: 'conv2d', activation: 'tanh', ints: [9, 3, 2, 2, 1] }, { kind: 'dense', activation: 'linear', units: 3 }] },
  { sizes: [30, 24], loss: 'ce', opt: 'adam', lr: 5e-3, beta1: 0.9, reg: 'none', rate: 0, seed: 8, batch: 4, sparse: true, clip: 1,
    input: [6, 5, 1], layers: [
      { kind: 'lstm', activation: 'linear', ints: [8, 1] }, { kind: 'dense', activation: 'softmax', ints: [4, 1] }] },
  { sizes: [24, 3], loss: 'mse', opt: 'momentum', lr: 0.05, beta1: 0.9, reg: 'l2', rate: 1e-3, seed: 9, batch: 3, clip: 0.5,
    input: [12, 2, 1], layers: [
      { kind: 'rnn', activation: 'linear', ints: [6, 1] }, { kind: 'rnn', activation: 'linear', ints: [5, 0] },
      { kind: 'dense', activation: 'linear', units: 3 }] },
];
const STEPS = 100;
const BATCHES = 5;

function makeData(sc, seed) {
  const n = sc.batch * BATCHES, inp = sc.sizes[0], out = sc.sizes.at(-1);
  const r = rng(seed);
  const x = new Float32Array(n * inp), y = new Float32Array(n * out);
  for (let i = 0; i < x.length; i++) {
    const v = r.uniform();
    x[i] = sc.sparse && i % 3 !== 0 ? 0 : v; // 2 of 3 inputs zero, like blank pixels
  }
  for (let row = 0; row < n; row++) {
    if (sc.loss === 'ce') y[row * out + (r.next() % out)] = 1;
    else for (let j = 0; j < out; j++) y[row * out + j] = sc.loss === 'bce' ? r.next() >>> 31 : r.uniform();
  }
  return { x, y };
}

function scenarioHash(engine, i) {
  const sc = SCENARIOS[i];
  const { x, y } = makeData(sc, 1000 + i);
  const model = sc.layers
    ? engine.createModel({ input: sc.input, layers: sc.layers, loss: sc.loss, seed: sc.seed, maxBatch: sc.batch })
    : engine.createModel({ sizes: sc.sizes, activations: sc.act, loss: sc.loss, seed: sc.seed, maxBatch: sc.batch });
  model.setOptimizer(sc.opt, { lr: sc.lr, beta1: sc.beta1, beta2: 0.999, eps: 1e-8 });
  model.setRegularization(sc.reg, sc.rate);
  model.setClipNorm(sc.clip ?? 0);
  const xb = engine.fromArray(x), yb = engine.fromArray(y);
  const inp = sc.sizes[0], out = sc.sizes.at(-1);
  for (let step = 0; step < STEPS; step++) {
    const b = step % BATCHES;
    const loss = model.trainStep(xb.at(b * sc.batch * inp), yb.at(b * sc.batch * out), sc.batch);
    assert.ok(Number.isFinite(loss), `scenario ${i} step ${step}: loss ${loss}`);
  }
  let h = fnv1a(model.params());
  // a recurrent first layer: its show-the-math numbers for the first example too (as test_determinism.c)
  if (sc.layers && (sc.layers[0].kind === 'rnn' || sc.layers[0].kind === 'lstm')) h = (h ^ fnv1a(model.sequenceMath(0, x.subarray(0, inp), y.subarray(0, out)))) >>> 0;
  model.destroy();
  xb.free();
  yb.free();
  return h;
}

const hex = (h) => h.toString(16).padStart(8, '0');

const dense = (units, activation) => ({ kind: 'dense', units, activation });
const GANS = [
  { loss: 'bce', noiseDim: 2, g: [dense(8, 'relu'), dense(2, 'linear')], dShape: [2, 1, 1],
    d: [dense(8, 'leaky_relu'), dense(1, 'linear')], optG: 'adam', optD: 'adam', lrG: 2e-3, lrD: 5e-3, beta1: 0.5, batch: 10 },
  { loss: 'least_squares', noiseDim: 3, g: [dense(12, 'tanh'), dense(5, 'sigmoid')], dShape: [5, 1, 1],
    d: [dense(6, 'tanh'), dense(1, 'linear')], optG: 'momentum', optD: 'sgd', lrG: 0.02, lrD: 0.05, beta1: 0.9, batch: 7 },
  { loss: 'bce', noiseDim: 4, g: [dense(16, 'relu'), dense(36, 'tanh')], dShape: [1, 6, 6],
    d: [{ kind: 'conv2d', activation: 'relu', ints: [3, 3, 3, 1, 0] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      dense(1, 'linear')], optG: 'adam', optD: 'adam', lrG: 2e-3, lrD: 2e-3, beta1: 0.5, batch: 6 },
];
const GAN_ITERS = 40;

function ganHash(engine, i) {
  const sc = GANS[i];
  const g = engine.createModel({ input: [sc.noiseDim, 1, 1], layers: sc.g, loss: 'mse', seed: 40 + i, maxBatch: sc.batch });
  const d = engine.createModel({ input: sc.dShape, layers: sc.d, loss: 'mse', seed: 50 + i, maxBatch: 2 * sc.batch });
  g.setOptimizer(sc.optG, { lr: sc.lrG, beta1: sc.beta1, beta2: 0.999, eps: 1e-8 });
  d.setOptimizer(sc.optD, { lr: sc.lrD, beta1: sc.beta1, beta2: 0.999, eps: 1e-8 });
  const dIn = sc.dShape[0] * sc.dShape[1] * sc.dShape[2], nReal = sc.batch * BATCHES;
  const r = rng(2000 + i), f = Math.fround;
  const real = new Float32Array(nReal * dIn), noise = new Float32Array(sc.batch * sc.noiseDim);
  // feature j: 0.5 + 0.4 u (j + 1) / dIn in float arithmetic, each step rounded as the C code's
  for (let k = 0; k < real.length; k++) real[k] = f(0.5 + f(f(f(f(0.4) * r.uniform()) * ((k % dIn) + 1)) / dIn));
  const statsHash = (s) => fnv1a(Float32Array.from([s.loss, s.real, s.fake]));
  let h = 0;
  for (let it = 0; it < GAN_ITERS; it++) {
    for (let k = 0; k < noise.length; k++) noise[k] = r.uniform();
    const sd = d.ganStepD(g, real.subarray((it % BATCHES) * sc.batch * dIn, (it % BATCHES + 1) * sc.batch * dIn), noise, sc.batch, sc.loss);
    assert.equal(sd.status, 0, `gan scenario ${i} iteration ${it}: D step`);
    h = (h ^ statsHash(sd)) >>> 0;
    for (let k = 0; k < noise.length; k++) noise[k] = r.uniform();
    const sg = g.ganStepG(d, noise, sc.batch, sc.loss);
    assert.equal(sg.status, 0, `gan scenario ${i} iteration ${it}: G step`);
    h = (Math.imul(h, 16777619) ^ statsHash(sg)) >>> 0;
  }
  h = (h ^ fnv1a(d.ganSampleGrad(real.subarray(0, sc.batch * dIn), sc.batch, sc.loss))) >>> 0;
  h = (Math.imul(h, 16777619) ^ fnv1a(g.params())) >>> 0;
  h = (Math.imul(h, 16777619) ^ fnv1a(d.params())) >>> 0;
  g.destroy();
  d.destroy();
  return h;
}

test('WASM training is deterministic within a module and across instances', async () => {
  const a = await loadEngine(), b = await loadEngine();
  for (let i = 0; i < SCENARIOS.length; i++) {
    const h1 = scenarioHash(a, i), h2 = scenarioHash(a, i), h3 = scenarioHash(b, i);
    assert.equal(hex(h2), hex(h1), `scenario ${i}: second run`);
    assert.equal(hex(h3), hex(h1), `scenario ${i}: fresh instance`);
  }
  for (let i = 0; i < GANS.length; i++) {
    const h1 = ganHash(a, i), h2 = ganHash(a, i), h3 = ganHash(b, i);
    assert.equal(hex(h2), hex(h1), `gan scenario ${i}: second run`);
    assert.equal(hex(h3), hex(h1), `gan scenario ${i}: fresh instance`);
  }
});

test('WASM parameters after 100 steps are bit-identical to the native build', async (t) => {
  const bin = fileURLToPath(new URL('../../build/native/tests/test_determinism', import.meta.url));
  assert.ok(existsSync(bin), `${bin} is missing: run "bash build.sh native" first`);
  const native = new Map(
    execFileSync(bin, ['--hash'], { encoding: 'utf8' }).trim().split('\n').map((line) => line.split(' ')),
  );
  const engine = await loadEngine();
  for (let i = 0; i < SCENARIOS.length; i++) {
    const wasm = hex(scenarioHash(engine, i));
    t.diagnostic(`scenario ${i}: native ${native.get(String(i))}, wasm ${wasm}`);
    assert.equal(wasm, native.get(String(i)), `scenario ${i}: WASM vs native`);
  }
  for (let i = 0; i < GANS.length; i++) {
    const wasm = hex(ganHash(engine, i));
    t.diagnostic(`gan scenario ${i}: native ${native.get(`gan${i}`)}, wasm ${wasm}`);
    assert.equal(wasm, native.get(`gan${i}`), `gan scenario ${i}: WASM vs native`);
  }
});
