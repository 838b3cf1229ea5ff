// core-gan.test.mjs — the core's GAN calls (ABI 7) in the real .wasm, through the wrapper
// (Model.ganStepD / ganStepG / ganSampleGrad) and engine/gan.js's GanPair:
// - against PyTorch: tests/reference/gan_fixtures.bin (make_gan_fixtures.py; the native twin is
//   tests/native/test_gan_reference.c), relative 1e-5 per block as tests/native/test_reference.c;
// - bad input throws NnError with the core's sentence and changes nothing;
// - a 2-D ring GAN trained by GanPair converges (mean radius, every direction covered).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from './core-load.mjs';
import { NnError } from '../../web/src/engine/nn-wasm.js';
import { Status } from '../../web/src/engine/enums.js';
import { GanPair } from '../../web/src/engine/gan.js';
import { createRng } from '../../web/src/lib/rng.js';
import { blockError, paramsError, REL_TOL } from '../reference/fixtures.mjs';
import { readGanFixtures, GAN_FIXTURE_PATH } from '../reference/gan_fixtures.mjs';

const engine = await loadEngine();
const sameBits = (a, b) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

test('GAN iterations match PyTorch (gan_fixtures.bin): stats, both networks, per-sample gradients', () => {
  const cases = readGanFixtures();
  assert.equal(cases.length, 6, 'the full GAN fixture set');
  let worst = 0, where = '', checks = 0;
  const failures = [];
  const record = (err, name, what) => {
    checks++;
    if (err > worst) { worst = err; where = `${name}: ${what}`; }
    if (!(err <= REL_TOL)) failures.push(`${name}: ${what} error ${err.toExponential(3)}`);
  };
  for (const c of cases) {
    const make = (net, params, maxBatch, opt) => {
      const m = engine.createModel({ input: net.inShape, layers: net.layers, loss: 'mse', seed: 1, maxBatch });
      assert.deepEqual(m.paramLayout().map((b) => b.length), net.blocks, `${c.name}: parameter blocks against PyTorch's`);
      m.loadParams(params);
      if (opt) m.setOptimizer(opt.kind, opt);
      return m;
    };
    const d0 = make(c.d, c.d0, c.batch);
    try {
      record(blockError(d0.ganSampleGrad(c.real[0], c.batch, c.loss), c.sampleGrad), c.name, 'sample gradients');
      assert.ok(sameBits(d0.params(), c.d0), `${c.name}: ganSampleGrad changed D`);
    } finally {
      d0.destroy();
    }
    for (const t of c.trajectories) {
      const g = make(c.g, c.g0, c.batch, t.optG), d = make(c.d, c.d0, 2 * c.batch, t.optD);
      try {
        t.iterations.forEach((want, it) => {
          const what = `D opt ${t.optD.kind} / G opt ${t.optG.kind}, iteration ${it + 1}`;
          const sd = d.ganStepD(g, c.real[it], c.noiseD[it], c.batch, c.loss);
          assert.equal(sd.status, Status.OK, `${c.name} ${what}: D step status`);
          record(blockError([sd.loss], want.dStats, 0, 1, 0), c.name, `${what}: D loss`);
          record(blockError([sd.real, sd.fake], want.dStats.subarray(1)), c.name, `${what}: D mean scores`);
          record(paramsError(d.params(), want.dParams, c.d.blocks), c.name, `${what}: D's parameters`);
          const dBefore = d.params();
          const sg = g.ganStepG(d, c.noiseG[it], c.batch, c.loss);
          assert.equal(sg.status, Status.OK, `${c.name} ${what}: G step status`);
          record(blockError([sg.loss], want.gStats, 0, 1, 0), c.name, `${what}: G loss`);
          record(blockError([sg.fake], want.gStats.subarray(2), 0, 1, 0), c.name, `${what}: G mean score`);
          record(paramsError(g.params(), want.gParams, c.g.blocks), c.name, `${what}: G's parameters`);
          assert.ok(sameBits(d.params(), dBefore), `${c.name} ${what}: the G step changed D`);
        });
      } finally {
        g.destroy();
        d.destroy();
      }
    }
  }
  console.log(`gan reference (wasm): ${cases.length} cases, ${checks} checks, largest relative error ` +
    `${worst.toExponential(3)} (${where}), tolerance ${REL_TOL}`);
  assert.deepEqual(failures, [], 'checks beyond the tolerance');
});

