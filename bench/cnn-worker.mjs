// Browser worker for bench/cnn-browser.mjs: our engine, the module the app ships
// (web/src/engine/generated/nn.mjs + nn.wasm, copied beside this file by the bench), training
// the CNN presets with bench/cnn-workload.mjs and nothing else on the page. The training set
// arrives as headerless bytes (train-images.u8: n x 784 pixels, train-labels.u8: n labels)
// written by the bench from the IDX files.
import createNnModule from './nn.mjs';
import { createEngine } from './nn-wasm.js';
import { runCnnWorkload, uploadMnist } from './cnn-workload.mjs';

async function bytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

self.onmessage = async (event) => {
  try {
    const { nets, steps, rounds } = event.data;
    const engine = await createEngine(createNnModule);
    const data = uploadMnist(engine, await bytes('train-images.u8'), await bytes('train-labels.u8'));
    const records = [];
    for (const id of nets) records.push(...runCnnWorkload(engine, data, id, { steps, rounds }));
    self.postMessage({ records });
  } catch (e) {
    self.postMessage({ error: String((e && e.stack) || e) });
  }
};
