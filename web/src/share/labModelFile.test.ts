// Model files, format 2: any lab, a layer list, the layout from the core
// (the real engine, asked as the page asks its worker).
import { beforeAll, describe, expect, test } from 'vitest';
import { defaultConfig } from '../state/schema';
import { mnistCodec } from '../labs/mnist/config';
import { fileLayers, mlpLayers, MODEL_PRESETS } from '../labs/mnist/model-layers';
import { createRng } from '../lib/rng.js';
import { bytesToBase64 } from './base64';
import { denseLayers, outputShape, type LayerSpec } from './layers';
import { networkSpec } from './network';
import {
  labModelFileName, layerJson, MODEL_MAGIC, parseModelEnvelope, readLabModelFile, serializeLabModel, type LabModel,
} from './modelFile';
import { labModelOf, parseModelFile, playgroundLayers, serializeModel } from '../labs/playground/saved-model';
import { coreVerdict, type AskCore } from './coreLayout';
import { coreBlocks, coreCount, testAskCore, testEngine, withBlocks } from './test-core';

let askCore: AskCore;
beforeAll(async () => { askCore = await testAskCore(); });

function randomParams(n: number, seed: number, scale = 0.2): Float32Array {
  const rng = createRng(seed);
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = (rng.next() - 0.5) * scale;
  p[0] = -0;
  p[1] = 1.401298464324817e-45;
  return p;
}

async function mnistModel(hidden = [32, 16]): Promise<LabModel> {
  const activations = hidden.map(() => 'relu' as const);
  const config = { ...mnistCodec.defaults(), layers: mlpLayers(hidden, activations), optimizer: 'sgd' as const };
  const layers = denseLayers([784, ...hidden, 10], [...activations, 'softmax']);
  return withBlocks({ lab: 'mnist', config, layers, loss: 'ce', epoch: 2.5, params: randomParams(await coreCount(layers, 'ce'), 3) });
}

/** The small fast CNN with its shapes as the core gives them (input, then each layer's output). */
const CNN_SHAPES = [[1, 28, 28], [8, 24, 24], [8, 12, 12], [16, 8, 8], [16, 4, 4], [256, 1, 1], [10, 1, 1]];
async function cnnModel(): Promise<LabModel> {
  const config = { ...mnistCodec.defaults(), layers: MODEL_PRESETS['cnn-fast'].layers.map((l) => ({ ...l })), batchSize: 32 };
  const layers = fileLayers(config.layers, CNN_SHAPES);
  return withBlocks({ lab: 'mnist', config, layers, loss: 'ce', epoch: 1, params: randomParams(await coreCount(layers, 'ce'), 5) });
}

