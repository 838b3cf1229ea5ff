// rnn-engine.mjs — our engine on the recurrent workload (bench/rnn-workload.mjs), through the
// page's own wrapper (web/src/engine/nn-wasm.js). Plain ES module with no Node or DOM imports:
// the same code runs in Node (bench/rnn-engine-node.mjs) and in a browser worker
// (bench/rnn-engine-worker.mjs). The bundle's files are passed in as bytes.
//
// The model in the core's ABI v6 (branch rnn-core): input [T, V, 1] one-hot rows,
// [LSTM, linear, H, return_sequences 1] then [DENSE, softmax, V, per_step 1], loss CE (mean over
// batch x steps), Adam. Its parameter blocks are PyTorch's (weight_ih, weight_hh, bias_ih,
// bias_hh, then the head's weight and bias), checked against the bundle's before loading the
// shared initial weights. One-hot rows are gathered in the heap from a V x V identity by index
// (engine.gatherU8), as a lab would, so a step costs what the page's step costs.
import { textWindows, nameWindows } from './rnn-workload.mjs';

const asI32 = (b) => new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
const asF32 = (b) => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);

/** The shared model for vocabulary V, hidden H, T steps, at most `maxBatch` rows. */
export function charLstmSpec(vocab, hidden, steps, maxBatch) {
  return {
    input: [steps, vocab, 1],
    layers: [
      { kind: 'lstm', activation: 'linear', ints: [hidden, 1] },
      { kind: 'dense', activation: 'softmax', ints: [vocab, 1] },
    ],
    loss: 'ce', seed: 1, maxBatch,
  };
}

/** A model of the shared spec with the bundle's initial weights and Adam. */
function makeModel(engine, meta, init, steps, maxBatch) {
  const model = engine.createModel(charLstmSpec(meta.vocab, meta.hidden, steps, maxBatch));
  try {
    const layout = model.paramLayout();
    const want = meta.blocks;
    const same = layout.length === want.length && layout.every((b, i) => b.shape.join('x') === want[i].shape.join('x'));
    if (!same) {
      throw new Error(`parameter blocks ${layout.map((b) => b.shape.join('x')).join(', ')} in the engine, ` +
        `${want.map((b) => `${b.name} ${b.shape.join('x')}`).join(', ')} in the bundle`);
    }
    model.loadParams(init);
    const a = meta.adam;
    model.setOptimizer('adam', { lr: a.lr, beta1: a.beta1, beta2: a.beta2, eps: a.eps });
    return model;
  } catch (e) {
    model.destroy();
    throw e;
  }
}

/** Heap buffers turning index rows into one-hot rows: { fill(xIdx, yIdx, rows), x, y, free() }. */
function oneHotGatherer(engine, vocab, maxRows) {
  const eye = new Uint8Array(vocab * vocab);
  for (let i = 0; i < vocab; i++) eye[i * vocab + i] = 1;
  const identity = engine.fromArray(eye);
  const xi = engine.allocI32(maxRows), yi = engine.allocI32(maxRows);
  const x = engine.allocF32(maxRows * vocab), y = engine.allocF32(maxRows * vocab);
  return {
    x, y,
    /** xIdx, yIdx: Int32Array of rows x steps vocabulary indices. */
    fill(xIdx, yIdx) {
      xi.set(xIdx);
      yi.set(yIdx);
      engine.gatherU8(x, identity, vocab, xi, xIdx.length, vocab, 1);
      engine.gatherU8(y, identity, vocab, yi, yIdx.length, vocab, 1);
    },
    free() { for (const b of [identity, xi, yi, x, y]) b.free(); },
  };
}

/**
 * Throughput on Moby Dick: a warm-up, then `rounds` rounds of `steps` training steps. files:
 * { meta (parsed meta.json), 'text-ids.u8', 'text-starts.i32', 'text-init.f32' } (bytes).
 * cpuClock() (optional) returns seconds of CPU time. One record per round.
 */
