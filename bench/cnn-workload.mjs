// cnn-workload.mjs — our engine training one CNN preset of bench/cnn-nets.mjs, through the
// page's own wrapper (web/src/engine/nn-wasm.js) as the MNIST lab's worker drives it: pixels
// as bytes in the module's heap, each step gathers a batch into floats (gatherU8) and calls
// trainStep. Plain ES module with no Node or DOM imports, so the same code runs in Node and in
// a browser worker (bench/cnn-worker.mjs).
import { CNN_NETS, ROUNDS, TIMED_STEPS, WARMUP_STEPS } from './cnn-nets.mjs';

/** A preset as the wrapper's LayersSpec (the core's descriptors: kind, activation, ints). */
export function layersSpec(net, seed = 1) {
  const layers = net.layers.map((l) => {
    switch (l.kind) {
      case 'conv': return { kind: 'conv2d', activation: l.act, ints: [l.out, l.k, l.k, l.stride, l.pad] };
      case 'pool': return { kind: 'maxpool', activation: 'linear', ints: [l.k, l.stride] };
      case 'flatten': return { kind: 'flatten', activation: 'linear', ints: [] };
      default: return { kind: 'dense', activation: l.act, ints: [l.units] };
    }
  });
  return { input: [1, 28, 28], layers, loss: 'ce', seed, maxBatch: net.batch };
}

/**
 * The training set in the heap: { pixels (u8, n x 784), targets (u8 one-hot, n x 10), n }.
 * @param {import('../web/src/engine/nn-wasm.js').Engine} engine
 * @param {Uint8Array} images n x 784 bytes @param {Uint8Array} labels n bytes
 */
export function uploadMnist(engine, images, labels) {
  const n = labels.length;
  if (images.length !== n * 784) throw new Error(`MNIST: ${images.length} pixel bytes for ${n} labels`);
  const onehot = new Uint8Array(n * 10);
  for (let i = 0; i < n; i++) onehot[i * 10 + labels[i]] = 1;
  return { pixels: engine.fromArray(images), targets: engine.fromArray(onehot), n };
}

/**
 * Trains preset `netId` on consecutive batches of `data` (file order): a warm-up, then
 * `rounds` timed rounds of `steps` steps. Returns one record per round
 * { net, round, batch, steps, samples, seconds, lastLoss } plus cpuSeconds when the caller
 * measures CPU time: `cpuClock()` returns seconds of CPU time used so far (Node has it; a
 * browser does not).
 */
export function runCnnWorkload(engine, data, netId, { steps, rounds, cpuClock } = {}) {
  const net = CNN_NETS[netId];
  if (!net) throw new Error(`unknown net ${netId}`);
  const batch = net.batch;
  steps ??= TIMED_STEPS.fast[netId];
  rounds ??= ROUNDS.fast;
  const model = engine.createModel(layersSpec(net));
  const x = engine.allocF32(batch * 784), y = engine.allocF32(batch * 10);
  try {
    const o = net.optimizer;
    if (o.name === 'adam') model.setOptimizer('adam', { lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps });
    else model.setOptimizer('momentum', { lr: o.lr, beta1: o.momentum });
    const perEpoch = Math.floor(data.n / batch);
    const train = (first, count) => {
      let loss = NaN;
      for (let s = first; s < first + count; s++) {
        const start = (s % perEpoch) * batch;
        engine.gatherU8(x, data.pixels.at(start * 784), batch, null, batch, 784, 1 / 255);
        engine.gatherU8(y, data.targets.at(start * 10), batch, null, batch, 10, 1);
        loss = model.trainStep(x, y, batch);
      }
      return loss;
    };
    train(0, WARMUP_STEPS.fast);
    const records = [];
    for (let round = 0; round < rounds; round++) {
      const t0 = performance.now(), c0 = cpuClock?.();
      const lastLoss = train(WARMUP_STEPS.fast + round * steps, steps);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuClock ? { cpuSeconds: cpuClock() - c0 } : {};
      records.push({ net: netId, round, batch, steps, samples: steps * batch, seconds, ...cpu, lastLoss });
    }
    return records;
  } finally {
    x.free();
    y.free();
    model.destroy();
  }
}
