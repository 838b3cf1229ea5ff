// pytorch-gan-export.test.mjs — a GAN's PyTorch export (web/src/share/ganExport.ts)
// run with Debian's python3-torch against the REAL WASM engine's GanPair
// (web/src/engine/gan.js), for a 2-D GAN (BCE, Adam, uniform noise) and a small
// digits-shaped GAN (least squares, conv D on 1x28x28, SGD and momentum,
// gaussian noise, 2 D steps per iteration). Each is trained a few iterations,
// saved as a GAN file and read back (web/src/share/ganFile.ts, the core judging
// both networks), then exported; on the same noise the script's G samples and
// D outputs equal the engine's, and two iterations of its train mode, fed the
// engine's real batches and noise, give the losses and (through its --out
// GAN file, read by the page's reader) the parameters of the engine's next
// two iterations from the loaded file: all within 1e-5 * max(1, |engine|).
// One python3 process runs every call of the script's main (torch is imported
// once: it takes seconds on a loaded machine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine } from './core-load.mjs';
import { GanPair, fillNoise } from '../../web/src/engine/gan.js';
import { createRng } from '../../web/src/lib/rng.js';
import { PYTHON, SRC, loadModules, run, worstDifference } from './py-export-util.mjs';

const TOL = 1e-5;
const ENTRY = `
export { ganFileText, readGanFile, restoreGanPair, ganSnapshot } from '${SRC}share/ganFile.ts';
export { ganPytorchScript } from '${SRC}share/ganExport.ts';
export { askEngine } from '${SRC}share/coreLayout.ts';
`;

// Runs main() of each script with its argv in one interpreter; prints [{ code, out }] in order.
const DRIVER = `
import contextlib, io, json, runpy, sys
results = []
for call in json.load(sys.stdin):
    script = runpy.run_path(call["script"], run_name="gan_export")  # fresh parameters each call
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = script["main"]([call["script"]] + call["argv"])
    results.append({"code": code, "out": buf.getvalue()})
print(json.dumps(results))
`;

/** A seeded source of real batches: 2-D points on a ring, or digit-shaped images of values in [0, 1). */
function realSource(seed, batch, sampleSize, kind) {
  const rng = createRng(seed);
  return () => {
    const x = new Float32Array(batch * sampleSize);
    for (let i = 0; i < batch; i++) {
      if (kind === 'ring') {
        const a = 2 * Math.PI * rng.next();
        x[2 * i] = 2 * Math.cos(a) + 0.1 * (rng.next() - 0.5);
        x[2 * i + 1] = 2 * Math.sin(a) + 0.1 * (rng.next() - 0.5);
      } else {
        for (let j = 0; j < sampleSize; j++) x[i * sampleSize + j] = rng.next() < 0.8 ? 0 : rng.next();
      }
    }
    return x;
  };
}

/** A float32 .npy file (format 1.0) of rows of `width` values. */
function npy(flat, width) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${flat.length / width}, ${width}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, header.length & 255, header.length >> 8]), Buffer.from(header, 'latin1')]);
  return Buffer.concat([head, Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength)]);
}

const rows = (flat, width) => Array.from({ length: flat.length / width }, (_, i) => Array.from(flat.subarray(i * width, (i + 1) * width)));

