// The digits GAN's link: its defaults, a round trip of every setting, hostile
// values (defaults kept, each refusal named), the embed protocol's checks,
// and the plain-JS parts the worker uses (the GanPair spec, pixel scaling).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseLink, writeLink } from '../../state/link';
import { ganDigitsCodec, ganDigitsProtocol, GAN_DIGITS_FIELDS, GAN_DIGITS_PANELS, type GanDigitsConfig } from './config';
import { GAN_FIELDS } from '../gan/config';
import { digitsGanSpec, inkToInput, RealBatches, toInk } from './digits.js';
import { needsRebuild } from './store';
import { generatorLayers, modelFile } from './model-file';

const digits = (query: string) => {
  const p = parseLink(query);
  if (p.lab !== 'digits') throw new Error(`not a digits link: ${query}`);
  return p as typeof p & { config: GanDigitsConfig };
};

describe('digits links', () => {
  test('the defaults are the tuned MLP GAN, and a link without settings opens them', () => {
    const d = ganDigitsCodec.defaults();
    expect(d).toEqual({ noise: 'gaussian', noiseDim: 64, gHidden: [256], gActivations: ['leaky_relu'], dHidden: [256], dActivations: ['leaky_relu'],
      loss: 'bce', gOptimizer: 'adam', gLearningRate: 0.001, dOptimizer: 'adam', dLearningRate: 0.001, beta1: 0.5, batch: 32, dSteps: 1, gSteps: 1, seed: 1 });
    const p = digits('?lab=digits');
    expect(p.notices).toEqual([]);
    expect(p.config).toEqual(d);
  });

  test('every setting round trips through a link, version first', () => {
    const config: GanDigitsConfig = { noise: 'uniform', noiseDim: 100, gHidden: [128, 512], gActivations: ['tanh', 'relu'], dHidden: [], dActivations: [],
      loss: 'least_squares', gOptimizer: 'sgd', gLearningRate: 0.0002, dOptimizer: 'momentum', dLearningRate: 0.05, beta1: 0.9, batch: 200, dSteps: 2, gSteps: 3, seed: 77 };
    const link = writeLink('digits', config);
    expect(link.startsWith('lab=digits&v=1&noise=uniform&zdim=100&ghidden=128,512&gact=tanh,relu&dhidden=none&dact=none&loss=least_squares&gopt=sgd&glr=0.0002&dopt=momentum&dlr=0.05&')).toBe(true);
    const p = digits(`?${link}`);
    expect(p.notices).toEqual([]);
    expect(p.config).toEqual(config);
    // Every field is written.
    for (const f of GAN_DIGITS_FIELDS) expect(link).toContain(`&${f.url}=`);
  });

  test('hostile values keep their defaults and are each named; the rest of the link still applies', () => {
    const p = digits('?lab=digits&zdim=0&ghidden=256,256,256,256&dhidden=2000&gact=softmax&dact=sigmoid&loss=wgan&glr=NaN&dlr=1e309&batch=257&dsteps=-1&seed=x&gopt=adam&dopt=rmsprop&v=99&gsteps=2');
    const d = ganDigitsCodec.defaults();
    expect(p.config).toEqual({ ...d, gSteps: 2 });
    const keys = p.notices.map((n) => n.key).sort();
    expect(keys).toEqual(['batch', 'dact', 'dhidden', 'dlr', 'dopt', 'dsteps', 'gact', 'ghidden', 'glr', 'loss', 'seed', 'v', 'zdim'].sort());
    for (const n of p.notices) expect(n.reason.length).toBeGreaterThan(5);
  });

  test('the embed API reads settings by their full names and refuses bad ones', () => {
    const base = ganDigitsCodec.defaults();
    const r = ganDigitsProtocol.fromObject({ gLearningRate: 0.0005, gHidden: [64, 64], dActivations: ['tanh'], loss: 'least_squares', batch: 0, nonsense: 1, lrG: 0.1 }, base);
    // New widths without activations keep the first one on every layer.
    expect(r.config).toEqual({ ...base, gLearningRate: 0.0005, gHidden: [64, 64], gActivations: ['leaky_relu', 'leaky_relu'], dActivations: ['tanh'], loss: 'least_squares' });
    expect(r.rejected.map((x) => x.key)).toEqual(['batch']);
    // The old digits names are not read (the 2-D GAN lab's names are the only ones).
    expect(r.ignored).toEqual(['nonsense', 'lrG']);
    const wrong = ganDigitsProtocol.fromObject({ dHidden: [8, 8], dActivations: ['relu', 'tanh', 'relu'] }, base);
    expect(wrong.config.dActivations).toEqual(['leaky_relu', 'leaky_relu']);
    expect(wrong.rejected.map((x) => x.key)).toEqual(['dActivations']);
    expect(ganDigitsCodec.validate({ ...base, dSteps: 0, gSteps: 0 }).length).toBeGreaterThan(0);
    expect(ganDigitsCodec.validate({ ...base, gHidden: [8, 8] })).toEqual(['gActivations has 1 entries for 2 hidden layers']);
  });

  test("the same keys as the 2-D GAN lab's for the settings both labs have", () => {
    const gan = new Set(GAN_FIELDS.map((f) => `${f.key}=${f.url}`));
    const shared = GAN_DIGITS_FIELDS.filter((f) => GAN_FIELDS.some((g) => g.key === f.key));
    expect(shared.map((f) => f.key)).toEqual(['noise', 'noiseDim', 'gHidden', 'gActivations', 'dHidden', 'dActivations', 'loss', 'gOptimizer',
      'gLearningRate', 'dOptimizer', 'dLearningRate', 'batch', 'dSteps', 'gSteps', 'seed']);
    for (const f of shared) expect(gan.has(`${f.key}=${f.url}`), f.key).toBe(true);
    // One name fills every hidden layer, a list sets each.
    const p = digits('?lab=digits&ghidden=64,32,16&gact=relu&dhidden=128,64&dact=tanh,relu');
    expect(p.notices).toEqual([]);
    expect(p.config.gActivations).toEqual(['relu', 'relu', 'relu']);
    expect(p.config.dActivations).toEqual(['tanh', 'relu']);
    const bad = digits('?lab=digits&dhidden=128,64&dact=tanh,relu,relu');
    expect(bad.config.dActivations).toEqual(['leaky_relu', 'leaky_relu']);
    expect(bad.notices.map((n) => n.key)).toEqual(['dact']);
  });

  test('optimizer, rate, loss, batch and steps keep the networks; shapes, noise and seed build new ones', () => {
    const a = ganDigitsCodec.defaults();
    expect(needsRebuild(a, { ...a, gLearningRate: 0.01, dOptimizer: 'sgd', loss: 'least_squares', batch: 64, dSteps: 2 })).toBe(false);
    for (const patch of [{ gHidden: [128] }, { dHidden: [256, 64] }, { noiseDim: 10 }, { noise: 'uniform' as const }, { seed: 2 },
      { gActivations: ['relu' as const] }, { dActivations: ['tanh' as const] }]) {
      expect(needsRebuild(a, { ...a, ...patch }), JSON.stringify(patch)).toBe(true);
    }
  });
});

