import { beforeAll, describe, expect, test } from 'vitest';
import { defaultConfig } from '../state/schema';
import type { Config } from '../state/config';
import { MODEL_MAGIC } from './modelFile';
import { modelFileName, parseModelFile as parseWithCore, playgroundLayers, serializeModel, type SavedModel } from '../labs/playground/saved-model';
import { networkSpec } from './network';
import type { AskCore } from './coreLayout';
import { coreCount, testAskCore } from './test-core';

// The parameter count and layout are the core's (the real engine, as the page asks its worker).
let askCore: AskCore;
beforeAll(async () => { askCore = await testAskCore(); });
const parseModelFile = (text: unknown) => parseWithCore(text, askCore);
import { bytesToBase64 } from './base64';
import { createRng } from '../lib/rng.js';

async function model(config: Config = defaultConfig(), task: 'binary' | 'multiclass' | 'regression' = 'binary', nClasses = 2): Promise<SavedModel> {
  const spec = networkSpec(config, task, nClasses);
  const rng = createRng(5);
  const params = new Float32Array(await coreCount(playgroundLayers(spec), spec.loss));
  for (let i = 0; i < params.length; i++) params[i] = (rng.next() - 0.5) * 4;
  // Awkward values that must survive bit for bit.
  params[0] = -0;
  params[1] = 1.401298464324817e-45; // smallest subnormal
  // The largest float, where a tanh layer saturates it (a usable model;
  // where it overflows the output the file is rejected, tested below).
  if (config.activations[0] === 'tanh') params[2] = 3.4028234663852886e38;
  return { ...spec, config, params, epoch: 42 };
}

function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

function doc(m: SavedModel): Record<string, unknown> {
  return JSON.parse(serializeModel(m)) as Record<string, unknown>;
}

async function errorOf(text: string): Promise<string> {
  const r = await parseModelFile(text);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
}

