// numpy-export.test.mjs — the NumPy export (web/src/share/numpyExport.ts) run
// with Debian's python3-numpy against the REAL WASM engine:
//  - `predict` gives the engine's outputs (|numpy - wasm| <= 1e-5 * max(1, |wasm|))
//    for playground networks (every hidden activation, all three losses) and
//    MNIST networks (an MLP and a CNN with conv, pool and flatten);
//  - `check` agrees with a trace made independently by torch.autograd
//    (tests/python/make_trace.py, the documented nn-trace format) and fails
//    (exit status 1) on a trace with one gradient 1 % off;
//  - the script's written-out optimizer (Network.train_step: SGD, momentum,
//    Adam, L1, L2) gives the engine's losses on the same batches;
//  - `check` passes on the page's own traces (web/src/engine/trace.js on the
//    engine, a playground net and an MNIST CNN) and fails on a corrupted one;
//  - MNIST's learning-rate schedule: Optimizer.set_progress gives the
//    trainer's float32 rate (schedule.js + Math.fround) bit for bit.
// Recurrent networks: numpy-export-recurrent.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from './core-load.mjs';
import { DEFAULT_TRAINING, MnistTrainer } from '../../web/src/labs/mnist/trainer.js';
import { LR_SCHEDULES, scheduledRate } from '../../web/src/labs/mnist/schedule.js';
import { buildTrace, traceModel } from '../../web/src/engine/trace.js';
import { NUMPY_ENTRY as ENTRY, PYTHON, loadMnist, loadModules, run, runProcess, worstDifference } from './py-export-util.mjs';

const TOL = 1e-5;
const MAKE_TRACE = fileURLToPath(new URL('../python/make_trace.py', import.meta.url));
// Loads the exported script as a module and trains it on the given batches with its own train_step.
const TRAIN_STEPS_PY = `
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
net = m.trained()
batches = json.load(open(sys.argv[2]))
print(json.dumps([net.train_step(np.asarray(b["x"]), np.asarray(b["y"])) for b in batches]))
`;

// Loads each exported script as a module; prints, per script, the optimizer's rate after set_progress at each point.
const RATES_PY = `
import importlib.util, json, sys
out = []
for k, path in enumerate(sys.argv[2:]):
    spec = importlib.util.spec_from_file_location("exported%d" % k, path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    opt = m.Network().optimizer
    out.append([opt.set_progress(e) for e in json.loads(sys.argv[1])])
print(json.dumps(out))
`;

function fixedPoints() {
  const pts = [];
  for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) pts.push([-6 + 1.5 * i, -6 + 1.5 * j]);
  pts.push([0.1234567, -5.4321], [Math.PI, Math.E], [-0.001, 0.001]);
  return pts;
}

