// Model files, format 2: any lab, a layer list, one layout function.
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../state/schema';
import { mnistCodec } from '../labs/mnist/config';
import { fileLayers, mlpLayers, MODEL_PRESETS } from '../labs/mnist/model-layers';
import { createRng } from '../lib/rng.js';
import { bytesToBase64 } from './base64';
import { denseLayers, outputLogits, outputShape, paramLayout, type LayerSpec } from './layers';
import { networkSpec, paramCount } from './network';
import {
  labModelFileName, parseLabModelFile, serializeLabModel, type LabModel,
} from './modelFile';
import { labModelOf, parseModelFile, serializeModel } from '../labs/playground/saved-model';

function randomParams(n: number, seed: number, scale = 0.2): Float32Array {
  const rng = createRng(seed);
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = (rng.next() - 0.5) * scale;
  p[0] = -0;
  p[1] = 1.401298464324817e-45;
  return p;
}

function mnistModel(hidden = [32, 16]): LabModel {
  const activations = hidden.map(() => 'relu' as const);
  const config = { ...mnistCodec.defaults(), layers: mlpLayers(hidden, activations), optimizer: 'sgd' as const };
  const layers = denseLayers([784, ...hidden, 10], [...activations, 'softmax']);
  return { lab: 'mnist', config, layers, loss: 'ce', epoch: 2.5, params: randomParams(paramLayout(layers).count, 3) };
}

/** The small fast CNN with its shapes as the core gives them (input, then each layer's output). */
const CNN_SHAPES = [[1, 28, 28], [8, 24, 24], [8, 12, 12], [16, 8, 8], [16, 4, 4], [256, 1, 1], [10, 1, 1]];
function cnnModel(): LabModel {
  const config = { ...mnistCodec.defaults(), layers: MODEL_PRESETS['cnn-fast'].layers.map((l) => ({ ...l })), batchSize: 32 };
  const layers = fileLayers(config.layers, CNN_SHAPES);
  return { lab: 'mnist', config, layers, loss: 'ce', epoch: 1, params: randomParams(paramLayout(layers).count, 5) };
}