export function runTextWorkload(engine, files, { steps, rounds = 1, cpuClock } = {}) {
  const m = files.meta.text, B = m.batch, T = m.steps;
  const ids = files['text-ids.u8'], starts = asI32(files['text-starts.i32']);
  const model = makeModel(engine, m, asF32(files['text-init.f32']), T, B);
  const hot = oneHotGatherer(engine, m.vocab, B * T);
  const xIdx = new Int32Array(B * T), yIdx = new Int32Array(B * T);
  const stored = starts.length / B;
  try {
    const train = (first, count) => {
      let loss = NaN;
      for (let s = first; s < first + count; s++) {
        const k = s % stored;
        textWindows(ids, starts.subarray(k * B, (k + 1) * B), T, xIdx, yIdx);
        hot.fill(xIdx, yIdx);
        loss = model.trainStep(hot.x, hot.y, B);
      }
      return loss;
    };
    const firstLoss = train(0, 1);
    train(1, m.warmupSteps - 1);
    steps ??= m.roundSteps;
    const records = [];
    for (let round = 0; round < rounds; round++) {
      const t0 = performance.now(), c0 = cpuClock?.();
      const lastLoss = train(m.warmupSteps + round * steps, steps);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuClock ? { cpuSeconds: cpuClock() - c0 } : {};
      records.push({ task: 'text', round, batch: B, seqLen: T, steps, chars: steps * B * T, seconds, ...cpu, firstLoss, lastLoss });
    }
    return records;
  } finally {
    hot.free();
    model.destroy();
  }
}

/**
 * The names task: `steps` training steps (default the bundle's), then the validation loss
 * (mean over rows x steps of -ln p(target), in double from the forward pass's probabilities).
 * files: { meta, 'names-{train,valid}-{x,y}.u8', 'names-rows.i32', 'names-init.f32' }.
 */
export function runNamesWorkload(engine, files, { steps } = {}) {
  const m = files.meta.names, B = m.batch, T = m.steps, V = m.vocab;
  const train = { x: files['names-train-x.u8'], y: files['names-train-y.u8'] };
  const valid = { x: files['names-valid-x.u8'], y: files['names-valid-y.u8'] };
  const rows = asI32(files['names-rows.i32']);
  steps ??= m.trainSteps;
  if (steps * B > rows.length) throw new Error(`${steps} steps: the bundle holds ${rows.length / B} batches`);
  const model = makeModel(engine, m, asF32(files['names-init.f32']), T, B);
  const hot = oneHotGatherer(engine, V, m.nValid * T);
  const xIdx = new Int32Array(B * T), yIdx = new Int32Array(B * T);
  try {
    const validLoss = () => {
      hot.fill(Int32Array.from(valid.x), Int32Array.from(valid.y));
      const p = model.forward(hot.x, m.nValid);
      let sum = 0;
      for (let i = 0; i < m.nValid * T; i++) sum -= Math.log(p[i * V + valid.y[i]]);
      return sum / (m.nValid * T);
    };
    const initialValidLoss = validLoss();
    const losses = [];
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) {
      nameWindows(train, T, rows.subarray(s * B, (s + 1) * B), xIdx, yIdx);
      hot.fill(xIdx, yIdx);
      losses.push(model.trainStep(hot.x, hot.y, B));
    }
    const seconds = (performance.now() - t0) / 1000;
    return [{ task: 'names', steps, batch: B, seqLen: T, initialValidLoss, validLoss: validLoss(),
      losses: losses.slice(0, 10), lastLoss: losses[losses.length - 1], seconds }];
  } finally {
    hot.free();
    model.destroy();
  }
}

/** The bundle files each task needs (meta.json aside). */
export const TASK_FILES = {
  text: ['text-ids.u8', 'text-starts.i32', 'text-init.f32'],
  names: ['names-train-x.u8', 'names-train-y.u8', 'names-valid-x.u8', 'names-valid-y.u8', 'names-rows.i32', 'names-init.f32'],
};
