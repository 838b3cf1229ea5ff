// MNIST training over the C core: the data set lives in the WebAssembly heap
// as bytes (one block holding the whole asset, plus one-hot label bytes), and
// every batch is gathered into floats by nn_gather_u8 with scale 1/255.
// Plain JavaScript (typed by trainer.d.ts) so that the browser worker and the
// Node test run exactly this code against the real module.
import { assetLayout, readAssetHeader, MNIST_CLASSES } from './asset-format.js';
import { createRng, shuffleInPlace, shuffleSeed } from '../lib/rng.js';

/** Rows of the test set evaluated per forward call (bounds scratch memory). */
export const EVAL_CHUNK = 1000;
/** Size of the fixed test subset evaluated often between full evaluations. */
export const SUBSET_SIZE = 1000;
/** Misclassified test digits kept for the grid, most confident first. */
export const MISCLASSIFIED_KEPT = 60;
const SUBSET_SEED = 0x5eed;

/**
 * The data set in the heap. Fill `raw` (the uncompressed asset) with
 * `write(chunk, offset)` as it streams in, then call `finish()`.
 */
export class MnistHeapData {
  /** header: from readAssetHeader on the asset's first bytes. */
  constructor(engine, header) {
    this.engine = engine;
    this.header = header;
    this.layout = assetLayout(header);
    this.raw = engine.allocU8(this.layout.totalBytes);
    this.received = 0;
    this.ready = false;
  }
  /** Copies streamed bytes in at `offset`. */
  write(chunk, offset) {
    if (offset + chunk.length > this.layout.totalBytes) {
      throw new Error(`MNIST asset: more than the ${this.layout.totalBytes} bytes its header announces`);
    }
    this.raw.set(chunk, offset);
    this.received = Math.max(this.received, offset + chunk.length);
  }
  /** Checks completeness and labels, and builds the one-hot label bytes. */
  finish() {
    const { header, layout } = this;
    if (this.received !== layout.totalBytes) {
      throw new Error(`MNIST asset: ${this.received} bytes, its header needs ${layout.totalBytes}`);
    }
    readAssetHeader(this.raw.view().subarray(0, 64)); // the first bytes must still be a valid header
    const view = this.raw.view();
    this.trainLabels = view.slice(layout.trainLabels, layout.trainLabels + header.nTrain);
    this.testLabels = view.slice(layout.testLabels, layout.testLabels + header.nTest);
    for (const [name, labels] of [['train', this.trainLabels], ['test', this.testLabels]]) {
      const bad = labels.findIndex((l) => l >= MNIST_CLASSES);
      if (bad >= 0) throw new Error(`MNIST asset: ${name} label ${labels[bad]} at index ${bad} is not a digit`);
    }
    this.trainOneHot = oneHot(this.engine, this.trainLabels);
    this.testOneHot = oneHot(this.engine, this.testLabels);
    this.ready = true;
  }
  get trainPixels() { return this.raw.at(this.layout.trainPixels); }
  get testPixels() { return this.raw.at(this.layout.testPixels); }
  /** Bytes of test digit i (a copy). */
  testDigit(i) {
    const start = this.layout.testPixels + i * this.layout.pixels;
    return this.raw.view().slice(start, start + this.layout.pixels);
  }
  /** Loads a complete uncompressed asset in one go (Node, tests). */
  static fromBytes(engine, bytes) {
    const data = new MnistHeapData(engine, readAssetHeader(bytes));
    data.write(bytes, 0);
    data.finish();
    return data;
  }
  free() {
    for (const b of [this.raw, this.trainOneHot, this.testOneHot]) b?.free();
    this.ready = false;
  }
}

function oneHot(engine, labels) {
  const buf = engine.allocU8(labels.length * MNIST_CLASSES);
  const v = buf.view();
  v.fill(0);
  for (let i = 0; i < labels.length; i++) v[i * MNIST_CLASSES + labels[i]] = 1;
  return buf;
}

/** The two presets of the page; `classic` is the from-scratch tutorials' net. */
export const PRESETS = Object.freeze({
  mlp128: Object.freeze({ label: '784-128-10 ReLU', hidden: [128], activations: ['relu'] }),
  classic: Object.freeze({ label: '784-32-32-10 (tutorial)', hidden: [32, 32], activations: ['relu', 'relu'] }),
});

/** Training defaults, shared by the page, the Node test and the benchmark. */
export const DEFAULT_TRAINING = Object.freeze({ optimizer: 'adam', lr: 0.002, momentum: 0.9, batchSize: 64, seed: 1 });

/**
 * One model being trained on MNIST.
 * spec: { hidden: number[], activations: string[], seed, optimizer, lr, momentum, batchSize }
 */
