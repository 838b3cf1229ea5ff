// reference.test.mjs — the real WASM module (build/node/nn.cjs, through web/src/engine/nn-wasm.js)
// against the PyTorch fixtures (dense, conv2d, max-pool, flatten, RNN, LSTM and per-step dense stacks): forward
// outputs, loss and gradients at the initial parameters, and 3 steps of every optimizer x regulariser pair
// (recurrent cases: every optimizer plain, with gradient clipping, and clipped with L2). Tolerance and its reasons: see
// tests/native/test_reference.c (relative 1e-5 per block, floor at 0.1 of the block's scale).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from './core-load.mjs';
import { readFixtures, blockError, paramsError, layerSpecs, REL_TOL, FIXTURE_PATH } from '../reference/fixtures.mjs';

test('WASM core matches the PyTorch reference fixtures', async () => {
  const engine = await loadEngine();
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
    const spec = { input: c.inShape, layers: layerSpecs(c), loss: c.loss, seed: 1, maxBatch: c.batch };
    const m = engine.createModel(spec);
    try {
      assert.equal(m.paramCount, c.params0.length, `${c.name}: parameter count`);
      assert.deepEqual(m.paramLayout().map((b) => b.length), c.blocks, `${c.name}: parameter blocks against PyTorch's`);
      assert.equal(m.outputs, c.nOut, `${c.name}: outputs`);
      m.loadParams(c.params0);
      record(blockError(m.forward(c.xs[0], c.batch), c.out0), c.name, 'forward');
      m.setRegularization('none', 0);
      const loss = m.computeGradients(c.xs[0], c.ys[0], c.batch);
      record(blockError([loss], c.loss0, 0, 1, 0), c.name, 'loss');
      record(paramsError(m.grads(), c.grad0, c.blocks), c.name, 'gradients');
    } finally {
      m.destroy();
    }
    for (const t of c.trajectories) {
      const what = `optimizer ${t.optimizer} regularization ${t.regularization} clip ${t.clipNorm}`;
      // A fresh model per trajectory: optimizer state starts empty, like a new torch optimizer.
      const mt = engine.createModel(spec);
      try {
        mt.loadParams(c.params0);
        mt.setOptimizer(t.optimizer, { lr: t.lr, beta1: t.beta1, beta2: t.beta2, eps: t.eps });
        mt.setRegularization(t.regularization, t.rate);
        mt.setClipNorm(t.clipNorm);
        const losses = c.xs.map((x, s) => mt.trainStep(x, c.ys[s], c.batch));
        record(blockError(losses, t.losses, 0, t.losses.length, 0), c.name, `${what}: step losses`);
        record(paramsError(mt.params(), t.params, c.blocks), c.name, `${what}: parameters after ${c.nSteps} steps`);
      } finally {
        mt.destroy();
      }
    }
  }
  console.log(`reference (wasm): ${cases.length} cases, ${checks} checks, largest relative error ` +
    `${worst.toExponential(3)} (${where}), tolerance ${REL_TOL}`);
  assert.deepEqual(failures, [], 'checks beyond the tolerance');
});

// The committed fixtures must be what the committed script writes. Byte-identical is expected on
// this machine kind; another CPU's float64 kernels may round a rare value differently, so the
// comparison allows 1e-7 relative per value but nothing else (same cases, shapes and sizes).
test('fixtures.bin is what make_fixtures.py writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-fixtures-'));
  try {
    const out = join(dir, 'fixtures.bin');
    const script = fileURLToPath(new URL('../reference/make_fixtures.py', import.meta.url));
    const r = spawnSync('/usr/bin/python3', [script, out], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `make_fixtures.py failed (needs Debian's python3-torch): ${r.error ?? ''}${r.stderr}`);
    const fresh = readFileSync(out), committed = readFileSync(FIXTURE_PATH);
    if (fresh.equals(committed)) return;
    assert.equal(fresh.length, committed.length, 'regenerated fixtures differ in size: re-run make_fixtures.py and commit');
    const a = new Float32Array(fresh.buffer, fresh.byteOffset, fresh.length / 4);
    const b = new Float32Array(committed.buffer, committed.byteOffset, committed.length / 4);
    const ia = new Int32Array(fresh.buffer, fresh.byteOffset, fresh.length / 4);
    const ib = new Int32Array(committed.buffer, committed.byteOffset, committed.length / 4);
    let worst = 0;
    for (let i = 0; i < a.length; i++) {
      if (ia[i] === ib[i]) continue;
      const rel = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1e-30);
      worst = Number.isNaN(rel) ? Infinity : Math.max(worst, rel);
    }
    assert.ok(worst <= 1e-7, `regenerated fixtures differ by up to ${worst} relative: re-run make_fixtures.py and commit`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
