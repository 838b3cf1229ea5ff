// Browser worker for bench/playground-browser.mjs: runs the playground engine
// workload (bench/playground-workload.mjs) on the module the app ships
// (web/src/engine/generated/nn.mjs + nn.wasm, copied beside this file by the
// bench) with nothing else on the page, and posts examples/s back.
import createNnModule from './nn.mjs';
import { createEngine } from './nn-wasm.js';
import { playgroundWorkload, runWorkload } from './playground-workload.mjs';

self.onmessage = async (event) => {
  try {
    const work = playgroundWorkload(await createEngine(createNnModule));
    runWorkload(work, 1000); // warm-up
    const r = runWorkload(work, event.data.seconds * 1000);
    work.destroy();
    self.postMessage({ examplesPerSec: r.examples / r.seconds, loss: r.loss });
  } catch (e) {
    self.postMessage({ error: String(e && e.stack || e) });
  }
};