// Every hidden activation, every loss and every optimizer and regularisation at least once.
const CASES = [
  { name: 'circle: tanh/relu, BCE, Adam + L2', dataset: 'circle', hidden: [6, 4], activations: ['tanh', 'relu'],
    features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'], optimizer: 'adam', lr: 0.02, reg: 'l2', regRate: 0.001 },
  { name: 'spiral3: leaky ReLU/sigmoid, softmax CE, momentum', dataset: 'spiral3', hidden: [8, 8], activations: ['leaky_relu', 'sigmoid'],
    features: ['x2', 'x1', 'sinx1'], optimizer: 'momentum', lr: 0.05, reg: 'none', regRate: 0 },
  { name: 'sin1d: linear/tanh, MSE, SGD + L1', dataset: 'sin1d', hidden: [6, 10], activations: ['linear', 'tanh'], features: ['x1', 'x1sq'],
    optimizer: 'sgd', lr: 0.005, reg: 'l1', regRate: 0.0005 },
];

/**
 * Traces each case's example with torch.autograd (one python3 for all: torch
 * takes seconds to import), correct and corrupted, and runs the script's
 * check on both: it must agree with the first and fail on the second.
 * Returns each case's largest relative difference.
 */
async function checkTraces(dir, cases) {
  const args = [];
  for (const c of cases) {
    for (const corrupt of [false, true]) {
      const spec = join(dir, `${c.name}-${corrupt ? 'wrong' : 'spec'}.json`);
      writeFileSync(spec, JSON.stringify({ ...c.spec, corrupt }));
      args.push(spec, join(dir, `${c.name}-${corrupt ? 'wrong' : 'trace'}-out.json`));
    }
  }
  await run(PYTHON, [MAKE_TRACE, ...args]);
  return Promise.all(cases.map(async (c) => {
    const ok = await runProcess(PYTHON, [c.script, 'check', join(dir, `${c.name}-trace-out.json`)]);
    assert.equal(ok.code, 0, `${c.name}: check agrees with torch.autograd's trace:\n${ok.out}${ok.err}`);
    assert.match(ok.out, /layer 1 \(\w+\) backward dW +ok/);
    assert.match(ok.out, /input_grad +ok/);
    const wrong = await runProcess(PYTHON, [c.script, 'check', join(dir, `${c.name}-wrong-out.json`)]);
    assert.equal(wrong.code, 1, `${c.name}: check fails on a wrong trace:\n${wrong.out}${wrong.err}`);
    assert.match(wrong.out, /layer 1 \(\w+\) backward dW +DIFFERS/);
    return Number(/largest relative difference: (\S+)/.exec(ok.out)?.[1]);
  }));
}

test('the NumPy export predicts what the engine predicts, its backprop matches torch.autograd, its optimizer the engine\'s', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-numpy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, ENTRY);
  const engine = await loadEngine();
  const points = fixedPoints();
  const flat = new Float32Array(points.flat());

  const traces = [];
  for (const [index, c] of CASES.entries()) {
    const config = { ...m.defaultConfig(), dataset: c.dataset, hidden: c.hidden, activations: c.activations, features: c.features,
      optimizer: c.optimizer, learningRate: c.lr, momentum: 0.9, regularization: c.reg, regRate: c.regRate };
    const ds = m.generateDataset(c.dataset, { n: 300, noise: 5, seed: 3 });
    const spec = m.networkSpec(config, ds.task, ds.nClasses);
    const x = m.featurize(ds.points, c.features);
    const y = m.targetsFor(ds);
    const inputs = c.features.length, outputs = spec.sizes[spec.sizes.length - 1];
    const setup = (model) => {
      model.setOptimizer(c.optimizer, { lr: c.lr, beta1: c.optimizer === 'sgd' ? 0 : 0.9, beta2: 0.999, eps: 1e-8 });
      model.setRegularization(c.reg, c.regRate);
    };
    const model = engine.createModel({ sizes: spec.sizes, activations: spec.activations, loss: spec.loss, seed: 7, maxBatch: 32 });
    const fresh = engine.createModel({ sizes: spec.sizes, activations: spec.activations, loss: spec.loss, seed: 1, maxBatch: 32 });
    try {
      setup(model);
      for (let epoch = 0; epoch < 20; epoch++) model.trainEpoch(x, y, 300, null, 16);
      const params = model.params();
      const script = join(dir, `model${index}.py`);
      writeFileSync(script, m.exportLabModelNumpy({ lab: 'playground', config, layers: m.denseLayers(spec.sizes, spec.activations), loss: spec.loss, epoch: 20, params, blocks: model.paramLayout() }, c.name));

      // predict
      const expected = model.forward(m.featurize(flat, c.features), points.length);
      const got = JSON.parse(await run(PYTHON, [script, 'predict'], JSON.stringify(points))).flat();
      const worst = worstDifference(got, Array.from(expected));
      assert.ok(worst <= TOL, `${c.name}: predictions differ by ${worst.toExponential(3)} > ${TOL}`);
      assert.ok(Math.max(...expected) - Math.min(...expected) > 0.05, `${c.name}: outputs vary over the inputs`);

      // check, on the training point (of the first 50) the network gets most wrong: its gradients are far from 0
      const out50 = model.forward(x.subarray(0, 50 * inputs), 50);
      let i = 0;
      const miss = (r) => Math.max(...Array.from({ length: outputs }, (_, k) => Math.abs(out50[r * outputs + k] - y[r * outputs + k])));
      for (let r = 1; r < 50; r++) if (miss(r) > miss(i)) i = r;
      traces.push({ name: `case${index}`, script, spec: {
        lab: 'playground', input_shape: [inputs], layers: m.denseLayers(spec.sizes, spec.activations), loss: spec.loss, params: Array.from(params),
        x: Array.from(x.subarray(i * inputs, (i + 1) * inputs)), y: Array.from(y.subarray(i * outputs, (i + 1) * outputs)), index: i,
      } });

      // train_step: 6 batches of 16 from the exported weights, fresh optimizer state on both sides
      fresh.loadParams(params);
      setup(fresh);
      const batches = [];
      const engineLosses = [];
      for (let b = 0; b < 6; b++) {
        const bx = x.subarray(b * 16 * inputs, (b + 1) * 16 * inputs), by = y.subarray(b * 16 * outputs, (b + 1) * 16 * outputs);
        engineLosses.push(fresh.trainStep(bx, by, 16));
        const rows = (a, w) => Array.from({ length: 16 }, (_, r) => Array.from(a.subarray(r * w, (r + 1) * w)));
        batches.push({ x: rows(bx, inputs), y: rows(by, outputs) });
      }
      writeFileSync(join(dir, 'batches.json'), JSON.stringify(batches));
      const numpyLosses = JSON.parse(await run(PYTHON, ['-c', TRAIN_STEPS_PY, script, join(dir, 'batches.json')]));
      let trainWorst = 0;
      for (let s = 0; s < engineLosses.length; s++) trainWorst = Math.max(trainWorst, Math.abs(numpyLosses[s] - engineLosses[s]) / Math.abs(engineLosses[s]));
      assert.ok(trainWorst <= 1e-4, `${c.name}: train_step losses ${numpyLosses} vs the engine's ${engineLosses}`);
      assert.notEqual(engineLosses[5], engineLosses[0], 'the updates changed the loss');
      t.diagnostic(`${c.name}: predict ${worst.toExponential(2)}, train_step losses ${trainWorst.toExponential(2)}`);
    } finally {
      model.destroy();
      fresh.destroy();
    }
  }
  const worst = await checkTraces(dir, traces);
  traces.forEach((c, k) => t.diagnostic(`${CASES[k].name}: check vs torch.autograd ${worst[k].toExponential(2)}`));
});

