#!/usr/bin/env node
// gan-digits-node.mjs — tuning aid for the digits GAN: GanPair (engine/gan.js)
// in Node with given settings, scored by the reference classifier every
// `every` seconds (100 samples of fixed noise). Not the benchmark (that is
// bench/gan-digits.mjs, the lab in a browser); Node runs the same module.
// Usage: node bench/gan-digits-node.mjs '{"gHidden":[256],"gLearningRate":0.0005}' [seconds] [every]
// (the lab's setConfig names; activations given as one name fill every layer)
import { loadEngine, mnistAsset } from '../tests/node/core-load.mjs';
import { MnistHeapData } from '../web/src/labs/mnist/data.js';
import { GanPair, fillNoise } from '../web/src/engine/gan.js';
import { createRng } from '../web/src/lib/rng.js';
import { digitsGanSpec, RealBatches, toInk } from '../web/src/labs/digits/digits.js';
import { trainClassifier } from './gan-digits-classifier.mjs';

// The lab's defaults (labs/digits/config.ts; TypeScript, so repeated here).
const DEFAULTS = {
  noiseDim: 64, noise: 'gaussian', gHidden: [256], gActivations: ['leaky_relu'], dHidden: [256], dActivations: ['leaky_relu'], loss: 'bce',
  gOptimizer: 'adam', gLearningRate: 1e-3, dOptimizer: 'adam', dLearningRate: 1e-3, beta1: 0.5, batch: 32, dSteps: 1, gSteps: 1, seed: 1,
};
const given = JSON.parse(process.argv[2] ?? '{}');
const settings = { ...DEFAULTS, ...given };
// One activation per hidden layer, as the lab's link reading does: a single name (or none given) fills them all.
for (const [hidden, acts] of [['gHidden', 'gActivations'], ['dHidden', 'dActivations']]) {
  if (settings[acts].length !== settings[hidden].length) settings[acts] = settings[hidden].map((_, i) => settings[acts][settings[acts].length === 1 ? 0 : i] ?? 'leaky_relu');
}
const seconds = Number(process.argv[3] ?? 60);
const every = Number(process.argv[4] ?? 20);

const judge = await trainClassifier();
console.log(JSON.stringify({ classifier: { accuracy: judge.accuracy, trainSeconds: judge.trainSeconds } }));
const engine = await loadEngine();
const data = MnistHeapData.fromBytes(engine, mnistAsset());
const pixels = data.raw.view().slice(data.layout.trainPixels, data.layout.trainPixels + data.header.nTrain * 784);
const pair = new GanPair(engine, digitsGanSpec(settings));
const real = new RealBatches(() => pixels, data.header.nTrain, settings.batch, settings.seed);
const fixed = fillNoise(createRng(12345), settings.noise, new Float32Array(100 * settings.noiseDim));
console.log(JSON.stringify({ settings }));
const t0 = Date.now();
let trainMs = 0, last = null;
for (let mark = every; mark <= seconds; mark += every) {
  const s0 = Date.now();
  while (trainMs + (Date.now() - s0) < mark * 1000) last = pair.iterate(() => real.next());
  trainMs += Date.now() - s0;
  const ink = toInk(Float32Array.from(pair.generate(fixed, 100)));
  const sc = judge.score(ink, 100);
  console.log(JSON.stringify({ s: mark, it: pair.iterations, itPerSec: Math.round(pair.iterations / (trainMs / 1000)), dLoss: last?.d?.loss, gLoss: last?.g?.loss, dReal: last?.d?.real, dFake: last?.d?.fake, ...sc }));
}
console.log(`wall ${((Date.now() - t0) / 1000).toFixed(1)} s`);
