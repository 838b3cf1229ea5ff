// mnist-tfjs.mjs — the peer: TensorFlow.js with its WASM backend (single thread, as always in
// Node) training the same MLP 784-128-10 (ReLU, softmax cross-entropy, batch 64) for one epoch
// of MNIST in file order, with tf.train.sgd(0.1) and tf.train.adam(1e-3).
// Prints one JSON line per optimizer: { impl, opt, samples, seconds, cpuSeconds, accuracy }.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadMnist, toFloat } from './mnist-idx.mjs';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');

const BATCH = 64;
const WARMUP_BATCHES = 20;

async function initBackend() {
  // setWasmPaths takes a prefix; in Node the Emscripten loader reads the files from disk.
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend did not initialise');
  await tf.ready();
}

function makeModel() {
  const init = tf.initializers.glorotUniform({ seed: 1 });
  return {
    w1: tf.variable(init.apply([784, 128])), b1: tf.variable(tf.zeros([128])),
    w2: tf.variable(init.apply([128, 10])), b2: tf.variable(tf.zeros([10])),
  };
}

const logits = (m, x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, m.w1), m.b1)), m.w2), m.b2);

function trainBatches(m, opt, data, first, count) {
  let last = 0;
  for (let b = first; b < first + count; b++) {
    const start = b * BATCH, n = Math.min(BATCH, data.n - start);
    if (n <= 0) break;
    const lossValue = tf.tidy(() => {
      const x = tf.tensor2d(data.x.subarray(start * 784, (start + n) * 784), [n, 784]);
      const y = tf.tensor2d(data.y.subarray(start * 10, (start + n) * 10), [n, 10]);
      return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(m, x)), true);
    });
    if (b === first + count - 1) last = lossValue.dataSync()[0];
    lossValue.dispose();
  }
  return last;
}

function accuracy(m, test) {
  let correct = 0;
  for (let start = 0; start < test.n; start += 1000) {
    const n = Math.min(1000, test.n - start);
    const pred = tf.tidy(() => tf.argMax(logits(m, tf.tensor2d(test.x.subarray(start * 784, (start + n) * 784), [n, 784])), 1).dataSync());
    for (let i = 0; i < n; i++) if (pred[i] === test.labels[start + i]) correct++;
  }
  return correct / test.n;
}

async function main() {
  await initBackend();
  const trainSet = loadMnist('train'), testSet = loadMnist('t10k');
  const train = { ...toFloat(trainSet), n: trainSet.n };
  const test = { ...toFloat(testSet), n: testSet.n, labels: testSet.labels };
  const opts = process.argv.slice(2).length ? process.argv.slice(2) : ['sgd', 'adam'];
  for (const name of opts) {
    const makeOpt = () => (name === 'sgd' ? tf.train.sgd(0.1) : tf.train.adam(1e-3, 0.9, 0.999, 1e-8));
    // Warm-up on a throw-away model so kernels are compiled and tuned before timing.
    const warm = makeModel();
    trainBatches(warm, makeOpt(), train, 0, WARMUP_BATCHES);
    Object.values(warm).forEach((v) => v.dispose());

    const m = makeModel();
    const opt = makeOpt();
    const batches = Math.ceil(train.n / BATCH);
    const t0 = performance.now(), c0 = process.cpuUsage();
    const lastLoss = trainBatches(m, opt, train, 0, batches); // reads the last loss: waits for the work
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0), cpuSeconds = (cpu.user + cpu.system) / 1e6;
    console.log(JSON.stringify({ impl: 'tfjs-wasm', opt: name, samples: train.n, seconds, cpuSeconds,
      accuracy: accuracy(m, test), lastLoss, backend: tf.getBackend() }));
    Object.values(m).forEach((v) => v.dispose());
    opt.dispose();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