async function playgroundModel(): Promise<LabModel> {
  const config = defaultConfig();
  const spec = networkSpec(config, 'binary', 2);
  const blocks = await coreBlocks(playgroundLayers(spec), spec.loss);
  return labModelOf({ ...spec, config, params: randomParams(blocks.reduce((n, b) => n + b.length, 0), 4, 4), epoch: 12 }, blocks);
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const errorOf = async (text: string, lab?: 'playground' | 'mnist'): Promise<string> => {
  const r = await readLabModelFile(text, lab, askCore);
  return r.ok ? '(loaded)' : r.error;
};

describe('the core\'s parameter layout (what files and exports use)', () => {
  test('per layer the weight [units x inputs] then the bias, offsets running on', async () => {
    const blocks = await coreBlocks(denseLayers([784, 32, 10], ['relu', 'softmax']), 'ce');
    expect(blocks).toEqual([
      { layer: 0, block: 0, shape: [32, 784], offset: 0, length: 25088 },
      { layer: 0, block: 1, shape: [32], offset: 25088, length: 32 },
      { layer: 1, block: 0, shape: [10, 32], offset: 25120, length: 320 },
      { layer: 1, block: 1, shape: [10], offset: 25440, length: 10 },
    ]);
    expect(await coreCount(denseLayers([784, 32, 10], ['relu', 'softmax']), 'ce')).toBe(784 * 32 + 32 + 32 * 10 + 10);
    expect(await coreCount(denseLayers([2, 6, 3, 1], ['tanh', 'tanh', 'sigmoid']), 'bce')).toBe(2 * 6 + 6 + 6 * 3 + 3 + 3 + 1);
  });
});

describe('conv layers', () => {
  test('the core\'s layout: conv weight [filters, c, k, k] then bias; pool and flatten have none', async () => {
    const cnn = await cnnModel();
    expect(cnn.blocks.map((b) => [b.layer, b.block, b.shape.join('x'), b.offset])).toEqual([
      [0, 0, '8x1x5x5', 0], [0, 1, '8', 200], [2, 0, '16x8x5x5', 208], [2, 1, '16', 3408],
      [5, 0, '10x256', 3424], [5, 1, '10', 5984],
    ]);
    expect(cnn.blocks.reduce((n, b) => n + b.length, 0)).toBe(5994);
    expect(cnn.layers.map((l) => outputShape(l))).toEqual(CNN_SHAPES.slice(1));
  });

  test('the overflow probe (the core\'s logits) runs conv (stride, padding), max-pool and flatten as torch does', async () => {
    // 1x3x3 input, one 2x2 filter, stride 1, padding 1 -> 1x4x4; max-pool 2 -> 1x2x2; flatten; dense 1.
    const layers: LayerSpec[] = [
      { kind: 'conv2d', input: [1, 3, 3], filters: 1, kernel: 2, stride: 1, padding: 1, activation: 'linear' },
      { kind: 'maxpool', input: [1, 4, 4], kernel: 2, stride: 2, activation: 'linear' },
      { kind: 'flatten', input: [1, 2, 2], activation: 'linear' },
      { kind: 'dense', inputs: 4, units: 1, activation: 'linear' },
    ];
    // conv weight [[1, 2], [3, 4]], bias 0.5; dense weights 1, 10, 100, 1000, bias 0
    const params = Float32Array.of(1, 2, 3, 4, 0.5, 1, 10, 100, 1000, 0);
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    // conv output rows (padded input, 2x2 windows): by hand
    const conv = [
      [4 * 1 + 0.5, 3 * 1 + 4 * 2 + 0.5, 3 * 2 + 4 * 3 + 0.5, 3 * 3 + 0.5],
      [2 * 1 + 4 * 4 + 0.5, 1 + 2 * 2 + 3 * 4 + 4 * 5 + 0.5, 2 + 2 * 3 + 3 * 5 + 4 * 6 + 0.5, 3 + 3 * 6 + 0.5],
      [2 * 4 + 4 * 7 + 0.5, 4 + 2 * 5 + 3 * 7 + 4 * 8 + 0.5, 5 + 2 * 6 + 3 * 8 + 4 * 9 + 0.5, 6 + 3 * 9 + 0.5],
      [2 * 7 + 0.5, 7 + 2 * 8 + 0.5, 8 + 2 * 9 + 0.5, 9 + 0.5],
    ];
    const pool = [Math.max(conv[0]![0]!, conv[0]![1]!, conv[1]![0]!, conv[1]![1]!), Math.max(conv[0]![2]!, conv[0]![3]!, conv[1]![2]!, conv[1]![3]!),
      Math.max(conv[2]![0]!, conv[2]![1]!, conv[3]![0]!, conv[3]![1]!), Math.max(conv[2]![2]!, conv[2]![3]!, conv[3]![2]!, conv[3]![3]!)];
    const v = coreVerdict(await testEngine(), { layers, loss: 'mse', maxParams: 100, params, probes: [Float32Array.from(x)] });
    if (!v.ok) throw new Error(v.error);
    expect(v.logits).toEqual([[pool[0]! + 10 * pool[1]! + 100 * pool[2]! + 1000 * pool[3]!]]);
  });
});

describe('model files, format 2', () => {
  test('MNIST and playground models round trip bit for bit', async () => {
    for (const m of [await mnistModel(), await mnistModel([]), await cnnModel(), await playgroundModel()]) {
      const text = serializeLabModel(m);
      const doc = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(doc)).toEqual(['magic', 'formatVersion', 'lab', 'config', 'layers', 'loss', 'epoch', 'params']);
      expect(doc.formatVersion).toBe(2);
      const r = await readLabModelFile(text, m.lab, askCore);
      if (!r.ok) throw new Error(r.error);
      expect(r.model.lab).toBe(m.lab);
      expect(r.model.blocks).toEqual(m.blocks);
      expect(r.model.config).toEqual(m.config);
      expect(r.model.layers).toEqual(m.layers);
      expect(r.model.epoch).toBe(m.epoch);
      expect(bits(r.model.params)).toEqual(bits(m.params));
      expect(Object.is(r.model.params[0], -0)).toBe(true);
    }
    expect(labModelFileName(await mnistModel())).toBe('nn-mnist-784-32-16-10.json');
    expect(labModelFileName(await cnnModel())).toBe('nn-mnist-cnn-6-layers.json');
    expect(labModelFileName(await playgroundModel())).toBe('nn-circle-2-6-3-1.json');
  });

  test('the playground reads format 2 and format 1 alike; a format-1 file is the playground\'s', async () => {
    const m = await playgroundModel();
    const v2 = await parseModelFile(serializeLabModel(m), askCore);
    if (!v2.ok) throw new Error(v2.error);
    expect(v2.model.sizes).toEqual([2, 6, 3, 1]);
    expect(v2.model.activations).toEqual(['tanh', 'tanh', 'sigmoid']);
    const spec = networkSpec(defaultConfig(), 'binary', 2);
    const v1 = await readLabModelFile(serializeModel({ ...spec, config: defaultConfig(), params: m.params, epoch: 12 }), undefined, askCore);
    if (!v1.ok) throw new Error(v1.error);
    expect(v1.model.lab).toBe('playground');
    expect(v1.model.layers).toEqual(m.layers);
    expect(bits(v1.model.params)).toEqual(bits(m.params));
  });

  test('a file of another lab says where it belongs', async () => {
    expect(await errorOf(serializeLabModel(await mnistModel()), 'playground')).toMatch(/saved from the mnist lab; open it there/);
    const r = await parseModelFile(serializeLabModel(await mnistModel()), askCore);
    expect(r.ok).toBe(false);
  });

  // The models the mutations start from (the core's answers are awaited once).
  const baseLayers = denseLayers([784, 32, 16, 10], ['relu', 'relu', 'softmax']);
  const count = 784 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10;
  const mutations: [string, (d: Record<string, unknown>) => void, RegExp][] = [
    ['unknown lab', (d) => { d.lab = 'nope'; }, /lab this page does not have/],
    ['no lab', (d) => { delete d.lab; }, /lab this page does not have/],
    ['config of the other lab', (d) => { d.config = defaultConfig(); }, /lacks the setting/],
    ['config beyond MNIST limits', (d) => { (d.config as Record<string, unknown>).batchSize = 513; }, /batchSize/],
    ['no layers', (d) => { d.layers = []; }, /"layers" must list 1 to 16/],
    ['too many layers', (d) => { d.layers = Array(17).fill({ kind: 'dense', inputs: 4, units: 4, activation: 'relu' }); }, /1 to 16/],
    ['unknown kind', (d) => { (d.layers as Record<string, unknown>[])[0]!.kind = 'gru'; }, /kind "gru"; this page knows: dense, conv2d, maxpool, flatten, rnn, lstm/],
    ['layer sizes as text', (d) => { (d.layers as Record<string, unknown>[])[1]!.units = '16'; }, /whole numbers/],
    ['chain broken', (d) => { (d.layers as Record<string, unknown>[])[1]!.inputs = 31; }, /Layer 2 takes 31 inputs but layer 1 gives 32/],
    ['wrong input size', (d) => { (d.layers as Record<string, unknown>[])[0]!.inputs = 783; }, /reads 783 values; an MNIST network reads 784/],
    ['hidden vs config', (d) => { (d.config as Record<string, unknown>).layers = 'dense:32:relu,dense:17:relu,dense:10:softmax'; }, /layers do not match the config/],
    ['activation vs config', (d) => { (d.layers as Record<string, unknown>[])[0]!.activation = 'tanh'; }, /layers do not match the config/],
    ['nine classes', (d) => { (d.layers as Record<string, unknown>[])[2]!.units = 9; }, /10 softmax outputs/],
    ['bce loss', (d) => { d.loss = 'bce'; }, /10 softmax outputs|sigmoid/],
    ['softmax hidden', (d) => { (d.layers as Record<string, unknown>[])[0]!.activation = 'softmax'; }, /layers do not match the config|softmax/],
    ['huge network', (d) => { d.layers = [{ kind: 'dense', inputs: 784, units: 4096, activation: 'relu' }, { kind: 'dense', inputs: 4096, units: 4096, activation: 'relu' }, { kind: 'dense', inputs: 4096, units: 10, activation: 'softmax' }]; }, /too large/],
    ['one param short', (d) => { d.params = bytesToBase64(new Uint8Array((count - 1) * 4)); }, new RegExp(`holds ${count - 1} parameters; this network needs ${count}\\.`)],
    ['NaN param', (d) => { const b = new Uint8Array(count * 4); new DataView(b.buffer).setFloat32(40, Number.NaN, true); d.params = bytesToBase64(b); }, /Parameter 10 is NaN/],
    ['negative epoch', (d) => { d.epoch = -1; }, /epoch/],
    ['prototype key in a layer', (d) => { (d.layers as unknown[])[0] = JSON.parse('{"__proto__": {"x": 1}, "kind": "dense"}'); }, /key "__proto__"/],
  ];
  for (const [name, mutate, want] of mutations) {
    test(`rejects: ${name}`, async () => {
      const base = await mnistModel();
      expect(base.layers).toEqual(baseLayers);
      expect(base.params.length).toBe(count);
      const d = JSON.parse(serializeLabModel(base)) as Record<string, unknown>;
      mutate(d);
      expect(await errorOf(JSON.stringify(d))).toMatch(want);
    });
  }

  const cnnCount = 5994;
  const cnnMutations: [string, (d: Record<string, unknown>) => void, RegExp][] = [
    ['kernel larger than its input', (d) => { (d.layers as Record<string, unknown>[])[2]!.kernel = 13; }, /Layer 3 does not fit its 8x12x12 input/],
    ['shapes that do not chain', (d) => { (d.layers as Record<string, unknown>[])[1]!.input = [8, 24, 23]; }, /Layer 2 takes 8x24x23 inputs but layer 1 gives 8x24x24/],
    ['max-pool with an activation', (d) => { (d.layers as Record<string, unknown>[])[1]!.activation = 'relu'; }, /must have the activation "linear"/],
    ['conv input not an image', (d) => { (d.layers as Record<string, unknown>[])[0]!.input = [1, 784, 1]; }, /Layer 1 does not fit its 1x784x1 input/],
    ['input shape as text', (d) => { (d.layers as Record<string, unknown>[])[0]!.input = '1x28x28'; }, /"input" must be \[channels, height, width\]/],
    ['conv filters vs config', (d) => { (d.config as Record<string, unknown>).layers = 'conv:4:5,pool:2,conv:16:5,pool:2,flatten,dense:10:softmax'; }, /layers do not match the config/],
    ['one param short', (d) => { d.params = bytesToBase64(new Uint8Array((cnnCount - 1) * 4)); }, new RegExp(`this network needs ${cnnCount}\\.`)],
  ];
  for (const [name, mutate, want] of cnnMutations) {
    test(`rejects a CNN file: ${name}`, async () => {
      const cnn = await cnnModel();
      expect(cnn.params.length).toBe(cnnCount);
      const d = JSON.parse(serializeLabModel(cnn)) as Record<string, unknown>;
      mutate(d);
      expect(await errorOf(JSON.stringify(d))).toMatch(want);
    });
  }

  test('an MNIST file saved before layer lists (config hidden/activations) opens the same MLP', async () => {
    const m = await mnistModel([24]);
    const d = JSON.parse(serializeLabModel(m)) as Record<string, unknown>;
    const { layers: _layers, ...rest } = d.config as Record<string, unknown>;
    d.config = { ...rest, hidden: [24], activations: ['relu'] };
    const r = await readLabModelFile(JSON.stringify(d), 'mnist', askCore);
    if (!r.ok) throw new Error(r.error);
    expect(r.model.config).toEqual(m.config);
    expect(bits(r.model.params)).toEqual(bits(m.params));
  });

  test('weights that overflow the output are refused, naming the input', async () => {
    const m = await mnistModel([]);
    (m.params as Float32Array).fill(3e38);
    expect(await errorOf(serializeLabModel(m))).toMatch(/not a finite number for an all-ink image/);
  });

  test('the writer refuses an inconsistent model (a caller bug)', async () => {
    const base = await mnistModel();
    expect(() => serializeLabModel({ ...base, params: new Float32Array(3) })).toThrow(/params/);
    expect(() => serializeLabModel({ ...base, config: { ...mnistCodec.defaults(), batchSize: 0 } } as LabModel)).toThrow(/batchSize/);
  });
});

