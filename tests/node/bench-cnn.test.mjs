// bench-cnn.test.mjs — keeps the CNN benchmark honest: every preset of bench/cnn-nets.mjs is
// a model the core builds with the shapes the benchmark's FLOP count assumes, and trains on
// real MNIST with a falling loss through bench/cnn-workload.mjs (the code the Node and
// browser-worker benchmarks run); and TF.js's WASM backend still lacks the kernel the README
// gives as the reason the peer runs on the CPU backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadEngine } from './core-load.mjs';
import { loadMnist } from '../../bench/mnist-idx.mjs';
import { CNN_NETS, NET_IDS } from '../../bench/cnn-nets.mjs';
import { layersSpec, runCnnWorkload, uploadMnist } from '../../bench/cnn-workload.mjs';

/** The output shape of every layer, computed from the preset table as macsPerExample does. */
function expectedShapes(net) {
  let c = 1, h = 28, w = 28;
  return net.layers.map((l) => {
    if (l.kind === 'conv') {
      h = Math.floor((h + 2 * l.pad - l.k) / l.stride) + 1;
      w = Math.floor((w + 2 * l.pad - l.k) / l.stride) + 1;
      c = l.out;
    } else if (l.kind === 'pool') {
      h = Math.floor((h - l.k) / l.stride) + 1;
      w = Math.floor((w - l.k) / l.stride) + 1;
    } else if (l.kind === 'flatten') {
      c *= h * w; h = 1; w = 1;
    } else {
      c = l.units; h = 1; w = 1;
    }
    return [c, h, w];
  });
}

test('every CNN preset builds with the shapes the benchmark assumes and learns on MNIST', async () => {
  const engine = await loadEngine();
  const train = loadMnist('train');
  const data = uploadMnist(engine, train.images, train.labels);
  for (const id of NET_IDS) {
    const model = engine.createModel(layersSpec(CNN_NETS[id]));
    // layerShapes(): the input's shape, then every layer's output shape.
    assert.deepEqual(model.layerShapes().slice(1).map((s) => [...s]), expectedShapes(CNN_NETS[id]), id);
    model.destroy();
    const [first] = runCnnWorkload(engine, data, id, { steps: 1, rounds: 1 });
    const [later] = runCnnWorkload(engine, data, id, { steps: 60, rounds: 1 });
    assert.ok(Number.isFinite(first.lastLoss) && Number.isFinite(later.lastLoss), id);
    // Warm-up (10 steps) + 60: the loss of a fresh model's 11th step is well above the 70th.
    assert.ok(later.lastLoss < first.lastLoss, `${id}: loss ${first.lastLoss} -> ${later.lastLoss}`);
    assert.equal(later.samples, 60 * CNN_NETS[id].batch);
  }
});

test("TF.js's WASM backend cannot train a convolution: no Conv2DBackpropFilter (README, bench/cnn-peers-tfjs.mjs)", async () => {
  const require = createRequire(import.meta.url);
  const tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  assert.ok(await tf.setBackend('wasm'));
  assert.ok(tf.getKernel('Conv2D', 'wasm'), 'the forward convolution is there');
  assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
  const x = tf.zeros([1, 8, 8, 1]), w = tf.variable(tf.zeros([3, 3, 1, 2]));
  assert.throws(() => tf.grad((v) => tf.conv2d(x, v, 1, 'valid').sum())(w), /Conv2DBackpropFilter/);
});
