// The digits GAN's link: its defaults, a round trip of every setting, hostile
// values (defaults kept, each refusal named), the embed protocol's checks,
// and the plain-JS parts the worker uses (the GanPair spec, pixel scaling).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseLink, writeLink } from '../../state/link';
import { ganDigitsCodec, ganDigitsProtocol, GAN_DIGITS_FIELDS, GAN_DIGITS_PANELS, type GanDigitsConfig } from './config';
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
    expect(d).toMatchObject({ noise: 'gaussian', noiseDim: 64, gHidden: [256], dHidden: [256], activation: 'leaky_relu', loss: 'bce',
      optG: 'adam', lrG: 0.001, optD: 'adam', lrD: 0.001, beta1: 0.5, batch: 32, dSteps: 1, gSteps: 1, seed: 1 });
    const p = digits('?lab=digits');
    expect(p.notices).toEqual([]);
    expect(p.config).toEqual(d);
  });

  test('every setting round trips through a link, version first', () => {
    const config: GanDigitsConfig = { noise: 'uniform', noiseDim: 100, gHidden: [128, 512], dHidden: [], activation: 'tanh', loss: 'least_squares',
      optG: 'sgd', lrG: 0.0002, optD: 'momentum', lrD: 0.05, beta1: 0.9, batch: 200, dSteps: 2, gSteps: 3, seed: 77 };
    const link = writeLink('digits', config);
    expect(link.startsWith('lab=digits&v=1&noise=uniform&z=100&g=128,512&d=none&')).toBe(true);
    const p = digits(`?${link}`);
    expect(p.notices).toEqual([]);
    expect(p.config).toEqual(config);
    // Every field is written.
    for (const f of GAN_DIGITS_FIELDS) expect(link).toContain(`&${f.url}=`);
  });

  test('hostile values keep their defaults and are each named; the rest of the link still applies', () => {
    const p = digits('?lab=digits&z=0&g=256,256,256,256&d=2000&act=softmax&loss=wgan&lrg=NaN&lrd=1e309&batch=257&dsteps=-1&seed=x&optg=adam&v=99&gsteps=2');
    const d = ganDigitsCodec.defaults();
    expect(p.config).toEqual({ ...d, gSteps: 2 });
    const keys = p.notices.map((n) => n.key).sort();
    expect(keys).toEqual(['act', 'batch', 'd', 'dsteps', 'g', 'loss', 'lrd', 'lrg', 'seed', 'v', 'z'].sort());
    for (const n of p.notices) expect(n.reason.length).toBeGreaterThan(5);
  });

  test('the embed API reads settings by their full names and refuses bad ones', () => {
    const base = ganDigitsCodec.defaults();
    const r = ganDigitsProtocol.fromObject({ lrG: 0.0005, gHidden: [64, 64], loss: 'least_squares', batch: 0, nonsense: 1 }, base);
    expect(r.config).toEqual({ ...base, lrG: 0.0005, gHidden: [64, 64], loss: 'least_squares' });
    expect(r.rejected.map((x) => x.key)).toEqual(['batch']);
    expect(r.ignored).toEqual(['nonsense']);
    expect(ganDigitsCodec.validate({ ...base, dSteps: 0, gSteps: 0 }).length).toBeGreaterThan(0);
  });

  test('optimizer, rate, loss, batch and steps keep the networks; shapes, noise and seed build new ones', () => {
    const a = ganDigitsCodec.defaults();
    expect(needsRebuild(a, { ...a, lrG: 0.01, optD: 'sgd', loss: 'least_squares', batch: 64, dSteps: 2 })).toBe(false);
    for (const patch of [{ gHidden: [128] }, { dHidden: [256, 64] }, { noiseDim: 10 }, { noise: 'uniform' as const }, { seed: 2 }, { activation: 'relu' as const }]) {
      expect(needsRebuild(a, { ...a, ...patch }), JSON.stringify(patch)).toBe(true);
    }
  });
});

describe('the worker side', () => {
  test('the GanPair spec: G ends in 784 tanh pixels, D in one linear unit', () => {
    const c = { ...ganDigitsCodec.defaults(), gHidden: [32, 48], dHidden: [16], lrD: 0.003 };
    const s = digitsGanSpec(c);
    expect(s.generator).toEqual([{ units: 32, activation: 'leaky_relu' }, { units: 48, activation: 'leaky_relu' }, { units: 784, activation: 'tanh' }]);
    expect(s.discriminator).toEqual([{ units: 16, activation: 'leaky_relu' }, { units: 1, activation: 'linear' }]);
    expect(s.optD).toEqual({ kind: 'adam', lr: 0.003, beta1: 0.5 });
    expect(s.sampleShape).toBe(784);
    expect(generatorLayers(c).map((l) => (l.kind === 'dense' ? [l.inputs, l.units, l.activation] : null)))
      .toEqual([[64, 32, 'leaky_relu'], [32, 48, 'leaky_relu'], [48, 784, 'tanh']]);
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
