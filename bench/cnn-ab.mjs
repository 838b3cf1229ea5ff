// cnn-ab.mjs — A/B comparison of engine builds on the CNN presets (issue 11), in one process.
//
// The CNN counterpart of engine-ab.mjs (read its header for why): every build trains each
// preset (bench/cnn-engine.mjs's PRESETS, real MNIST digits in file order, pixels / 255) in
// alternating rounds of the same steps, the order reversed every other round, so the builds
// meet the same load. Every build sees the same batches, so equal losses after each round mean
// equal training, bit for bit (printed). The figure to trust is the median over rounds of the
// CPU-time ratio to the first build in the same round.
//
// Usage: node bench/cnn-ab.mjs DIR_A DIR_B [...] [--rounds 8] [--steps 40] [--preset id]...
//        (each DIR holds a Node flavour nn.cjs + nn.wasm, e.g. a copy of build/node/)
import { loadEngine } from '../tests/node/core-load.mjs';
import { loadMnist } from './mnist-idx.mjs';
import { PRESETS } from './cnn-engine.mjs';

const dirs = [], presets = [];
let rounds = 8, steps = 40;
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--rounds') rounds = Number(process.argv[++i]) || rounds;
  else if (a === '--steps') steps = Number(process.argv[++i]) || steps;
  else if (a === '--preset') presets.push(process.argv[++i]);
  else dirs.push(a);
}
if (dirs.length < 2) {
  console.error('usage: node bench/cnn-ab.mjs DIR_A DIR_B [...] [--rounds 8] [--steps 40] [--preset id]...');
  process.exit(2);
}
if (!presets.length) presets.push(...Object.keys(PRESETS));

const mnist = loadMnist('train');
const engines = [];
for (const dir of dirs) engines.push({ dir, engine: await loadEngine(dir) });

/** A model of preset `id` on `engine` whose step() trains on the next batch (wrapping at 60k). */
function trainer(engine, id) {
  const p = PRESETS[id];
  const m = engine.createModel({ input: [1, 28, 28], layers: p.layers, loss: 'ce', seed: 1, maxBatch: p.batch });
  m.setOptimizer(p.optimizer[0], p.optimizer[1]);
  const pixels = engine.fromArray(mnist.images);
  const x = engine.allocF32(p.batch * 784), y = engine.allocF32(p.batch * 10);
  const oneHot = new Float32Array(p.batch * 10), batches = Math.floor(mnist.labels.length / p.batch);
  let s = 0;
  return {
    batch: p.batch,
    step() {
      const at = (s++ % batches) * p.batch;
      engine.gatherU8(x, pixels.at(at * 784), p.batch, null, p.batch, 784, 1 / 255);
      oneHot.fill(0);
      for (let r = 0; r < p.batch; r++) oneHot[r * 10 + mnist.labels[at + r]] = 1;
      y.set(oneHot);
      return m.trainStep(x, y, p.batch);
    },
  };
}

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const median = (v) => {
  const s = [...v].sort((p, q) => p - q), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

console.log(`${rounds} alternating rounds of ${steps} steps per preset; speed against the first build: ` +
  'median over rounds of the same round\'s CPU-time ratio');
for (const id of presets) {
  const builds = engines.map(({ dir, engine }) => ({ dir, t: trainer(engine, id), cpu: [], wall: [], losses: [] }));
  for (const b of builds) for (let s = 0; s < 5; s++) b.t.step(); // warm-up: V8 tiers the module up
  for (let r = 0; r < rounds; r++) {
    for (const b of r % 2 ? [...builds].reverse() : builds) {
      const c0 = cpuMicros(), t0 = performance.now();
      let loss = NaN;
      for (let s = 0; s < steps; s++) loss = b.t.step();
      b.wall.push((performance.now() - t0) / 1000);
      b.cpu.push((cpuMicros() - c0) / 1e6);
      b.losses.push(loss);
    }
  }
  const examples = steps * builds[0].t.batch;
  for (const b of builds) {
    const ratio = median(b.cpu.map((c, r) => builds[0].cpu[r] / c));
    const same = b.losses.every((l, r) => Object.is(l, builds[0].losses[r]));
    console.log(`${id.padEnd(10)} ${b.dir}: ${Math.round(examples / median(b.cpu))} examples/CPU s ` +
      `(best wall ${Math.round(examples / Math.min(...b.wall))}/s), ${ratio.toFixed(3)}x, ` +
      `last loss ${b.losses.at(-1).toFixed(6)}${same ? '' : ' (differs from the first build)'}`);
  }
}
