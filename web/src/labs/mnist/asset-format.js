// @ts-check
// The MNIST asset: the four original IDX files folded into one binary that the
// build gzips and the MNIST session streams into the WebAssembly heap.
// Plain JavaScript, type-checked from its JSDoc, so that the Node build
// script, the Node test and the browser worker all share this one definition.
//
// Layout, all integers little-endian u32:
//   header (32 bytes): magic 'MNST', version, nTrain, nTest, rows, cols,
//                      classes, reserved (0)
//   train pixels  [nTrain x rows*cols] u8, row-major, 0 = background
//   train labels  [nTrain] u8, each < classes
//   test pixels   [nTest x rows*cols] u8
//   test labels   [nTest] u8
// Integrity of the bytes is checked by gzip's own CRC-32 on decompression.

/**
 * @typedef {{ version: number, nTrain: number, nTest: number, rows: number, cols: number, classes: number }} AssetHeader
 * @typedef {object} AssetLayout
 * @property {number} pixels rows * cols
 * @property {number} trainPixels byte offset of each section …
 * @property {number} trainLabels
 * @property {number} testPixels
 * @property {number} testLabels
 * @property {number} totalBytes
 * @typedef {{ trainImages: Uint8Array, trainLabels: Uint8Array, testImages: Uint8Array, testLabels: Uint8Array }} IdxFiles
 * @typedef {{ header: AssetHeader, trainPixels: Uint8Array, trainLabels: Uint8Array, testPixels: Uint8Array, testLabels: Uint8Array }} DecodedAsset
 */

export const ASSET_MAGIC = 0x54534e4d; // bytes 'M','N','S','T'
export const ASSET_VERSION = 1;
export const ASSET_HEADER_BYTES = 32;
export const MNIST_CLASSES = 10;

const IDX_LABELS = 0x00000801; // unsigned byte, 1 dimension
const IDX_IMAGES = 0x00000803; // unsigned byte, 3 dimensions

/**
 * Parses one IDX file (big-endian header: magic, then one u32 per dimension).
 * Checks the magic against `expectedMagic` and the byte count against the dims.
 * @param {Uint8Array} bytes @param {number} expectedMagic @param {string} [name]
 * @returns {{ dims: number[], data: Uint8Array }}
 */
