// @ts-check
// The MNIST data set in the WebAssembly heap, as bytes: one block holding the
// whole asset (asset-format.js) plus one-hot label bytes, from which batches
// are gathered into floats by nn_gather_u8. Any lab that trains on MNIST
// (this one, a convolutional one) loads it through this module.
// Plain JavaScript, type-checked from its JSDoc, so that the browser worker
// and the Node test run exactly this code against the real module.
import { assetLayout, readAssetHeader, MNIST_CLASSES } from './asset-format.js';

/**
 * @typedef {import('../../engine/nn-wasm.js').Engine} Engine
 * @typedef {import('../../engine/nn-wasm.js').HeapRef} HeapRef
 * @typedef {import('../../engine/nn-wasm.js').HeapBuffer<Uint8Array>} ByteBuffer
 * @typedef {import('./asset-format.js').AssetHeader} AssetHeader
 * @typedef {import('./asset-format.js').AssetLayout} AssetLayout
 */

/**
 * The data set in the heap. Fill `raw` (the uncompressed asset) with
 * `write(chunk, offset)` as it streams in, then call `finish()`.
 */
export class MnistHeapData {
  /**
   * @param {Engine} engine
   * @param {AssetHeader} header from readAssetHeader on the asset's first bytes
   */
  constructor(engine, header) {
    this.engine = engine;
    this.header = header;
    /** @type {AssetLayout} */
    this.layout = assetLayout(header);
    /** The whole uncompressed asset in the heap. @type {ByteBuffer} */
    this.raw = engine.allocU8(this.layout.totalBytes);
    this.received = 0;
    this.ready = false;
    /** Set by finish(). @type {Uint8Array} */
    this.trainLabels = new Uint8Array(0);
    /** @type {Uint8Array} */
    this.testLabels = new Uint8Array(0);
    /** @type {ByteBuffer | null} */
    this.trainOneHot = null;
    /** @type {ByteBuffer | null} */
    this.testOneHot = null;
  }
  /**
   * Copies streamed bytes in at `offset`.
   * @param {Uint8Array} chunk @param {number} offset
   */
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
    for (const [name, labels] of /** @type {const} */ ([['train', this.trainLabels], ['test', this.testLabels]])) {
      const bad = labels.findIndex((l) => l >= MNIST_CLASSES);
      if (bad >= 0) throw new Error(`MNIST asset: ${name} label ${labels[bad]} at index ${bad} is not a digit`);
    }
    this.trainOneHot = oneHot(this.engine, this.trainLabels);
    this.testOneHot = oneHot(this.engine, this.testLabels);
    this.ready = true;
  }
  /** @returns {HeapRef} */
  get trainPixels() { return this.raw.at(this.layout.trainPixels); }
  /** @returns {HeapRef} */
  get testPixels() { return this.raw.at(this.layout.testPixels); }
  /**
   * The one-hot training labels (after finish()).
   * @returns {ByteBuffer}
   */
  get trainTargets() {
    if (!this.trainOneHot) throw new Error('MNIST data is not loaded');
    return this.trainOneHot;
  }
  /**
   * Bytes of test digit i (a copy).
   * @param {number} i
   */
  testDigit(i) {
    const start = this.layout.testPixels + i * this.layout.pixels;
    return this.raw.view().slice(start, start + this.layout.pixels);
  }
  /**
   * Loads a complete uncompressed asset in one go (Node, tests).
   * @param {Engine} engine @param {Uint8Array} bytes
   */
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

/**
 * @param {Engine} engine @param {Uint8Array} labels
 * @returns {ByteBuffer}
 */
function oneHot(engine, labels) {
  const buf = engine.allocU8(labels.length * MNIST_CLASSES);
  const v = buf.view();
  v.fill(0);
  for (let i = 0; i < labels.length; i++) v[i * MNIST_CLASSES + /** @type {number} */ (labels[i])] = 1;
  return buf;
}
