// Engine microbenchmark for the playground (issue 3 §10): the WASM module in
// Node training TensorFlow Playground's hardest usual case — spiral, inputs
// x1 and x2, six hidden layers of 8 tanh units, one sigmoid output with
// binary cross-entropy (as our playground trains it), batch 10, SGD lr 0.03,
// 250 training points — one nn_train_epoch call per epoch with a fresh
// shuffle, exactly as the worker does (web/src/engine/session.ts).
//
// Prints examples/s (wall and CPU time) and the ratios against TensorFlow
// Playground's engine reference (197,000 examples/s in Node on a 2-core
// Xeon; target >= 10x) and against the object-per-neuron JS peer
// (bench/playground-peer.mjs) measured in the same run.
//
// Usage: node bench/playground-engine.mjs [--seconds 3] [--act tanh|relu] [--no-peer]
//        (needs build/node/nn.cjs: bash build.sh wasm)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../web/src/engine/nn-wasm.js';
import { peerExamplesPerSecond } from './playground-peer.mjs';

const REF_ENGINE = 197000;
const TRAIN_POINTS = 250; // 500 points, 50% train
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(opt('--seconds', 3)) || 3;
const act = opt('--act', 'tanh');

function loadEngine() {
  const nodeDir = fileURLToPath(new URL('../build/node/', import.meta.url));
  const factory = createRequire(import.meta.url)(nodeDir + 'nn.cjs');
  return createEngine(factory, { wasmBinary: readFileSync(nodeDir + 'nn.wasm') });
}

// Two interleaved spiral arms (TensorFlow Playground's formula), labels 0/1.
function spiral(n) {
  const x = new Float32Array(2 * n), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 2, k = i >> 1, half = n >> 1;
    const r = (k / half) * 5, t = (1.75 * k / half) * 2 * Math.PI + cls * Math.PI;
    x[2 * i] = r * Math.sin(t);
    x[2 * i + 1] = r * Math.cos(t);
    y[i] = cls;
  }
  return { x, y };
}

// Fisher-Yates with a small deterministic generator (the worker shuffles each epoch too).
function shuffler(seed) {
  let s = seed >>> 0;
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
  return (order) => {
    for (let i = order.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      const t = order[i]; order[i] = order[j]; order[j] = t;
    }
  };
}

/** Trains for about `secs` seconds; returns { wall, cpu } examples/s and the last loss. */
async function engineExamplesPerSecond(secs) {
  const engine = await loadEngine();
  const model = engine.createModel({
    sizes: [2, 8, 8, 8, 8, 8, 8, 1], activations: [act, act, act, act, act, act, 'sigmoid'],
    loss: 'bce', seed: 1, maxBatch: 256,
  });
  model.setOptimizer('sgd', { lr: 0.03 });
  const data = spiral(TRAIN_POINTS);
  const x = engine.allocF32(data.x.length).set(data.x);
  const y = engine.allocF32(data.y.length).set(data.y);
  const orderBuf = engine.allocI32(TRAIN_POINTS);
  const order = Int32Array.from({ length: TRAIN_POINTS }, (_, i) => i);
  const shuffle = shuffler(7);
  const epoch = () => {
    shuffle(order);
    orderBuf.set(order);
    return model.trainEpoch(x, y, TRAIN_POINTS, orderBuf, 10);
  };
  const runFor = (ms) => {
    let epochs = 0, loss = NaN;
    const c0 = process.cpuUsage(), t0 = performance.now();
    let now = t0;
    while (now - t0 < ms) {
      for (let i = 0; i < 20; i++) loss = epoch();
      epochs += 20;
      now = performance.now();
    }
    const c = process.cpuUsage(c0);
    const examples = epochs * TRAIN_POINTS;
    return { wall: examples / ((now - t0) / 1000), cpu: examples / ((c.user + c.system) / 1e6), loss };
  };
  runFor(1000); // warm-up: V8 tiers the module up
  const r = runFor(secs * 1000);
  model.destroy();
  return r;
}

const fmt = (v) => Math.round(v).toLocaleString('en-US');
const ours = await engineExamplesPerSecond(seconds);
console.log(`Playground engine, WASM in Node ${process.version} — spiral, x1 x2, 6×8 ${act}, sigmoid + BCE, batch 10, SGD lr 0.03, ${TRAIN_POINTS} points, nn_train_epoch per epoch`);
console.log(`  ours: ${fmt(ours.wall)} examples/s wall, ${fmt(ours.cpu)} per CPU second (final loss ${ours.loss.toFixed(4)})`);
console.log(`  vs TF Playground engine reference ${fmt(REF_ENGINE)}: ${(ours.wall / REF_ENGINE).toFixed(1)}× wall, ${(ours.cpu / REF_ENGINE).toFixed(1)}× CPU   (target ≥ 10×: ${ours.wall >= 10 * REF_ENGINE ? 'met' : 'NOT met'})`);
if (args.includes('--no-peer')) process.exit(0);
const c0 = process.cpuUsage(), t0 = performance.now();
const peer = peerExamplesPerSecond({ seconds });
const peerUsage = process.cpuUsage(c0);
// The peer runs on one thread: its CPU rate is its wall rate over the share of a core it got.
const peerCpu = peer / (((peerUsage.user + peerUsage.system) / 1e3) / (performance.now() - t0));
console.log(`  vs object-per-neuron JS peer measured now, ${fmt(peer)} examples/s wall (${fmt(peerCpu)} per CPU second): ${(ours.wall / peer).toFixed(1)}× wall, ${(ours.cpu / peerCpu).toFixed(1)}× CPU`);
