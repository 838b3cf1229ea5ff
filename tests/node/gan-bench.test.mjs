// gan-bench.test.mjs — the correctness half of issue 14 §5's speed benchmark, in a few seconds
// (bench/gan-bench.mjs runs the timed one): the peers run the same math. From the engine's
// initial weights, on the workload's real batches and GanPair's own noise stream, our engine
// (GanPair on the WASM module), TensorFlow.js (the benchmark's TF.js code, bench/gan-tfjs.mjs,
// on its cpu backend in Node) and PyTorch (bench/gan-peers-torch.py) give the same D and G
// losses on the first iteration (1e-5 relative) and stay together for the first ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { GanPair } from '../../web/src/engine/gan.js';
import { initialWeights, runEngineRound } from '../../bench/gan-engine.mjs';
import { runTfjsRound } from '../../bench/gan-tfjs.mjs';
import { ganSpec, noiseStream, realPool, torchBundleFiles } from '../../bench/gan-workload.mjs';
import { loadEngine } from './core-load.mjs';

const PEER = fileURLToPath(new URL('../../bench/gan-peers-torch.py', import.meta.url));
const rel = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
const engine = await loadEngine();
tf.enableProdMode(); // as the benchmark's worker (and no "use tfjs-node" banner)
await tf.setBackend('cpu');

/** The largest relative difference of two traces' D and G losses over their first n iterations. */
function worst(a, b, n) {
  let w = 0;
  for (let i = 0; i < n; i++) w = Math.max(w, rel(a[i][0], b[i][0]), rel(a[i][1], b[i][1]));
  return w;
}

test('the peers draw GanPair\'s noise stream and the same real batches', () => {
  const pair = new GanPair(engine, ganSpec({ opt: 'sgd', depth: 'label' }));
  try {
    const stream = noiseStream();
    for (let i = 0; i < 3; i++) assert.deepEqual(stream.next(), pair.nextNoise().slice());
  } finally {
    pair.destroy();
  }
  const pool = realPool();
  assert.deepEqual(pool, realPool());
  assert.ok(pool.every((v) => Math.abs(v) < 1), 'real samples inside tanh\'s range');
});

const CHECKED = 10; // iterations compared (the benchmark compares CHECK_ITERATIONS)
const CONFIGS = [{ opt: 'sgd', depth: 'label' }, { opt: 'adam', depth: 'code' }, { opt: 'sgd', depth: 'label', loss: 'least_squares' }];

/** PyTorch's records for every config, from one process (importing torch costs seconds). */
function torchRecords(bundles) {
  const dir = mkdtempSync(join(tmpdir(), 'gan-bench-'));
  try {
    const dirs = bundles.map((files, i) => {
      const d = join(dir, String(i));
      mkdirSync(d);
      for (const [name, bytes] of Object.entries(files)) writeFileSync(join(d, name), bytes);
      return d;
    });
    const r = spawnSync('/usr/bin/python3', [PEER, ...dirs, '--seconds', '0', '--warmup-seconds', '0'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const weights = CONFIGS.map((c) => initialWeights(engine, c));
const torch = torchRecords(CONFIGS.map((c, i) => torchBundleFiles(c, weights[i], CHECKED, CHECKED)));

CONFIGS.forEach((config, i) => {
  const name = Object.values(config).join('/');
  test(`${name}: engine, TF.js and PyTorch agree on the first iterations' losses`, () => {
    const quick = { ...config, seconds: 0, warmupSeconds: 0, checkIterations: CHECKED, minWarmupIterations: 0 };
    const ours = runEngineRound(engine, quick);
    const before = tf.memory().numTensors;
    const tfjs = runTfjsRound(tf, { ...quick, weights: weights[i] });
    assert.equal(tf.memory().numTensors, before, 'the TF.js peer leaks no tensors');
    assert.equal(torch.length, CONFIGS.length);
    for (const [peer, got] of [['TF.js', tfjs], ['PyTorch', torch[i]]]) {
      assert.equal(got.trace.length, CHECKED);
      assert.ok(worst(ours.trace, got.trace, 1) <= 1e-5, `${peer}: first iteration ${got.trace[0]} vs the engine's ${ours.trace[0]}`);
      assert.ok(worst(ours.trace, got.trace, CHECKED) <= 1e-4, `${peer}: first ${CHECKED} iterations differ by ${worst(ours.trace, got.trace, CHECKED)}`);
    }
    // The losses move: a peer that never updated would match on the first iteration only.
    assert.ok(rel(ours.trace[0][1], ours.trace[CHECKED - 1][1]) > 1e-3, `G's loss moves (${ours.trace[0][1]} -> ${ours.trace[CHECKED - 1][1]})`);
  });
});
