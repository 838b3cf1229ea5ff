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
import { PYTHON, SRC, loadMnist, loadModules, run, runProcess, worstDifference } from './py-export-util.mjs';

const TOL = 1e-5;
const MAKE_TRACE = fileURLToPath(new URL('../python/make_trace.py', import.meta.url));
const ENTRY = `
export { exportLabModelNumpy } from '${SRC}share/numpyExport.ts';
export { networkSpec } from '${SRC}share/network.ts';
export { generateDataset, featurize, targetsFor } from '${SRC}data/datasets.ts';
export { defaultConfig } from '${SRC}state/schema.ts';
export { denseLayers } from '${SRC}share/layers.ts';
export { coreVerdict } from '${SRC}share/coreLayout.ts';
export { mnistCodec } from '${SRC}labs/mnist/config.ts';
export { engineLayer, fileLayers, mlpLayers } from '${SRC}labs/mnist/model-layers.ts';
`;
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
const RECURRENT_PY = `
import importlib.util, json, sys
import numpy as np
out = []
for k, job in enumerate(json.load(sys.stdin)):
    spec = importlib.util.spec_from_file_location("recurrent%d" % k, job["script"])
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    def flat(net, prefix):
        values = np.zeros(sum(int(np.prod(shape)) for _, _, _, shape in m.PARAM_BLOCKS))
        for layer, name, offset, shape in m.PARAM_BLOCKS:
            values[offset:offset + int(np.prod(shape))] = getattr(net.layers[layer], prefix + name).ravel()
        return values.tolist()
    x, y = np.asarray(job["x"]), np.asarray(job["y"])
    predicted = m.predict({"sequences": job["sequences"]}).ravel().tolist()
    net = m.trained()
    net.forward(x)
    loss = net.loss(y)
    net.backward(y)
    grads = flat(net, "d")
    net = m.trained()
    losses = [net.train_step(np.asarray(b["x"]), np.asarray(b["y"])) for b in job["batches"]]
    out.append({"predicted": predicted, "loss": loss, "grads": grads, "losses": losses, "params": flat(net, "")})
print(json.dumps(out))
`;

/** Largest |got - want| over each block, relative to that block's largest |want| (as the script's check measures). */
function worstPerBlock(got, want, blocks) {
  let worst = 0;
  for (const b of blocks) {
    let scale = 0, diff = 0;
    for (let i = b.offset; i < b.offset + b.length; i++) { scale = Math.max(scale, Math.abs(want[i])); diff = Math.max(diff, Math.abs(got[i] - want[i])); }
    assert.ok(scale > 0, `block ${b.block} of layer ${b.layer} is not all zero`);
    worst = Math.max(worst, diff / scale);
  }
  return worst;
}

