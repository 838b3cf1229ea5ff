// @ts-check
// MNIST training over the C core: batches are gathered from the data set in
// the heap (data.js) into floats by nn_gather_u8 with scale 1/255.
// Plain JavaScript, type-checked from its JSDoc, so that the browser worker
// (session.ts) and the Node test run exactly this code against the real module.
import { MNIST_CLASSES } from './asset-format.js';
import { createRng, randomInt, shuffleInPlace, shuffleSeed } from '../../lib/rng.js';
import { scheduledRate } from './schedule.js';

/**
 * @typedef {import('../../engine/nn-wasm.js').Engine} Engine
 * @typedef {import('../../engine/nn-wasm.js').Model} Model
 * @typedef {import('../../engine/nn-wasm.js').FloatArg} FloatArg
 * @typedef {import('../../state/config').Activation} Activation
 * @typedef {import('../../state/config').Optimizer} Optimizer
 * @typedef {import('./data.js').MnistHeapData} MnistHeapData
 *
 * @typedef {{ readonly label: string, readonly hidden: readonly number[], readonly activations: readonly Activation[] }} Preset
 * @typedef {import('../../engine/nn-wasm.js').LayerSpec} EngineLayer
 * @typedef {import('./schedule.js').LrSchedule} LrSchedule
 * @typedef {{ optimizer: Optimizer, lr: number, momentum?: number, batchSize: number, shift?: number, lrSchedule?: LrSchedule, lrEnd?: number, epochs?: number }} TrainingSettings
 * @typedef {TrainingSettings & { seed: number } & ({ hidden: readonly number[], activations: readonly Activation[] } | { layers: readonly EngineLayer[] })} TrainerSpec
 * @typedef {{ index: number, pred: number, label: number, confidence: number, probs: Float32Array }} MisclassifiedDigit
 * @typedef {{ scope: 'test' | 'subset', n: number, loss: number, correct: number, accuracy: number }} EvalResult
 * @typedef {EvalResult & { confusion: Int32Array, misclassified: MisclassifiedDigit[] }} FullEvalResult
 * @typedef {{ advance: () => boolean, result: () => EvalResult | FullEvalResult }} Evaluation
 */

/** Rows of the test set evaluated per forward call (bounds scratch memory). */
export const EVAL_CHUNK = 1000;
/** Size of the fixed test subset evaluated often between full evaluations. */
export const SUBSET_SIZE = 1000;
/** Misclassified test digits kept for the grid, most confident first. */
export const MISCLASSIFIED_KEPT = 60;
/** The largest batch the page offers (an MLP is built for EVAL_CHUNK rows, a CNN for this many). */
export const MAX_BATCH = 512;
/** The digit as the core sees it: channels, height, width. */
export const INPUT_SHAPE = Object.freeze([1, 28, 28]);
const SUBSET_SEED = 0x5eed;
/** Mixed into the run's seed for the augmentation's shifts (a stream of its own,
 *  so switching augmentation on does not change the epoch shuffles). */
const SHIFT_SEED = 0x5a1f7;

/** The MLP presets as hidden/activations (the page's presets, CNNs too, are MODEL_PRESETS in model-layers.ts). */
export const PRESETS = Object.freeze({
  mlp128: /** @type {Preset} */ (Object.freeze({ label: '784-128-10 ReLU', hidden: [128], activations: ['relu'] })),
  classic: /** @type {Preset} */ (Object.freeze({ label: '784-32-32-10 (tutorial)', hidden: [32, 32], activations: ['relu', 'relu'] })),
});

/** Training defaults, shared by the page, the Node test and the benchmark. */
export const DEFAULT_TRAINING = Object.freeze(/** @type {Required<TrainingSettings> & { seed: number }} */ (
  { optimizer: 'adam', lr: 0.002, momentum: 0.9, batchSize: 64, seed: 1 }));

