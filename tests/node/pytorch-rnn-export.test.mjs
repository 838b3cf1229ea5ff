// pytorch-rnn-export.test.mjs — recurrent networks (RNN, LSTM, stacked, per-step
// and last-step heads) trained a little by the REAL WASM engine, exported with
// web/src/share/pytorchExport.ts (exportLabPyTorch, placing weights by the
// core's blocks), and run with Debian's python3-torch: the script's outputs on
// the same sequences equal the engine's, |torch - wasm| <= 1e-5 * max(1, |wasm|).
// Also: the core's layout of each model file layer list (coreVerdict) is the
// live model's, and the layers round-trip through a model file's envelope.
// Train mode: `model.py train` on the user's sequences (.npy files, a .json,
// a .npz) gives, step by step, the engine's losses over the same seeded
// batches (a partial last batch, two epochs), and its checkpoint the engine's
// parameters, within 1e-5 relative (parameters under 0.01: 1e-7 absolute): per-step CE + Adam + clipping (the
// sequence lab's own export), MSE + momentum + L2 + clipping, BCE + SGD + L1;
// bad data (a wrong shape, a class out of range, NaN, a ragged list, a
// missing y) stops with a sentence before any step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine } from './core-load.mjs';
import { createRng, permutation, shuffleSeed } from '../../web/src/lib/rng.js';
import { PYTHON, SRC, loadModules, run, worstDifference } from './py-export-util.mjs';

const TOL = 1e-5;
const ENTRY = `
export { exportLabModel, exportLabPyTorch } from '${SRC}share/pytorchExport.ts';
export { askEngine, coreVerdict, engineNetwork } from '${SRC}share/coreLayout.ts';
export { layerJson, parseModelEnvelope, readLabModelFile, MODEL_MAGIC } from '${SRC}share/modelFile.ts';
export { defaultConfig } from '${SRC}state/schema.ts';
export { labTraining } from '${SRC}share/training.ts';
export { sequenceCodec } from '${SRC}labs/sequence/config.ts';
export { sequenceLayers } from '${SRC}labs/sequence/model-file.ts';
`;

const rnn = (T, F, hidden, returnSequences, activation = 'linear') => ({ kind: 'rnn', input: [T, F, 1], hidden, returnSequences, activation });
const lstm = (T, F, hidden, returnSequences, activation = 'linear') => ({ kind: 'lstm', input: [T, F, 1], hidden, returnSequences, activation });
const stepDense = (T, inputs, units, activation) => ({ kind: 'dense', inputs, units, activation, steps: T });
const dense = (inputs, units, activation) => ({ kind: 'dense', inputs, units, activation });

/** Each network as a model file lists it, with the torch modules its script must build. */
const CASES = [
  { name: 'char LSTM, per-step softmax head (CE)', T: 6, F: 5, loss: 'ce', onehot: true,
    layers: [lstm(6, 5, 8, true), stepDense(6, 8, 5, 'softmax')], modules: ['LSTM(5, 8, return_sequences=True)', 'torch.nn.Linear(8, 5)', 'torch.nn.Softmax(dim=2)'] },
  { name: 'wave RNN, last-step linear head (MSE)', T: 10, F: 1, loss: 'mse',
    layers: [rnn(10, 1, 6, false), dense(6, 1, 'linear')], modules: ['RNN(1, 6, return_sequences=False)', 'torch.nn.Linear(6, 1)'] },
  { name: 'two stacked LSTMs as one num_layers=2 module, per-step linear head', T: 5, F: 3, loss: 'mse',
    layers: [lstm(5, 3, 7, true), lstm(5, 7, 7, true), stepDense(5, 7, 2, 'linear')], modules: ['LSTM(3, 7, num_layers=2, return_sequences=True)', 'torch.nn.Linear(7, 2)'] },
  { name: 'two stacked RNNs, the last step into a sigmoid (BCE)', T: 8, F: 2, loss: 'bce',
    layers: [rnn(8, 2, 5, true), rnn(8, 5, 5, false), dense(5, 1, 'sigmoid')], modules: ['RNN(2, 5, num_layers=2, return_sequences=False)', 'torch.nn.Sigmoid()'] },
  { name: 'RNN with a tanh after it, then an LSTM of another size (two modules), softmax head', T: 7, F: 2, loss: 'ce',
    layers: [rnn(7, 2, 5, true, 'tanh'), lstm(7, 5, 4, false), dense(4, 3, 'softmax')], modules: ['RNN(2, 5, return_sequences=True)', 'torch.nn.Tanh()', 'LSTM(5, 4, return_sequences=False)', 'torch.nn.Softmax(dim=1)'] },
  { name: 'per-step dense first, then an RNN; a flat dense head reads every step', T: 4, F: 3, loss: 'mse',
    layers: [stepDense(4, 3, 6, 'relu'), rnn(4, 6, 5, true), dense(20, 2, 'linear')], modules: ['torch.nn.Unflatten(1, (4, 3))', 'torch.nn.Linear(3, 6)', 'RNN(6, 5, return_sequences=True)', 'torch.nn.Flatten()', 'torch.nn.Linear(20, 2)'] },
];

