// Engine microbenchmark for the playground (issue 3 §10): the WASM module in
// Node training TensorFlow Playground's hardest usual case — spiral, inputs
// x1 and x2, six hidden layers of 8 tanh units, one sigmoid output with
// binary cross-entropy (as our playground trains it), batch 10, SGD lr 0.03,
// 250 training points — one nn_train_epoch call per epoch with a fresh
// shuffle, exactly as the worker does (web/src/labs/playground/session.ts).
//
// Prints examples/s (wall and CPU time) and the ratios against TensorFlow
// Playground's engine reference (197,000 examples/s in Node on a 2-core
// Xeon; target >= 10x) and against the object-per-neuron JS peer
// (bench/playground-peer.mjs) measured in the same run.
//
// Usage: node bench/playground-engine.mjs [--seconds 3] [--act tanh|relu] [--no-peer]
//        (needs build/node/nn.cjs: bash build.sh wasm)
import { loadEngine } from '../tests/node/core-load.mjs';
import { peerExamplesPerSecond } from './playground-peer.mjs';
import { playgroundWorkload, runWorkload, TRAIN_POINTS, REFERENCE_EXAMPLES_PER_SEC } from './playground-workload.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const seconds = Number(opt('--seconds', 3)) || 3;
const act = opt('--act', 'tanh');

/** Trains for about `secs` seconds; returns { wall, cpu } examples/s and the last loss. */
async function engineExamplesPerSecond(secs) {
  const work = playgroundWorkload(await loadEngine(), act);
  runWorkload(work, 1000); // warm-up
  const c0 = process.cpuUsage();
  const r = runWorkload(work, secs * 1000);
  const c = process.cpuUsage(c0);
  work.destroy();
  return { wall: r.examples / r.seconds, cpu: r.examples / ((c.user + c.system) / 1e6), loss: r.loss };
}

const fmt = (v) => Math.round(v).toLocaleString('en-US');
const ours = await engineExamplesPerSecond(seconds);
console.log(`Playground engine, WASM in Node ${process.version} — spiral, x1 x2, 6×8 ${act}, sigmoid + BCE, batch 10, SGD lr 0.03, ${TRAIN_POINTS} points, nn_train_epoch per epoch`);
console.log(`  ours: ${fmt(ours.wall)} examples/s wall, ${fmt(ours.cpu)} per CPU second (final loss ${ours.loss.toFixed(4)})`);
console.log(`  vs TF Playground engine reference ${fmt(REFERENCE_EXAMPLES_PER_SEC)}: ${(ours.wall / REFERENCE_EXAMPLES_PER_SEC).toFixed(1)}× wall, ${(ours.cpu / REFERENCE_EXAMPLES_PER_SEC).toFixed(1)}× CPU   (target ≥ 10×: ${ours.wall >= 10 * REFERENCE_EXAMPLES_PER_SEC ? 'met' : 'NOT met'})`);
if (args.includes('--no-peer')) process.exit(0);
const c0 = process.cpuUsage(), t0 = performance.now();
const peer = peerExamplesPerSecond({ seconds });
const peerUsage = process.cpuUsage(c0);
// The peer runs on one thread: its CPU rate is its wall rate over the share of a core it got.
const peerCpu = peer / (((peerUsage.user + peerUsage.system) / 1e3) / (performance.now() - t0));
console.log(`  vs object-per-neuron JS peer measured now, ${fmt(peer)} examples/s wall (${fmt(peerCpu)} per CPU second): ${(ours.wall / peer).toFixed(1)}× wall, ${(ours.cpu / peerCpu).toFixed(1)}× CPU`);