describe('recurrent layers in model files', () => {
  const layers: LayerSpec[] = [
    { kind: 'lstm', input: [6, 5, 1], hidden: 8, returnSequences: true, activation: 'linear' },
    { kind: 'dense', inputs: 8, units: 5, activation: 'softmax', steps: 6 },
  ];
  const file = (ls: unknown[]) => JSON.stringify({ magic: MODEL_MAGIC, formatVersion: 2, lab: 'playground', config: defaultConfig(), layers: ls, loss: 'ce', epoch: 0, params: '' });

  test('the envelope reads RNN/LSTM and per-step dense layers as they were written', () => {
    const r = parseModelEnvelope(file(layers.map(layerJson)));
    if (!r.ok) throw new Error(r.error);
    expect(r.file.model.layers).toEqual(layers);
    expect(layerJson(layers[0]!)).toEqual({ kind: 'lstm', input: [6, 5, 1], hidden: 8, returnSequences: true, activation: 'linear' });
    expect(layerJson(layers[1]!)).toEqual({ kind: 'dense', inputs: 8, units: 5, activation: 'softmax', steps: 6 });
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['no hidden size', { kind: 'rnn', input: [6, 5, 1], returnSequences: false, activation: 'linear' }, /Layer 1 \(rnn\) needs "hidden"/],
    ['returnSequences as a number', { kind: 'lstm', input: [6, 5, 1], hidden: 4, returnSequences: 1, activation: 'linear' }, /"returnSequences", true or false/],
    ['steps of a per-step layer as text', { kind: 'dense', inputs: 5, units: 2, activation: 'linear', steps: '6' }, /"steps" \(a per-step dense layer's\)/],
    ['no input shape', { kind: 'rnn', hidden: 4, returnSequences: false, activation: 'linear' }, /"input" must be \[channels, height, width\]/],
  ];
  for (const [name, layer, want] of bad) {
    test(`refuses: ${name}`, async () => {
      expect(await errorOf(file([layer, layerJson(layers[1]!)]))).toMatch(want);
    });
  }

  test('a lab whose networks are not recurrent refuses the file after the core planned it', async () => {
    expect(await errorOf(file(layers.map(layerJson)), 'playground')).toMatch(/dense layers only/);
  });
});
