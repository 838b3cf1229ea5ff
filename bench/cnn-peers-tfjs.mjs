// cnn-peers-tfjs.mjs — the TensorFlow.js peer for the CNN benchmark: the three presets of
// bench/cnn-nets.mjs trained on real MNIST (file order, consecutive batches) with the same
// optimizer and batch, timed in rounds of a fixed number of steps after a warm-up.
//
// Backend: tfjs-backend-wasm 4.22 cannot train a convolution: it registers Conv2D,
// Conv2DBackpropInput, MaxPool and MaxPoolGrad but not Conv2DBackpropFilter (the weight
// gradient), so tf.grad through conv2d throws "Kernel 'Conv2DBackpropFilter' not registered
// for backend 'wasm'". This script checks that again at start (and says so in its output) and
// trains on the CPU backend (plain JS, single thread) when the kernel is missing.
// Usage: node bench/cnn-peers-tfjs.mjs [--nets cnn-fast,lenet5,convnetjs] [--steps N] [--rounds R]
// Prints one JSON line per net and round: { impl, net, round, backend, batch, steps, samples,
// seconds, cpuSeconds, lastLoss, wasmMissingKernels }.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadMnist, toFloat } from './mnist-idx.mjs';
import { CNN_NETS, ROUNDS, TIMED_STEPS, WARMUP_STEPS, parseArgs } from './cnn-nets.mjs';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');

// What training these nets needs beyond the forward kernels.
const TRAINING_KERNELS = ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPool', 'MaxPoolGrad'];

async function chooseBackend() {
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  let missing = TRAINING_KERNELS;
  if (await tf.setBackend('wasm')) {
    await tf.ready();
    missing = TRAINING_KERNELS.filter((k) => !tf.getKernel(k, 'wasm'));
    if (!missing.length) return { backend: 'wasm', missing };
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs: neither the wasm nor the cpu backend initialised');
  await tf.ready();
  return { backend: 'cpu', missing };
}

function makeModel(net) {
  const params = [];
  const layers = [];
  let c = 1, flatSize = 0, h = 28, w = 28;
  for (const l of net.layers) {
    if (l.kind === 'conv') {
      // The shared rule: He for ReLU, Xavier otherwise; fan_in = in*kh*kw.
      const init = l.act === 'relu' ? tf.initializers.heUniform({ seed: 1 }) : tf.initializers.glorotUniform({ seed: 1 });
      const filter = tf.variable(init.apply([l.k, l.k, c, l.out]));
      const bias = tf.variable(tf.zeros([l.out]));
      params.push(filter, bias);
      layers.push({ ...l, filter, bias });
      h = Math.floor((h + 2 * l.pad - l.k) / l.stride) + 1;
      w = Math.floor((w + 2 * l.pad - l.k) / l.stride) + 1;
      c = l.out;
    } else if (l.kind === 'pool') {
      layers.push(l);
      h = Math.floor((h - l.k) / l.stride) + 1;
      w = Math.floor((w - l.k) / l.stride) + 1;
    } else if (l.kind === 'flatten') {
      layers.push(l);
      flatSize = c * h * w;
    } else {
      const fanIn = flatSize || c;
      const init = l.act === 'relu' ? tf.initializers.heUniform({ seed: 1 }) : tf.initializers.glorotUniform({ seed: 1 });
      const kernel = tf.variable(init.apply([fanIn, l.units]));
      const bias = tf.variable(tf.zeros([l.units]));
      params.push(kernel, bias);
      layers.push({ ...l, kernel, bias });
      flatSize = l.units;
    }
  }
  return { layers, params };
}

/** Logits for x [n, 28, 28, 1] (NHWC: TF.js's layout; with one channel the same bytes). */
function logits(model, x) {
  let a = x;
  for (const l of model.layers) {
    if (l.kind === 'conv') {
      // Explicit zero padding: the same as torch's padding=p for any kernel and stride.
      const padded = l.pad ? tf.pad(a, [[0, 0], [l.pad, l.pad], [l.pad, l.pad], [0, 0]]) : a;
      a = tf.add(tf.conv2d(padded, l.filter, l.stride, 'valid'), l.bias);
      if (l.act === 'relu') a = tf.relu(a);
    } else if (l.kind === 'pool') {
      a = tf.maxPool(a, l.k, l.stride, 'valid');
    } else if (l.kind === 'flatten') {
      a = tf.reshape(a, [a.shape[0], -1]);
    } else {
      a = tf.add(tf.matMul(a, l.kernel), l.bias);
      if (l.act === 'relu') a = tf.relu(a);
      // softmax is folded into the loss, as in every implementation.
    }
  }
  return a;
}

function makeOptimizer(o) {
  if (o.name === 'adam') return tf.train.adam(o.lr, o.beta1, o.beta2, o.eps);
  if (o.name === 'sgd-momentum') return tf.train.momentum(o.lr, o.momentum);
  throw new Error(`unknown optimizer ${o.name}`);
}

/** Trains `count` consecutive batches from `firstStep`; returns the last step's loss. */
function trainSteps(model, opt, batch, data, firstStep, count) {
  let last = NaN;
  const perEpoch = Math.floor(data.n / batch);
  for (let s = firstStep; s < firstStep + count; s++) {
    const start = (s % perEpoch) * batch;
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(data.x.subarray(start * 784, (start + batch) * 784), [batch, 28, 28, 1]);
      const y = tf.tensor2d(data.y.subarray(start * 10, (start + batch) * 10), [batch, 10]);
      return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(model, x)), true);
    });
    // Reading the loss waits for the step's work (the CPU backend is synchronous anyway).
    if (s === firstStep + count - 1) last = loss.dataSync()[0];
    loss.dispose();
  }
  return last;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { backend, missing } = await chooseBackend();
  const trainSet = loadMnist('train');
  const train = { ...toFloat(trainSet), n: trainSet.n };
  for (const id of args.nets) {
    const net = CNN_NETS[id];
    const steps = args.steps ?? TIMED_STEPS.slow[id];
    const model = makeModel(net);
    const opt = makeOptimizer(net.optimizer);
    // Warm-up on the same model (the first steps allocate and, on wasm, compile): not timed.
    trainSteps(model, opt, net.batch, train, 0, WARMUP_STEPS.slow);
    for (let round = 0; round < (args.rounds ?? ROUNDS.slow); round++) {
      const t0 = performance.now(), c0 = process.cpuUsage();
      const lastLoss = trainSteps(model, opt, net.batch, train, WARMUP_STEPS.slow + round * steps, steps);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      console.log(JSON.stringify({ impl: `tfjs-${backend}`, net: id, round, backend, batch: net.batch, steps,
        samples: steps * net.batch, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, lastLoss,
        wasmMissingKernels: missing }));
    }
    model.params.forEach((p) => p.dispose());
    opt.dispose();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