// As reference.test.mjs does for fixtures.bin: the committed file is what the committed script writes.
test('gan_fixtures.bin is what make_gan_fixtures.py writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nn-gan-fixtures-'));
  try {
    const out = join(dir, 'gan_fixtures.bin');
    const script = fileURLToPath(new URL('../reference/make_gan_fixtures.py', import.meta.url));
    const r = spawnSync('/usr/bin/python3', [script, out], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `make_gan_fixtures.py failed (needs Debian's python3-torch): ${r.error ?? ''}${r.stderr}`);
    const fresh = readFileSync(out), committed = readFileSync(GAN_FIXTURE_PATH);
    if (fresh.equals(committed)) return;
    assert.equal(fresh.length, committed.length, 'regenerated GAN fixtures differ in size: re-run make_gan_fixtures.py and commit');
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
    assert.ok(worst <= 1e-7, `regenerated GAN fixtures differ by up to ${worst} relative: re-run make_gan_fixtures.py and commit`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const dense = (units, activation) => ({ kind: 'dense', units, activation });

/** G 2-4-2 and D 2-4-1 (or the given D layers), Adam, batch up to 4 (D 8). */
function smallPair(dLayers = [dense(4, 'relu'), dense(1, 'linear')]) {
  const g = engine.createModel({ input: 2, layers: [dense(4, 'tanh'), dense(2, 'linear')], loss: 'mse', seed: 3, maxBatch: 4 });
  const d = engine.createModel({ input: 2, layers: dLayers, loss: 'mse', seed: 4, maxBatch: 8 });
  g.setOptimizer('adam', { lr: 0.01, beta1: 0.5 });
  d.setOptimizer('adam', { lr: 0.01, beta1: 0.5 });
  return { g, d };
}

/** fn throws NnError with `status` and the core's sentence for it. */
function throwsStatus(fn, status, what) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof NnError, `${what}: an NnError, got ${err}`);
    assert.equal(err.status, status, `${what}: status ${err.status} (${err.message})`);
    assert.equal(err.message, engine.statusString(status), `${what}: the core's sentence`);
    return true;
  }, what);
}

test('bad GAN input throws NnError with the core sentence and changes neither network', () => {
  const real = Float32Array.from([1, 0, 0, 1, -1, 0, 0, -1]), noise = Float32Array.from([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8]);
  const { g, d } = smallPair();
  const wrongD = smallPair([dense(4, 'relu'), dense(2, 'linear')]);
  const sigmoidD = smallPair([dense(4, 'relu'), dense(1, 'sigmoid')]);
  try {
    d.ganStepD(g, real, noise, 4, 'bce'); // optimizer state exists, so "unchanged" covers it
    const g0 = g.params(), d0 = d.params();
    const nanReal = real.slice(); nanReal[3] = NaN;
    const infNoise = noise.slice(); infNoise[0] = Infinity;
    throwsStatus(() => d.ganStepD(g, real, noise, 5, 'bce'), Status.ERR_BATCH, 'D step: 2*batch > D max_batch');
    throwsStatus(() => d.ganStepD(g, real, noise, 0, 'bce'), Status.ERR_BATCH, 'D step: batch 0');
    throwsStatus(() => d.ganStepD(g, nanReal, noise, 4, 'bce'), Status.ERR_NONFINITE, 'D step: NaN real');
    throwsStatus(() => d.ganStepD(g, real, infNoise, 4, 'least_squares'), Status.ERR_NONFINITE, 'D step: Inf noise');
    throwsStatus(() => d.ganStepD(g, real, noise, 4, 7), Status.ERR_LOSS, 'D step: unknown loss');
    throwsStatus(() => d.ganStepD(d, real, real, 4, 'bce'), Status.ERR_GAN_PAIR, 'D step: G is D');
    throwsStatus(() => g.ganStepG(d, noise, 9, 'bce'), Status.ERR_BATCH, 'G step: batch > G max_batch');
    throwsStatus(() => g.ganStepG(d, infNoise, 4, 'bce'), Status.ERR_NONFINITE, 'G step: Inf noise');
    throwsStatus(() => g.ganStepG(wrongD.d, noise, 4, 'bce'), Status.ERR_GAN_PAIR, 'G step: D with 2 outputs');
    throwsStatus(() => g.ganStepG(sigmoidD.d, noise, 4, 'bce'), Status.ERR_GAN_PAIR, 'G step: D with a sigmoid output');
    throwsStatus(() => wrongD.d.ganSampleGrad(real, 4, 'bce'), Status.ERR_GAN_PAIR, 'sample grad: D with 2 outputs');
    throwsStatus(() => d.ganSampleGrad(real, 9, 'bce'), Status.ERR_BATCH, 'sample grad: n > max_batch');
    throwsStatus(() => d.ganSampleGrad(nanReal, 4, 'bce'), Status.ERR_NONFINITE, 'sample grad: NaN input');
    assert.ok(sameBits(g.params(), g0) && sameBits(d.params(), d0), 'refused calls changed a network');
    // Both networks still train afterwards, from where they were.
    const s = d.ganStepD(g, real, noise, 4, 'bce');
    assert.equal(s.status, Status.OK);
    assert.ok(!sameBits(d.params(), d0), 'a good D step after the refused ones updates D');
  } finally {
    for (const m of [g, d, wrongD.g, wrongD.d, sigmoidD.g, sigmoidD.d]) m.destroy();
  }
});