function playgroundModel(): LabModel {
  const config = defaultConfig();
  const spec = networkSpec(config, 'binary', 2);
  return labModelOf({ ...spec, config, params: randomParams(paramCount(spec.sizes), 4, 4), epoch: 12 });
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const errorOf = (text: string, lab?: 'playground' | 'mnist'): string => {
  const r = parseLabModelFile(text, lab);
  return r.ok ? '(loaded)' : r.error;
};

describe('paramLayout', () => {
  test('per layer the weight [units x inputs] then the bias, offsets running on', () => {
    const { blocks, count } = paramLayout(denseLayers([784, 32, 10], ['relu', 'softmax']));
    expect(blocks).toEqual([
      { layer: 0, name: 'weight', shape: [32, 784], offset: 0, size: 25088 },
      { layer: 0, name: 'bias', shape: [32], offset: 25088, size: 32 },
      { layer: 1, name: 'weight', shape: [10, 32], offset: 25120, size: 320 },
      { layer: 1, name: 'bias', shape: [10], offset: 25440, size: 10 },
    ]);
    expect(count).toBe(784 * 32 + 32 + 32 * 10 + 10);
    expect(paramCount([2, 6, 3, 1])).toBe(2 * 6 + 6 + 6 * 3 + 3 + 3 + 1);
  });
});

describe('conv layers', () => {
  test('paramLayout: conv weight [filters, c, k, k] then bias; pool and flatten have none', () => {
    const { blocks, count } = paramLayout(cnnModel().layers);
    expect(blocks.map((b) => [b.layer, b.name, b.shape.join('x'), b.offset])).toEqual([
      [0, 'weight', '8x1x5x5', 0], [0, 'bias', '8', 200], [2, 'weight', '16x8x5x5', 208], [2, 'bias', '16', 3408],
      [5, 'weight', '10x256', 3424], [5, 'bias', '10', 5984],
    ]);
    expect(count).toBe(5994);
    expect(cnnModel().layers.map((l) => outputShape(l))).toEqual(CNN_SHAPES.slice(1));
  });

  test('outputLogits runs conv (stride, padding), max-pool and flatten as torch does', () => {
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
    expect(outputLogits(layers, params, x)).toEqual([pool[0]! + 10 * pool[1]! + 100 * pool[2]! + 1000 * pool[3]!]);
  });
});

describe('model files, format 2', () => {
  test('MNIST and playground models round trip bit for bit', () => {
    for (const m of [mnistModel(), mnistModel([]), cnnModel(), playgroundModel()]) {
      const text = serializeLabModel(m);
      const doc = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(doc)).toEqual(['magic', 'formatVersion', 'lab', 'config', 'layers', 'loss', 'epoch', 'params']);
      expect(doc.formatVersion).toBe(2);
      const r = parseLabModelFile(text, m.lab);
      if (!r.ok) throw new Error(r.error);
      expect(r.model.lab).toBe(m.lab);
      expect(r.model.config).toEqual(m.config);
      expect(r.model.layers).toEqual(m.layers);
      expect(r.model.epoch).toBe(m.epoch);
      expect(bits(r.model.params)).toEqual(bits(m.params));
      expect(Object.is(r.model.params[0], -0)).toBe(true);
    }
    expect(labModelFileName(mnistModel())).toBe('nn-mnist-784-32-16-10.json');
    expect(labModelFileName(cnnModel())).toBe('nn-mnist-cnn-6-layers.json');
    expect(labModelFileName(playgroundModel())).toBe('nn-circle-2-6-3-1.json');
  });

  test('the playground reads format 2 and format 1 alike; a format-1 file is the playground\'s', () => {
    const m = playgroundModel();
    const v2 = parseModelFile(serializeLabModel(m));
    if (!v2.ok) throw new Error(v2.error);
    expect(v2.model.sizes).toEqual([2, 6, 3, 1]);
    expect(v2.model.activations).toEqual(['tanh', 'tanh', 'sigmoid']);
    const spec = networkSpec(defaultConfig(), 'binary', 2);
    const v1 = parseLabModelFile(serializeModel({ ...spec, config: defaultConfig(), params: m.params, epoch: 12 }));
    if (!v1.ok) throw new Error(v1.error);
    expect(v1.model.lab).toBe('playground');
    expect(v1.model.layers).toEqual(m.layers);
    expect(bits(v1.model.params)).toEqual(bits(m.params));
  });

  test('a file of another lab says where it belongs', () => {
    expect(errorOf(serializeLabModel(mnistModel()), 'playground')).toMatch(/saved from the mnist lab; open it there/);
    const r = parseModelFile(serializeLabModel(mnistModel()));
    expect(r.ok).toBe(false);
  });

  const base = mnistModel();
  const count = paramLayout(base.layers).count;
  const mutations: [string, (d: Record<string, unknown>) => void, RegExp][] = [
    ['unknown lab', (d) => { d.lab = 'gan'; }, /lab this page does not have/],
    ['no lab', (d) => { delete d.lab; }, /lab this page does not have/],
    ['config of the other lab', (d) => { d.config = defaultConfig(); }, /lacks the setting/],
    ['config beyond MNIST limits', (d) => { (d.config as Record<string, unknown>).batchSize = 513; }, /batchSize/],
    ['no layers', (d) => { d.layers = []; }, /"layers" must list 1 to 16/],
    ['too many layers', (d) => { d.layers = Array(17).fill({ kind: 'dense', inputs: 4, units: 4, activation: 'relu' }); }, /1 to 16/],
    ['unknown kind', (d) => { (d.layers as Record<string, unknown>[])[0]!.kind = 'lstm'; }, /kind "lstm"; this page knows: dense, conv2d, maxpool, flatten/],
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
    test(`rejects: ${name}`, () => {
      const d = JSON.parse(serializeLabModel(base)) as Record<string, unknown>;
      mutate(d);
      expect(errorOf(JSON.stringify(d))).toMatch(want);
    });
  }

  const cnn = cnnModel();
  const cnnCount = paramLayout(cnn.layers).count;
  const cnnMutations: [string, (d: Record<string, unknown>) => void, RegExp][] = [
    ['kernel larger than its input', (d) => { (d.layers as Record<string, unknown>[])[2]!.kernel = 13; }, /Layer 3's kernel does not fit its 8x12x12 input/],
    ['shapes that do not chain', (d) => { (d.layers as Record<string, unknown>[])[1]!.input = [8, 24, 23]; }, /Layer 2 takes 8x24x23 inputs but layer 1 gives 8x24x24/],
    ['max-pool with an activation', (d) => { (d.layers as Record<string, unknown>[])[1]!.activation = 'relu'; }, /must have the activation "linear"/],
    ['conv input not an image', (d) => { (d.layers as Record<string, unknown>[])[0]!.input = [1, 784, 1]; }, /Layer 1's kernel does not fit its 1x784x1 input/],
    ['input shape as text', (d) => { (d.layers as Record<string, unknown>[])[0]!.input = '1x28x28'; }, /"input" must be \[channels, height, width\]/],
    ['conv filters vs config', (d) => { (d.config as Record<string, unknown>).layers = 'conv:4:5,pool:2,conv:16:5,pool:2,flatten,dense:10:softmax'; }, /layers do not match the config/],
    ['one param short', (d) => { d.params = bytesToBase64(new Uint8Array((cnnCount - 1) * 4)); }, new RegExp(`this network needs ${cnnCount}\\.`)],
  ];
  for (const [name, mutate, want] of cnnMutations) {
    test(`rejects a CNN file: ${name}`, () => {
      const d = JSON.parse(serializeLabModel(cnn)) as Record<string, unknown>;
      mutate(d);
      expect(errorOf(JSON.stringify(d))).toMatch(want);
    });
  }

  test('an MNIST file saved before layer lists (config hidden/activations) opens the same MLP', () => {
    const m = mnistModel([24]);
    const d = JSON.parse(serializeLabModel(m)) as Record<string, unknown>;
    const { layers: _layers, ...rest } = d.config as Record<string, unknown>;
    d.config = { ...rest, hidden: [24], activations: ['relu'] };
    const r = parseLabModelFile(JSON.stringify(d), 'mnist');
    if (!r.ok) throw new Error(r.error);
    expect(r.model.config).toEqual(m.config);
    expect(bits(r.model.params)).toEqual(bits(m.params));
  });

  test('weights that overflow the output are refused, naming the input', () => {
    const m = mnistModel([]);
    (m.params as Float32Array).fill(3e38);
    expect(errorOf(serializeLabModel(m))).toMatch(/not a finite number for an all-ink image/);
  });

  test('the writer refuses an inconsistent model (a caller bug)', () => {
    expect(() => serializeLabModel({ ...base, params: new Float32Array(3) })).toThrow(/params/);
    expect(() => serializeLabModel({ ...base, config: { ...mnistCodec.defaults(), batchSize: 0 } } as LabModel)).toThrow(/batchSize/);
  });
});
