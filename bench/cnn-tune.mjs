// cnn-tune.mjs — tries one MNIST training recipe in Node on the real data, through the
// page's own trainer (web/src/labs/mnist/trainer.js, its learning-rate schedule and shift
// augmentation), and prints the 10k test accuracy after every epoch (or every --every
// epochs) against the seconds spent in training steps (evaluations excluded), so recipes
// can be compared by accuracy per training second before they are tried in the browser.
// Usage (after bash build.sh wasm):
//   node bench/cnn-tune.mjs [--layers conv:8:5,pool:2,...] [--opt adam] [--lr 0.002]
//     [--mom 0.9] [--batch 32] [--epochs 5] [--sched none|step|exp|cos] [--lrend 0.01]
//     [--shift 0] [--seed 1] [--every 1] [--json]
// Unset options are the small fast CNN's (DEFAULTS below).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine, loadMnist } from '../tests/node/core-load.mjs';
import { buildAsset } from '../web/src/labs/mnist/asset-format.js';
import { MnistHeapData } from '../web/src/labs/mnist/data.js';
import { MnistTrainer } from '../web/src/labs/mnist/trainer.js';

const DEFAULTS = {
  layers: 'conv:8:5:1:0:relu,pool:2:2,conv:16:5:1:0:relu,pool:2:2,flatten,dense:10:softmax',
  optimizer: 'adam', lr: 0.002, momentum: 0.9, batchSize: 32, epochs: 5, lrSchedule: 'none', lrEnd: 1, shift: 0,
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The MNIST lab's layer text (model-layers.ts's form, full or short) as the engine's layer specs. */
export function engineLayers(text) {
  return text.split(',').map((item) => {
    const [kind, ...r] = item.split(':');
    const n = (i, d) => (r[i] === undefined || r[i] === '' ? d : Number(r[i]));
    if (kind === 'conv') {
      const k = n(1, 3);
      return { kind: 'conv2d', activation: r[4] || 'relu', ints: [n(0), k, k, n(2, 1), n(3, 0)] };
    }
    if (kind === 'pool') return { kind: 'maxpool', activation: 'linear', ints: [n(0, 2), n(1, n(0, 2))] };
    if (kind === 'flatten') return { kind: 'flatten', activation: 'linear', ints: [] };
    if (kind === 'dense') return { kind: 'dense', activation: r[1] || 'relu', ints: [n(0)] };
    throw new Error(`not a layer: ${item}`);
  });
}

function options(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    if (a === '--json') o.json = true;
    else o[a.slice(2)] = argv[++i];
  }
  return o;
}

async function main() {
  const o = options(process.argv.slice(2));
  const base = DEFAULTS;
  const recipe = {
    layers: o.layers ?? base.layers,
    optimizer: o.opt ?? base.optimizer,
    lr: Number(o.lr ?? base.lr),
    momentum: Number(o.mom ?? base.momentum),
    batchSize: Number(o.batch ?? base.batchSize),
    epochs: Number(o.epochs ?? base.epochs),
    lrSchedule: o.sched ?? base.lrSchedule,
    lrEnd: Number(o.lrend ?? base.lrEnd),
    shift: Number(o.shift ?? base.shift),
    seed: Number(o.seed ?? 1),
  };
  const every = Number(o.every ?? 1);
  const engine = await loadEngine();
  const data = loadMnist(engine);
  const trainer = new MnistTrainer(engine, data, { ...recipe, layers: engineLayers(recipe.layers) });
  let trainMs = 0;
  const points = [];
  if (!o.json) console.log(JSON.stringify(recipe));
  while (trainer.progress < recipe.epochs - 1e-9) {
    const until = Math.min(recipe.epochs, trainer.progress + every);
    const t0 = performance.now();
    while (trainer.progress < until - 1e-9) {
      if (!Number.isFinite(trainer.step())) throw new Error(`diverged at epoch ${trainer.progress.toFixed(2)}`);
    }
    trainMs += performance.now() - t0;
    const r = trainer.evaluate('test');
    points.push({ epoch: Number(trainer.progress.toFixed(3)), trainSeconds: Number((trainMs / 1000).toFixed(1)), accuracy: r.accuracy, rate: trainer.rate });
    if (!o.json) console.log(`epoch ${trainer.progress.toFixed(2)}  ${(trainMs / 1000).toFixed(1)} s training  test ${(100 * r.accuracy).toFixed(2)} %  rate ${trainer.rate.toPrecision(3)}`);
  }
  if (o.json) console.log(JSON.stringify({ recipe, points }));
  trainer.destroy();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
