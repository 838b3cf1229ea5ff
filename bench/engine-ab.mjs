// A/B comparison of engine builds on the playground workload, in one process.
//
// This VM's speed drifts by ±25 % over minutes and its 2 cores are shared, so
// two runs of playground-engine.mjs cannot tell a 5 % change from noise. Here
// every build trains the same workload (bench/playground-workload.mjs) in
// alternating rounds of the same epochs (the order reversed every other
// round), so the builds meet the same conditions; equal final losses mean
// equal training, bit for bit. Each round is timed twice: wall time (best
// round kept, as before) and the process's CPU time, which leaves out the
// time spent waiting for a core on a loaded machine. The figure to trust is
// the median over rounds of the CPU-time ratio to the first build taken in
// the same round. List a build twice to see the noise floor (the wall-time
// best of two instances of one build has differed by 10-20 % here, V8's
// tier-up and the VM's phases), and trust a change only when it repeats
// across several runs.
//
// Usage: node bench/engine-ab.mjs DIR_A DIR_B [...] [--rounds 12]
//        (each DIR holds a Node flavour nn.cjs + nn.wasm, e.g. a copy of
//        build/node/ made before a change; for a build of an older ABI, also
//        copy its web/src/engine/*.js (nn-wasm.js and the modules it imports)
//        into DIR: it is loaded through its nn-wasm.js)
import { loadEngine } from '../tests/node/core-load.mjs';
import { playgroundWorkload, TRAIN_POINTS } from './playground-workload.mjs';

const dirs = [];
let rounds = 12;
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--rounds') rounds = Number(process.argv[++i]) || rounds;
  else dirs.push(process.argv[i]);
}
if (dirs.length < 2) {
  console.error('usage: node bench/engine-ab.mjs DIR_A DIR_B [...] [--rounds 12]');
  process.exit(2);
}

const builds = [];
for (const dir of dirs) {
  const work = playgroundWorkload(await loadEngine(dir));
  for (let e = 0; e < 2000; e++) work.epoch(); // V8 tiers the module up meanwhile
  builds.push({ dir, work, wall: [], cpu: [], loss: NaN });
}
const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const EPOCHS = 200; // per round: every build trains the same epochs, so equal losses mean equal bits
for (let r = 0; r < rounds; r++)
  for (const b of r % 2 ? [...builds].reverse() : builds) {
    const c0 = cpuMicros(), t0 = performance.now();
    for (let e = 0; e < EPOCHS; e++) b.loss = b.work.epoch();
    b.wall.push((performance.now() - t0) / 1000);
    b.cpu.push((cpuMicros() - c0) / 1e6);
  }
const median = (v) => {
  const s = [...v].sort((p, q) => p - q), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const examples = EPOCHS * TRAIN_POINTS;
const rate = (seconds) => Math.round(examples / seconds).toLocaleString('en-US');
console.log(`${rounds} alternating rounds of ${EPOCHS} epochs (${TRAIN_POINTS} examples each); ` +
  'speed against the first build: median over rounds of the same round\'s CPU-time ratio');
for (const b of builds) {
  const ratio = median(b.cpu.map((c, i) => builds[0].cpu[i] / c));
  console.log(`  ${b.dir}: ${ratio.toFixed(3)}× the first (CPU time; median round ` +
    `${rate(median(b.cpu))} examples/s), best wall-time round ${rate(Math.min(...b.wall))} examples/s, ` +
    `last epoch loss ${b.loss}`);
}
for (const b of builds) b.work.destroy();