const N = 12;

/** A fixed pseudo-random generator (the data only needs to be the same for both sides). */
function rng(seed) {
  let a = seed >>> 0;
  return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

test('exported recurrent PyTorch scripts compute what the WASM engine computes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-rnn-export-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, ENTRY);
  const engine = await loadEngine();
  const jobs = [];
  for (const [index, c] of CASES.entries()) {
    const net = m.engineNetwork(c.layers);
    assert.deepEqual(net.input, [c.T, c.F, 1], `${c.name}: input shape`);
    const model = engine.createModel({ input: net.input, layers: net.layers, loss: c.loss, seed: 11 + index, maxBatch: N });
    try {
      const r = rng(100 + index);
      const width = c.T * c.F;
      const x = Float32Array.from({ length: N * width }, (_, i) => (c.onehot ? (Math.floor(i / c.F) % c.F === i % c.F ? 1 : 0) * (r() < 0.7 ? 1 : 0) : r() * 2 - 1));
      // A few training steps toward arbitrary targets, so every block (biases too) holds trained values.
      const outs = model.outputs;
      const per = c.loss === 'ce' ? outs / (c.layers.at(-1).steps ?? 1) : 0;
      const y = Float32Array.from({ length: N * outs }, (_, i) => (c.loss === 'ce' ? (i % per === Math.floor(i / per) % per ? 1 : 0) : c.loss === 'bce' ? (r() < 0.5 ? 1 : 0) : r()));
      model.setOptimizer('adam', { lr: 0.02 });
      const before = model.evaluate(x, y, N).loss;
      for (let s = 0; s < 40; s++) model.trainStep(x, y, N);
      const after = model.evaluate(x, y, N).loss;
      assert.ok(after < before, `${c.name}: training lowered the loss (${before} -> ${after})`);

      // The core's layout for the file's layer list is the live model's.
      const verdict = m.coreVerdict(engine, { layers: c.layers, loss: c.loss, maxParams: 1 << 24 });
      assert.ok(verdict.ok && verdict.refused === null, verdict.error ?? verdict.refused);
      const blocks = model.paramLayout();
      assert.deepEqual(verdict.blocks, blocks, `${c.name}: the core's layout of the layer list`);
      for (const b of blocks.filter((bl) => c.layers[bl.layer].kind !== 'dense')) {
        const l = c.layers[b.layer];
        const gates = (l.kind === 'lstm' ? 4 : 1) * l.hidden;
        assert.deepEqual(b.shape, [[gates, l.input[1]], [gates, l.hidden], [gates], [gates]][b.block], `${c.name}: block ${b.block} of layer ${b.layer} has torch's shape`);
      }

      // The layers survive a model file's envelope.
      const file = { magic: m.MODEL_MAGIC, formatVersion: 2, lab: 'playground', config: m.defaultConfig(), layers: c.layers.map(m.layerJson), loss: c.loss, epoch: 1, params: Buffer.from(model.params().buffer).toString('base64') };
      const envelope = m.parseModelEnvelope(JSON.stringify(file));
      assert.ok(envelope.ok, envelope.error);
      assert.deepEqual(envelope.file.model.layers, c.layers, `${c.name}: layers through a file`);

      const script = m.exportLabPyTorch({ layers: c.layers, loss: c.loss, input: { kind: 'sequence', steps: c.T, features: c.F }, params: model.params(), blocks, description: c.name });
      for (const mod of c.modules) assert.ok(script.includes(`    ${mod},`), `${c.name}: the script builds ${mod}`);
      const path = join(dir, `model${index}.py`);
      writeFileSync(path, script);
      const expected = model.forward(x, N);
      // Half the sequences nested as steps of features, half flat: the script takes both.
      const sequences = Array.from({ length: N }, (_, i) => {
        const flat = Array.from(x.subarray(i * width, (i + 1) * width));
        return i % 2 ? flat : Array.from({ length: c.T }, (_, s) => flat.slice(s * c.F, (s + 1) * c.F));
      });
      jobs.push({ c, path, sequences, expected: Array.from(expected) });
    } finally {
      model.destroy();
    }
  }
  const trainJobs = TRAIN_CASES.map((c, index) => trainCase(m, engine, dir, c, index));
  // One interpreter imports every script (torch loads once) and prints each one's predictions.
  // Each script's command line too ({"sequences": [...]} in a file), its printed JSON read back.
  // Then each train case's script trains (its command line: main(["model.py", "train", ...])), its JSON lines returned.
  const driver = `
import contextlib, importlib.util, io, json, sys
jobs = json.load(sys.stdin)
out = []
for i, job in enumerate(jobs["predict"]):
    spec = importlib.util.spec_from_file_location("exported%d" % i, job["path"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    predicted = module.predict(job["sequences"]).reshape(len(job["sequences"]), -1).tolist()
    path = job["path"] + ".json"
    with open(path, "w") as f:
        json.dump({"sequences": job["sequences"]}, f)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = module.main(["model.py", path])
    assert status == 0
    cli = module.torch.tensor(json.loads(printed.getvalue())).reshape(len(job["sequences"]), -1).tolist()
    assert cli == predicted, "the command line prints what predict returns"
    out.append(predicted)
runs, refusals = [], []
for i, job in enumerate(jobs["train"]):
    if "npz" in job:
        import numpy as np
        data = json.load(open(job["npz"]["from"]))
        np.savez(job["npz"]["path"], x=np.asarray(data["x"], dtype=np.float32), y=np.asarray(data["y"], dtype=np.float32))
    spec = importlib.util.spec_from_file_location("trained%d" % i, job["path"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = module.main(["model.py", "train"] + job["args"])
    assert status == 0
    runs.append([json.loads(line) for line in printed.getvalue().splitlines()])
    # Bad data stops with a sentence (SystemExit), before any step.
    for args in job.get("bad", []):
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                module.main(["model.py", "train"] + args)
            refusals.append(None)
        except SystemExit as exit:
            refusals.append([str(exit.code), printed.getvalue()])
print(json.dumps({"predict": out, "train": runs, "refusals": refusals}))
`;
  const input = { predict: jobs.map((j) => ({ path: j.path, sequences: j.sequences })), train: trainJobs.map((j) => ({ path: j.path, args: j.args, bad: j.bad.map((b) => b.args), ...(j.npz ? { npz: j.npz } : {}) })) };
  const got = JSON.parse(await run(PYTHON, ['-c', driver], JSON.stringify(input)));
  for (const [i, j] of jobs.entries()) {
    const worst = worstDifference(got.predict[i].flat(), j.expected);
    assert.ok(worst <= TOL, `${j.c.name}: largest difference ${worst.toExponential(3)} > ${TOL}`);
    const spread = Math.max(...j.expected) - Math.min(...j.expected);
    assert.ok(spread > 0.01, `${j.c.name}: outputs vary (spread ${spread})`);
    t.diagnostic(`${j.c.name}: largest relative difference ${worst.toExponential(2)}`);
  }
  const refusals = trainJobs.flatMap((j) => j.bad);
  assert.equal(got.refusals.length, refusals.length);
  refusals.forEach((b, k) => {
    assert.ok(got.refusals[k], `${b.what}: refused`);
    assert.match(got.refusals[k][0], b.message, `${b.what}: the sentence`);
    assert.equal(got.refusals[k][1], '', `${b.what}: no step ran`);
  });
  for (const [i, j] of trainJobs.entries()) {
    const lines = got.train[i];
    const steps = lines.filter((l) => 'step' in l);
    assert.deepEqual(steps.map((l) => l.epoch), j.epochs, `${j.c.name}: the steps' epochs (a partial last batch each epoch)`);
    const lossWorst = worstRelative(steps.map((l) => l.loss), j.losses, `${j.c.name}: step losses`);
    assert.ok(j.losses.at(-1) < j.losses[0], `${j.c.name}: the engine's loss falls (${j.losses})`);
    assert.equal(lines.filter((l) => 'mean_loss' in l).length, 1, `${j.c.name}: one finished epoch reported`);
    const file = readFileSync(j.ckpt, 'utf8');
    const params = new Float32Array(new Uint8Array(Buffer.from(JSON.parse(file).params, 'base64')).buffer);
    const paramWorst = worstRelative(Array.from(params), Array.from(j.params), `${j.c.name}: checkpoint parameters`, 1e-2);
    let moved = 0;
    for (let k = 0; k < params.length; k++) moved = Math.max(moved, Math.abs(j.params[k] - j.start[k]));
    assert.ok(moved > 1e-3, `${j.c.name}: training moved the parameters (${moved})`);
    if (j.c.lab) {
      // The sequence lab's checkpoint is a model file its page loads.
      const loaded = await m.readLabModelFile(file, 'sequence', m.askEngine(engine));
      assert.ok(loaded.ok, loaded.error);
      assert.deepEqual(loaded.model.params, params);
    }
    t.diagnostic(`${j.c.name}: step losses ${lossWorst.toExponential(2)}, parameters ${paramWorst.toExponential(2)} (relative)`);
  }
});