export class MnistTrainer {
  constructor(engine, data, spec) {
    if (!data.ready) throw new Error('MNIST data is not loaded');
    this.engine = engine;
    this.data = data;
    const { pixels } = data.layout;
    this.model = engine.createModel({
      sizes: [pixels, ...spec.hidden, MNIST_CLASSES],
      activations: [...spec.activations, 'softmax'],
      loss: 'ce',
      seed: spec.seed >>> 0,
      maxBatch: Math.max(EVAL_CHUNK, 512),
    });
    this.nTrain = data.header.nTrain;
    this.order = engine.allocI32(this.nTrain);
    this.order.view().set(Int32Array.from({ length: this.nTrain }, (_, i) => i));
    this.rng = createRng(shuffleSeed(spec.seed));
    this.x = engine.allocF32(this.model.maxBatch * pixels);
    this.y = engine.allocF32(this.model.maxBatch * MNIST_CLASSES);
    this.evalOut = engine.allocF32(EVAL_CHUNK * MNIST_CLASSES);
    this.subset = engine.allocI32(Math.min(SUBSET_SIZE, data.header.nTest));
    const pick = Int32Array.from({ length: data.header.nTest }, (_, i) => i);
    shuffleInPlace(pick, createRng(SUBSET_SEED));
    this.subset.view().set(pick.subarray(0, this.subset.length));
    this.epoch = 0;       // completed epochs
    this.position = 0;    // examples of the current epoch already used
    this.steps = 0;
    this.setTraining(spec);
  }
  /** Optimizer, learning rate and batch size apply from the next step (optimizer state kept unless the kind changes). */
  setTraining({ optimizer, lr, momentum = 0.9, batchSize }) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > this.model.maxBatch) {
      throw new RangeError(`batch size must be 1..${this.model.maxBatch}, got ${batchSize}`);
    }
    this.model.setOptimizer(optimizer, optimizer === 'adam' ? { lr } : { lr, beta1: momentum });
    this.batchSize = batchSize;
  }
  get stepsPerEpoch() { return Math.ceil(this.nTrain / this.batchSize); }
  /** Epochs done as a fraction, e.g. 1.25. */
  get progress() { return this.epoch + this.position / this.nTrain; }
  /** One batch; returns its loss (non-finite when training diverged: the update was skipped). */
  step() {
    if (this.position === 0) shuffleInPlace(this.order.view(), this.rng);
    const n = Math.min(this.batchSize, this.nTrain - this.position);
    const idx = this.order.at(this.position);
    const { engine, data, model } = this;
    engine.gatherU8(this.x, data.trainPixels, this.nTrain, idx, n, data.layout.pixels, 1 / 255);
    engine.gatherU8(this.y, data.trainOneHot, this.nTrain, idx, n, MNIST_CLASSES, 1);
    const loss = model.trainStep(this.x, this.y, n);
    if (!Number.isFinite(loss)) return loss; // nothing moved: the same batch is tried again
    this.steps++;
    this.position += n;
    if (this.position >= this.nTrain) {
      this.position = 0;
      this.epoch++;
    }
    return loss;
  }
  /**
   * Evaluates the full test set (details: confusion matrix, misclassified
   * digits) or the fixed 1k subset. Loss is the mean cross-entropy.
   */
  evaluate(scope = 'test') {
    const { engine, data, model } = this;
    const full = scope === 'test';
    const n = full ? data.header.nTest : this.subset.length;
    const labels = data.testLabels;
    const confusion = full ? new Int32Array(MNIST_CLASSES * MNIST_CLASSES) : null;
    const wrong = [];
    let lossSum = 0, correct = 0;
    for (let start = 0; start < n; start += EVAL_CHUNK) {
      const m = Math.min(EVAL_CHUNK, n - start);
      if (full) engine.gatherU8(this.x, data.raw.at(data.layout.testPixels + start * data.layout.pixels), m, null, m, data.layout.pixels, 1 / 255);
      else engine.gatherU8(this.x, data.testPixels, data.header.nTest, this.subset.at(start), m, data.layout.pixels, 1 / 255);
      model.forward(this.x, m, this.evalOut);
      const probs = this.evalOut.view();
      const ids = full ? null : this.subset.view();
      for (let r = 0; r < m; r++) {
        const i = full ? start + r : ids[start + r];
        const label = labels[i];
        let pred = 0;
        for (let c = 1; c < MNIST_CLASSES; c++) if (probs[r * MNIST_CLASSES + c] > probs[r * MNIST_CLASSES + pred]) pred = c;
        lossSum -= Math.log(Math.max(probs[r * MNIST_CLASSES + label], 1e-30));
        if (pred === label) correct++;
        if (confusion) {
          confusion[label * MNIST_CLASSES + pred]++;
          if (pred !== label) {
            wrong.push({ index: i, pred, label, confidence: probs[r * MNIST_CLASSES + pred], probs: probs.slice(r * MNIST_CLASSES, (r + 1) * MNIST_CLASSES) });
          }
        }
      }
    }
    const result = { scope: full ? 'test' : 'subset', n, loss: lossSum / n, correct, accuracy: correct / n };
    if (confusion) {
      wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
      result.confusion = confusion;
      result.misclassified = wrong.slice(0, MISCLASSIFIED_KEPT);
    }
    return result;
  }
  /** Class probabilities for one 28x28 input (floats 0..1). */
  predict(pixels) {
    return this.model.forward(pixels, 1);
  }
  /** First-layer weights [units x 784]: one 28x28 image per unit. */
  firstLayerWeights() {
    const { weight, rows, cols } = this.model.layout(0);
    return { units: rows, inputs: cols, weights: this.model.params().slice(weight, weight + rows * cols) };
  }
  destroy() {
    for (const b of [this.order, this.x, this.y, this.evalOut, this.subset]) b.free();
    this.model.destroy();
  }
}