/** One model being trained on MNIST. */
export class MnistTrainer {
  /**
   * @param {Engine} engine
   * @param {MnistHeapData} data
   * @param {TrainerSpec} spec
   */
  constructor(engine, data, spec) {
    if (!data.ready) throw new Error('MNIST data is not loaded');
    this.engine = engine;
    this.data = data;
    const { pixels } = data.layout;
    // A CNN keeps every layer's c x h x w maps per row: it is built for
    // training batches only and evaluates in chunks of that size.
    const spatial = 'layers' in spec && spec.layers.some((l) => l.kind !== undefined && l.kind !== 'dense');
    const maxBatch = spatial ? MAX_BATCH : Math.max(EVAL_CHUNK, MAX_BATCH);
    /** @type {Model} */
    this.model = 'layers' in spec
      ? engine.createModel({ input: [...INPUT_SHAPE], layers: [...spec.layers], loss: 'ce', seed: spec.seed >>> 0, maxBatch })
      : engine.createModel({
        sizes: [pixels, ...spec.hidden, MNIST_CLASSES],
        activations: [...spec.activations, 'softmax'],
        loss: 'ce',
        seed: spec.seed >>> 0,
        maxBatch,
      });
    this.evalChunk = Math.min(EVAL_CHUNK, this.model.maxBatch);
    this.nTrain = data.header.nTrain;
    this.order = engine.allocI32(this.nTrain);
    this.order.view().set(Int32Array.from({ length: this.nTrain }, (_, i) => i));
    this.rng = createRng(shuffleSeed(spec.seed));
    this.x = engine.allocF32(this.model.maxBatch * pixels);
    this.y = engine.allocF32(this.model.maxBatch * MNIST_CLASSES);
    this.evalOut = engine.allocF32(this.evalChunk * MNIST_CLASSES);
    this.subset = engine.allocI32(Math.min(SUBSET_SIZE, data.header.nTest));
    const pick = Int32Array.from({ length: data.header.nTest }, (_, i) => i);
    shuffleInPlace(pick, createRng(SUBSET_SEED));
    this.subset.view().set(pick.subarray(0, this.subset.length));
    this.epoch = 0;       // completed epochs
    this.position = 0;    // examples of the current epoch already used
    this.steps = 0;
    this.batchSize = 1;
    this.shift = 0;
    /** @type {Required<Pick<TrainingSettings, 'optimizer' | 'lr' | 'momentum' | 'lrSchedule' | 'lrEnd' | 'epochs'>>} */
    this.rateSettings = { optimizer: 'adam', lr: 0, momentum: 0.9, lrSchedule: 'none', lrEnd: 1, epochs: 1 };
    /** The rate the core has now (0: not set yet). */
    this.rate = 0;
    this.shiftRng = createRng((spec.seed ^ SHIFT_SEED) >>> 0);
    /** one shifted row, reused */
    this.shiftRow = new Float32Array(pixels);
    this.setTraining(spec);
  }
  /**
   * Optimizer, learning rate (and its schedule) and batch size apply from
   * the next step (optimizer state kept unless the kind changes).
   * @param {TrainingSettings} settings
   */
  setTraining({ optimizer, lr, momentum = 0.9, batchSize, shift = 0, lrSchedule = 'none', lrEnd = 1, epochs = 1 }) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > this.model.maxBatch) {
      throw new RangeError(`batch size must be 1..${this.model.maxBatch}, got ${batchSize}`);
    }
    if (!Number.isInteger(shift) || shift < 0 || shift > 8) throw new RangeError(`shift must be 0..8 pixels, got ${shift}`);
    if (!(lrEnd > 0 && lrEnd <= 1)) throw new RangeError(`lrEnd must be in (0, 1], got ${lrEnd}`);
    if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be a whole number >= 1, got ${epochs}`);
    this.shift = shift;
    this.rateSettings = { optimizer, lr, momentum, lrSchedule, lrEnd, epochs };
    this.applyRate(true);
    this.batchSize = batchSize;
  }
  /**
   * Gives the core the scheduled rate for the next step; the optimizer call
   * only when the rate changed (it keeps Adam's or momentum's state).
   * @param {boolean} [force] also when the rate is unchanged (a new optimizer or momentum)
   */
  applyRate(force = false) {
    const s = this.rateSettings;
    // The core holds a float: compare what it would get.
    const rate = Math.fround(scheduledRate(s, this.progress));
    if (!force && rate === this.rate) return;
    this.model.setOptimizer(s.optimizer, s.optimizer === 'adam' ? { lr: rate } : { lr: rate, beta1: s.momentum });
    this.rate = rate;
  }
  get stepsPerEpoch() { return Math.ceil(this.nTrain / this.batchSize); }
  /** Epochs done as a fraction, e.g. 1.25. */
  get progress() { return this.epoch + this.position / this.nTrain; }
  /** One batch; returns its loss (non-finite when training diverged: the update was skipped). */
  step() {
    if (this.position === 0) shuffleInPlace(this.order.view(), this.rng);
    this.applyRate();
    const n = Math.min(this.batchSize, this.nTrain - this.position);
    const idx = this.order.at(this.position);
    const { engine, data, model } = this;
    engine.gatherU8(this.x, data.trainPixels, this.nTrain, idx, n, data.layout.pixels, 1 / 255);
    engine.gatherU8(this.y, data.trainTargets, this.nTrain, idx, n, MNIST_CLASSES, 1);
    if (this.shift > 0) this.shiftBatch(n);
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
   * Augmentation: moves each of the batch's n digits (in this.x) by a random
   * whole number of pixels in -shift..shift along x and y, filling with
   * blank. The draws come from the run's seed, so a run is reproducible.
   * @param {number} n
   */
  shiftBatch(n) {
    const side = INPUT_SHAPE[1] ?? 28;
    const span = 2 * this.shift + 1;
    const x = this.x.view();
    const row = this.shiftRow;
    for (let r = 0; r < n; r++) {
      const dx = randomInt(this.shiftRng, span) - this.shift;
      const dy = randomInt(this.shiftRng, span) - this.shift;
      if (dx === 0 && dy === 0) continue;
      const base = r * side * side;
      row.fill(0);
      for (let y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
        for (let c = Math.max(0, dx); c < Math.min(side, side + dx); c++) row[y * side + c] = /** @type {number} */ (x[base + (y - dy) * side + c - dx]);
      }
      x.set(row, base);
    }
  }
  /**
   * Evaluates the full test set (details: confusion matrix, misclassified
   * digits) or the fixed 1k subset. Loss is the mean cross-entropy.
   * @overload
   * @param {'subset'} scope
   * @returns {EvalResult}
   */
  /**
   * @overload
   * @param {'test'} [scope]
   * @returns {FullEvalResult}
   */
  /**
   * @param {'test' | 'subset'} [scope]
   * @returns {EvalResult | FullEvalResult}
   */
  evaluate(scope = 'test') {
    const run = this.beginEvaluation(scope);
    while (!run.advance()) { /* every slice now */ }
    return run.result();
  }
  /**
   * The same evaluation in slices of evalChunk rows (advance() runs one and
   * says whether all are done), so a worker can answer messages between
   * them: a CNN's 10k test digits take seconds. The weights must not change
   * until it is done.
   * @param {'test' | 'subset'} [scope]
   * @returns {Evaluation}
   */
  beginEvaluation(scope = 'test') {
    const { engine, data, model } = this;
    const full = scope === 'test';
    const n = full ? data.header.nTest : this.subset.length;
    const labels = data.testLabels;
    const confusion = full ? new Int32Array(MNIST_CLASSES * MNIST_CLASSES) : null;
    /** @type {MisclassifiedDigit[]} */
    const wrong = [];
    let lossSum = 0, correct = 0, start = 0;
    const advance = () => {
      if (start >= n) return true;
      const m = Math.min(this.evalChunk, n - start);
      if (full) engine.gatherU8(this.x, data.raw.at(data.layout.testPixels + start * data.layout.pixels), m, null, m, data.layout.pixels, 1 / 255);
      else engine.gatherU8(this.x, data.testPixels, data.header.nTest, this.subset.at(start), m, data.layout.pixels, 1 / 255);
      model.forward(this.x, m, this.evalOut);
      const probs = this.evalOut.view();
      const ids = this.subset.view();
      const p = (/** @type {number} */ k) => /** @type {number} */ (probs[k]);
      for (let r = 0; r < m; r++) {
        const i = full ? start + r : /** @type {number} */ (ids[start + r]);
        const label = /** @type {number} */ (labels[i]);
        let pred = 0;
        for (let c = 1; c < MNIST_CLASSES; c++) if (p(r * MNIST_CLASSES + c) > p(r * MNIST_CLASSES + pred)) pred = c;
        lossSum -= Math.log(Math.max(p(r * MNIST_CLASSES + label), 1e-30));
        if (pred === label) correct++;
        if (confusion) {
          confusion[label * MNIST_CLASSES + pred]++;
          if (pred !== label) {
            wrong.push({ index: i, pred, label, confidence: p(r * MNIST_CLASSES + pred), probs: probs.slice(r * MNIST_CLASSES, (r + 1) * MNIST_CLASSES) });
          }
        }
      }
      start += m;
      return start >= n;
    };
    /** @returns {EvalResult | FullEvalResult} */
    const result = () => {
      if (start < n) throw new Error('the evaluation is not finished');
      /** @type {EvalResult} */
      const r = { scope: full ? 'test' : 'subset', n, loss: lossSum / n, correct, accuracy: correct / n };
      if (!confusion) return r;
      wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
      return { ...r, confusion, misclassified: wrong.slice(0, MISCLASSIFIED_KEPT) };
    };
    return { advance, result };
  }
  /**
   * Class probabilities for one 28x28 input (floats 0..1).
   * @param {FloatArg} pixels
   */
  predict(pixels) {
    return this.model.forward(pixels, 1);
  }
  /**
   * Every layer's output for one input (floats 0..1, 784), with its shape
   * [c, h, w] as the core gives them (forward_all, c-major).
   * @param {FloatArg} pixels
   */
  layerOutputs(pixels) {
    const shapes = this.model.layerShapes().slice(1);
    return this.model.forwardAll(pixels, 1).map((values, i) => ({ shape: /** @type {[number, number, number]} */ (shapes[i]), values }));
  }
  /** A copy of one test digit's pixels as the network's input (0..1). @param {number} index */
  testInput(index) {
    const bytes = this.data.testDigit(index);
    return Float32Array.from(bytes, (b) => b * Math.fround(1 / 255));
  }
  /** Each conv layer's weights [out x in x kh x kw] (4-D blocks of the core's layout). */
  convFilters() {
    const params = this.model.params();
    return this.model.paramLayout()
      .filter((b) => b.block === 0 && b.shape.length === 4)
      .map((b) => ({ layer: b.layer, out: b.shape[0] ?? 0, in: b.shape[1] ?? 0, kernel: b.shape[2] ?? 0, weights: params.slice(b.offset, b.offset + b.length) }));
  }
  /** First-layer weights [units x 784]: one 28x28 image per unit. */
  firstLayerWeights() {
    const { weight, rows, cols } = this.model.layout(0);
    return { units: rows, inputs: cols, weights: this.model.params().slice(weight, weight + rows * cols) };
  }
  /** A copy of all the model's weights (nn_params layout). */
  params() {
    return this.model.params();
  }
  /**
   * Replaces the weights (a restart's checkpoint); training position is kept.
   * @param {Float32Array} values
   */
  loadParams(values) {
    this.model.loadParams(values);
  }
  destroy() {
    for (const b of [this.order, this.x, this.y, this.evalOut, this.subset]) b.free();
    this.model.destroy();
  }
}
