// mnist-wasm.mjs — the WASM module (build/node/nn.cjs, -O3 -msimd128) in Node training the MLP
// 784-128-10 (ReLU, softmax cross-entropy, batch 64) for one epoch of MNIST in file order, with
// SGD (lr 0.1) and Adam (lr 1e-3). The uint8 pixels live in the module's memory; each step
// gathers a batch into floats (nn_gather_u8) and calls nn_train_step, as the browser worker does.
// Prints one JSON line per optimizer: { impl, opt, samples, seconds, cpuSeconds, accuracy, lastLoss }.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadMnist } from './mnist-idx.mjs';
import { Activation, Loss, Optimizer } from '../web/src/engine/enums.js';

const require = createRequire(import.meta.url);
const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'node');
const BATCH = 64;
const WARMUP_BATCHES = 20;

async function loadModule() {
  const factory = require(join(buildDir, 'nn.cjs'));
  // Emscripten 3.1.6's loader breaks on Node 20's global fetch: hand it the bytes.
  return factory({ wasmBinary: readFileSync(join(buildDir, 'nn.wasm')) });
}

function alloc(M, bytes) {
  const p = M._nn_wasm_alloc(bytes);
  if (!p) throw new Error(`nn_wasm_alloc(${bytes}) failed`);
  return p;
}

/** Copies a data set's pixels and one-hot labels into the module's memory once. */
function upload(M, set) {
  const images = alloc(M, set.images.length);
  M.HEAPU8.set(set.images, images);
  const onehot = alloc(M, set.n * 10 * 4);
  const y = new Float32Array(set.n * 10);
  for (let i = 0; i < set.n; i++) y[i * 10 + set.labels[i]] = 1;
  M.HEAPF32.set(y, onehot >> 2);
  return { images, onehot, n: set.n };
}

function makeModel(M, opt) {
  const ints = alloc(M, 5 * 4);
  M.HEAP32.set([784, 128, 10, Activation.RELU, Activation.SOFTMAX], ints >> 2);
  const m = M._nn_create(2, ints, ints + 12, Loss.CE, 1, BATCH);
  M._nn_wasm_free(ints);
  if (!m) throw new Error('nn_create failed');
  const st = opt === 'sgd' ? M._nn_set_optimizer(m, Optimizer.SGD, 0.1, 0, 0, 0)
    : M._nn_set_optimizer(m, Optimizer.ADAM, 1e-3, 0.9, 0.999, 1e-8);
  if (st !== 0) throw new Error(`nn_set_optimizer: status ${st}`);
  return m;
}

/** Trains batches [first, first + count) in file order; returns the last step's loss. */
function train(M, m, data, x, first, count) {
  let loss = 0;
  for (let b = first; b < first + count; b++) {
    const start = b * BATCH, n = Math.min(BATCH, data.n - start);
    if (n <= 0) break;
    const st = M._nn_gather_u8(x, data.images + start * 784, n, 0, n, 784, 1 / 255);
    if (st !== 0) throw new Error(`nn_gather_u8: status ${st}`);
    loss = M._nn_train_step(m, x, data.onehot + start * 40, n);
  }
  return loss;
}

function accuracy(M, m, data, x) {
  const correctPtr = alloc(M, 4);
  let total = 0;
  for (let start = 0; start < data.n; start += BATCH) {
    const n = Math.min(BATCH, data.n - start);
    M._nn_gather_u8(x, data.images + start * 784, n, 0, n, 784, 1 / 255);
    const st = M._nn_evaluate(m, x, data.onehot + start * 40, n, 0, correctPtr);
    if (st !== 0) throw new Error(`nn_evaluate: status ${st}`);
    total += M.HEAP32[correctPtr >> 2];
  }
  M._nn_wasm_free(correctPtr);
  return total / data.n;
}

async function main() {
  const M = await loadModule();
  const train_ = upload(M, loadMnist('train'));
  const test = upload(M, loadMnist('t10k'));
  const x = alloc(M, BATCH * 784 * 4);
  const opts = process.argv.slice(2).length ? process.argv.slice(2) : ['sgd', 'adam'];
  for (const opt of opts) {
    if (opt !== 'sgd' && opt !== 'adam') throw new Error(`unknown optimizer ${opt} (sgd or adam)`);
    const warm = makeModel(M, opt);
    train(M, warm, train_, x, 0, WARMUP_BATCHES);
    M._nn_destroy(warm);
    const m = makeModel(M, opt);
    const t0 = performance.now(), c0 = process.cpuUsage();
    const lastLoss = train(M, m, train_, x, 0, Math.ceil(train_.n / BATCH));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0), cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (!Number.isFinite(lastLoss)) throw new Error(`training failed: status ${M._nn_status(m)}`);
    console.log(JSON.stringify({ impl: 'wasm', opt, samples: train_.n, seconds, cpuSeconds,
      accuracy: accuracy(M, m, test, x), lastLoss }));
    M._nn_destroy(m);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