export function parseIdx(bytes, expectedMagic, name = 'IDX file') {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name}: expected bytes`);
  if (bytes.length < 8) throw new Error(`${name}: too short for an IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new Error(`${name}: IDX magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x${expectedMagic.toString(16).padStart(8, '0')}`);
  }
  const nDims = magic & 0xff;
  const headerBytes = 4 + 4 * nDims;
  if (bytes.length < headerBytes) throw new Error(`${name}: truncated IDX header`);
  const dims = [];
  let count = 1;
  for (let i = 0; i < nDims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  if (bytes.length !== headerBytes + count) {
    throw new Error(`${name}: ${bytes.length - headerBytes} data bytes, dimensions ${dims.join('x')} need ${count}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/**
 * Checks that every label is a class index.
 * @param {Uint8Array} labels @param {string} name
 */
function checkLabels(labels, name) {
  for (let i = 0; i < labels.length; i++) {
    if (/** @type {number} */ (labels[i]) >= MNIST_CLASSES) throw new Error(`${name}: label ${labels[i]} at index ${i} is not a digit`);
  }
}

/**
 * Builds the uncompressed asset from the four IDX files' bytes.
 * @param {IdxFiles} idx
 * @returns {Uint8Array}
 */
export function buildAsset(idx) {
  const trImg = parseIdx(idx.trainImages, IDX_IMAGES, 'train images');
  const trLab = parseIdx(idx.trainLabels, IDX_LABELS, 'train labels');
  const teImg = parseIdx(idx.testImages, IDX_IMAGES, 'test images');
  const teLab = parseIdx(idx.testLabels, IDX_LABELS, 'test labels');
  const [nTrain = 0, rows = 0, cols = 0] = trImg.dims;
  const [nTest = 0, testRows, testCols] = teImg.dims;
  if (testRows !== rows || testCols !== cols) {
    throw new Error(`test images are ${testRows}x${testCols}, train images ${rows}x${cols}`);
  }
  if (trLab.dims[0] !== nTrain) throw new Error(`${trLab.dims[0]} train labels for ${nTrain} train images`);
  if (teLab.dims[0] !== nTest) throw new Error(`${teLab.dims[0]} test labels for ${nTest} test images`);
  checkLabels(trLab.data, 'train labels');
  checkLabels(teLab.data, 'test labels');

  const header = { version: ASSET_VERSION, nTrain, nTest, rows, cols, classes: MNIST_CLASSES };
  const layout = assetLayout(header);
  const out = new Uint8Array(layout.totalBytes);
  const view = new DataView(out.buffer);
  const words = [ASSET_MAGIC, ASSET_VERSION, nTrain, nTest, rows, cols, MNIST_CLASSES, 0];
  words.forEach((w, i) => view.setUint32(4 * i, w, true));
  out.set(trImg.data, layout.trainPixels);
  out.set(trLab.data, layout.trainLabels);
  out.set(teImg.data, layout.testPixels);
  out.set(teLab.data, layout.testLabels);
  return out;
}

/**
 * Byte offsets of each section for a header, plus the total size.
 * @param {{nTrain: number, nTest: number, rows: number, cols: number}} h
 * @returns {AssetLayout}
 */
export function assetLayout(h) {
  const pixels = h.rows * h.cols;
  const trainPixels = ASSET_HEADER_BYTES;
  const trainLabels = trainPixels + h.nTrain * pixels;
  const testPixels = trainLabels + h.nTrain;
  const testLabels = testPixels + h.nTest * pixels;
  return { pixels, trainPixels, trainLabels, testPixels, testLabels, totalBytes: testLabels + h.nTest };
}

// Bounds a hostile or corrupt header can claim before anything is allocated.
const MAX_EXAMPLES = 1 << 20;
const MAX_SIDE = 256;

/**
 * Reads and validates the 32-byte header at the start of `bytes`.
 * Throws an Error whose message says what is wrong.
 * @param {Uint8Array} bytes
 * @returns {AssetHeader}
 */
export function readAssetHeader(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length < ASSET_HEADER_BYTES) {
    throw new Error(`MNIST asset: ${bytes?.length ?? 0} bytes is too short for its ${ASSET_HEADER_BYTES}-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, ASSET_HEADER_BYTES);
  const word = (/** @type {number} */ i) => view.getUint32(4 * i, true);
  if (word(0) !== ASSET_MAGIC) throw new Error('MNIST asset: not an MNIST asset (wrong magic number)');
  const version = word(1);
  if (version !== ASSET_VERSION) {
    throw new Error(`MNIST asset: format version ${version}, this page reads version ${ASSET_VERSION}; rebuild the asset`);
  }
  const header = { version, nTrain: word(2), nTest: word(3), rows: word(4), cols: word(5), classes: word(6) };
  const ok = header.nTrain >= 1 && header.nTrain <= MAX_EXAMPLES && header.nTest >= 1 && header.nTest <= MAX_EXAMPLES
    && header.rows >= 1 && header.rows <= MAX_SIDE && header.cols >= 1 && header.cols <= MAX_SIDE
    && header.classes === MNIST_CLASSES;
  if (!ok) throw new Error(`MNIST asset: implausible header ${JSON.stringify(header)}`);
  return header;
}

/**
 * Views into a complete uncompressed asset (no copies).
 * Throws if the byte count does not match the header or a label is out of range.
 * @param {Uint8Array} bytes
 * @returns {DecodedAsset}
 */
export function decodeAsset(bytes) {
  const header = readAssetHeader(bytes);
  const layout = assetLayout(header);
  if (bytes.length !== layout.totalBytes) {
    throw new Error(`MNIST asset: ${bytes.length} bytes, its header needs ${layout.totalBytes}`);
  }
  const part = (/** @type {number} */ start, /** @type {number} */ length) => bytes.subarray(start, start + length);
  const decoded = {
    header,
    trainPixels: part(layout.trainPixels, header.nTrain * layout.pixels),
    trainLabels: part(layout.trainLabels, header.nTrain),
    testPixels: part(layout.testPixels, header.nTest * layout.pixels),
    testLabels: part(layout.testLabels, header.nTest),
  };
  checkLabels(decoded.trainLabels, 'MNIST asset train labels');
  checkLabels(decoded.testLabels, 'MNIST asset test labels');
  return decoded;
}
