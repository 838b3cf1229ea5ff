// pytorch-rnn-export.test.mjs — recurrent networks (RNN, LSTM, stacked, per-step
// and last-step heads) trained a little by the REAL WASM engine, exported with
// web/src/share/pytorchExport.ts (exportLabPyTorch, placing weights by the
// core's blocks), and run with Debian's python3-torch: the script's outputs on
// the same sequences equal the engine's, |torch - wasm| <= 1e-5 * max(1, |wasm|).
// Also: the core's layout of each model file layer list (coreVerdict) is the
// live model's, and the layers round-trip through a model file's envelope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine } from './core-load.mjs';
import { PYTHON, SRC, loadModules, run, worstDifference } from './py-export-util.mjs';

const TOL = 1e-5;
const ENTRY = `
export { exportLabPyTorch } from '${SRC}share/pytorchExport.ts';
export { coreVerdict, engineNetwork } from '${SRC}share/coreLayout.ts';
export { layerJson, parseModelEnvelope, MODEL_MAGIC } from '${SRC}share/modelFile.ts';
export { defaultConfig } from '${SRC}state/schema.ts';
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
  // One interpreter imports every script (torch loads once) and prints each one's predictions.
  // Each script's command line too ({"sequences": [...]} in a file), its printed JSON read back.
  const driver = `
import contextlib, importlib.util, io, json, sys
jobs = json.load(sys.stdin)
out = []
for i, job in enumerate(jobs):
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
print(json.dumps(out))
`;
  const got = JSON.parse(await run(PYTHON, ['-c', driver], JSON.stringify(jobs.map((j) => ({ path: j.path, sequences: j.sequences })))));
  for (const [i, j] of jobs.entries()) {
    const worst = worstDifference(got[i].flat(), j.expected);
    assert.ok(worst <= TOL, `${j.c.name}: largest difference ${worst.toExponential(3)} > ${TOL}`);
    const spread = Math.max(...j.expected) - Math.min(...j.expected);
    assert.ok(spread > 0.01, `${j.c.name}: outputs vary (spread ${spread})`);
    t.diagnostic(`${j.c.name}: largest relative difference ${worst.toExponential(2)}`);
  }
});
