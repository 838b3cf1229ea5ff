// gan-digits-classifier.mjs — the digits GAN benchmark's judge: a reference
// MNIST classifier (MLP 784-256-10, ReLU, softmax, Adam 1e-3, batch 64)
// trained on the real training set with the engine in Node, and the score of
// generated digits: the share classified with confidence >= 0.9 and how many
// distinct digits those are. Shared by bench/gan-digits.mjs (the browser lab)
// and bench/gan-digits-node.mjs (GanPair in Node, for tuning).
import { loadEngine, mnistAsset } from '../tests/node/core-load.mjs';
import { MnistHeapData } from '../web/src/labs/mnist/data.js';
import { createRng, permutation } from '../web/src/lib/rng.js';

export const CONFIDENT = 0.9;

/** Trains the classifier for `epochs`; its test accuracy is measured on all 10k test digits. */
export async function trainClassifier({ epochs = 6, seed = 7 } = {}) {
  const engine = await loadEngine();
  const data = MnistHeapData.fromBytes(engine, mnistAsset());
  const { nTrain, nTest } = data.header;
  const raw = data.raw.view();
  const px = (start, count) => {
    const x = new Float32Array(count * 784);
    for (let i = 0; i < x.length; i++) x[i] = raw[start + i] / 255;
    return x;
  };
  const trainX = px(data.layout.trainPixels, nTrain);
  const testX = px(data.layout.testPixels, nTest);
  const oneHot = (labels) => { const y = new Float32Array(labels.length * 10); labels.forEach((l, i) => { y[i * 10 + l] = 1; }); return y; };
  const trainY = oneHot(data.trainLabels);
  const model = engine.createModel({ input: 784, layers: [{ units: 256, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'ce', seed, maxBatch: 1000 });
  model.setOptimizer('adam', { lr: 1e-3 });
  const B = 64;
  const bx = new Float32Array(B * 784), by = new Float32Array(B * 10);
  const rng = createRng(seed);
  const t0 = Date.now();
  for (let e = 0; e < epochs; e++) {
    const order = permutation(rng, nTrain);
    for (let s = 0; s + B <= nTrain; s += B) {
      for (let r = 0; r < B; r++) {
        const i = order[s + r];
        bx.set(trainX.subarray(i * 784, (i + 1) * 784), r * 784);
        by.set(trainY.subarray(i * 10, (i + 1) * 10), r * 10);
      }
      model.trainStep(bx, by, B);
    }
  }
  const trainSeconds = (Date.now() - t0) / 1000;
  let correct = 0;
  for (let s = 0; s < nTest; s += 1000) {
    const p = model.forward(testX.subarray(s * 784, (s + 1000) * 784), 1000);
    for (let r = 0; r < 1000; r++) if (argmax(p, r * 10) === data.testLabels[s + r]) correct++;
  }
  return {
    accuracy: correct / nTest, trainSeconds, epochs,
    /** ink: n x 784 in 0..1. */
    score(ink, n) {
      const p = model.forward(ink, n);
      const counts = new Array(10).fill(0);
      let confident = 0;
      for (let r = 0; r < n; r++) {
        const k = argmax(p, r * 10);
        if (p[r * 10 + k] >= CONFIDENT) { confident++; counts[k]++; }
      }
      return { confidentShare: confident / n, distinctDigits: counts.filter((c) => c > 0).length, perDigit: counts };
    },
  };
}

function argmax(p, o) {
  let k = 0;
  for (let j = 1; j < 10; j++) if (p[o + j] > p[o + k]) k = j;
  return k;
}