test('the NumPy export of MNIST networks (an MLP, a CNN) predicts the engine\'s outputs; check passes on a traced digit', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-numpy-mnist-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, ENTRY);
  const engine = await loadEngine();
  const data = loadMnist(engine);
  const N = 100;
  try {
    const nets = [
      { name: 'mlp', layers: m.mlpLayers([32], ['relu']) },
      { name: 'cnn', layers: [{ kind: 'conv', filters: 4, kernel: 5, stride: 1, padding: 1, activation: 'relu' }, { kind: 'pool', kernel: 2, stride: 2 },
        { kind: 'conv', filters: 6, kernel: 3, stride: 2, padding: 0, activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }] },
    ];
    const traces = [];
    for (const net of nets) {
      const config = { ...m.mnistCodec.defaults(), layers: net.layers };
      assert.deepEqual(m.mnistCodec.validate(config), []);
      const trainer = new MnistTrainer(engine, data, { ...DEFAULT_TRAINING, batchSize: 32, layers: net.layers.map(m.engineLayer) });
      try {
        for (let i = 0; i < 60; i++) assert.ok(Number.isFinite(trainer.step()));
        engine.gatherU8(trainer.x, data.testPixels, data.header.nTest, null, N, 784, 1 / 255);
        const expected = Array.from(trainer.model.forward(trainer.x, N));
        const layers = m.fileLayers(net.layers, trainer.model.layerShapes());
        const script = join(dir, `${net.name}.py`);
        writeFileSync(script, m.exportLabModelNumpy({ lab: 'mnist', config, layers, loss: 'ce', epoch: trainer.progress, params: trainer.params(), blocks: trainer.model.paramLayout() }));
        const images = Array.from({ length: N }, (_, i) => Array.from(data.testDigit(i)));
        writeFileSync(join(dir, 'digits.json'), JSON.stringify({ images }));
        const got = JSON.parse(await run(PYTHON, [script, 'predict', join(dir, 'digits.json')])).flat();
        const worst = worstDifference(got, expected);
        assert.ok(worst <= TOL, `${net.name}: predictions differ by ${worst.toExponential(3)}`);
        const digit = 3;
        const label = data.testLabels[digit];
        traces.push({ name: net.name, script, spec: {
          lab: 'mnist', input_shape: [1, 28, 28], layers, loss: 'ce', params: Array.from(trainer.params()),
          x: Array.from(trainer.testInput(digit)), y: Array.from({ length: 10 }, (_, k) => (k === label ? 1 : 0)), index: digit,
        } });
        t.diagnostic(`MNIST ${net.name}: predict ${worst.toExponential(2)}`);
      } finally {
        trainer.destroy();
      }
    }
    const worst = await checkTraces(dir, traces);
    traces.forEach((c, k) => t.diagnostic(`MNIST ${c.name}: check vs torch.autograd ${worst[k].toExponential(2)}`));
  } finally {
    data.free();
  }
});

