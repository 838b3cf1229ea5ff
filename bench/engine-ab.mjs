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
// Each process instantiates every build once, and an instance's speed
// differs from the next one's by a few %; the build set up first also had an
// edge of about 1-1.5 % here. --processes N runs N child processes, the
// build order rotated by one each time, and prints per build the median over
// processes of its ratio to DIR_A (in that process); use it for changes of a
// few %.
//
// Usage: node bench/engine-ab.mjs DIR_A DIR_B [...] [--rounds 12] [--processes N]
//        (each DIR holds a Node flavour nn.cjs + nn.wasm, e.g. a copy of
//        build/node/ made before a change; for a build of an older ABI, also
//        copy its web/src/engine/*.js (nn-wasm.js and the modules it imports)
//        into DIR: it is loaded through its nn-wasm.js)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../tests/node/core-load.mjs';
import { playgroundWorkload, TRAIN_POINTS } from './playground-workload.mjs';

const dirs = [];
let rounds = 12, processes = 0, json = false;
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--rounds') rounds = Number(process.argv[++i]) || rounds;
  else if (process.argv[i] === '--processes') processes = Number(process.argv[++i]) || 0;
  else if (process.argv[i] === '--json') json = true; // a child's result line
  else dirs.push(process.argv[i]);
}
if (dirs.length < 2) {
  console.error('usage: node bench/engine-ab.mjs DIR_A DIR_B [...] [--rounds 12] [--processes N]');
  process.exit(2);
}
const median = (v) => {
  const s = [...v].sort((p, q) => p - q), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

if (processes > 0) {
  const ratios = dirs.map(() => []), losses = [];
  for (let p = 0; p < processes; p++) {
    const order = dirs.map((_, i) => (i + p) % dirs.length);
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url),
      ...order.map((i) => dirs[i]), '--rounds', String(rounds), '--json'], { encoding: 'utf8' });
    const child = JSON.parse(out.trim().split('\n').pop()); // per build in `order`: { cpu, loss }
    const perDir = [];
    order.forEach((i, k) => { perDir[i] = child[k]; });
    dirs.forEach((_, i) => {
      ratios[i].push(median(perDir[i].cpu.map((c, r) => perDir[0].cpu[r] / c)));
      losses[i] = perDir[i].loss;
    });
  }
  console.log(`${processes} processes of ${rounds} alternating rounds, the build order rotated; ` +
    'per build: median over processes of its CPU-time speed against the first build (range)');
  dirs.forEach((d, i) => console.log(`  ${d}: ${median(ratios[i]).toFixed(3)}× ` +
    `(${Math.min(...ratios[i]).toFixed(3)}-${Math.max(...ratios[i]).toFixed(3)}), last epoch loss ${losses[i]}`));
  process.exit(0);
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
if (json) {
  console.log(JSON.stringify(builds.map((b) => ({ cpu: b.cpu, loss: b.loss }))));
  process.exit(0);
}
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
