// pytorch-train.test.mjs — the exported PyTorch script's train mode
// (web/src/share/pytorchExport.ts + pytorchTrain.ts) run with Debian's
// python3-torch against the page's own training code on the REAL WASM engine:
//  - playground: the worker's Session (labs/playground/session.ts) trains
//    from the exported weights; the script's per-epoch mean losses equal the
//    session's, and its first 10 step losses the engine's steps over the same
//    seeded batches (<= 1e-4 relative), for BCE/Adam+L2, CE/momentum and
//    MSE/SGD+L1 with a partial last batch;
//  - MNIST: MnistTrainer (labs/mnist/trainer.js) from the exported weights;
//    the script's first 10 losses equal the trainer's, for an MLP (the IDX
//    files), a CNN with the shift augmentation (the page's asset file), and
//    an MLP under the exp learning-rate schedule, whose per-step rates the
//    script prints are the float32 rates the trainer gave the core;
//  - the checkpoint (--out) is a model file the page's parser accepts, with
//    the weights the page reaches after the same training;
//  - --workers 2 (DistributedDataParallel, gloo, torch.multiprocessing) gives
//    the single process's losses (<= 1e-4), and the loss falls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadEngine } from './core-load.mjs';
import { MnistTrainer } from '../../web/src/labs/mnist/trainer.js';
import { buildAsset } from '../../web/src/labs/mnist/asset-format.js';
import { createRng, permutation, shuffleSeed } from '../../web/src/lib/rng.js';
import { MNIST_DIR, PYTHON, SRC, loadMnist, loadModules, mnistAsset, run } from './py-export-util.mjs';

const TOL = 1e-4;
const ENTRY = `
export { exportLabModel } from '${SRC}share/pytorchExport.ts';
export { networkSpec } from '${SRC}share/network.ts';
export { generateDataset, splitTrainTest, featurize, targetsFor, datasetInfo } from '${SRC}data/datasets.ts';
export { defaultConfig } from '${SRC}state/schema.ts';
export { validateConfig } from '${SRC}state/codec.ts';
export { denseLayers } from '${SRC}share/layers.ts';
export { readLabModelFile } from '${SRC}share/modelFile.ts';
export { askEngine, coreVerdict } from '${SRC}share/coreLayout.ts';
export { mnistCodec } from '${SRC}labs/mnist/config.ts';
export { engineLayer, fileLayers, mlpLayers } from '${SRC}labs/mnist/model-layers.ts';
export { Session } from '${SRC}labs/playground/session.ts';
`;

/** The core's blocks of a layer list (what the page gets from its worker for a file or an export). */
function coreBlocks(m, engine, layers, loss) {
  const v = m.coreVerdict(engine, { layers, loss, maxParams: 1 << 24 });
  assert.ok(v.ok && v.refused === null, v.error ?? v.refused);
  return v.blocks;
}

/** JSON lines of a train run: { steps: [loss...], rates: [lr...], epochs: [mean...] }. */
function parseRun(out) {
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  const steps = lines.filter((l) => 'step' in l);
  return { steps: steps.map((l) => l.loss), rates: steps.map((l) => l.lr), epochs: lines.filter((l) => 'mean_loss' in l).map((l) => l.mean_loss) };
}

function worstRelative(got, want, what) {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.abs(want[i]));
  assert.ok(worst <= TOL, `${what}: largest relative difference ${worst.toExponential(3)} > ${TOL}\n  script: ${got}\n  page:   ${want}`);
  return worst;
}

/** Weights after the same training: close, relative to the largest weight. */
function closeWeights(got, want, what) {
  assert.equal(got.length, want.length);
  let scale = 0, worst = 0;
  for (let i = 0; i < want.length; i++) { scale = Math.max(scale, Math.abs(want[i])); worst = Math.max(worst, Math.abs(got[i] - want[i])); }
  assert.ok(worst / scale <= 1e-4, `${what}: weights differ by ${(worst / scale).toExponential(3)} of the largest`);
  return worst / scale;
}