describe('model file', () => {
  test('round trip is bit-identical, for each task', async () => {
    const cases: SavedModel[] = [
      await model(),
      await model({ ...defaultConfig(), dataset: 'spiral3', hidden: [8, 8, 8], activations: ['relu', 'leaky_relu', 'sigmoid'], features: ['sinx2', 'x1'] }, 'multiclass', 3),
      await model({ ...defaultConfig(), dataset: 'sin1d', hidden: [], activations: [] }, 'regression', 0),
    ];
    for (const m of cases) {
      const r = await parseModelFile(serializeModel(m));
      if (!r.ok) throw new Error(r.error);
      expect(bits(r.model.params)).toEqual(bits(m.params));
      expect(Object.is(r.model.params[0], -0)).toBe(true);
      expect(r.model.config).toEqual(m.config);
      expect(r.model.sizes).toEqual(m.sizes);
      expect(r.model.activations).toEqual(m.activations);
      expect(r.model.loss).toBe(m.loss);
      expect(r.model.epoch).toBe(42);
    }
    expect(modelFileName(cases[1]!)).toBe('nn-spiral3-2-8-8-8-3.json');
  });

  test('finite weights that overflow the output are rejected with the point where they do', async () => {
    const relu = await model({ ...defaultConfig(), dataset: 'spiral3', hidden: [8, 8], activations: ['relu', 'relu'] }, 'multiclass', 3);
    relu.params[2] = 3.4028234663852886e38; // relu passes the overflow on: Inf, then Inf - Inf
    const bias = await model({ ...defaultConfig(), dataset: 'sin1d', hidden: [], activations: [] }, 'regression', 0);
    bias.params[2] = 1e30; // a regression output the squared error cannot hold
    const all = await model();
    all.params.fill(3e38);
    for (const m of [relu, bias, all]) expect(await errorOf(serializeModel(m))).toMatch(/overflows \(it is not a finite number at x1 = -?\d+, x2 = -?\d+\)/);
    // The same networks with ordinary weights load.
    relu.params[2] = 1;
    bias.params[2] = 1;
    expect((await parseModelFile(serializeModel(relu))).ok).toBe(true);
    expect((await parseModelFile(serializeModel(bias))).ok).toBe(true);
  });

  // The default network (2-6-3-1) and its parameter count; the test below checks the core agrees.
  const baseCount = 2 * 6 + 6 + 6 * 3 + 3 + 3 + 1;
  test('the base model has the core\'s count of parameters', async () => {
    expect((await model()).params.length).toBe(baseCount);
  });
  const mutations: [string, (d: Record<string, unknown>) => unknown, RegExp][] = [
    ['wrong magic', (d) => { d.magic = 'something-else'; }, /not a model file/],
    ['newer format', (d) => { d.formatVersion = 99; }, /newer version/],
    ['format as text', (d) => { d.formatVersion = '1'; }, /formatVersion/],
    ['missing config key', (d) => { delete (d.config as Record<string, unknown>).learningRate; }, /lacks the setting "learningRate"/],
    ['bad config value', (d) => { (d.config as Record<string, unknown>).batchSize = 1e9; }, /batchSize/],
    ['config type', (d) => { (d.config as Record<string, unknown>).hidden = '4,2'; }, /hidden/],
    // One fault only (the activations fit the sizes): the core counts 2*4096 + 4096 + 2*(4096*4096 + 4096) + 4096 + 1 parameters.
    ['huge sizes', (d) => { d.sizes = [2, 4096, 4096, 4096, 1]; d.activations = ['tanh', 'tanh', 'tanh', 'sigmoid']; }, /too large \(33579009 parameters/],
    ['sizes not numbers', (d) => { d.sizes = ['2', 4, 2, 1]; }, /sizes/],
    ['sizes vs features', (d) => { d.sizes = [3, 4, 2, 1]; }, /3 inputs/],
    ['sizes vs hidden', (d) => { d.sizes = [2, 5, 2, 1]; }, /hidden layers do not match/],
    ['activations vs config', (d) => { d.activations = ['relu', 'tanh', 'sigmoid']; }, /activations do not match/],
    ['softmax with bce', (d) => { d.activations = ['tanh', 'tanh', 'softmax']; }, /sigmoid output/],
    ['unknown activation', (d) => { d.activations = ['tanh', 'tanh', 'gelu']; }, /activations/],
    ['loss', (d) => { d.loss = 'hinge'; }, /loss/],
    ['loss vs data set', (d) => { d.loss = 'mse'; d.activations = ['tanh', 'tanh', 'linear']; }, /circle data set trains a bce/],
    ['truncated params', (d) => { d.params = (d.params as string).slice(0, -8); }, /parameters|damaged/],
    ['params not base64', (d) => { d.params = '@@@@'; }, /damaged/],
    ['one param short', (d) => { d.params = bytesToBase64(new Uint8Array((baseCount - 1) * 4)); }, new RegExp(`holds ${baseCount - 1} parameters; this network needs ${baseCount}\\.`)],
    ['NaN param', (d) => { const b = new Uint8Array(baseCount * 4); new DataView(b.buffer).setFloat32(8, Number.NaN, true); d.params = bytesToBase64(b); }, /Parameter 2 is NaN/],
    ['Infinity param', (d) => { const b = new Uint8Array(baseCount * 4); new DataView(b.buffer).setFloat32(0, -Infinity, true); d.params = bytesToBase64(b); }, /Parameter 0 is -Infinity/],
    ['bad epoch', (d) => { d.epoch = -1; }, /epoch/],
  ];
  for (const [name, mutate, want] of mutations) {
    test(`rejects: ${name}`, async () => {
      const d = doc(await model());
      mutate(d);
      expect(await errorOf(JSON.stringify(d))).toMatch(want);
    });
  }

  test('rejects prototype-pollution keys at any depth, without polluting', async () => {
    const text = serializeModel(await model());
    for (const evil of [
      text.replace('"magic"', '"__proto__": {"polluted": true}, "magic"'),
      text.replace('"noise"', '"constructor": {"prototype": {"polluted": true}}, "noise"'),
    ]) expect(await errorOf(evil)).toMatch(/key "(__proto__|constructor)"/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('rejects non-JSON, truncated and odd inputs, never throws', async () => {
    const text = serializeModel(await model());
    for (const t of ['', 'null', '[]', '42', '"text"', '{', text.slice(0, text.length / 2), '\u0000\u0001', 'x'.repeat(1000)]) {
      expect((await errorOf(t)).length).toBeGreaterThan(10);
    }
    expect((await parseModelFile(undefined)).ok).toBe(false);
    expect((await parseModelFile(JSON.stringify({ magic: MODEL_MAGIC }))).ok).toBe(false);
  });
});
