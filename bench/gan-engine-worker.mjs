// gan-engine-worker.mjs — our engine on the 2-D GAN workload in a dedicated browser worker
// (bench/gan-browser.mjs serves it in a repository-shaped folder with the module the app
// ships, web/src/engine/generated/nn.mjs + nn.wasm, its wrapper and engine/gan.js).
// Message { opt, depth, seconds, warmupSeconds } -> { record } or { error }.
import createNnModule from '../web/src/engine/generated/nn.mjs';
import { createEngine } from '../web/src/engine/nn-wasm.js';
import { runEngineRound } from './gan-engine.mjs';

self.onmessage = async (event) => {
  try {
    const engine = await createEngine(createNnModule);
    self.postMessage({ record: runEngineRound(engine, event.data) });
  } catch (e) {
    self.postMessage({ error: String((e && e.stack) || e) });
  }
};