/**
 * |got - want| / max(|want|, floor) per value, the largest, at most TOL. The
 * floor: losses are far from 0; a parameter near 0 (a few ulps of an Adam step
 * of lr 0.01 are ~1e-9) is compared absolutely at TOL * floor.
 */
function worstRelative(got, want, what, floor = 1e-3) {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(floor, Math.abs(want[i])));
  assert.ok(worst <= TOL, `${what}: largest relative difference ${worst.toExponential(3)} > ${TOL}`);
  return worst;
}

/** An .npy file (version 1.0, little-endian float32) of `values` in `shape`. */
function npy(values, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(Float32Array.from(values).buffer)]);
}

const TRAIN_N = 12, TRAIN_BATCH = 5, TRAIN_STEPS = 5;
// The sequence lab's own model and settings (exported as its page exports it), and two other recurrent networks with hand-set training.
const TRAIN_CASES = [
  { name: 'train: the sequence lab (names, LSTM 2x8, Adam, clip 0.2), class indices in .npy files', lab: { task: 'names', cell: 'lstm', hidden: 8, layers: 2, seqLen: 6, optimizer: 'adam', learningRate: 0.01, clipNorm: 0.2, batchSize: TRAIN_BATCH, seed: 4 }, data: 'npy' },
  { name: 'train: stacked RNNs, per-step linear head, MSE, momentum + L2, clip 1, nested .json', T: 7, F: 2, loss: 'mse', data: 'json',
    layers: [rnn(7, 2, 6, true), rnn(7, 6, 6, true), stepDense(7, 6, 2, 'linear')],
    training: { optimizer: 'momentum', lr: Math.fround(0.05), beta1: Math.fround(0.9), regularization: 'l2', regRate: Math.fround(0.01), clipNorm: Math.fround(1) } },
  { name: 'train: LSTM, last step into a sigmoid, BCE, SGD + L1, a .npz', T: 5, F: 3, loss: 'bce', data: 'npz',
    layers: [lstm(5, 3, 6, false), dense(6, 1, 'sigmoid')],
    training: { optimizer: 'sgd', lr: Math.fround(0.5), beta1: 0, regularization: 'l1', regRate: Math.fround(0.001), clipNorm: 0 } },
];

