// pytorch-export.test.mjs — trains small networks with the REAL WASM engine
// (build/node/nn.cjs through web/src/engine/nn-wasm.js), exports each with
// web/src/share/pytorchExport.ts, runs the script with Debian's python3-torch
// (/usr/bin/python3), and compares its predictions with the engine's on a
// fixed set of points: |torch - wasm| <= 1e-5 * max(1, |wasm|).
// The same for MNIST networks (an MLP, the LeNet-5 style CNN, a conv-pool-dense
// CNN without a flatten layer) trained a few hundred steps on the real digits
// (through web/src/labs/mnist/trainer.js, as the page's worker trains), saved and
// loaded as a model file on the way: the script must classify the test digits'
// bytes, scaled as the page scales them, like the engine, with the same argmax.
//
// The TypeScript modules are bundled for Node with rolldown (Vite 8's bundler,
// installed with vite), so the test runs the same code the page ships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';
// The labs registry finds its labs with import.meta.glob, as Vite does.
import { importGlobPlugin } from 'rolldown/experimental';
import { readFileSync } from 'node:fs';
import { loadEngine, loadMnist } from './core-load.mjs';
import { buildAsset } from '../../web/src/labs/mnist/asset-format.js';
import { MnistHeapData } from '../../web/src/labs/mnist/data.js';
import { DEFAULT_TRAINING, MnistTrainer } from '../../web/src/labs/mnist/trainer.js';

const TOL = 1e-5;
const PYTHON = '/usr/bin/python3';
const src = fileURLToPath(new URL('../../web/src/', import.meta.url));
// The page's modules this test needs, as one virtual entry module.
const ENTRY = `
export { exportPyTorchScript } from '${src}share/pytorchExport.ts';
export { networkSpec } from '${src}share/network.ts';
export { generateDataset, featurize, targetsFor } from '${src}data/datasets.ts';
export { defaultConfig } from '${src}state/schema.ts';
export { validateConfig } from '${src}state/codec.ts';
export { exportLabModel } from '${src}share/pytorchExport.ts';
export { denseLayers } from '${src}share/layers.ts';
export { readLabModelFile, serializeLabModel } from '${src}share/modelFile.ts';
export { askEngine, coreVerdict } from '${src}share/coreLayout.ts';
export { mnistCodec } from '${src}labs/mnist/config.ts';
export { engineLayer, fileLayers, mlpLayers, MODEL_PRESETS } from '${src}labs/mnist/model-layers.ts';
`;

async function loadModules(dir) {
  const entryPlugin = {
    name: 'entry',
    resolveId: (id) => (id === 'virtual:entry' ? id : null),
    load: (id) => (id === 'virtual:entry' ? ENTRY : null),
  };
  const bundle = await rolldown({ input: 'virtual:entry', plugins: [entryPlugin, importGlobPlugin()], platform: 'node', logLevel: 'silent' });
  const file = join(dir, 'modules.mjs');
  await bundle.write({ file, format: 'esm' });
  await bundle.close();
  return import(pathToFileURL(file).href);
}

