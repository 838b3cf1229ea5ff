// rnn-engine-worker.mjs — our engine on the recurrent workload in a dedicated browser worker
// (bench/rnn-browser.mjs serves it in a repository-shaped folder with the module the app ships,
// web/src/engine/generated/nn.mjs + nn.wasm, its wrapper, and the workload bundle beside it). Message { task: 'text' | 'names', steps, rounds } ->
// { records } or { error }.
import createNnModule from '../web/src/engine/generated/nn.mjs';
import { createEngine } from '../web/src/engine/nn-wasm.js';
import { TASK_FILES, runNamesWorkload, runTextWorkload } from './rnn-engine.mjs';

async function bytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

self.onmessage = async (event) => {
  try {
    const { task, steps, rounds } = event.data;
    const engine = await createEngine(createNnModule);
    const files = { meta: JSON.parse(new TextDecoder().decode(await bytes('meta.json'))) };
    for (const f of TASK_FILES[task]) files[f] = await bytes(f);
    const records = task === 'names' ? runNamesWorkload(engine, files, { steps }) : runTextWorkload(engine, files, { steps, rounds });
    self.postMessage({ records });
  } catch (e) {
    self.postMessage({ error: String((e && e.stack) || e) });
  }
};