test('the NumPy export of recurrent networks (RNN, LSTM, per-step heads) predicts, backprops through time and trains as the engine does; check passes on a sequence trace', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-numpy-rnn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, `${ENTRY}
export { exportLabNumpy } from '${SRC}share/numpyExport.ts';
export { engineNetwork } from '${SRC}share/coreLayout.ts';
export { labTraining } from '${SRC}share/training.ts';
export { sequenceCodec } from '${SRC}labs/sequence/config.ts';
export { sequenceLayers } from '${SRC}labs/sequence/model-file.ts';
`);
  const engine = await loadEngine();
  const N = 12, BATCH = 5;
  const rnn = (T, F, hidden, returnSequences, activation = 'linear') => ({ kind: 'rnn', input: [T, F, 1], hidden, returnSequences, activation });
  const lstm = (T, F, hidden, returnSequences, activation = 'linear') => ({ kind: 'lstm', input: [T, F, 1], hidden, returnSequences, activation });
  const cases = [
    { name: 'the sequence lab: names, 2 stacked LSTMs, per-step softmax (CE), Adam, clip 0.2', lab: { task: 'names', cell: 'lstm', hidden: 8, layers: 2, seqLen: 6, optimizer: 'adam', learningRate: 0.01, clipNorm: 0.2, seed: 4 } },
    { name: 'the sequence lab: waves, RNN, per-step linear (MSE), momentum, clip 0.5', lab: { task: 'waves', cell: 'rnn', hidden: 6, layers: 1, seqLen: 9, optimizer: 'momentum', learningRate: 0.05, clipNorm: 0.5, seed: 2 } },
    { name: 'per-step dense (relu), RNN (tanh after), LSTM last step, sigmoid (BCE), SGD + L1', loss: 'bce',
      layers: [{ kind: 'dense', inputs: 3, units: 5, activation: 'relu', steps: 5 }, rnn(5, 5, 4, true, 'tanh'), lstm(5, 4, 6, false), { kind: 'dense', inputs: 6, units: 1, activation: 'sigmoid' }],
      training: { optimizer: 'sgd', lr: Math.fround(0.5), beta1: 0, regularization: 'l1', regRate: Math.fround(0.001), clipNorm: 0 } },
    { name: 'RNN, then LSTM returning sequences, per-step softmax (CE), Adam + L2', loss: 'ce',
      layers: [rnn(4, 2, 5, true), lstm(4, 5, 3, true), { kind: 'dense', inputs: 3, units: 3, activation: 'softmax', steps: 4 }],
      training: { optimizer: 'adam', lr: Math.fround(0.02), beta1: Math.fround(0.9), regularization: 'l2', regRate: Math.fround(0.01), clipNorm: 0 } },
  ];
  const jobs = [];
  let traceScript = null, trace = null;
  for (const [index, c] of cases.entries()) {
    const config = { ...m.sequenceCodec.defaults(), ...(c.lab ?? {}), batchSize: BATCH };
    const layers = c.lab ? m.sequenceLayers(config) : c.layers;
    const loss = c.lab ? (config.task === 'waves' ? 'mse' : 'ce') : c.loss;
    const net = m.engineNetwork(layers);
    const [T, F] = net.input;
    const model = engine.createModel({ input: net.input, layers: net.layers, loss, seed: 30 + index, maxBatch: N });
    try {
      const r = ((a) => () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32))(500 + index);
      const outs = model.outputs, classes = loss === 'ce' ? layers.at(-1).units : 1;
      const x = new Float32Array(N * T * F);
      for (let i = 0; i < N * T; i++) {
        if (config.task === 'names' && c.lab) x[i * F + Math.floor(r() * F)] = 1;
        else for (let f = 0; f < F; f++) x[i * F + f] = r() * 2 - 1;
      }
      const y = new Float32Array(N * outs);
      for (let i = 0; i < N * outs / classes; i++) {
        if (loss === 'ce') y[i * classes + Math.floor(r() * classes)] = 1;
        else y[i] = loss === 'bce' ? (r() < 0.5 ? 1 : 0) : r() * 2 - 1;
      }
      const spec = c.lab ? m.labTraining({ lab: 'sequence', config }) : { ...m.labTraining({ lab: 'sequence', config }), ...c.training };
      const params = model.params(), blocks = model.paramLayout();
      const script = join(dir, `recurrent${index}.py`);
      writeFileSync(script, c.lab
        ? m.exportLabModelNumpy({ lab: 'sequence', config, layers, loss, epoch: 0, params, blocks }, c.name)
        : m.exportLabNumpy({ layers, loss, input: { kind: 'sequence', steps: T, features: F }, params, blocks, description: c.name }, spec));
      const expected = Array.from(model.forward(x, N));
      const engineLoss = model.computeGradients(x, y, N); // no regularisation set yet: the data loss's gradients
      const grads = Array.from(model.grads());
      // A trace of the sequence lab's first model, for check (the page's "Download these numbers").
      if (index === 0) {
        const scratch = traceModel(engine, model, loss);
        try {
          trace = buildTrace(scratch, { loss, index: 3, lab: 'sequence', x: x.subarray(3 * T * F, 4 * T * F), y: y.subarray(3 * outs, 4 * outs) }).trace;
        } finally {
          scratch.destroy();
        }
        traceScript = script;
      }
      // train_step over 3 batches (5, 5, 2 rows) from the same weights, fresh optimizer state on both sides.
      model.setOptimizer(spec.optimizer, { lr: spec.lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps });
      model.setRegularization(spec.regularization, spec.regRate);
      model.setClipNorm(spec.clipNorm);
      const batches = [], engineLosses = [], norms = [];
      for (let at = 0; at < N; at += BATCH) {
        const rows = Math.min(BATCH, N - at);
        const bx = x.subarray(at * T * F, (at + rows) * T * F), by = y.subarray(at * outs, (at + rows) * outs);
        engineLosses.push(model.trainStep(bx, by, rows));
        norms.push(model.gradNorm());
        batches.push({ x: Array.from(bx), y: Array.from(by) });
      }
      if (spec.clipNorm > 0) assert.ok(norms.some((n) => n > spec.clipNorm), `${c.name}: clipping bites (norms ${norms})`);
      const sequences = Array.from({ length: N }, (_, i) => Array.from(x.subarray(i * T * F, (i + 1) * T * F)));
      jobs.push({ c, adam: spec.optimizer === 'adam', blocks, expected, engineLoss, grads, engineLosses, params: Array.from(model.params()),
        job: { script, sequences, x: Array.from(x), y: Array.from(y), batches: batches.map((b) => ({ x: b.x, y: b.y })) } });
    } finally {
      model.destroy();
    }
  }
  // x and y as flat rows: the script reshapes them as its layers read them.
  const input = jobs.map((j) => ({ ...j.job, x: chunk(j.job.x, N), y: chunk(j.job.y, N), batches: j.job.batches.map((b) => ({ x: chunk(b.x, b.y.length / (j.job.y.length / N)), y: chunk(b.y, b.y.length / (j.job.y.length / N)) })) }));
  const got = JSON.parse(await run(PYTHON, ['-c', RECURRENT_PY], JSON.stringify(input)));
  for (const [k, j] of jobs.entries()) {
    const g = got[k];
    const predict = worstDifference(g.predicted, j.expected);
    assert.ok(predict <= TOL, `${j.c.name}: predictions differ by ${predict.toExponential(3)}`);
    const lossDiff = Math.abs(g.loss - j.engineLoss) / j.engineLoss;
    assert.ok(lossDiff <= TOL, `${j.c.name}: loss ${g.loss} vs the engine's ${j.engineLoss}`);
    const gradDiff = worstPerBlock(g.grads, j.grads, j.blocks);
    assert.ok(gradDiff <= TOL, `${j.c.name}: gradients differ by ${gradDiff.toExponential(3)} of their block's largest`);
    let trainDiff = 0;
    j.engineLosses.forEach((l, s) => { trainDiff = Math.max(trainDiff, Math.abs(g.losses[s] - l) / l); });
    assert.ok(trainDiff <= TOL, `${j.c.name}: train_step losses ${g.losses} vs the engine's ${j.engineLosses}`);
    assert.notEqual(j.engineLosses[2], j.engineLosses[0]);
    // Adam's first steps divide each gradient by its own size (+ eps 1e-8): an entry near 1e-8 (a symbol
    // seen once, late in a sequence) turns float32's rounding into ~1e-5 of a weight; SGD and momentum are linear.
    const paramTol = j.adam ? 1e-4 : TOL;
    const paramDiff = worstPerBlock(g.params, j.params, j.blocks);
    assert.ok(paramDiff <= paramTol, `${j.c.name}: parameters after training differ by ${paramDiff.toExponential(3)} of their block's largest`);
    t.diagnostic(`${j.c.name}: predict ${predict.toExponential(2)}, gradients ${gradDiff.toExponential(2)}, train_step losses ${trainDiff.toExponential(2)}, parameters ${paramDiff.toExponential(2)}`);
  }
  // check on the page's own trace of the sequence model: agrees, layer by layer, with the recurrent gradients.
  const tracePath = join(dir, 'sequence-trace.json');
  writeFileSync(tracePath, JSON.stringify(trace));
  const ok = await runProcess(PYTHON, [traceScript, 'check', tracePath]);
  assert.equal(ok.code, 0, `check agrees with the page's sequence trace:\n${ok.out}${ok.err}`);
  assert.match(ok.out, /layer 1 \(lstm\) backward dW_ih +ok/);
  assert.match(ok.out, /layer 2 \(lstm\) backward dW_hh +ok/);
  assert.match(ok.out, /layer 3 \(dense\) backward dW +ok/);
  assert.match(ok.out, /input_grad +ok/);
  t.diagnostic(`check on a sequence trace: ${/largest relative difference: (\S+)/.exec(ok.out)?.[1]}`);
});

/** A flat list as `rows` rows. */
function chunk(values, rows) {
  const w = values.length / rows;
  return Array.from({ length: rows }, (_, i) => values.slice(i * w, (i + 1) * w));
}