function run(cmd, args, stdin) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    // A guard against a hung interpreter, not a speed check: importing torch
    // took most of a minute with several builds sharing the 2-core machine.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${cmd} timed out`)); }, 180000);
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} exited with ${code}: ${err}`));
    });
    child.stdin.end(stdin ?? '');
  });
}

/** The fixed inputs: a 9x9 grid over the domain, its corners and a few odd points. */
function fixedPoints() {
  const pts = [];
  for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) pts.push([-6 + 1.5 * i, -6 + 1.5 * j]);
  pts.push([0.1234567, -5.4321], [Math.PI, Math.E], [-0.001, 0.001], [5.999, -5.999]);
  return pts;
}

const CASES = [
  { name: 'binary: circle, tanh/relu, BCE', dataset: 'circle', task: 'binary', hidden: [6, 4], activations: ['tanh', 'relu'],
    features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'], optimizer: 'adam', lr: 0.02 },
  { name: 'multiclass: spiral3, leaky ReLU/sigmoid, softmax CE', dataset: 'spiral3', task: 'multiclass', hidden: [8, 8], activations: ['leaky_relu', 'sigmoid'],
    features: ['x2', 'x1', 'sinx1'], optimizer: 'momentum', lr: 0.05 },
  { name: 'regression: sin1d, tanh, MSE', dataset: 'sin1d', task: 'regression', hidden: [10], activations: ['tanh'], features: ['x1', 'x1sq'],
    optimizer: 'sgd', lr: 0.005 },
  { name: 'no hidden layer: xor, linear features', dataset: 'xor', task: 'binary', hidden: [], activations: [], features: ['x1x2'], optimizer: 'adam', lr: 0.1 },
];

test('exported PyTorch scripts predict what the WASM engine predicts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir);
  const engine = await loadEngine();
  const points = fixedPoints();
  const flat = new Float32Array(points.flat());

  const jobs = CASES.map(async (c, index) => {
    const config = { ...m.defaultConfig(), dataset: c.dataset, hidden: c.hidden, activations: c.activations, features: c.features };
    assert.deepEqual(m.validateConfig(config), [], c.name);
    const ds = m.generateDataset(c.dataset, { n: 300, noise: 5, seed: 3 });
    const spec = m.networkSpec(config, ds.task, ds.nClasses);
    assert.equal(ds.task, c.task);
    const model = engine.createModel({ sizes: spec.sizes, activations: spec.activations, loss: spec.loss, seed: 7, maxBatch: 32 });
    try {
      model.setOptimizer(c.optimizer, { lr: c.lr });
      const x = m.featurize(ds.points, c.features);
      const y = m.targetsFor(ds);
      const before = model.evaluate(x, y, 300).loss;
      for (let epoch = 0; epoch < 30; epoch++) model.trainEpoch(x, y, 300, null, 16);
      const after = model.evaluate(x, y, 300).loss;
      assert.ok(after < before, `${c.name}: training lowered the loss (${before} -> ${after})`);

      const script = m.exportPyTorchScript({ ...spec, features: c.features, params: model.params(), blocks: model.paramLayout(), description: c.name });
      const expected = model.forward(m.featurize(flat, c.features), points.length);
      const file = join(dir, `model${index}.py`);
      writeFileSync(file, script);
      // Stdin for most cases; a file argument (with the {"points": ...} form) for one.
      const out = index === 1
        ? await run(PYTHON, [file, (writeFileSync(join(dir, 'pts.json'), JSON.stringify({ points })), join(dir, 'pts.json'))])
        : await run(PYTHON, [file], JSON.stringify(points));
      const got = JSON.parse(out);
      const width = spec.sizes[spec.sizes.length - 1];
      assert.equal(got.length, points.length, `${c.name}: one row per point`);
      let worst = 0;
      for (let i = 0; i < points.length; i++) {
        assert.equal(got[i].length, width);
        for (let k = 0; k < width; k++) {
          const want = expected[i * width + k];
          const err = Math.abs(got[i][k] - want) / Math.max(1, Math.abs(want));
          worst = Math.max(worst, err);
        }
      }
      assert.ok(worst <= TOL, `${c.name}: largest difference ${worst.toExponential(3)} > ${TOL}`);
      // The outputs are not trivial (a constant model would pass the comparison too easily).
      const spread = Math.max(...expected) - Math.min(...expected);
      assert.ok(spread > 0.05, `${c.name}: outputs vary over the inputs (spread ${spread})`);
      return { name: c.name, worst };
    } finally {
      model.destroy();
    }
  });
  const results = await Promise.all(jobs);
  for (const r of results) t.diagnostic(`${r.name}: largest relative difference ${r.worst.toExponential(2)}`);
});

/**
 * Trains an MNIST network with the page's trainer, saves it as a model file,
 * loads it, exports it, and runs the script on N test digits (bytes, mixed
 * flat and 28-row forms) and 5 drawn inputs (floats): every output within
 * TOL of the engine's, the same class for every digit.
 */
async function checkMnistExport(t, { name, layers: layersOf, trainerSpec, steps, N, minCorrect }) {
  const dir = mkdtempSync(join(tmpdir(), 'nn-export-mnist-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir);
  const layers = layersOf(m);
  const engine = await loadEngine();
  const data = loadMnist(engine);
  const config = { ...m.mnistCodec.defaults(), layers };
  assert.deepEqual(m.mnistCodec.validate(config), []);
  const trainer = new MnistTrainer(engine, data, trainerSpec(m, layers));
  try {
    for (let i = 0; i < steps; i++) assert.ok(Number.isFinite(trainer.step()), 'training diverged');
    // The engine's outputs for the first N test digits, gathered from bytes as the page's evaluation does.
    engine.gatherU8(trainer.x, data.testPixels, data.header.nTest, null, N, 784, 1 / 255);
    const expected = trainer.model.forward(trainer.x, N);
    // Drawn digits reach the engine as floats 0..1 (the drawing pad's preprocessing): a few arbitrary ones.
    const rng = (() => { let a = 12345; return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32); })();
    const drawn = Array.from({ length: 5 }, () => Float32Array.from({ length: 784 }, () => (rng() < 0.8 ? 0 : rng())));
    const drawnExpected = drawn.map((px) => trainer.predict(px));

    // The file's layer list: the page's (fileLayers with the core's shapes); its layout must be the core's.
    const fileLayers = m.fileLayers(layers, trainer.model.layerShapes());
    const verdict = m.coreVerdict(engine, { layers: fileLayers, loss: 'ce', maxParams: 1 << 24 });
    assert.ok(verdict.ok, verdict.error);
    const ours = verdict.blocks.map((b) => `${b.layer}:${b.offset}:${b.shape.join('x')}`);
    const core = trainer.model.paramLayout().map((b) => `${b.layer}:${b.offset}:${b.shape.join('x')}`);
    assert.deepEqual(ours, core, 'the core\'s layout of the file\'s layer list equals the live model\'s');
    // Saved (with the live model's layout) and loaded as a model file (the core judging it), then exported: what a learner's download holds.
    const saved = m.serializeLabModel({ lab: 'mnist', config, layers: fileLayers, loss: 'ce', epoch: trainer.progress, params: trainer.model.params(), blocks: trainer.model.paramLayout() });
    const loaded = await m.readLabModelFile(saved, 'mnist', m.askEngine(engine));
    assert.ok(loaded.ok, loaded.error);
    const file = join(dir, 'model.py');
    const script = m.exportLabModel(loaded.model, 'MNIST test');
    writeFileSync(file, script);

    // Flat rows of 784 bytes and 28 rows of 28, mixed: the script takes both forms.
    const rows28 = (px) => Array.from({ length: 28 }, (_, r) => px.slice(r * 28, r * 28 + 28));
    const images = Array.from({ length: N }, (_, i) => (i % 2 ? rows28(Array.from(data.testDigit(i))) : Array.from(data.testDigit(i))));
    const got = JSON.parse(await run(PYTHON, [file], JSON.stringify({ images })));
    writeFileSync(join(dir, 'drawn.json'), JSON.stringify({ inputs: drawn.map((d) => Array.from(d)) }));
    const gotDrawn = JSON.parse(await run(PYTHON, [file, join(dir, 'drawn.json')]));

    const argmax = (row) => row.reduce((best, v, k) => (v > row[best] ? k : best), 0);
    let worst = 0;
    let sameClass = 0;
    let correct = 0;
    assert.equal(got.length, N);
    for (let i = 0; i < N; i++) {
      const want = Array.from(expected.subarray(i * 10, i * 10 + 10));
      assert.equal(got[i].length, 10);
      for (let k = 0; k < 10; k++) worst = Math.max(worst, Math.abs(got[i][k] - want[k]) / Math.max(1, Math.abs(want[k])));
      if (argmax(got[i]) === argmax(want)) sameClass++;
      if (argmax(want) === data.testLabels[i]) correct++;
    }
    for (let j = 0; j < drawn.length; j++) {
      for (let k = 0; k < 10; k++) worst = Math.max(worst, Math.abs(gotDrawn[j][k] - drawnExpected[j][k]) / Math.max(1, Math.abs(drawnExpected[j][k])));
    }
    t.diagnostic(`${name} after ${steps} steps: ${correct}/${N} test digits right; largest relative difference ${worst.toExponential(2)}`);
    assert.ok(worst <= TOL, `largest difference ${worst.toExponential(3)} > ${TOL}`);
    assert.equal(sameClass, N, 'the script picks the engine\'s class for every test digit');
    // The model learned something, so agreeing with it is not trivial.
    assert.ok(correct / N > minCorrect, `the trained model gets ${correct}/${N} right`);
    return script;
  } finally {
    trainer.destroy();
    data.free();
  }
}

test('an exported MNIST MLP classifies 28x28 digits exactly as the engine does', async (t) => {
  await checkMnistExport(t, {
    name: 'MNIST 784-48-24-10', steps: 300, N: 500, minCorrect: 0.8,
    layers: (m) => m.mlpLayers([48, 24], ['relu', 'tanh']),
    // The MLP through nn_create (sizes), as before layer lists: the file and export must not care.
    trainerSpec: () => ({ ...DEFAULT_TRAINING, hidden: [48, 24], activations: ['relu', 'tanh'] }),
  });
});

test('an exported MNIST CNN (Conv2d, MaxPool2d, Flatten) classifies digits exactly as the engine does', async (t) => {
  // The LeNet-5 style preset: padding, two convs, two pools, three dense layers.
  const script = await checkMnistExport(t, {
    name: 'MNIST LeNet-5 style', steps: 150, N: 300, minCorrect: 0.7,
    layers: (m) => m.MODEL_PRESETS.lenet5.layers,
    trainerSpec: (m, layers) => ({ ...DEFAULT_TRAINING, batchSize: 32, layers: layers.map(m.engineLayer) }),
  });
  assert.match(script, /torch\.nn\.Conv2d\(1, 6, 5, stride=1, padding=2\),[\s\S]*torch\.nn\.MaxPool2d\(2, stride=2\),[\s\S]*torch\.nn\.Flatten\(\),\n    torch\.nn\.Linear\(400, 120\)/);
});

test('a CNN whose dense layer follows a pool directly gets a Flatten in the export', async (t) => {
  // conv 4 3x3 stride 2 -> 4x13x13, pool 3 stride 2 -> 4x6x6, dense 10 reading it flat.
  const script = await checkMnistExport(t, {
    name: 'MNIST conv-pool-dense', steps: 100, N: 200, minCorrect: 0.5,
    layers: () => [{ kind: 'conv', filters: 4, kernel: 3, stride: 2, padding: 0, activation: 'tanh' }, { kind: 'pool', kernel: 3, stride: 2 },
      { kind: 'dense', units: 10, activation: 'softmax' }],
    trainerSpec: (m, layers) => ({ ...DEFAULT_TRAINING, batchSize: 32, layers: layers.map(m.engineLayer) }),
  });
  assert.match(script, /torch\.nn\.MaxPool2d\(3, stride=2\),\n    torch\.nn\.Flatten\(\),\n    torch\.nn\.Linear\(144, 10\)/);
});