// The playground's runs: every loss, optimizer and regularisation; batch sizes with a partial last batch.
const CASES = [
  { name: 'circle, BCE, Adam + L2, batch 16', dataset: 'circle', hidden: [6, 4], activations: ['tanh', 'relu'], features: ['x1', 'x2', 'x1sq', 'sinx2'],
    optimizer: 'adam', learningRate: 0.03, momentum: 0.9, regularization: 'l2', regRate: 0.001, batchSize: 16, seed: 5 },
  { name: 'blobs3, CE, momentum, batch 7', dataset: 'blobs3', hidden: [5], activations: ['leaky_relu'], features: ['x1', 'x2'],
    optimizer: 'momentum', learningRate: 0.05, momentum: 0.8, regularization: 'none', regRate: 0, batchSize: 7, seed: 11 },
  { name: 'sin1d, MSE, SGD + L1, batch 32', dataset: 'sin1d', hidden: [8], activations: ['tanh'], features: ['x1'],
    optimizer: 'sgd', learningRate: 0.02, momentum: 0.9, regularization: 'l1', regRate: 0.0005, batchSize: 32, seed: 2 },
];

/** The playground's config, its training split, and a Session built as the worker builds it. */
function playground(m, engine, { name: _name, ...over }) {
  const config = { ...m.defaultConfig(), ...over };
  assert.deepEqual(m.validateConfig(config), []);
  const info = m.datasetInfo(config.dataset);
  const ds = m.generateDataset(config.dataset, { n: info.defaultCount, noise: config.noise, seed: config.dataSeed });
  const split = m.splitTrainTest(ds, config.trainRatio, config.dataSeed);
  const spec = m.networkSpec(config, ds.task, ds.nClasses);
  const session = () => {
    const s = new m.Session(engine, { diverged: (_e, msg) => { throw new Error(`diverged: ${msg}`); } });
    s.build({ inputs: config.features.length, hidden: config.hidden, activations: config.activations, outputs: spec.sizes[spec.sizes.length - 1], task: ds.task, seed: config.seed });
    s.setData({ train: split.train, test: split.test, task: ds.task, nClasses: ds.nClasses, features: config.features, dims: ds.dims });
    s.applyHyper({ optimizer: config.optimizer, learningRate: config.learningRate, momentum: config.momentum, regularization: config.regularization, regRate: config.regRate, batchSize: config.batchSize });
    return s;
  };
  return { config, ds, split, spec, session };
}

