// rnn-engine-node.mjs — our WASM module (build/node/nn.cjs) in Node on the recurrent workload
// (bench/rnn-engine.mjs, the same code the browser worker runs), for a quick check without a
// browser and for CPU time (a browser worker has no CPU clock).
// Usage: node bench/rnn-engine-node.mjs text|names [--steps N] [--rounds R]   (after `bash build.sh wasm`)
// Prints one JSON line per record ({ impl: 'wasm-node', ... }).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../tests/node/core-load.mjs';
import { DEFAULT_BUNDLE_DIR, writeBundle } from './rnn-data.mjs';
import { TASK_FILES, runNamesWorkload, runTextWorkload } from './rnn-engine.mjs';

const cpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** The bundle's files for `task` as the engine workload takes them. */
export function readBundle(task, dir = DEFAULT_BUNDLE_DIR) {
  const files = { meta: JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) };
  for (const f of TASK_FILES[task]) files[f] = new Uint8Array(readFileSync(join(dir, f)));
  return files;
}

/** Runs `task` on a fresh engine; resolves with its records. */
export async function runEngineNode(task, { steps, rounds } = {}, dir = DEFAULT_BUNDLE_DIR) {
  const engine = await loadEngine();
  const files = readBundle(task, dir);
  const records = task === 'names' ? runNamesWorkload(engine, files, { steps })
    : runTextWorkload(engine, files, { steps, rounds, cpuClock: cpuSeconds });
  return records.map((r) => ({ impl: 'wasm-node', ...r }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const num = (name) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
  const task = args[0] ?? 'text';
  if (!TASK_FILES[task]) throw new Error('usage: node bench/rnn-engine-node.mjs text|names [--steps N] [--rounds R]');
  writeBundle();
  for (const r of await runEngineNode(task, { steps: num('--steps'), rounds: num('--rounds') })) console.log(JSON.stringify(r));
}
