// GAN files (both networks): round trip through the real engine, and a clear
// sentence, ending "Nothing was changed.", for every kind of bad file.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GanPair, type GanSpec } from '../engine/gan.js';
import type { Engine } from '../engine/nn-wasm.js';
import { floatsToBase64 } from './base64';
import type { AskCore } from './coreLayout';
import { GAN_FORMAT_VERSION, GAN_MAGIC, ganFileName, ganFileText, ganSnapshot, ganSpec, readGanFile, restoreGanPair } from './ganFile';
import { ganPytorchScript, ganScriptFileName } from './ganExport';
import { MODEL_MAGIC, readConfig } from './modelFile';
import { mnistCodec } from '../labs/mnist/config';
import { testAskCore, testEngine } from './test-core';
import { createRng, randomInt } from '../lib/rng.js';

const SPEC_2D: GanSpec = {
  noiseDim: 2, noise: 'uniform', sampleShape: 2, loss: 'bce', batch: 8, dSteps: 1, gSteps: 1, seed: 3,
  generator: [{ kind: 'dense', units: 8, activation: 'relu' }, { kind: 'dense', units: 2, activation: 'linear' }],
  discriminator: [{ kind: 'dense', units: 8, activation: 'leaky_relu' }, { kind: 'dense', units: 1, activation: 'linear' }],
  optG: { kind: 'adam', lr: 0.002 }, optD: { kind: 'momentum', lr: 0.01, beta1: 0.8 },
};
const SPEC_CONV: GanSpec = {
  noiseDim: 4, noise: 'gaussian', sampleShape: [1, 8, 8], loss: 'least_squares', batch: 4, dSteps: 2, gSteps: 1, seed: 9,
  generator: [{ kind: 'dense', units: 64, activation: 'tanh' }],
  discriminator: [
    { kind: 'conv2d', activation: 'relu', ints: [3, 3, 3, 1, 1] },
    { kind: 'flatten', activation: 'linear', ints: [] },
    { kind: 'dense', units: 1, activation: 'linear' },
  ],
  optG: { kind: 'sgd', lr: 0.1 }, optD: { kind: 'adam', lr: 0.001, beta1: 0.5, beta2: 0.99 },
};

let engine: Engine;
let askCore: AskCore;
const pairs: GanPair[] = [];
beforeAll(async () => {
  engine = await testEngine();
  askCore = await testAskCore();
});
afterAll(() => { for (const p of pairs) p.destroy(); });

function trained(spec: GanSpec, iterations = 3): GanPair {
  const pair = new GanPair(engine, spec);
  pairs.push(pair);
  const size = pair.d.inputs;
  let k = 0;
  const real = () => Float32Array.from({ length: spec.batch * size }, () => Math.sin(k++));
  for (let i = 0; i < iterations; i++) pair.iterate(real);
  return pair;
}

const doc = (text: string) => JSON.parse(text) as Record<string, any>;
const read = (text: unknown, lab = 'gan') => readGanFile(text, lab, askCore);
async function refused(text: unknown, pattern: RegExp, lab = 'gan') {
  const r = await read(text, lab);
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error).toMatch(pattern);
    expect(r.error).toMatch(/ Nothing was changed\.$/);
  }
}