const CASES = [
  {
    name: '2-D GAN (2-8-2 G, 2-8-1 D, bce, adam)',
    real: 'ring',
    iterations: 25,
    spec: {
      noiseDim: 2, noise: 'uniform', sampleShape: 2, loss: 'bce', batch: 16, dSteps: 1, gSteps: 1, seed: 11,
      generator: [{ kind: 'dense', units: 8, activation: 'relu' }, { kind: 'dense', units: 2, activation: 'linear' }],
      discriminator: [{ kind: 'dense', units: 8, activation: 'tanh' }, { kind: 'dense', units: 1, activation: 'linear' }],
      optG: { kind: 'adam', lr: 0.01 }, optD: { kind: 'adam', lr: 0.01, beta1: 0.9 },
    },
  },
  {
    name: 'digits-shaped GAN (8-32-784 G, conv D on 1x28x28, least squares, momentum/sgd)',
    real: 'digits',
    iterations: 3,
    spec: {
      noiseDim: 8, noise: 'gaussian', sampleShape: [1, 28, 28], loss: 'least_squares', batch: 4, dSteps: 2, gSteps: 1, seed: 5,
      generator: [{ kind: 'dense', units: 32, activation: 'leaky_relu' }, { kind: 'dense', units: 784, activation: 'sigmoid' }],
      discriminator: [
        { kind: 'conv2d', activation: 'relu', ints: [4, 5, 5, 3, 1] },
        { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
        { kind: 'flatten', activation: 'linear', ints: [] },
        { kind: 'dense', units: 1, activation: 'linear' },
      ],
      optG: { kind: 'momentum', lr: 0.05, beta1: 0.9 }, optD: { kind: 'sgd', lr: 0.05 },
    },
  },
];

test('the PyTorch export of a GAN generates, judges and trains like the engine', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-export-'));
  try {
    const [engine, m] = await Promise.all([loadEngine(), loadModules(dir, ENTRY)]);
    const askCore = m.askEngine(engine);
    const calls = [];
    const checks = [];
    for (const [k, c] of CASES.entries()) {
      const sampleSize = c.real === 'ring' ? 2 : 784;
      const nextReal = realSource(100 + k, c.spec.batch, sampleSize, c.real);
      const pair = new GanPair(engine, c.spec);
      for (let i = 0; i < c.iterations; i++) assert.equal(pair.iterate(nextReal).diverged, false);

      // Save and load: the file holds both networks bit for bit.
      const text = m.ganFileText({ lab: 'gan', config: { case: k }, pair });
      const read = await m.readGanFile(text, 'gan', askCore);
      assert.ok(read.ok, read.error);
      assert.deepEqual(read.model.generator.params, pair.g.params());
      assert.deepEqual(read.model.discriminator.params, pair.d.params());
      assert.equal(read.model.iterations, c.iterations);
      const script = join(dir, `gan${k}.py`);
      writeFileSync(script, m.ganPytorchScript({ ...read.model, description: c.name }));

      // G's samples and D's outputs on fixed noise.
      const n = 24;
      const noise = fillNoise(createRng(900 + k), c.spec.noise, new Float32Array(n * c.spec.noiseDim));
      const samples = pair.generate(noise, n);
      const judged = pair.judge(samples, n);
      writeFileSync(join(dir, `noise${k}.json`), JSON.stringify(rows(noise, c.spec.noiseDim)));
      writeFileSync(join(dir, `samples${k}.json`), JSON.stringify(rows(samples, sampleSize)));

      // The next two iterations, from the loaded file (fresh optimizers, as the script's), recording what it is fed.
      const next = m.restoreGanPair(engine, read.model);
      const usedNoise = [];
      const usedReal = [];
      const drawNoise = next.nextNoise.bind(next);
      next.nextNoise = () => { const z = drawNoise(); usedNoise.push(...z); return z; };
      // Two iterations: Adam's first step does not depend on beta1, its second does.
      const stats = [0, 1].map(() => next.iterate(() => { const x = nextReal(); usedReal.push(...x); return x; }));
      assert.ok(stats.every((st) => !st.diverged));
      assert.equal(next.iterations, c.iterations + 2);
      // The real batches as JSON rows (2-D) or a .npy file (digits).
      const realFile = join(dir, k === 0 ? 'real0.json' : `real${k}.npy`);
      writeFileSync(realFile, k === 0 ? JSON.stringify(rows(Float32Array.from(usedReal), sampleSize)) : npy(Float32Array.from(usedReal), sampleSize));
      writeFileSync(join(dir, `used-noise${k}.json`), JSON.stringify(rows(Float32Array.from(usedNoise), c.spec.noiseDim)));
      const out = join(dir, `trained${k}.json`);
      calls.push(
        { script, argv: ['generate', '--noise', join(dir, `noise${k}.json`)] },
        { script, argv: ['judge', join(dir, `samples${k}.json`)] },
        { script, argv: ['train', '--real', realFile, '--noise', join(dir, `used-noise${k}.json`), '--iterations', '2', '--out', out] },
      );
      checks.push({ c, k, samples, judged, stats, out, g: next.g.params(), d: next.d.params(), before: read.model });
      next.destroy();
      pair.destroy();
    }

    // Last, samples from torch's own noise (their shape and range).
    calls.push({ script: join(dir, 'gan1.py'), argv: ['generate', '--n', '3', '--seed', '4'] });
    const results = JSON.parse(await run(PYTHON, ['-c', DRIVER], JSON.stringify(calls)));
    const drawn = JSON.parse(results[results.length - 1].out);
    assert.equal(drawn.length, 3);
    assert.ok(drawn.every((r) => r.length === 784 && r.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)), 'the digits G makes 3 rows of 784 sigmoid values');
    for (const { c, k, samples, judged, stats, out, g, d, before } of checks) {
      const [gen, jdg, trn] = results.slice(3 * k, 3 * k + 3);
      for (const r of [gen, jdg, trn]) assert.equal(r.code, 0, c.name);
      const s = worstDifference(JSON.parse(gen.out).flat(), Array.from(samples));
      assert.ok(s <= TOL, `${c.name}: G's samples differ by ${s}`);
      const j = worstDifference(JSON.parse(jdg.out).flat(), Array.from(judged));
      assert.ok(j <= TOL, `${c.name}: D's outputs differ by ${j}`);

      const lines = trn.out.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => l.iteration), [c.iterations + 1, c.iterations + 2]);
      lines.forEach((line, i) => {
        const st = stats[i];
        const losses = worstDifference([line.d_loss, line.d_real, line.d_fake, line.g_loss, line.g_fake], [st.d.loss, st.d.real, st.d.fake, st.g.loss, st.g.fake]);
        assert.ok(losses <= TOL, `${c.name}, iteration ${i + 1}: ${JSON.stringify(line)} vs D ${JSON.stringify(st.d)}, G ${JSON.stringify(st.g)}`);
      });
      // The script's GAN file: the page reads it, and it holds the engine's next parameters.
      const trained = await m.readGanFile(readFileSync(out, 'utf8'), 'gan', askCore);
      assert.ok(trained.ok, trained.error);
      assert.equal(trained.model.iterations, c.iterations + 2);
      assert.deepEqual(trained.model.config, { case: k });
      const pg = worstDifference(Array.from(trained.model.generator.params), Array.from(g));
      const pd = worstDifference(Array.from(trained.model.discriminator.params), Array.from(d));
      assert.ok(pg <= TOL && pd <= TOL, `${c.name}: parameters differ by ${pg} (G), ${pd} (D)`);
      // The step changed both networks (the comparison above would not see a no-op train mode on a tiny step).
      assert.notDeepEqual(trained.model.generator.params, before.generator.params);
      assert.notDeepEqual(trained.model.discriminator.params, before.discriminator.params);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
