// reference.test.mjs — the real WASM module (build/node/nn.cjs, through web/src/engine/nn-wasm.js)
// against the PyTorch fixtures: forward outputs, loss and gradients at the initial parameters,
// and 3 steps of every optimizer x regulariser pair. Tolerance and its reasons: see
// tests/native/test_reference.c (relative 1e-5 per block, floor at 0.1 of the block's scale).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../../web/src/engine/nn-wasm.js';
import { readFixtures, blockError, paramsError, REL_TOL } from '../reference/fixtures.mjs';

const require = createRequire(import.meta.url);
const buildDir = fileURLToPath(new URL('../../build/node/', import.meta.url));

test('WASM core matches the PyTorch reference fixtures', async () => {
  const engine = await createEngine(require(`${buildDir}nn.cjs`), { wasmBinary: readFileSync(`${buildDir}nn.wasm`) });
  const cases = readFixtures();
  assert.ok(cases.length >= 50, `expected the full fixture set, got ${cases.length} cases`);
  let worst = 0, where = '', checks = 0;
  const failures = [];
  const record = (err, name, what) => {
    checks++;
    if (err > worst) { worst = err; where = `${name}: ${what}`; }
    if (!(err <= REL_TOL)) failures.push(`${name}: ${what} error ${err.toExponential(3)}`);
  };
  for (const c of cases) {
    const spec = { sizes: c.sizes, activations: c.activations, loss: c.loss, seed: 1, maxBatch: c.batch };
    const m = engine.createModel(spec);
    try {
      assert.equal(m.paramCount, c.params0.length, `${c.name}: parameter count`);
      m.loadParams(c.params0);
      record(blockError(m.forward(c.xs[0], c.batch), c.out0), c.name, 'forward');
      m.setRegularization('none', 0);
      const loss = m.computeGradients(c.xs[0], c.ys[0], c.batch);
      record(blockError([loss], c.loss0, 0, 1, 0), c.name, 'loss');
      record(paramsError(m.grads(), c.grad0, c.sizes), c.name, 'gradients');
    } finally {
      m.destroy();
    }
    for (const t of c.trajectories) {
      const what = `optimizer ${t.optimizer} regularization ${t.regularization}`;
      // A fresh model per trajectory: optimizer state starts empty, like a new torch optimizer.
      const mt = engine.createModel(spec);
      try {
        mt.loadParams(c.params0);
        mt.setOptimizer(t.optimizer, { lr: t.lr, beta1: t.beta1, beta2: t.beta2, eps: t.eps });
        mt.setRegularization(t.regularization, t.rate);
        const losses = c.xs.map((x, s) => mt.trainStep(x, c.ys[s], c.batch));
        record(blockError(losses, t.losses, 0, t.losses.length, 0), c.name, `${what}: step losses`);
        record(paramsError(mt.params(), t.params, c.sizes), c.name, `${what}: parameters after ${c.nSteps} steps`);
      } finally {
        mt.destroy();
      }
    }
  }
  console.log(`reference (wasm): ${cases.length} cases, ${checks} checks, largest relative error ` +
    `${worst.toExponential(3)} (${where}), tolerance ${REL_TOL}`);
  assert.deepEqual(failures, [], 'checks beyond the tolerance');
});