test('playground: the script\'s training losses and checkpoint are the page\'s', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-train-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, ENTRY);
  const engine = await loadEngine();
  await Promise.all(CASES.map(async (c, index) => {
    const { config, split, spec, session } = playground(m, engine, c);
    // The page trains a few epochs, then exports.
    const page = session();
    page.step(3);
    const params = page.params();
    const layers = m.denseLayers(spec.sizes, spec.activations);
    const script = join(dir, `model${index}.py`);
    writeFileSync(script, m.exportLabModel({ lab: 'playground', config, layers, loss: spec.loss, epoch: 3, params, blocks: coreBlocks(m, engine, layers, spec.loss) }, c.name, split.train));

    // The page's comparison run: the exported weights, a fresh optimizer, the batch order from the seed.
    const again = session();
    again.loadParams(params);
    again.step(10);
    const pageEpochs = Array.from(again.snapshot().epochLosses);
    // Its first steps, one by one: the engine over the session's first epoch order.
    const n = split.train.labels.length;
    const x = m.featurize(split.train.points, config.features);
    const y = m.targetsFor(split.train);
    const inputs = config.features.length, outputs = y.length / n;
    const model = engine.createModel({ sizes: spec.sizes, activations: spec.activations, loss: spec.loss, seed: 1, maxBatch: 256 });
    model.loadParams(params);
    model.setOptimizer(config.optimizer, { lr: config.learningRate, beta1: config.optimizer === 'sgd' ? 0 : config.momentum, beta2: 0.999, eps: 1e-8 });
    model.setRegularization(config.regularization, config.regRate);
    const rng = createRng(shuffleSeed(config.seed));
    const pageSteps = [];
    for (let order = permutation(rng, n), start = 0; pageSteps.length < 10; start += config.batchSize) {
      if (start >= n) { order = permutation(rng, n); start = 0; }
      const rows = Array.from(order.subarray(start, Math.min(n, start + config.batchSize)));
      const bx = new Float32Array(rows.length * inputs), by = new Float32Array(rows.length * outputs);
      rows.forEach((r, k) => { bx.set(x.subarray(r * inputs, (r + 1) * inputs), k * inputs); by.set(y.subarray(r * outputs, (r + 1) * outputs), k * outputs); });
      pageSteps.push(model.trainStep(bx, by, rows.length));
    }
    model.destroy();

    const ckpt = join(dir, `ckpt${index}.json`);
    const got = parseRun(await run(PYTHON, [script, 'train', '--epochs', '10', '--out', ckpt, '--cpu']));
    const stepWorst = worstRelative(got.steps.slice(0, 10), pageSteps, `${c.name}: first 10 step losses`);
    const epochWorst = worstRelative(got.epochs, pageEpochs, `${c.name}: 10 epoch losses`);
    assert.ok(got.epochs[9] < got.epochs[0], `${c.name}: the loss falls`);

    // The checkpoint: the page's parser accepts it; its weights are the page's after the same 10 epochs.
    const loaded = await m.readLabModelFile(readFileSync(ckpt, 'utf8'), 'playground', m.askEngine(engine));
    assert.ok(loaded.ok, loaded.error);
    assert.equal(loaded.model.epoch, 13);
    assert.deepEqual(loaded.model.config, config);
    const weightWorst = closeWeights(loaded.model.params, again.params(), c.name);
    t.diagnostic(`${c.name}: steps ${stepWorst.toExponential(2)}, epochs ${epochWorst.toExponential(2)}, checkpoint weights ${weightWorst.toExponential(2)}`);
  }));
});

