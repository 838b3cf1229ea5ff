// core-load.mjs — loads the real Node flavour of the WASM module
// (build/node/nn.cjs + nn.wasm, built by `bash build.sh wasm`) through the
// wrapper. Shared by the Node tests, the XOR demo and the Node benchmarks;
// not a test itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../web/src/engine/nn-wasm.js';

const require = createRequire(import.meta.url);
const nodeDir = fileURLToPath(new URL('../../build/node/', import.meta.url));

/** A fresh Engine on a fresh module instance, from build/node/ or another
 * folder holding a Node flavour nn.cjs + nn.wasm. */
export function loadEngine(dir = nodeDir) {
  const d = resolve(dir) + '/';
  const factory = require(d + 'nn.cjs');
  // Emscripten 3.1.6's Node loader breaks on Node 20's global fetch: hand it the bytes.
  return createEngine(factory, { wasmBinary: readFileSync(d + 'nn.wasm') });
}
