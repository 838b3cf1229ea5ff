// A/B comparison of engine builds on the playground workload, in one process.
//
// This VM's speed drifts by ±25 % over minutes, so two runs of
// playground-engine.mjs cannot tell a 5 % change from noise. Here every build
// trains the same workload (bench/playground-workload.mjs) in alternating
// rounds of the same epochs and keeps its best round, so the builds meet the
// same conditions; equal final losses mean equal training, bit for bit.
// List the old build twice to see the noise floor: two instances of one build
// have differed by 10-20 % in one run here (V8's tier-up and the VM's phases),
// so trust a change only when it repeats across several runs.
//
// Usage: node bench/engine-ab.mjs DIR_A DIR_B [...] [--rounds 12]
//        (each DIR holds a Node flavour nn.cjs + nn.wasm, e.g. a copy of
//        build/node/ made before a change; for a build of an older ABI, also
//        copy its web/src/engine/nn-wasm.js into DIR: it is loaded through it)
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
  builds.push({ dir, work, best: 0, loss: NaN });
}
const EPOCHS = 400; // per round: every build trains the same epochs, so equal losses mean equal bits
for (let r = 0; r < rounds; r++)
  for (const b of builds) {
    const t0 = performance.now();
    for (let e = 0; e < EPOCHS; e++) b.loss = b.work.epoch();
    b.best = Math.max(b.best, (EPOCHS * TRAIN_POINTS) / ((performance.now() - t0) / 1000));
  }
console.log(`best of ${rounds} alternating rounds of ${EPOCHS} epochs (${TRAIN_POINTS} examples each)`);
for (const b of builds)
  console.log(`  ${b.dir}: ${Math.round(b.best).toLocaleString('en-US')} examples/s, ` +
    `${(b.best / builds[0].best).toFixed(3)}× the first, last epoch loss ${b.loss}`);
for (const b of builds) b.work.destroy();
