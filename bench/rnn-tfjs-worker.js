// rnn-tfjs-worker.js — the TensorFlow.js peer of the recurrent benchmark, in a dedicated
// browser worker (bench/rnn-browser.mjs serves it beside the tfjs bundles and the workload
// bundle of bench/rnn-data.mjs). A classic worker: the UMD bundles tf.min.js and
// tf-backend-wasm.min.js load with importScripts (the ES build of the wasm backend imports
// '@tensorflow/tfjs-core' by bare name, which a browser cannot resolve without a bundler).
//
// The model as a TF.js user writes it: tf.layers.lstm (returnSequences, recurrentActivation
// 'sigmoid' = PyTorch's; the TF.js default is hardSigmoid) + tf.layers.timeDistributed(dense),
// softmax cross-entropy on the logits (mean over batch x steps), Adam, trained with
// model.trainOnBatch. Initial weights from the bundle, converted from PyTorch's layout: Keras's
// kernel is weight_ih transposed (gate order i, f, c, o = PyTorch's i, f, g, o), its single bias
// is bias_ih + bias_hh.
//
// Message { task: 'text', backend: 'wasm' | 'cpu', steps, rounds } -> { records } (one per
// round: characters, seconds, first and last loss), or { task: 'names', backend, steps } ->
// { records: [{ validLoss, ... }] }; { error } on failure.
/* global tf, importScripts */
importScripts('tf.min.js', 'tf-backend-wasm.min.js');

async function fetchBytes(name) {
  const r = await fetch(name);
  if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}
const asI32 = (b) => new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
const asF32 = (b) => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);

async function useBackend(name) {
  if (name === 'wasm') {
    tf.wasm.setWasmPaths('./');
    // No SharedArrayBuffer here (the page is not cross-origin isolated): one thread, like the app.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs: the ${name} backend did not initialise`);
  await tf.ready();
}

/** [rows, cols] row-major -> [cols, rows]. */
function transpose(a, rows, cols) {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}

function makeModel(meta, init, steps) {
  const V = meta.vocab, H = meta.hidden, G = 4 * H;
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: H, returnSequences: true, inputShape: [steps, V], recurrentActivation: 'sigmoid' }));
  model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: V }) }));
  let o = 0;
  const take = (n) => init.subarray(o, (o += n));
  const wih = take(G * V), whh = take(G * H), bih = take(G), bhh = take(G), hw = take(V * H), hb = take(V);
  const bias = new Float32Array(G);
  for (let i = 0; i < G; i++) bias[i] = bih[i] + bhh[i];
  if (o !== init.length) throw new Error(`initial weights: ${init.length} floats for ${o} parameters`);
  model.setWeights([
    tf.tensor2d(transpose(wih, G, V), [V, G]), tf.tensor2d(transpose(whh, G, H), [H, G]), tf.tensor1d(bias),
    tf.tensor2d(transpose(hw, V, H), [H, V]), tf.tensor1d(hb),
  ]);
  const a = meta.adam;
  model.compile({
    optimizer: tf.train.adam(a.lr, a.beta1, a.beta2, a.eps),
    loss: (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
  });
  return model;
}

/** One trainOnBatch on index arrays x, y (Int32Array [rows x steps]); returns the loss. */
async function trainBatch(model, V, x, y, rows, steps) {
  const [xs, ys] = tf.tidy(() => [
    tf.oneHot(tf.tensor2d(x, [rows, steps], 'int32'), V).toFloat(),
    tf.oneHot(tf.tensor2d(y, [rows, steps], 'int32'), V).toFloat(),
  ]);
  try {
    return await model.trainOnBatch(xs, ys);
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

async function runText({ steps, rounds }, meta) {
  const { textWindows } = await import('./rnn-workload.mjs');
  const m = meta.text, B = m.batch, T = m.steps;
  const ids = await fetchBytes('text-ids.u8');
  const starts = asI32(await fetchBytes('text-starts.i32'));
  const model = makeModel(m, asF32(await fetchBytes('text-init.f32')), T);
  const x = new Int32Array(B * T), y = new Int32Array(B * T);
  const stored = starts.length / B;
  const train = async (first, count) => {
    let loss = NaN;
    for (let s = first; s < first + count; s++) {
      const k = s % stored;
      textWindows(ids, starts.subarray(k * B, (k + 1) * B), T, x, y);
      loss = await trainBatch(model, m.vocab, x, y, B, T);
    }
    return loss;
  };
  const firstLoss = await train(0, 1);
  await train(1, m.warmupSteps - 1);
  const records = [];
  steps ??= m.roundSteps;
  for (let round = 0; round < (rounds ?? 1); round++) {
    const t0 = performance.now();
    const lastLoss = await train(m.warmupSteps + round * steps, steps);
    records.push({ task: 'text', round, batch: B, seqLen: T, steps, chars: steps * B * T,
      seconds: (performance.now() - t0) / 1000, firstLoss, lastLoss });
  }
  model.dispose();
  return records;
}

async function runNames({ steps }, meta) {
  const { nameWindows } = await import('./rnn-workload.mjs');
  const m = meta.names, B = m.batch, T = m.steps;
  const set = async (part) => ({ x: await fetchBytes(`names-${part}-x.u8`), y: await fetchBytes(`names-${part}-y.u8`) });
  const train = await set('train'), valid = await set('valid');
  const rows = asI32(await fetchBytes('names-rows.i32'));
  const model = makeModel(m, asF32(await fetchBytes('names-init.f32')), T);
  steps ??= m.trainSteps;
  const x = new Int32Array(B * T), y = new Int32Array(B * T);
  const losses = [];
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    nameWindows(train, T, rows.subarray(s * B, (s + 1) * B), x, y);
    losses.push(await trainBatch(model, m.vocab, x, y, B, T));
  }
  const seconds = (performance.now() - t0) / 1000;
  const validLoss = tf.tidy(() => {
    const n = m.nValid;
    const xs = tf.oneHot(tf.tensor2d(Int32Array.from(valid.x), [n, T], 'int32'), m.vocab).toFloat();
    const ys = tf.oneHot(tf.tensor2d(Int32Array.from(valid.y), [n, T], 'int32'), m.vocab).toFloat();
    return tf.losses.softmaxCrossEntropy(ys, model.predict(xs)).dataSync()[0];
  });
  model.dispose();
  return [{ task: 'names', steps, batch: B, seqLen: T, validLoss, losses: losses.slice(0, 10), lastLoss: losses[losses.length - 1], seconds }];
}

self.onmessage = async (event) => {
  try {
    const msg = event.data;
    await useBackend(msg.backend);
    const meta = JSON.parse(new TextDecoder().decode(await fetchBytes('meta.json')));
    const records = msg.task === 'names' ? await runNames(msg, meta) : await runText(msg, meta);
    self.postMessage({ records: records.map((r) => ({ impl: `tfjs-${msg.backend}`, backend: msg.backend, tfjs: tf.version.tfjs, ...r })) });
  } catch (e) {
    self.postMessage({ error: String((e && e.stack) || e) });
  }
};
