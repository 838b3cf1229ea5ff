// MNIST on the real WASM engine (Node flavour, build/node/nn.cjs), through
// the same trainer module the page's worker runs (web/src/labs/mnist/trainer.js, data.js):
// bytes in the heap, batches gathered by nn_gather_u8, seeded shuffles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine, mnistAsset } from './core-load.mjs';
import { buildAsset } from '../../web/src/labs/mnist/asset-format.js';
import { MnistHeapData } from '../../web/src/labs/mnist/data.js';
import { DEFAULT_TRAINING, MnistTrainer, PRESETS } from '../../web/src/labs/mnist/trainer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const engine = await loadEngine();
const asset = mnistAsset();
const data = MnistHeapData.fromBytes(engine, asset);

const preset = (overrides = {}) => ({
  hidden: [...PRESETS.mlp128.hidden], activations: [...PRESETS.mlp128.activations], ...DEFAULT_TRAINING, ...overrides,
});

test('the 784-128-10 preset with Adam reaches >= 97% test accuracy within 3 epochs', () => {
  const trainer = new MnistTrainer(engine, data, preset());
  try {
    assert.equal(trainer.model.paramCount, 784 * 128 + 128 + 128 * 10 + 10);
    const initial = trainer.evaluate('test');
    assert.ok(initial.accuracy < 0.3, `an untrained model should be near chance, got ${initial.accuracy}`);
    const accuracies = [];
    while (trainer.epoch < 3) {
      const epoch = trainer.epoch;
      while (trainer.epoch === epoch) assert.ok(Number.isFinite(trainer.step()), 'training diverged');
      const r = trainer.evaluate('test');
      accuracies.push(r.accuracy);
      // The confusion matrix accounts for every test digit and agrees with the accuracy.
      const total = r.confusion.reduce((a, b) => a + b, 0);
      let diagonal = 0;
      for (let c = 0; c < 10; c++) diagonal += r.confusion[c * 11];
      assert.equal(total, 10000);
      assert.equal(diagonal, r.correct);
      if (r.accuracy >= 0.97) break;
    }
    console.log(`test accuracy after each epoch: ${accuracies.map((a) => (100 * a).toFixed(2)).join(', ')}%`);
    assert.ok(Math.max(...accuracies) >= 0.97, `best test accuracy ${Math.max(...accuracies)} after ${accuracies.length} epochs`);
    assert.equal(trainer.steps, trainer.epoch * Math.ceil(60000 / 64));
  } finally {
    trainer.destroy();
  }
});

test('the same seed gives the same shuffles and losses; another seed does not', () => {
  const losses = (seed) => {
    const t = new MnistTrainer(engine, data, preset({ seed }));
    try {
      return Array.from({ length: 30 }, () => t.step());
    } finally {
      t.destroy();
    }
  };
  const a = losses(7), b = losses(7), c = losses(8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('misclassified digits come most confident first, with their true labels', () => {
  const t = new MnistTrainer(engine, data, preset());
  try {
    for (let i = 0; i < 100; i++) t.step();
    const r = t.evaluate('test');
    assert.ok(r.misclassified.length > 0);
    for (let k = 1; k < r.misclassified.length; k++) assert.ok(r.misclassified[k - 1].confidence >= r.misclassified[k].confidence);
    for (const w of r.misclassified) {
      assert.equal(w.label, data.testLabels[w.index]);
      assert.notEqual(w.pred, w.label);
      assert.equal(w.probs.length, 10);
    }
    const subset = t.evaluate('subset');
    assert.equal(subset.n, 1000);
    assert.ok(Math.abs(subset.accuracy - r.accuracy) < 0.05, `1k subset ${subset.accuracy} vs 10k ${r.accuracy}`);
    // predict() on one test digit agrees with the batch evaluation's
    // probabilities. Not bit for bit: the core's blocked kernels sum a row
    // alone in another order than a row inside a batch of 1000 (both
    // deterministic); observed differences are a few float32 ulps.
    const first = r.misclassified[0];
    const pixels = Float32Array.from(t.data.testDigit(first.index), (v) => v / 255);
    const one = t.predict(pixels);
    for (let c = 0; c < 10; c++) {
      assert.ok(Math.abs(one[c] - first.probs[c]) <= 1e-5 * Math.max(1e-3, first.probs[c]), `class ${c}: ${one[c]} vs ${first.probs[c]}`);
    }
  } finally {
    t.destroy();
  }
});

test('streamed data must be complete before use', () => {
  const partial = new MnistHeapData(engine, data.header);
  try {
    partial.write(asset.subarray(0, 1000), 0);
    assert.throws(() => partial.finish(), /1000 bytes, its header needs 54950032/);
    assert.throws(() => new MnistTrainer(engine, partial, preset()), /not loaded/);
    assert.throws(() => partial.write(new Uint8Array(10), asset.length - 5), /more than the 54950032 bytes/);
  } finally {
    partial.free();
  }
});
