// numpy-export-recurrent.test.mjs — the NumPy export of recurrent networks
// (RNN, LSTM, per-step heads; web/src/share/numpyExport.ts) run with Debian's
// python3-numpy against the REAL WASM engine: it predicts, backpropagates
// through time and trains as the engine does, and `check` passes on a
// sequence trace. (Dense and MNIST networks: numpy-export.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine } from './core-load.mjs';
import { buildTrace, traceModel } from '../../web/src/engine/trace.js';
import { NUMPY_ENTRY as ENTRY, PYTHON, SRC, loadModules, run, runProcess, worstDifference } from './py-export-util.mjs';

const TOL = 1e-5;

const RECURRENT_PY = `
import importlib.util, json, sys
import numpy as np
out = []
for k, job in enumerate(json.load(sys.stdin)):
    spec = importlib.util.spec_from_file_location("recurrent%d" % k, job["script"])
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    def flat(net, prefix):
        values = np.zeros(sum(int(np.prod(shape)) for _, _, _, shape in m.PARAM_BLOCKS))
        for layer, name, offset, shape in m.PARAM_BLOCKS:
            values[offset:offset + int(np.prod(shape))] = getattr(net.layers[layer], prefix + name).ravel()
        return values.tolist()
    x, y = np.asarray(job["x"]), np.asarray(job["y"])
    predicted = m.predict({"sequences": job["sequences"]}).ravel().tolist()
    net = m.trained()
    net.forward(x)
    loss = net.loss(y)
    net.backward(y)
    grads = flat(net, "d")
    net = m.trained()
    losses = [net.train_step(np.asarray(b["x"]), np.asarray(b["y"])) for b in job["batches"]]
    out.append({"predicted": predicted, "loss": loss, "grads": grads, "losses": losses, "params": flat(net, "")})
print(json.dumps(out))
`;

/** Largest |got - want| over each block, relative to that block's largest |want| (as the script's check measures). */
function worstPerBlock(got, want, blocks) {
  let worst = 0;
  for (const b of blocks) {
    let scale = 0, diff = 0;
    for (let i = b.offset; i < b.offset + b.length; i++) { scale = Math.max(scale, Math.abs(want[i])); diff = Math.max(diff, Math.abs(got[i] - want[i])); }
    assert.ok(scale > 0, `block ${b.block} of layer ${b.layer} is not all zero`);
    worst = Math.max(worst, diff / scale);
  }
  return worst;
}