describe('GAN files', () => {
  test.each([['2-D', SPEC_2D], ['conv', SPEC_CONV]] as const)('a %s GAN round-trips bit for bit and rebuilds the same pair', async (_, spec) => {
    const pair = trained(spec);
    const text = ganFileText({ lab: 'gan', config: { ring: 'two', n: 3 }, pair });
    expect(doc(text)).toMatchObject({ magic: GAN_MAGIC, formatVersion: GAN_FORMAT_VERSION, lab: 'gan', iterations: 3, gan: { noise: spec.noise, loss: spec.loss, batch: spec.batch } });
    const r = await read(text);
    if (!r.ok) throw new Error(r.error);
    const m = r.model;
    expect(m.config).toEqual({ ring: 'two', n: 3 });
    expect(m.generator.params).toEqual(pair.g.params());
    expect(m.discriminator.params).toEqual(pair.d.params());
    expect(m.generator.blocks).toEqual(pair.g.paramLayout());
    expect(m.discriminator.optimizer).toEqual(ganSnapshot(pair).discriminator.optimizer);
    // The rebuilt pair computes what the saved one does.
    const again = restoreGanPair(engine, m);
    pairs.push(again);
    expect(again.iterations).toBe(3);
    expect(again.g.descriptors()).toEqual(pair.g.descriptors());
    expect(again.d.descriptors()).toEqual(pair.d.descriptors());
    const noise = Float32Array.from({ length: 5 * spec.noiseDim }, (_, i) => Math.cos(i));
    expect(again.generate(noise, 5)).toEqual(pair.generate(noise, 5));
    expect(again.d.optimizerInfo()).toMatchObject({ kind: spec.optD.kind, step: 0 });
    expect(ganSpec(m).sampleShape).toEqual(spec.sampleShape === 2 ? [2, 1, 1] : spec.sampleShape);
    expect(ganSpec(m, { batch: 2, dSteps: 5 })).toMatchObject({ batch: 2, dSteps: 5, gSteps: spec.gSteps });
    // Saving the rebuilt pair gives the same file.
    expect(ganFileText({ lab: 'gan', config: { ring: 'two', n: 3 }, pair: again })).toBe(text);
    const script = ganPytorchScript(m);
    expect(script).toContain('generator = torch.nn.Sequential(');
    expect(script).toContain(spec.noise === 'gaussian' ? 'torch.nn.Conv2d(1, 3, 3, stride=1, padding=1)' : 'torch.nn.LeakyReLU(0.01)');
  });

  test('names', () => {
    const snap = ganSnapshot(trained(SPEC_2D, 0));
    expect(ganFileName('gan', snap)).toBe('nn-gan-2-8-2-vs-2-8-1.json');
    expect(ganScriptFileName('gan-digits')).toBe('nn-gan-digits.py');
  });

  test('the lab checks its config through readConfig', async () => {
    const text = ganFileText({ lab: 'gan', config: { ring: 'two' }, pair: trained(SPEC_2D, 1) });
    const r = await readGanFile(text, 'gan', askCore, (raw) => ((raw as { ring?: unknown }).ring === 'two' ? { ok: true, config: 'parsed' } : { ok: false, error: 'bad' }));
    expect(r.ok && r.model.config).toBe('parsed');
    const no = await readGanFile(text, 'gan', askCore, () => ({ ok: false, error: 'The file\'s config is invalid: ring "two" is not a shape.' }));
    expect(no).toEqual({ ok: false, error: 'The file\'s config is invalid: ring "two" is not a shape. Nothing was changed.' });
    // A lab's link codec through modelFile's readConfig (MNIST's codec standing in for a GAN lab's).
    const withCodec = ganFileText({ lab: 'gan', config: mnistCodec.defaults(), pair: trained(SPEC_2D, 1) });
    const viaCodec = await readGanFile(withCodec, 'gan', askCore, (raw) => readConfig(mnistCodec, raw));
    expect(viaCodec.ok && viaCodec.model.config).toEqual(mnistCodec.defaults());
    const broken = withCodec.replace(/"batchSize": \d+/, '"batchSize": -3');
    expect(broken).not.toBe(withCodec);
    const r2 = await readGanFile(broken, 'gan', askCore, (raw) => readConfig(mnistCodec, raw));
    expect(r2.ok ? '' : r2.error).toMatch(/^The file's config is invalid: .*batchSize.* Nothing was changed\.$/);
  });
});

describe('bad GAN files are refused with a sentence', () => {
  let text = '';
  let gCount = 0;
  beforeAll(() => {
    const pair = trained(SPEC_2D, 2);
    gCount = pair.g.paramCount;
    text = ganFileText({ lab: 'gan', config: {}, pair });
  });
  const edit = (f: (d: Record<string, any>) => void) => {
    const d = doc(text);
    f(d);
    return JSON.stringify(d);
  };

  test('not text, not JSON, truncated, not an object, hostile keys', async () => {
    await refused(42, /could not be read as text/);
    await refused('{"magic": "nn-playground-gan", ', /not valid JSON \(it may be truncated\)/);
    await refused(text.slice(0, text.length / 2), /truncated/);
    await refused('[1, 2]', /holds no JSON object/);
    await refused(text.replace('"config": {}', '"config": {"__proto__": {"x": 1}}'), /"__proto__"/);
  });

  test('wrong magic, a one-network model file, a newer version, another lab', async () => {
    await refused(edit((d) => { d.magic = 'something'; }), /not a GAN file from this page/);
    await refused(edit((d) => { d.magic = MODEL_MAGIC; d.lab = 'mnist'; }), /model file of one network \(from the mnist lab\)/);
    await refused(edit((d) => { d.formatVersion = 2; }), /newer version of this page \(GAN format 2; this page reads format 1\)/);
    await refused(edit((d) => { d.formatVersion = 'one'; }), /no valid formatVersion/);
    await refused(text, /saved from the gan lab; open it there \(this is the gan-digits lab\)/, 'gan-digits');
    await refused(edit((d) => { delete d.config; }), /no "config" object/);
  });

  test('settings out of range', async () => {
    await refused(edit((d) => { d.gan.noise = 'pink'; }), /"noise" must be one of: uniform, gaussian/);
    await refused(edit((d) => { d.gan.loss = 'wasserstein'; }), /GAN "loss" must be one of: bce, least_squares/);
    await refused(edit((d) => { d.gan.batch = 0; }), /"batch" must be a whole number/);
    await refused(edit((d) => { d.gan.dSteps = 1.5; }), /"dSteps" and "gSteps"/);
    await refused(edit((d) => { d.iterations = -1; }), /"iterations" must be a whole number/);
    await refused(edit((d) => { d.generator.optimizer.lr = 'fast'; }), /generator's learning rate/);
    await refused(edit((d) => { d.discriminator.optimizer.kind = 'rmsprop'; }), /discriminator's optimizer must be one of/);
    await refused(edit((d) => { delete d.discriminator; }), /no "discriminator" object/);
  });

  test('networks that do not make a GAN', async () => {
    await refused(edit((d) => { d.gan.noiseDim = 3; }), /generator reads 2 values but the noise has 3/);
    await refused(edit((d) => { d.discriminator.layers[0].inputs = 3; }), /samples of 2 values but the discriminator reads 3/);
    await refused(edit((d) => { d.discriminator.layers[1].activation = 'sigmoid'; }), /one dense unit with a linear activation/);
    await refused(edit((d) => { d.generator.layers[1].kind = 'attention'; }), /The generator: Layer 2 has the kind "attention"/);
    // Layers that do not chain: the core's verdict.
    await refused(edit((d) => { d.generator.layers[1].inputs = 7; }), /The generator: Layer 2 takes 7 inputs but layer 1 gives 8/);
  });

  test('parameters: short by one, a partial float, damaged base64, NaN, wrong blocks, overflow', async () => {
    const params = (d: Record<string, any>, f: (p: Float32Array) => Float32Array) => {
      const r = doc(text).generator.params as string;
      const bytes = Uint8Array.from(atob(r), (ch) => ch.charCodeAt(0));
      d.generator.params = floatsToBase64(f(new Float32Array(bytes.buffer)));
    };
    await refused(edit((d) => params(d, (p) => p.slice(0, -1))), new RegExp(`generator has ${gCount - 1} parameters in the file; its layers need ${gCount}`));
    await refused(edit((d) => { d.generator.params = `${d.generator.params.slice(0, -4)}AAA=`; }), /partial one|damaged/);
    await refused(edit((d) => { d.generator.params = d.generator.params.slice(0, -1); }), /generator's parameters are damaged: .*truncated/);
    await refused(edit((d) => params(d, (p) => { p[5] = NaN; return p; })), /generator's parameter 5 is NaN; a GAN file holds finite numbers only/);
    await refused(edit((d) => { d.discriminator.blocks[1].offset = 17; }), /discriminator's parameter blocks in the file are not the engine's layout/);
    await refused(edit((d) => { d.discriminator.blocks = 'none'; }), /discriminator's "blocks" must list/);
    await refused(edit((d) => params(d, (p) => p.fill(3e38))), /generator's weights are so large that its output overflows/);
  });
});

const FUZZ_VALUES: unknown[] = [null, true, 0, -1, 1.5, 1e308, -0, '', 'x', 'gan', 'dense', 'linear', 'bce', 'adam', [], [1, 2], {}, { kind: 'dense' },
  2, 8, 4097, 32768, 'AAAA', Number.MAX_SAFE_INTEGER];

// Damaged GAN files: reading never throws, a refusal is a sentence, and whatever loads builds a pair.
test('400 damaged GAN files: no throw; what loads rebuilds', { timeout: 60_000 }, async () => {
  const rng = createRng(77);
  const texts = [SPEC_2D, SPEC_CONV].map((spec) => ganFileText({ lab: 'gan', config: { k: 1 }, pair: trained(spec, 1) }));
  const failures: string[] = [];
  let loaded = 0;
  for (let i = 0; i < 400; i++) {
    const base = texts[randomInt(rng, texts.length)]!;
    let text = base;
    if (rng.next() < 0.1) text = base.slice(0, randomInt(rng, base.length));
    else {
      const d = JSON.parse(base) as Record<string, any>;
      for (let e = 1 + randomInt(rng, 3); e > 0; e--) {
        const nets = [d.generator, d.discriminator].filter((n) => typeof n === 'object' && n !== null);
        const targets = [d, d.gan, ...nets, ...nets.flatMap((n) => (Array.isArray(n.layers) ? n.layers : [])), ...nets.flatMap((n) => (Array.isArray(n.blocks) ? n.blocks : []))]
          .filter((t) => typeof t === 'object' && t !== null) as Record<string, unknown>[];
        const t = targets[randomInt(rng, targets.length)]!;
        const keys = Object.keys(t);
        const k = keys.length > 0 && rng.next() < 0.8 ? keys[randomInt(rng, keys.length)]! : 'extra';
        if (rng.next() < 0.2) delete t[k];
        else t[k] = FUZZ_VALUES[randomInt(rng, FUZZ_VALUES.length)];
      }
      text = JSON.stringify(d);
    }
    let r: Awaited<ReturnType<typeof readGanFile>>;
    try {
      r = await read(text);
    } catch (err) {
      failures.push(`threw ${String(err)}`);
      continue;
    }
    if (!r.ok) {
      if (!/^\S.{10,} Nothing was changed\.$/s.test(r.error)) failures.push(`not a sentence: ${r.error}`);
      continue;
    }
    loaded++;
    try {
      restoreGanPair(engine, r.model).destroy();
    } catch (err) {
      failures.push(`loaded but does not build: ${String(err)}`);
    }
  }
  expect(failures).toEqual([]);
  expect(loaded).toBeGreaterThan(10);
});
