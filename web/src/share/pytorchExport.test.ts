// Structure of the exported script; its predictions are checked against the
// real engine in tests/node/pytorch-export.test.mjs (runs python3-torch).
import { beforeAll, describe, expect, test } from 'vitest';
import { exportLabModel, exportPyTorchScript, type ExportInput } from './pytorchExport';
import { denseLayers } from './layers';
import { floatsToBase64 } from './base64';
import { defaultConfig } from '../state/schema';
import type { Activation, Feature } from '../state/config';
import type { Dataset } from '../data/types';
import type { LabModel } from './modelFile';
import { coreBlocks } from './test-core';

// 3-4-2: 3*4 + 4 + 4*2 + 2 parameters, in the core's blocks (checked below).
const PARAMS = 26;
let input: ExportInput;
beforeAll(async () => {
  const blocks = await coreBlocks(denseLayers([3, 4, 2], ['leaky_relu', 'softmax']), 'ce');
  input = { sizes: [3, 4, 2], activations: ['leaky_relu', 'softmax'], loss: 'ce', features: ['x1sq', 'x1', 'sinx2'], params: new Float32Array(PARAMS).fill(0.5), blocks };
});

describe('PyTorch export', () => {
  test('the Sequential, the features in order, predict and __main__', () => {
    const s = exportPyTorchScript(input);
    expect(s).toContain('torch.nn.Linear(3, 4),\n    torch.nn.LeakyReLU(0.01),\n    torch.nn.Linear(4, 2),\n    torch.nn.Softmax(dim=1),\n)');
    const feats = s.indexOf('x1 * x1,  # x1sq');
    expect(feats).toBeGreaterThan(0);
    expect(s.indexOf('x1,  # x1')).toBeGreaterThan(feats);
    expect(s.indexOf('torch.sin(x2),  # sinx2')).toBeGreaterThan(s.indexOf('x1,  # x1'));
    expect(s).toContain('def predict(points):');
    expect(s).toContain('if __name__ == "__main__":');
    expect(s).toContain('CrossEntropyLoss');
    expect(input.blocks.reduce((n, b) => n + b.length, 0)).toBe(PARAMS);
    expect(s).toContain('(0, "weight", 0, [4,3]),\n    (0, "bias", 12, [4]),\n    (2, "weight", 16, [2,4]),\n    (2, "bias", 24, [2]),');
  });

  test('a description cannot inject code: every line stays a comment', () => {
    const s = exportPyTorchScript({ ...input, description: 'run\nimport os; os.system("rm -rf /")\r\n"""' });
    for (const line of s.split('\n')) if (line.includes('os.system')) expect(line.startsWith('# ')).toBe(true);
  });

  test('inconsistent inputs are refused', () => {
    expect(() => exportPyTorchScript({ ...input, params: new Float32Array(3) })).toThrow(/parameters/);
    expect(() => exportPyTorchScript({ ...input, features: ['x1'] })).toThrow(/features/);
    expect(() => exportPyTorchScript({ ...input, activations: ['relu'] })).toThrow(/activations/);
    const nan = new Float32Array(PARAMS);
    nan[5] = Number.NaN;
    expect(() => exportPyTorchScript({ ...input, params: nan })).toThrow(/finite/);
  });
});

describe('PyTorch export: train mode', () => {
  const config = { ...defaultConfig(), features: ['x1sq', 'x1', 'sinx2'] as Feature[], hidden: [4], activations: ['leaky_relu'] as Activation[], optimizer: 'adam' as const, batchSize: 7, seed: 12 };
  let model: LabModel;
  beforeAll(() => { model = { lab: 'playground', config, layers: denseLayers(input.sizes, input.activations), loss: 'ce', epoch: 4, params: input.params, blocks: input.blocks }; });
  const train: Dataset = { points: Float32Array.of(1, 2, 3, 4), labels: Float32Array.of(0, 1), task: 'multiclass', nClasses: 2, dims: 2 };

  test('the playground\'s training set, settings and checkpoint fields are written into the script', () => {
    const s = exportLabModel(model, undefined, train);
    expect(JSON.parse(/^TRAINING = (.*)$/m.exec(s)![1]!)).toMatchObject({ optimizer: 'adam', batch_size: 7, seed: 12, order: 'epoch-permutation', shift: 0 });
    expect(s).toContain('LAB = "playground"');
    expect(s).toContain('EXPORTED_EPOCH = 4');
    expect(s).toContain(`TRAIN_POINTS_BASE64 = (\n    "${floatsToBase64(train.points)}"\n)`);
    // one-hot targets, as the page feeds them
    expect(s).toContain(`TRAIN_TARGETS_BASE64 = (\n    "${floatsToBase64(Float32Array.of(1, 0, 0, 1))}"\n)`);
    expect(s).toContain('def make_optimizer(parameters):');
    expect(s).toContain('if len(argv) > 1 and argv[1] == "train":');
    expect(JSON.parse(JSON.parse(/^CONFIG = json\.loads\((.*)\)$/m.exec(s)![1]!))).toEqual(config);
  });

  test('without a training set the script still has its train mode, which says what is missing', () => {
    const s = exportLabModel(model);
    expect(s).toContain('TRAIN_POINTS_BASE64 = TRAIN_TARGETS_BASE64 = None');
    expect(s).toContain('exported without its training set');
  });
});
