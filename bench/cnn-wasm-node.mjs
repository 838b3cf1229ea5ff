// cnn-wasm-node.mjs — our WASM module (build/node/nn.cjs, -O3 -msimd128) in Node training the
// CNN presets through the page's wrapper (bench/cnn-workload.mjs): the same code the browser
// worker bench (bench/cnn-browser.mjs) runs, so Node and the browser compare like for like.
// Usage: node bench/cnn-wasm-node.mjs [--nets cnn-fast,lenet5,convnetjs] [--steps N] [--rounds R]
// Prints one JSON line per net and round: { impl, net, round, batch, steps, samples, seconds,
// cpuSeconds, lastLoss }.
import { loadEngine } from '../tests/node/core-load.mjs';
import { loadMnist } from './mnist-idx.mjs';
import { parseArgs } from './cnn-nets.mjs';
import { runCnnWorkload, uploadMnist } from './cnn-workload.mjs';

function cpuSeconds() {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const engine = await loadEngine();
  const train = loadMnist('train');
  const data = uploadMnist(engine, train.images, train.labels);
  for (const id of args.nets) {
    const records = runCnnWorkload(engine, data, id, {
      steps: args.steps ?? undefined, rounds: args.rounds ?? undefined, cpuClock: cpuSeconds });
    for (const r of records) console.log(JSON.stringify({ impl: 'wasm-node', ...r }));
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
