// Structure of the NumPy script and the training settings it is written
// with; its predictions, its check against a torch.autograd trace and its
// update rules are tested with python3-numpy in tests/node/numpy-export.test.mjs.
import { beforeAll, describe, expect, test } from 'vitest';
import { defaultConfig } from '../state/schema';
import { mnistCodec } from '../labs/mnist/config';
import { sequenceCodec } from '../labs/sequence/config';
import { sequenceLayers } from '../labs/sequence/model-file';
import { denseLayers } from './layers';
import { coreCount, withBlocks } from './test-core';
import { exportLabModelNumpy, exportLabNumpy } from './numpyExport';
import { labNetworkInput } from './pytorchExport';
import { labTraining } from './training';
import type { LabModel } from './modelFile';

const layers = denseLayers([3, 4, 1], ['tanh', 'sigmoid']);
let playground: LabModel;
beforeAll(async () => {
  playground = await withBlocks({
    lab: 'playground',
    config: { ...defaultConfig(), features: ['x1', 'x2', 'sinx1'], hidden: [4], activations: ['tanh'], optimizer: 'momentum', learningRate: 0.03, momentum: 0.8, regularization: 'l2', regRate: 0.01 },
    layers, loss: 'bce', epoch: 5, params: new Float32Array(await coreCount(layers, 'bce')).fill(0.5),
  });
});

describe('NumPy export', () => {
  test('a from-scratch script: NumPy only, layer classes with forward and backward, the network, predict and check', () => {
    const s = exportLabModelNumpy(playground);
    expect(s).toMatch(/^import numpy as np$/m);
    expect(s).not.toMatch(/^\s*(import|from) torch/m);
    expect(s).not.toMatch(/torch\./);
    for (const c of ['class Dense:', 'class Conv2D:', 'class MaxPool:', 'class Flatten:', 'class Optimizer:', 'class Network:']) expect(s).toContain(c);
    expect(s).toContain('def backward(self, delta):');
    expect(s).toContain('def train_step(self, x, y):');
    expect(s).toContain('def check(path):');
    expect(s).toContain('np.sin(x1),  # sinx1');
    expect(s).toContain('LOSS = "bce"');
  });

  test('the optimizer is the page\'s, with its settings as float32 values', () => {
    const s = exportLabModelNumpy(playground);
    const line = /^OPTIMIZER = (.*)$/m.exec(s)?.[1];
    expect(JSON.parse(line!)).toEqual({ kind: 'momentum', lr: Math.fround(0.03), beta1: Math.fround(0.8), beta2: Math.fround(0.999), eps: Math.fround(1e-8), regularization: 'l2', reg_rate: Math.fround(0.01) });
  });

  test('an MNIST script reads pixel bytes scaled as the page scales them', async () => {
    const mlp = denseLayers([784, 8, 10], ['relu', 'softmax']);
    const model = await withBlocks({ lab: 'mnist', config: mnistCodec.defaults(), layers: mlp, loss: 'ce', epoch: 0, params: new Float32Array(await coreCount(mlp, 'ce')) });
    const s = exportLabModelNumpy(model);
    expect(s).toContain(`PIXEL_SCALE = np.float32(${1 / 255})`);
    expect(s).toContain('(as_rows(images, np.float32) * PIXEL_SCALE)');
  });

  test('a description cannot inject code, inconsistent inputs are refused', () => {
    const s = exportLabNumpy({ layers, loss: 'bce', input: labNetworkInput(playground), params: playground.params, blocks: playground.blocks, description: 'x\nimport os\r\n"""' }, labTraining(playground));
    expect(s).toContain('(0, "W", 0, [4,3]),\n    (0, "b", 12, [4]),\n    (1, "W", 16, [1,4]),\n    (1, "b", 20, [1]),');
    for (const l of s.split('\n')) if (l.includes('import os')) expect(l.startsWith('# ')).toBe(true);
    expect(() => exportLabNumpy({ layers, loss: 'bce', input: labNetworkInput(playground), params: new Float32Array(2), blocks: playground.blocks }, labTraining(playground))).toThrow(/parameters/);
    expect(() => exportLabNumpy({ layers, loss: 'bce', input: { kind: 'points', features: ['x1'] }, params: playground.params, blocks: playground.blocks }, labTraining(playground))).toThrow(/input size/);
  });
});

describe('NumPy export of a sequence model', () => {
  test('RNN and LSTM classes in torch\'s block names, the sequences as input, the lab\'s clipping', async () => {
    const config = { ...sequenceCodec.defaults(), task: 'names' as const, cell: 'lstm' as const, hidden: 4, layers: 2, seqLen: 3, clipNorm: 2.5 };
    const seqLayers = sequenceLayers(config);
    const model = await withBlocks({ lab: 'sequence', config, layers: seqLayers, loss: 'ce', epoch: 0, params: new Float32Array(await coreCount(seqLayers, 'ce')) });
    expect(labNetworkInput(model)).toEqual({ kind: 'sequence', steps: 3, features: 27 });
    const s = exportLabModelNumpy(model);
    for (const c of ['class Recurrent:', 'class RNN(Recurrent):', 'class LSTM(Recurrent):']) expect(s).toContain(c);
    expect(s).not.toMatch(/torch\./);
    // Each stacked layer its own class instance, torch's names without _l0; the per-step head's W and b.
    expect(s).toContain('(0, "weight_ih", 0, [16,27]),\n    (0, "weight_hh", 432, [16,4]),\n    (0, "bias_ih", 496, [16]),\n    (0, "bias_hh", 512, [16]),\n    (1, "weight_ih", 528, [16,4]),');
    expect(s).toContain('(2, "W", 688, [27,4]),');
    expect(s).toContain('FEATURES_PER_STEP = 27');
    expect(JSON.parse(/^OPTIMIZER = (.*)$/m.exec(s)![1]!)).toEqual({ kind: 'adam', lr: Math.fround(0.01), beta1: Math.fround(0.9), beta2: Math.fround(0.999), eps: Math.fround(1e-8), regularization: 'none', reg_rate: 0, clip_norm: 2.5 });
  });
});

describe('labTraining: each lab\'s optimizer as its worker sets it', () => {
  test('playground: beta1 is the momentum setting (0 for SGD), regularisation only when on', () => {
    expect(labTraining(playground)).toMatchObject({ optimizer: 'momentum', beta1: Math.fround(0.8), regularization: 'l2', regRate: Math.fround(0.01), order: 'epoch-permutation', batchSize: 10 });
    const sgd = labTraining({ ...playground, config: { ...playground.config, optimizer: 'sgd', regularization: 'none' } } as LabModel);
    expect(sgd).toMatchObject({ beta1: 0, regRate: 0 });
  });
  test('MNIST: Adam keeps the core\'s beta1 0.9, momentum uses its factor; the order is shuffled in place each epoch', () => {
    const m: LabModel = { lab: 'mnist', config: { ...mnistCodec.defaults(), momentum: 0.5, shift: 2, seed: 7 }, layers, loss: 'ce', epoch: 0, params: new Float32Array(0), blocks: [] };
    expect(labTraining(m)).toMatchObject({ optimizer: 'adam', beta1: Math.fround(0.9), order: 'cumulative', shift: 2, seed: 7, batchSize: 64, regularization: 'none' });
    expect(labTraining({ ...m, config: { ...m.config, optimizer: 'momentum' } } as LabModel).beta1).toBe(Math.fround(0.5));
  });
});