test('a GAN whose loss overflows reports ERR_DIVERGED as a status and leaves the network as it was', () => {
  const { g, d } = smallPair();
  try {
    // D outputs ~1e30: the least-squares loss overflows float and double alike
    const p = d.params();
    const big = p.map(() => 1e15);
    d.loadParams(big);
    const before = d.params(), gBefore = g.params();
    const real = Float32Array.from([1e10, 1e10, 1e10, 1e10]);
    const sd = d.ganStepD(g, real, Float32Array.from([0.5, 0.5, 0.5, 0.5]), 2, 'least_squares');
    assert.equal(sd.status, Status.ERR_DIVERGED);
    assert.ok(sameBits(d.params(), before), 'a diverged D step updated D');
    // G's samples are small, D's score ~1e30 is finite, its square (the loss, in double) too,
    // but the gradient back to D's input overflows float: divergence, not the caller's bad input
    const sg = g.ganStepG(d, Float32Array.from([0.5, 0.5, 0.5, 0.5]), 2, 'least_squares');
    assert.equal(sg.status, Status.ERR_DIVERGED, `G step status ${sg.status}, loss ${sg.loss}`);
    assert.ok(sameBits(g.params(), gBefore) && sameBits(d.params(), before), 'a diverged G step changed a network');
  } finally {
    g.destroy();
    d.destroy();
  }
});

/** A ring GAN (unit circle) trained by GanPair; its samples of fixed noise: mean radius, per-octant counts. */
function trainRing(loss, seed, iterations) {
  const batch = 64;
  const pair = new GanPair(engine, {
    noiseDim: 2, noise: 'uniform', sampleShape: 2,
    generator: [dense(16, 'relu'), dense(16, 'relu'), dense(2, 'linear')],
    discriminator: [dense(16, 'relu'), dense(16, 'relu'), dense(1, 'linear')],
    loss, optG: { kind: 'adam', lr: 0.005 }, optD: { kind: 'adam', lr: 0.005 },
    batch, dSteps: 1, gSteps: 1, seed,
  });
  try {
    const rng = createRng(seed + 99), real = new Float32Array(2 * batch);
    const nextReal = () => {
      for (let i = 0; i < batch; i++) {
        const a = 2 * Math.PI * rng.next();
        real[2 * i] = Math.cos(a);
        real[2 * i + 1] = Math.sin(a);
      }
      return real;
    };
    const measure = () => {
      const n = 500, noiseRng = createRng(7), noise = new Float32Array(2 * n);
      for (let i = 0; i < noise.length; i++) noise[i] = 2 * noiseRng.next() - 1;
      const out = pair.generate(noise, n);
      const octants = new Array(8).fill(0);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = out[2 * i] ?? NaN, y = out[2 * i + 1] ?? NaN;
        sum += Math.hypot(x, y);
        octants[Math.floor((Math.atan2(y, x) + Math.PI) / (Math.PI / 4)) % 8]++;
      }
      return { radius: sum / n, octants, n };
    };
    const before = measure();
    for (let i = 0; i < iterations; i++) {
      const r = pair.iterate(nextReal);
      assert.ok(!r.diverged, `${loss}: diverged at iteration ${i}`);
    }
    return { before, after: measure() };
  } finally {
    pair.destroy();
  }
}

test('GanPair learns a ring in 2000 iterations (BCE and least squares): mean radius within 0.15 of 1, all directions', () => {
  for (const [loss, seed] of /** @type {const} */ ([['bce', 1], ['least_squares', 2]])) {
    const { before, after } = trainRing(loss, seed, 2000);
    assert.ok(Math.abs(before.radius - 1) > 0.3, `${loss}: the untrained G is already on the ring (radius ${before.radius})`);
    assert.ok(Math.abs(after.radius - 1) <= 0.15, `${loss}: mean radius ${after.radius.toFixed(3)} after 2000 iterations`);
    // no mode collapse: every eighth of the circle holds at least 4% of the samples
    assert.ok(after.octants.every((k) => k >= 0.04 * after.n), `${loss}: samples per octant ${after.octants}`);
    console.log(`ring ${loss}: mean radius ${before.radius.toFixed(3)} -> ${after.radius.toFixed(3)}, octants ${after.octants}`);
  }
});
