// cnn-eval-cost.mjs — what the MNIST lab's evaluations cost during a run: trains a preset's
// link settings in Node through the page's trainer and evaluates when the page's plan
// (web/src/labs/mnist/eval-plan.js) says so, timing training steps and evaluations apart
// (the worker runs a full evaluation in slices between chunks; the total is the same).
// On this shared VM absolute times vary with the load; the ratio is the point.
// Usage (after bash build.sh wasm): node bench/cnn-eval-cost.mjs [convnetjs|cnn-fast] [epochs]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine, loadMnist } from '../tests/node/core-load.mjs';
import { buildAsset } from '../web/src/labs/mnist/asset-format.js';
import { MnistHeapData } from '../web/src/labs/mnist/data.js';
import { MnistTrainer } from '../web/src/labs/mnist/trainer.js';
import { EvalPlan } from '../web/src/labs/mnist/eval-plan.js';
import { LAB_LINKS } from './cnn-links.mjs';
import { engineLayers } from './cnn-tune.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const id = process.argv[2] ?? 'convnetjs';
const q = new URLSearchParams(LAB_LINKS[id]);
const epochs = Number(process.argv[3] ?? q.get('epochs'));
const engine = await loadEngine();
const data = loadMnist(engine);
const t = new MnistTrainer(engine, data, {
  layers: engineLayers(q.get('layers')), optimizer: q.get('opt'), lr: Number(q.get('lr')), momentum: Number(q.get('mom') ?? 0.9),
  batchSize: Number(q.get('batch')), lrSchedule: q.get('sched') ?? 'none', lrEnd: Number(q.get('lrend') ?? 0.01),
  epochs: Number(q.get('epochs')), shift: Number(q.get('shift') ?? 0), seed: Number(q.get('seed') ?? 1),
});
const plan = new EvalPlan();
let trainMs = 0;
const spent = { test: 0, subset: 0 };
const when = { test: [], subset: [] };
const evaluate = (kind, at) => {
  plan.started(kind, at);
  const e0 = performance.now();
  const r = t.evaluate(kind);
  const ms = performance.now() - e0;
  plan.finished(kind, trainMs, ms);
  spent[kind] += ms;
  when[kind].push(`${at.toFixed(2)}:${(100 * r.accuracy).toFixed(2)}`);
};
while (true) {
  const s0 = performance.now();
  t.step();
  trainMs += performance.now() - s0;
  const at = t.progress;
  if (plan.due('subset', at, trainMs)) evaluate('subset', at);
  const stopping = t.position === 0 && t.epoch >= epochs;
  if (plan.due('test', at, stopping ? Infinity : trainMs)) evaluate('test', at);
  if (stopping) break;
}
const s = (ms) => (ms / 1000).toFixed(1);
console.log(`${id}, ${epochs} epochs: training ${s(trainMs)} s; evaluations: 10k ${when.test.length}x ${s(spent.test)} s ` +
  `(the last, at the stop, comes after "Finished"), 1k ${when.subset.length}x ${s(spent.subset)} s; ` +
  `during the run ${(100 * (spent.subset + spent.test * (when.test.length - 1) / Math.max(1, when.test.length)) / trainMs).toFixed(1)} % of the training time`);
console.log(`  10k at (epoch:%): ${when.test.join(' ')}`);
console.log(`  1k at (epoch:%): ${when.subset.join(' ')}`);
t.destroy();