/**
 * One train case: the exported script and its data files, and what the engine
 * does from the same weights over the same seeded batches (epoch permutations
 * of shuffleSeed(seed), as the script draws them).
 */
function trainCase(m, engine, dir, c, index) {
  const config = c.lab ? { ...m.sequenceCodec.defaults(), ...c.lab } : m.sequenceCodec.defaults();
  const layers = c.lab ? m.sequenceLayers(config) : c.layers;
  const loss = c.lab ? 'ce' : c.loss;
  const [T, F] = layers[0].input;
  const net = m.engineNetwork(layers);
  const model = engine.createModel({ input: net.input, layers: net.layers, loss, seed: 21 + index, maxBatch: TRAIN_BATCH });
  try {
    const r = rng(300 + index);
    const outs = model.outputs, steps = layers.at(-1).steps ?? 1, classes = outs / steps;
    const x = new Float32Array(TRAIN_N * T * F);
    // One-hot symbols for the lab's names task, else values in [-1, 1).
    for (let i = 0; i < TRAIN_N * T; i++) {
      if (c.lab) x[i * F + Math.floor(r() * F)] = 1;
      else for (let f = 0; f < F; f++) x[i * F + f] = r() * 2 - 1;
    }
    const labels = Array.from({ length: TRAIN_N * steps }, () => Math.floor(r() * classes));
    const y = loss === 'ce' ? Float32Array.from({ length: TRAIN_N * outs }, (_, i) => (labels[Math.floor(i / classes)] === i % classes ? 1 : 0))
      : Float32Array.from({ length: TRAIN_N * outs }, () => (loss === 'bce' ? (r() < 0.5 ? 1 : 0) : r() * 2 - 1));
    const start = model.params();
    const blocks = model.paramLayout();
    const spec = c.lab ? m.labTraining({ lab: 'sequence', config }) : { ...m.labTraining({ lab: 'sequence', config }), ...c.training, batchSize: TRAIN_BATCH, seed: 8 };
    const path = join(dir, `train${index}.py`);
    const script = c.lab
      ? m.exportLabModel({ lab: 'sequence', config, layers, loss, epoch: 2, params: start, blocks }, c.name)
      : m.exportLabPyTorch({ layers, loss, input: { kind: 'sequence', steps: T, features: F }, params: start, blocks, description: c.name,
        training: { spec, lab: 'sequence', config, epoch: 0, data: null } });
    assert.match(script, /--data DATA\.json\|DATA\.npz/, `${c.name}: the usage names the data files`);
    writeFileSync(path, script);

    // The data as the user supplies it: x [N, T, F], y [N, T, V] or class indices [N, T].
    const args = ['--steps', String(TRAIN_STEPS), '--out', join(dir, `ckpt${index}.json`), '--cpu'];
    const nested = (v, shape) => shape.length === 1 ? Array.from(v) : Array.from({ length: shape[0] }, (_, i) => nested(v.subarray(i * v.length / shape[0], (i + 1) * v.length / shape[0]), shape.slice(1)));
    let npz = null;
    if (c.data === 'npy') {
      writeFileSync(join(dir, `x${index}.npy`), npy(x, [TRAIN_N, T, F]));
      writeFileSync(join(dir, `y${index}.npy`), npy(labels, [TRAIN_N, steps]));
      args.push('--x', join(dir, `x${index}.npy`), '--y', join(dir, `y${index}.npy`));
    } else {
      const json = join(dir, `data${index}.json`);
      writeFileSync(json, JSON.stringify({ x: nested(x, [TRAIN_N, T, F]), y: nested(y, [TRAIN_N, outs / classes, classes]) }));
      if (c.data === 'npz') npz = { from: json, path: join(dir, `data${index}.npz`) };
      args.push('--data', npz ? npz.path : json);
    }

    // The engine from the same weights: a fresh optimizer, the same settings, the same batches.
    model.loadParams(start);
    model.setOptimizer(spec.optimizer, { lr: spec.lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps });
    model.setRegularization(spec.regularization, spec.regRate);
    model.setClipNorm(spec.clipNorm);
    const shuffle = createRng(shuffleSeed(spec.seed));
    const losses = [], epochs = [], norms = [];
    for (let epoch = 1, order = permutation(shuffle, TRAIN_N), at = 0; losses.length < TRAIN_STEPS; at += spec.batchSize) {
      if (at >= TRAIN_N) { order = permutation(shuffle, TRAIN_N); at = 0; epoch++; }
      const rows = Array.from(order.subarray(at, Math.min(TRAIN_N, at + spec.batchSize)));
      const bx = new Float32Array(rows.length * T * F), by = new Float32Array(rows.length * outs);
      rows.forEach((row, k) => { bx.set(x.subarray(row * T * F, (row + 1) * T * F), k * T * F); by.set(y.subarray(row * outs, (row + 1) * outs), k * outs); });
      losses.push(model.trainStep(bx, by, rows.length));
      epochs.push(epoch);
      norms.push(model.gradNorm());
    }
    // Clipping bites: some step's gradient is longer than the clip norm.
    if (spec.clipNorm > 0) assert.ok(norms.some((n) => n > spec.clipNorm), `${c.name}: clipping bites (norms ${norms})`);
    // Bad files: the wrong shape, a class out of range, NaN, a ragged list, a missing entry.
    const bad = [];
    if (c.data === 'npy') {
      const put = (name, buf) => { writeFileSync(join(dir, name), buf); return join(dir, name); };
      const xFile = join(dir, `x${index}.npy`), yFile = join(dir, `y${index}.npy`);
      bad.push({ what: 'x of the wrong shape', args: ['--x', yFile, '--y', yFile], message: /^x must be N sequences of 6 steps of 27 value\(s\); its shape is \[12, 6\]$/ });
      bad.push({ what: 'a class out of range', args: ['--x', xFile, '--y', put('y-big.npy', npy(labels.map((l) => l + 27), [TRAIN_N, steps]))], message: /class indices must be whole numbers 0\.\.26/ });
      bad.push({ what: 'fewer targets than sequences', args: ['--x', xFile, '--y', put('y-short.npy', npy(labels.slice(steps), [TRAIN_N - 1, steps]))], message: /one row per sequence of x \(12\)/ });
    } else if (c.data === 'json') {
      const put = (name, data) => { writeFileSync(join(dir, name), JSON.stringify(data)); return join(dir, name); };
      // Python's json reads the NaN token (a JSON extension NumPy users meet).
      writeFileSync(join(dir, 'nan.json'), `{"x": ${JSON.stringify(nested(x, [TRAIN_N, T, F])).replace(/-?\d[\d.e+-]*/, 'NaN')}, "y": ${JSON.stringify(nested(y, [TRAIN_N, outs]))}}`);
      bad.push({ what: 'NaN in x', args: ['--data', join(dir, 'nan.json')], message: /^x and y must be finite numbers/ });
      bad.push({ what: 'a ragged list', args: ['--data', put('ragged.json', { x: [[1, 2], [3]], y: [[1], [2]] })], message: /cannot read x as numbers/ });
      bad.push({ what: 'no y', args: ['--data', put('noy.json', { x: nested(x, [TRAIN_N, T, F]) })], message: /holds no 'y'/ });
    }
    return { c, path, args, npz, bad, losses, epochs, start, params: model.params(), ckpt: join(dir, `ckpt${index}.json`) };
  } finally {
    model.destroy();
  }
}
