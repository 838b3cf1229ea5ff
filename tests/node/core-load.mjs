// core-load.mjs — loads the real Node flavour of the WASM module
// (build/node/nn.cjs + nn.wasm, built by `bash build.sh wasm`) through the
// wrapper. Shared by the Node tests and the XOR demo; not a test itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../web/src/engine/nn-wasm.js';

const require = createRequire(import.meta.url);
const nodeDir = fileURLToPath(new URL('../../build/node/', import.meta.url));

/** A fresh Engine on a fresh module instance. */
export function loadEngine() {
  const factory = require(nodeDir + 'nn.cjs');
  // Emscripten 3.1.6's Node loader breaks on Node 20's global fetch: hand it the bytes.
  return createEngine(factory, { wasmBinary: readFileSync(nodeDir + 'nn.wasm') });
}