// The page's own "Download these numbers" (web/src/engine/trace.js over the
// engine) against the script's `check`: both follow README's "Trace JSON".
test('check passes on the page\'s own traces (trace.js on the engine) of a playground net and an MNIST CNN, and fails on a corrupted one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-numpy-trace-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, ENTRY);
  const engine = await loadEngine();
  const data = loadMnist(engine);
  /** Writes the trace and a copy with one dW value 1 % off; check must pass the first (0) and fail the second (1). */
  const checkPageTrace = async (name, script, trace) => {
    const good = join(dir, `${name}-trace.json`), bad = join(dir, `${name}-wrong.json`);
    writeFileSync(good, JSON.stringify(trace));
    const wrong = structuredClone(trace);
    const dW = wrong.backward[0].dW;
    let row = dW;
    while (Array.isArray(row[0])) row = row[0];
    const k = row.reduce((best, v, j) => (Math.abs(v) > Math.abs(row[best]) ? j : best), 0);
    assert.notEqual(row[k], 0, `${name}: the first layer has a gradient to corrupt`);
    row[k] *= 1.01;
    writeFileSync(bad, JSON.stringify(wrong));
    const ok = await runProcess(PYTHON, [script, 'check', good]);
    assert.equal(ok.code, 0, `${name}: check agrees with the page's trace:\n${ok.out}${ok.err}`);
    assert.match(ok.out, /layer 1 \(\w+\) backward dW +ok/);
    assert.match(ok.out, /input_grad +ok/);
    assert.match(ok.out, /loss_value +ok/);
    const no = await runProcess(PYTHON, [script, 'check', bad]);
    assert.equal(no.code, 1, `${name}: check fails on the corrupted trace:\n${no.out}${no.err}`);
    assert.match(no.out, /layer 1 \(\w+\) backward dW +DIFFERS/);
    return Number(/largest relative difference: (\S+)/.exec(ok.out)?.[1]);
  };
  try {
    // Playground: a circle net with features, trained a few epochs with Adam + L2 (which the trace leaves out).
    const c = CASES[0];
    const config = { ...m.defaultConfig(), dataset: c.dataset, hidden: c.hidden, activations: c.activations, features: c.features,
      optimizer: c.optimizer, learningRate: c.lr, momentum: 0.9, regularization: c.reg, regRate: c.regRate };
    const ds = m.generateDataset(c.dataset, { n: 200, noise: 5, seed: 3 });
    const spec = m.networkSpec(config, ds.task, ds.nClasses);
    const x = m.featurize(ds.points, c.features), y = m.targetsFor(ds);
    const inputs = c.features.length, outputs = spec.sizes[spec.sizes.length - 1];
    const model = engine.createModel({ sizes: spec.sizes, activations: spec.activations, loss: spec.loss, seed: 7, maxBatch: 32 });
    let playgroundWorst;
    try {
      model.setOptimizer(c.optimizer, { lr: c.lr });
      model.setRegularization(c.reg, c.regRate);
      for (let epoch = 0; epoch < 3; epoch++) model.trainEpoch(x, y, 200, null, 16);
      const script = join(dir, 'playground.py');
      writeFileSync(script, m.exportLabModelNumpy({ lab: 'playground', config, layers: m.denseLayers(spec.sizes, spec.activations), loss: spec.loss, epoch: 3, params: model.params(), blocks: model.paramLayout() }));
      const index = 17;
      const scratch = traceModel(engine, model, spec.loss);
      try {
        const { trace } = buildTrace(scratch, { loss: spec.loss, index, lab: 'playground', optimizer: model.optimizerInfo(),
          x: x.subarray(index * inputs, (index + 1) * inputs), y: y.subarray(index * outputs, (index + 1) * outputs) });
        playgroundWorst = await checkPageTrace('playground', script, trace);
      } finally {
        scratch.destroy();
      }
    } finally {
      model.destroy();
    }

    // MNIST: a CNN (conv, pool, conv, flatten, dense) trained 30 batches, a test digit traced.
    const layers = [{ kind: 'conv', filters: 4, kernel: 5, stride: 1, padding: 1, activation: 'relu' }, { kind: 'pool', kernel: 2, stride: 2 },
      { kind: 'conv', filters: 6, kernel: 3, stride: 2, padding: 0, activation: 'tanh' }, { kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }];
    const mnistConfig = { ...m.mnistCodec.defaults(), layers };
    assert.deepEqual(m.mnistCodec.validate(mnistConfig), []);
    const trainer = new MnistTrainer(engine, data, { ...DEFAULT_TRAINING, batchSize: 32, layers: layers.map(m.engineLayer) });
    let mnistWorst;
    try {
      for (let i = 0; i < 30; i++) assert.ok(Number.isFinite(trainer.step()));
      const script = join(dir, 'mnist.py');
      writeFileSync(script, m.exportLabModelNumpy({ lab: 'mnist', config: mnistConfig, layers: m.fileLayers(layers, trainer.model.layerShapes()), loss: 'ce',
        epoch: trainer.progress, params: trainer.params(), blocks: trainer.model.paramLayout() }));
      const digit = 7, label = data.testLabels[digit];
      const scratch = traceModel(engine, trainer.model, 'ce');
      try {
        const { trace } = buildTrace(scratch, { loss: 'ce', index: digit, lab: 'mnist', x: trainer.testInput(digit),
          y: Array.from({ length: 10 }, (_, k) => (k === label ? 1 : 0)) });
        mnistWorst = await checkPageTrace('mnist', script, trace);
      } finally {
        scratch.destroy();
      }
    } finally {
      trainer.destroy();
    }
    t.diagnostic(`check on the page's traces: playground ${playgroundWorst.toExponential(2)}, MNIST CNN ${mnistWorst.toExponential(2)}`);
  } finally {
    data.free();
  }
});