test('MNIST: the script\'s first 10 losses are the page trainer\'s (MLP from the IDX files, CNN with shifts from the asset); the checkpoint loads', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-train-mnist-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, ENTRY);
  const engine = await loadEngine();
  const data = loadMnist(engine);
  // The page's asset file (gzipped), built as web/scripts/make-mnist-asset.mjs builds it.
  const asset = join(dir, 'mnist.gz.bin');
  writeFileSync(asset, gzipSync(mnistAsset(), { level: 1 }));
  const nets = [
    { name: 'MLP 784-32-10, Adam', source: MNIST_DIR, over: { layers: m.mlpLayers([32], ['relu']), optimizer: 'adam', learningRate: 0.002, batchSize: 64, seed: 3 } },
    { name: 'CNN, momentum, shift 2', source: asset, over: {
      layers: [{ kind: 'conv', filters: 4, kernel: 5, stride: 2, padding: 0, activation: 'relu' }, { kind: 'pool', kernel: 2, stride: 2 },
        { kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }],
      optimizer: 'momentum', learningRate: 0.01, momentum: 0.9, batchSize: 20, shift: 2, seed: 9 } },
    // A one-epoch run with the steepest exp decay: the rate falls ~12% within the 10 steps compared.
    { name: 'MLP 784-16-10, Adam, exp schedule', source: MNIST_DIR, over: { layers: m.mlpLayers([16], ['relu']), optimizer: 'adam', learningRate: 0.003,
      lrSchedule: 'exp', lrEnd: 1e-6, epochs: 1, batchSize: 64, seed: 4 } },
  ];
  try {
    for (const net of nets) {
      const config = { ...m.mnistCodec.defaults(), ...net.over };
      assert.deepEqual(m.mnistCodec.validate(config), []);
      const spec = { optimizer: config.optimizer, lr: config.learningRate, momentum: config.momentum, batchSize: config.batchSize, shift: config.shift,
        lrSchedule: config.lrSchedule, lrEnd: config.lrEnd, epochs: config.epochs, seed: config.seed, layers: config.layers.map(m.engineLayer) };
      const page = new MnistTrainer(engine, data, spec);
      const again = new MnistTrainer(engine, data, spec);
      try {
        for (let i = 0; i < 5; i++) page.step();
        const params = page.params();
        const layers = m.fileLayers(config.layers, page.model.layerShapes());
        const script = join(dir, 'model.py');
        writeFileSync(script, m.exportLabModel({ lab: 'mnist', config, layers, loss: 'ce', epoch: page.progress, params, blocks: page.model.paramLayout() }, net.name));
        // The page's comparison run: the exported weights in a fresh trainer (fresh optimizer, order and shifts from the seed).
        again.loadParams(params);
        const pageSteps = [], pageRates = [];
        for (let i = 0; i < 10; i++) { pageSteps.push(again.step()); pageRates.push(again.rate); }
        const ckpt = join(dir, 'ckpt.json');
        const got = parseRun(await run(PYTHON, [script, 'train', '--steps', '10', '--mnist', net.source, '--out', ckpt, '--cpu']));
        assert.equal(got.epochs.length, 0, 'no epoch finished in 10 steps');
        const worst = worstRelative(got.steps, pageSteps, `${net.name}: 10 step losses`);
        // The rates: the trainer's float32 ones, bit for bit (constant without a schedule).
        assert.deepEqual(got.rates, pageRates, `${net.name}: the script's rates are the trainer's`);
        if (config.lrSchedule !== 'none') assert.ok(pageRates[9] < 0.9 * pageRates[0], `${net.name}: the schedule shows within 10 steps: ${pageRates}`);
        const loaded = await m.readLabModelFile(readFileSync(ckpt, 'utf8'), 'mnist', m.askEngine(engine));
        assert.ok(loaded.ok, loaded.error);
        const weightWorst = closeWeights(loaded.model.params, again.params(), net.name);
        t.diagnostic(`MNIST ${net.name}: steps ${worst.toExponential(2)}, checkpoint weights ${weightWorst.toExponential(2)}`);
      } finally {
        page.destroy();
        again.destroy();
      }
    }
  } finally {
    data.free();
  }
});

test('--workers 2 (DistributedDataParallel on gloo) trains like one process', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-train-ddp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, ENTRY);
  const engine = await loadEngine();
  // Batch 16 over 150 training points: 9 batches of 8 + 8 rows per worker, then one of 3 + 3.
  const { config, split, spec, session } = playground(m, engine, CASES[0]);
  const params = session().params();
  const script = join(dir, 'model.py');
  const layers = m.denseLayers(spec.sizes, spec.activations);
  writeFileSync(script, m.exportLabModel({ lab: 'playground', config, layers, loss: spec.loss, epoch: 0, params, blocks: coreBlocks(m, engine, layers, spec.loss) }, 'ddp', split.train));
  const started = Date.now();
  const [one, two] = await Promise.all([
    run(PYTHON, [script, 'train', '--epochs', '4', '--cpu']),
    run(PYTHON, [script, 'train', '--epochs', '4', '--cpu', '--workers', '2']),
  ]);
  const single = parseRun(one), ddp = parseRun(two);
  assert.equal(split.train.labels.length % config.batchSize !== 0, true, 'the last batch is partial');
  assert.equal(ddp.steps.length, single.steps.length);
  const worst = worstRelative(ddp.steps, single.steps, 'DDP step losses vs one process');
  assert.ok(ddp.epochs[3] < ddp.epochs[0], `the loss falls: ${ddp.epochs}`);
  t.diagnostic(`2 workers vs 1 process, ${ddp.steps.length} steps: largest relative difference ${worst.toExponential(2)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
});