describe('the worker side', () => {
  test('the GanPair spec: G ends in 784 tanh pixels, D in one linear unit', () => {
    const c: GanDigitsConfig = { ...ganDigitsCodec.defaults(), gHidden: [32, 48], gActivations: ['relu', 'tanh'], dHidden: [16], dActivations: ['leaky_relu'],
      gOptimizer: 'momentum', gLearningRate: 0.02, dLearningRate: 0.003 };
    const s = digitsGanSpec(c);
    expect(s.generator).toEqual([{ units: 32, activation: 'relu' }, { units: 48, activation: 'tanh' }, { units: 784, activation: 'tanh' }]);
    expect(s.discriminator).toEqual([{ units: 16, activation: 'leaky_relu' }, { units: 1, activation: 'linear' }]);
    expect(s.optG).toEqual({ kind: 'momentum', lr: 0.02, beta1: 0.5 });
    expect(s.optD).toEqual({ kind: 'adam', lr: 0.003, beta1: 0.5 });
    expect(s.sampleShape).toBe(784);
    expect(generatorLayers(c).map((l) => (l.kind === 'dense' ? [l.inputs, l.units, l.activation] : null)))
      .toEqual([[64, 32, 'relu'], [32, 48, 'tanh'], [48, 784, 'tanh']]);
    expect(modelFile.checkNetwork({ ...c, gActivations: ['relu', 'relu'] }, generatorLayers(c), 'mse')).toMatch(/do not match/);
    expect(modelFile.checkNetwork(c, generatorLayers(c), 'mse')).toBeNull();
    expect(modelFile.checkNetwork(c, generatorLayers({ ...c, gHidden: [32] }), 'mse')).toMatch(/do not match/);
  });

  test('real batches: seeded MNIST rows scaled to [-1, 1]; ink and D input scaling invert each other', () => {
    const n = 5;
    const pixels = new Uint8Array(n * 784).map((_, i) => Math.floor(i / 784) * 60); // row r is all 60 r
    const a = new RealBatches(() => pixels, n, 4, 3), b = new RealBatches(() => pixels, n, 4, 3);
    const x = a.next().slice();
    expect(Array.from(b.next())).toEqual(Array.from(x));
    for (let r = 0; r < 4; r++) {
      const v = x[r * 784]!;
      expect([0, 60, 120, 180, 240].map((p) => p / 127.5 - 1).some((w) => Math.abs(w - v) < 1e-6)).toBe(true);
      expect(x.subarray(r * 784, (r + 1) * 784).every((w) => w === v)).toBe(true);
    }
    const ink = toInk(Float32Array.from([-1, -0.5, 0, 1, 3]));
    expect(Array.from(ink)).toEqual([0, 0.25, 0.5, 1, 1]);
    expect(Array.from(inkToInput(Float32Array.from([0, 0.25, 1])))).toEqual([-1, -0.5, 1]);
  });
});

test("README's digits key table lists exactly the schema's keys with their docs, and hide= its panels", () => {
  const doc = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
  const table = doc.slice(doc.indexOf('| Digits key | Setting |'), doc.indexOf('D and G steps cannot both be 0'));
  const keys = [...table.matchAll(/^\| `([a-z0-9]+)` \|/gm)].map((m) => m[1]);
  expect(keys).toEqual(GAN_DIGITS_FIELDS.map((f) => f.url));
  for (const f of GAN_DIGITS_FIELDS) expect(table).toContain(`| \`${f.url}\` | ${f.doc} |`);
  expect(doc).toContain(`GAN digits: ${GAN_DIGITS_PANELS.join(', ')}`);
});