// The schedule code both scripts carry (training.ts SCHEDULE_PY) against schedule.js, the one truth.
test('the NumPy script\'s scheduled rates are the MNIST trainer\'s float32 rates, bit for bit, for every schedule', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-numpy-sched-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, ENTRY);
  const engine = await loadEngine();
  const progress = [0, 1e-4, 0.1, 0.5, 0.999, 1, 1.25, 2, 2.9999, 3, 3.5, 7];
  const settings = [];
  for (const lrSchedule of LR_SCHEDULES) {
    for (const [lr, lrEnd, epochs] of [[0.002, 0.01, 3], [0.03, 1e-6, 1], [0.1, 0.5, 7], [0.003, 1, 2]]) settings.push({ lr, lrSchedule, lrEnd, epochs });
  }
  const cases = [];
  for (const [k, s] of settings.entries()) {
    const config = { ...m.mnistCodec.defaults(), layers: m.mlpLayers([4], ['relu']), learningRate: s.lr, lrSchedule: s.lrSchedule, lrEnd: s.lrEnd, epochs: s.epochs };
    assert.deepEqual(m.mnistCodec.validate(config), []);
    const layers = m.fileLayers(config.layers, [[1, 28, 28], [4, 1, 1], [10, 1, 1]]);
    const params = new Float32Array(784 * 4 + 4 + 4 * 10 + 10);
    const verdict = m.coreVerdict(engine, { layers, loss: 'ce', maxParams: 1 << 24 });
    assert.ok(verdict.ok, verdict.error);
    const script = join(dir, `sched${k}.py`);
    writeFileSync(script, m.exportLabModelNumpy({ lab: 'mnist', config, layers, loss: 'ce', epoch: 0, params, blocks: verdict.blocks }));
    cases.push({ script, want: progress.map((e) => Math.fround(scheduledRate(s, e))) });
  }
  const got = JSON.parse(await run(PYTHON, ['-c', RATES_PY, JSON.stringify(progress), ...cases.map((c) => c.script)]));
  cases.forEach((c, k) => assert.deepEqual(got[k], c.want, `${JSON.stringify(settings[k])}: the script's rates`));
  // Not all one value: the schedules do fall.
  assert.ok(got.some((rates) => rates[0] !== rates[rates.length - 1]));
  t.diagnostic(`${settings.length} settings x ${progress.length} points: identical float32 rates`);
});

// Loads each exported recurrent script as a module; per script: predict's outputs, one backward's
// gradients in the core's parameter layout, then train_step over the batches and the parameters after.