test('the NumPy export of recurrent networks (RNN, LSTM, per-step heads) predicts, backprops through time and trains as the engine does; check passes on a sequence trace', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-numpy-rnn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const m = await loadModules(dir, `${ENTRY}
export { exportLabNumpy } from '${SRC}share/numpyExport.ts';
export { engineNetwork } from '${SRC}share/coreLayout.ts';
export { labTraining } from '${SRC}share/training.ts';
export { sequenceCodec } from '${SRC}labs/sequence/config.ts';
export { sequenceLayers } from '${SRC}labs/sequence/model-file.ts';
`);
  const engine = await loadEngine();
  const N = 12, BATCH = 5;
  const rnn = (T, F, hidden, returnSequences, activation = 'linear') => ({ kind: 'rnn', input: [T, F, 1], hidden, returnSequences, activation });
  const lstm = (T, F, hidden, returnSequences, activation = 'linear') => ({ kind: 'lstm', input: [T, F, 1], hidden, returnSequences, activation });
  const cases = [
    { name: 'the sequence lab: names, 2 stacked LSTMs, per-step softmax (CE), Adam, clip 0.2', lab: { task: 'names', cell: 'lstm', hidden: 8, layers: 2, seqLen: 6, optimizer: 'adam', learningRate: 0.01, clipNorm: 0.2, seed: 4 } },
    { name: 'the sequence lab: waves, RNN, per-step linear (MSE), momentum, clip 0.5', lab: { task: 'waves', cell: 'rnn', hidden: 6, layers: 1, seqLen: 9, optimizer: 'momentum', learningRate: 0.05, clipNorm: 0.5, seed: 2 } },
    { name: 'per-step dense (relu), RNN (tanh after), LSTM last step, sigmoid (BCE), SGD + L1', loss: 'bce',
      layers: [{ kind: 'dense', inputs: 3, units: 5, activation: 'relu', steps: 5 }, rnn(5, 5, 4, true, 'tanh'), lstm(5, 4, 6, false), { kind: 'dense', inputs: 6, units: 1, activation: 'sigmoid' }],
      training: { optimizer: 'sgd', lr: Math.fround(0.5), beta1: 0, regularization: 'l1', regRate: Math.fround(0.001), clipNorm: 0 } },
    { name: 'RNN, then LSTM returning sequences, per-step softmax (CE), Adam + L2', loss: 'ce',
      layers: [rnn(4, 2, 5, true), lstm(4, 5, 3, true), { kind: 'dense', inputs: 3, units: 3, activation: 'softmax', steps: 4 }],
      training: { optimizer: 'adam', lr: Math.fround(0.02), beta1: Math.fround(0.9), regularization: 'l2', regRate: Math.fround(0.01), clipNorm: 0 } },
  ];
  const jobs = [];
  let traceScript = null, trace = null;
  for (const [index, c] of cases.entries()) {
    const config = { ...m.sequenceCodec.defaults(), ...(c.lab ?? {}), batchSize: BATCH };
    const layers = c.lab ? m.sequenceLayers(config) : c.layers;
    const loss = c.lab ? (config.task === 'waves' ? 'mse' : 'ce') : c.loss;
    const net = m.engineNetwork(layers);
    const [T, F] = net.input;
    const model = engine.createModel({ input: net.input, layers: net.layers, loss, seed: 30 + index, maxBatch: N });
    try {
      const r = ((a) => () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32))(500 + index);
      const outs = model.outputs, classes = loss === 'ce' ? layers.at(-1).units : 1;
      const x = new Float32Array(N * T * F);
      for (let i = 0; i < N * T; i++) {
        if (config.task === 'names' && c.lab) x[i * F + Math.floor(r() * F)] = 1;
        else for (let f = 0; f < F; f++) x[i * F + f] = r() * 2 - 1;
      }
      const y = new Float32Array(N * outs);
      for (let i = 0; i < N * outs / classes; i++) {
        if (loss === 'ce') y[i * classes + Math.floor(r() * classes)] = 1;
        else y[i] = loss === 'bce' ? (r() < 0.5 ? 1 : 0) : r() * 2 - 1;
      }
      const spec = c.lab ? m.labTraining({ lab: 'sequence', config }) : { ...m.labTraining({ lab: 'sequence', config }), ...c.training };
      const params = model.params(), blocks = model.paramLayout();
      const script = join(dir, `recurrent${index}.py`);
      writeFileSync(script, c.lab
        ? m.exportLabModelNumpy({ lab: 'sequence', config, layers, loss, epoch: 0, params, blocks }, c.name)
        : m.exportLabNumpy({ layers, loss, input: { kind: 'sequence', steps: T, features: F }, params, blocks, description: c.name }, spec));
      const expected = Array.from(model.forward(x, N));
      const engineLoss = model.computeGradients(x, y, N); // no regularisation set yet: the data loss's gradients
      const grads = Array.from(model.grads());
      // A trace of the sequence lab's first model, for check (the page's "Download these numbers").
      if (index === 0) {
        const scratch = traceModel(engine, model, loss);
        try {
          trace = buildTrace(scratch, { loss, index: 3, lab: 'sequence', x: x.subarray(3 * T * F, 4 * T * F), y: y.subarray(3 * outs, 4 * outs) }).trace;
        } finally {
          scratch.destroy();
        }
        traceScript = script;
      }
      // train_step over 3 batches (5, 5, 2 rows) from the same weights, fresh optimizer state on both sides.
      model.setOptimizer(spec.optimizer, { lr: spec.lr, beta1: spec.beta1, beta2: spec.beta2, eps: spec.eps });
      model.setRegularization(spec.regularization, spec.regRate);
      model.setClipNorm(spec.clipNorm);
      const batches = [], engineLosses = [], norms = [];
      for (let at = 0; at < N; at += BATCH) {
        const rows = Math.min(BATCH, N - at);
        const bx = x.subarray(at * T * F, (at + rows) * T * F), by = y.subarray(at * outs, (at + rows) * outs);
        engineLosses.push(model.trainStep(bx, by, rows));
        norms.push(model.gradNorm());
        batches.push({ x: Array.from(bx), y: Array.from(by) });
      }
      if (spec.clipNorm > 0) assert.ok(norms.some((n) => n > spec.clipNorm), `${c.name}: clipping bites (norms ${norms})`);
      const sequences = Array.from({ length: N }, (_, i) => Array.from(x.subarray(i * T * F, (i + 1) * T * F)));
      jobs.push({ c, adam: spec.optimizer === 'adam', blocks, expected, engineLoss, grads, engineLosses, params: Array.from(model.params()),
        job: { script, sequences, x: Array.from(x), y: Array.from(y), batches: batches.map((b) => ({ x: b.x, y: b.y })) } });
    } finally {
      model.destroy();
    }
  }
  // x and y as flat rows: the script reshapes them as its layers read them.
  const input = jobs.map((j) => ({ ...j.job, x: chunk(j.job.x, N), y: chunk(j.job.y, N), batches: j.job.batches.map((b) => ({ x: chunk(b.x, b.y.length / (j.job.y.length / N)), y: chunk(b.y, b.y.length / (j.job.y.length / N)) })) }));
  const got = JSON.parse(await run(PYTHON, ['-c', RECURRENT_PY], JSON.stringify(input)));
  for (const [k, j] of jobs.entries()) {
    const g = got[k];
    const predict = worstDifference(g.predicted, j.expected);
    assert.ok(predict <= TOL, `${j.c.name}: predictions differ by ${predict.toExponential(3)}`);
    const lossDiff = Math.abs(g.loss - j.engineLoss) / j.engineLoss;
    assert.ok(lossDiff <= TOL, `${j.c.name}: loss ${g.loss} vs the engine's ${j.engineLoss}`);
    const gradDiff = worstPerBlock(g.grads, j.grads, j.blocks);
    assert.ok(gradDiff <= TOL, `${j.c.name}: gradients differ by ${gradDiff.toExponential(3)} of their block's largest`);
    let trainDiff = 0;
    j.engineLosses.forEach((l, s) => { trainDiff = Math.max(trainDiff, Math.abs(g.losses[s] - l) / l); });
    assert.ok(trainDiff <= TOL, `${j.c.name}: train_step losses ${g.losses} vs the engine's ${j.engineLosses}`);
    assert.notEqual(j.engineLosses[2], j.engineLosses[0]);
    // Adam's first steps divide each gradient by its own size (+ eps 1e-8): an entry near 1e-8 (a symbol
    // seen once, late in a sequence) turns float32's rounding into ~1e-5 of a weight; SGD and momentum are linear.
    const paramTol = j.adam ? 1e-4 : TOL;
    const paramDiff = worstPerBlock(g.params, j.params, j.blocks);
    assert.ok(paramDiff <= paramTol, `${j.c.name}: parameters after training differ by ${paramDiff.toExponential(3)} of their block's largest`);
    t.diagnostic(`${j.c.name}: predict ${predict.toExponential(2)}, gradients ${gradDiff.toExponential(2)}, train_step losses ${trainDiff.toExponential(2)}, parameters ${paramDiff.toExponential(2)}`);
  }
  // check on the page's own trace of the sequence model: agrees, layer by layer, with the recurrent gradients.
  const tracePath = join(dir, 'sequence-trace.json');
  writeFileSync(tracePath, JSON.stringify(trace));
  const ok = await runProcess(PYTHON, [traceScript, 'check', tracePath]);
  assert.equal(ok.code, 0, `check agrees with the page's sequence trace:\n${ok.out}${ok.err}`);
  assert.match(ok.out, /layer 1 \(lstm\) backward dW_ih +ok/);
  assert.match(ok.out, /layer 2 \(lstm\) backward dW_hh +ok/);
  assert.match(ok.out, /layer 3 \(dense\) backward dW +ok/);
  assert.match(ok.out, /input_grad +ok/);
  t.diagnostic(`check on a sequence trace: ${/largest relative difference: (\S+)/.exec(ok.out)?.[1]}`);
});

/** A flat list as `rows` rows. */
function chunk(values, rows) {
  const w = values.length / rows;
  return Array.from({ length: rows }, (_, i) => values.slice(i * w, (i + 1) * w));
}
