// The MNIST worker: streams the data set into the WASM heap, trains in
// ~30 ms chunks and yields between them, so classify / pause / settings
// messages are answered while training runs. Evaluates the fixed 1k test
// subset every 1/10 epoch and the full 10k test set every quarter epoch.

import { createEngine, type Engine } from '../engine/nn-wasm.js';
import { MnistHeapData, MnistTrainer } from './trainer.js';
import { streamAsset } from './load-asset';
import { MNIST_CLASSES } from './asset-format.js';
import type { FromWorker, ModelChoice, ToWorker, TrainChoice } from './protocol';

interface WorkerScope {
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

const CHUNK_MS = 30;
const FULL_EVALS_PER_EPOCH = 4;
const SUBSET_EVALS_PER_EPOCH = 10;
const RATE_WINDOW_MS = 1000;

let enginePromise: Promise<Engine> | null = null;
let data: MnistHeapData | null = null;
let loading = false;
let trainer: MnistTrainer | null = null;
let train: TrainChoice | null = null;
let running = false;
let targetEpochs = 0;
let nextFullAt = 0;
let nextSubsetAt = 0;
let wantWeights = false;
let trainMs = 0;
let pendingLosses: number[] = [];
let pendingAt: number[] = [];
const rateSamples: { t: number; examples: number }[] = [];

function engine(): Promise<Engine> {
  enginePromise ??= import('../engine/generated/nn.mjs').then((mod) => createEngine(mod.default));
  return enginePromise;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function load(manifestUrl: string): Promise<void> {
  if (data?.ready) {
    post({ type: 'loaded', nTrain: data.header.nTrain, nTest: data.header.nTest, seconds: 0 });
    return;
  }
  if (loading) return;
  loading = true;
  const t0 = performance.now();
  try {
    const eng = await engine();
    data = await streamAsset(eng, manifestUrl, (loaded, total) => post({ type: 'load-progress', loaded, total }));
    post({ type: 'loaded', nTrain: data.header.nTrain, nTest: data.header.nTest, seconds: (performance.now() - t0) / 1000 });
  } catch (err) {
    data = null;
    post({ type: 'load-error', message: message(err) });
  } finally {
    loading = false;
  }
}

function build(model: ModelChoice, choice: TrainChoice, eng: Engine): void {
  if (!data?.ready) throw new Error('the MNIST data is not loaded yet');
  running = false;
  trainer?.destroy();
  trainer = null;
  trainer = new MnistTrainer(eng, data, { ...model, ...choice });
  train = choice;
  targetEpochs = choice.epochs;
  nextFullAt = 1 / FULL_EVALS_PER_EPOCH;
  nextSubsetAt = 1 / SUBSET_EVALS_PER_EPOCH;
  trainMs = 0;
  pendingLosses = [];
  pendingAt = [];
  rateSamples.length = 0;
  const sizes = trainer.model.sizes;
  post({ type: 'built', paramCount: trainer.model.paramCount, sizes });
  fullEval();
  sendTick();
}

function fullEval(): void {
  if (!trainer || !data) return;
  const r = trainer.evaluate('test');
  const wrong = r.misclassified;
  const pixels = new Uint8Array(wrong.length * data.layout.pixels);
  const probs = new Float32Array(wrong.length * MNIST_CLASSES);
  wrong.forEach((w, k) => {
    pixels.set(data!.testDigit(w.index), k * data!.layout.pixels);
    probs.set(w.probs, k * MNIST_CLASSES);
  });
  const misclassified = {
    index: Int32Array.from(wrong, (w) => w.index),
    pred: Uint8Array.from(wrong, (w) => w.pred),
    label: Uint8Array.from(wrong, (w) => w.label),
    confidence: Float32Array.from(wrong, (w) => w.confidence),
    probs,
    pixels,
  };
  post({ type: 'full-eval', result: { at: trainer.progress, accuracy: r.accuracy, loss: r.loss, confusion: r.confusion, misclassified } },
    [r.confusion.buffer, misclassified.index.buffer, misclassified.pred.buffer, misclassified.label.buffer,
      misclassified.confidence.buffer, probs.buffer, pixels.buffer]);
  if (wantWeights) sendWeights();
}

function sendWeights(): void {
  if (!trainer) return;
  const w = trainer.firstLayerWeights();
  post({ type: 'weights', units: w.units, inputs: w.inputs, weights: w.weights }, [w.weights.buffer]);
}

function examplesPerSec(): number {
  if (rateSamples.length < 2) return 0;
  const a = rateSamples[0]!, b = rateSamples[rateSamples.length - 1]!;
  return b.t > a.t ? ((b.examples - a.examples) * 1000) / (b.t - a.t) : 0;
}

function sendTick(): void {
  if (!trainer) return;
  const losses = Float32Array.from(pendingLosses);
  const at = Float64Array.from(pendingAt);
  pendingLosses = [];
  pendingAt = [];
  post({
    type: 'tick',
    losses,
    at,
    progress: {
      epoch: trainer.epoch, position: trainer.position, nTrain: trainer.nTrain, steps: trainer.steps,
      running, targetEpochs, examplesPerSec: running ? examplesPerSec() : 0, trainSeconds: trainMs / 1000,
    },
  }, [losses.buffer, at.buffer]);
}

function stop(reason: 'paused' | 'epochs-done' | 'diverged', text?: string): void {
  running = false;
  rateSamples.length = 0;
  sendTick();
  post(text === undefined ? { type: 'stopped', reason } : { type: 'stopped', reason, message: text });
}

// A zero-delay macrotask between chunks: setTimeout(0) is clamped to 4 ms
// once nested, MessageChannel is not.
const channel = new MessageChannel();
let scheduled = false;
channel.port1.onmessage = () => {
  scheduled = false;
  chunk();
};
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  channel.port2.postMessage(0);
}

function chunk(): void {
  const t = trainer;
  if (!running || !t) return;
  const start = performance.now();
  if (rateSamples.length === 0) rateSamples.push({ t: start, examples: t.epoch * t.nTrain + t.position });
  while (performance.now() - start < CHUNK_MS) {
    const s0 = performance.now();
    const loss = t.step();
    trainMs += performance.now() - s0;
    if (!Number.isFinite(loss)) {
      stop('diverged', `Training diverged (the loss became ${loss}). Lower the learning rate, e.g. to ${(train!.lr / 10).toPrecision(2)}, and press Reset.`);
      return;
    }
    const at = t.progress;
    pendingLosses.push(loss);
    pendingAt.push(at);
    if (at >= nextSubsetAt) {
      const r = t.evaluate('subset');
      post({ type: 'subset-eval', at, accuracy: r.accuracy, loss: r.loss });
      nextSubsetAt = (Math.floor(at * SUBSET_EVALS_PER_EPOCH + 1e-9) + 1) / SUBSET_EVALS_PER_EPOCH;
    }
    if (at >= nextFullAt) {
      fullEval();
      nextFullAt = (Math.floor(at * FULL_EVALS_PER_EPOCH + 1e-9) + 1) / FULL_EVALS_PER_EPOCH;
    }
    if (t.position === 0 && t.epoch >= targetEpochs) {
      stop('epochs-done');
      return;
    }
  }
  const now = performance.now();
  rateSamples.push({ t: now, examples: t.epoch * t.nTrain + t.position });
  while (rateSamples.length > 2 && now - rateSamples[1]!.t > RATE_WINDOW_MS) rateSamples.shift();
  sendTick();
  schedule();
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'load':
      await load(msg.manifestUrl);
      break;
    case 'build':
      build(msg.model, msg.train, await engine());
      break;
    case 'train-settings':
      if (trainer) trainer.setTraining(msg.train);
      if (train && msg.train.epochs !== train.epochs) targetEpochs = Math.max(0, targetEpochs - train.epochs) + msg.train.epochs;
      train = msg.train;
      break;
    case 'play':
      if (!trainer || running) break;
      if (trainer.position === 0 && trainer.epoch >= targetEpochs) targetEpochs = trainer.epoch + (train?.epochs ?? 1);
      running = true;
      rateSamples.length = 0;
      schedule();
      break;
    case 'pause':
      if (running) stop('paused');
      break;
    case 'want-weights':
      wantWeights = msg.want;
      if (wantWeights) sendWeights();
      break;
    case 'classify':
      if (trainer) {
        const probs = trainer.predict(msg.pixels);
        post({ type: 'classified', id: msg.id, probs }, [probs.buffer]);
      }
      break;
  }
}

// Messages are handled one at a time, in order, even across awaits.
let queue = Promise.resolve();
scope.onmessage = (e) => {
  const msg = e.data;
  queue = queue.then(() => handle(msg)).catch((err) => post({ type: 'error', message: message(err) }));
};
