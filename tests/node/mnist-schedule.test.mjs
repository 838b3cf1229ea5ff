// The MNIST lab's learning-rate schedule reaches the core: the trainer the page's worker
// runs (web/src/labs/mnist/trainer.js) gives the core the scheduled rate before every step,
// on the real WASM module and the real digits. Plain SGD has no state, so a step taken at
// the scheduled rate must equal, bit for bit, a step of a constant-rate model at that rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine, loadMnist } from './core-load.mjs';
import { buildAsset } from '../../web/src/labs/mnist/asset-format.js';
import { MnistHeapData } from '../../web/src/labs/mnist/data.js';
import { MnistTrainer } from '../../web/src/labs/mnist/trainer.js';
import { scheduledRate } from '../../web/src/labs/mnist/schedule.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const engine = await loadEngine();
const data = loadMnist(engine);

// A small MLP and big batches: a whole epoch is 118 quick steps.
const spec = (over) => ({ hidden: [16], activations: ['relu'], optimizer: 'sgd', lr: 0.1, momentum: 0.9, batchSize: 512, seed: 3, epochs: 2, ...over });
const maxChange = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test('with plain SGD, each step of a decaying run is a step at the scheduled rate', () => {
  const scheduled = new MnistTrainer(engine, data, spec({ lrSchedule: 'exp', lrEnd: 0.01 }));
  const constant = new MnistTrainer(engine, data, spec({}));
  try {
    // Same seed, same batches: both walk to the same point of the same epoch.
    for (let i = 0; i < 150; i++) { scheduled.step(); constant.step(); }
    assert.equal(scheduled.progress, constant.progress);
    const rate = scheduledRate({ lr: 0.1, lrSchedule: 'exp', lrEnd: 0.01, epochs: 2 }, scheduled.progress);
    assert.ok(rate < 0.01 && rate > 0.001, `the rate after ${scheduled.progress.toFixed(2)} epochs is ${rate}`);
    const before = scheduled.params();
    // The constant model takes the same weights and the same next batch at a fixed rate.
    constant.loadParams(before);
    const base = new MnistTrainer(engine, data, spec({}));
    for (let i = 0; i < 150; i++) base.step();
    base.loadParams(before);
    constant.setTraining({ ...spec({}), lr: rate });
    scheduled.step(); constant.step(); base.step();
    assert.equal(scheduled.rate, Math.fround(rate));
    assert.deepEqual(scheduled.params(), constant.params(), 'the scheduled step is the constant step at the scheduled rate');
    assert.notDeepEqual(scheduled.params(), base.params(), 'and not a step at the unscheduled rate');
    base.destroy();
  } finally {
    scheduled.destroy();
    constant.destroy();
  }
});

test('a schedule that decays to (almost) nothing stops moving the weights at the end of the run', () => {
  const decayed = new MnistTrainer(engine, data, spec({ lrSchedule: 'cos', lrEnd: 1e-6, epochs: 1 }));
  try {
    while (decayed.epoch < 1) decayed.step();
    const w0 = decayed.params();
    for (let i = 0; i < 5; i++) decayed.step();
    assert.equal(decayed.rate, Math.fround(0.1 * 1e-6));
    const still = maxChange(w0, decayed.params());
    // The same five batches from the same weights at the undecayed rate.
    const moving = new MnistTrainer(engine, data, spec({ epochs: 1 }));
    while (moving.epoch < 1) moving.step();
    moving.loadParams(w0);
    for (let i = 0; i < 5; i++) moving.step();
    const moved = maxChange(w0, moving.params());
    moving.destroy();
    assert.ok(moved > 1e-3, `five steps at lr 0.1 move a weight by ${moved}`);
    assert.ok(still < moved * 1e-5, `at the decayed rate they moved a weight by ${still} (undecayed: ${moved})`);
  } finally {
    decayed.destroy();
  }
});

test('the same config and seed give the same scheduled run (Adam, cosine)', () => {
  const run = () => {
    const t = new MnistTrainer(engine, data, spec({ optimizer: 'adam', lr: 0.01, lrSchedule: 'cos', lrEnd: 0.05, epochs: 1 }));
    const rates = [];
    for (let i = 0; i < 60; i++) { t.step(); rates.push(t.rate); }
    const p = t.params();
    t.destroy();
    return { rates, p };
  };
  const a = run(), b = run();
  assert.deepEqual(a.p, b.p);
  assert.deepEqual(a.rates, b.rates);
  assert.ok(a.rates[59] < a.rates[0], 'the rate fell during the run');
});
