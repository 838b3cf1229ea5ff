// The export for any layer list: MNIST's script reads pixel bytes scaled as
// the page scales them; parameters are placed by the core's blocks.
// (Its predictions are checked with python3-torch in tests/node/pytorch-export.test.mjs.)
import { beforeAll, expect, test } from 'vitest';
import { mnistCodec } from '../labs/mnist/config';
import { fileLayers, MODEL_PRESETS } from '../labs/mnist/model-layers';
import { mlpLayers } from '../labs/mnist/model-layers';
import { denseLayers } from './layers';
import { coreBlocks, coreCount, withBlocks } from './test-core';
import { exportLabModel, exportLabPyTorch, labNetworkInput } from './pytorchExport';
import { exportLabModelNumpy } from './numpyExport';
import { defaultConfig } from '../state/schema';
import type { LabModel } from './modelFile';

const layers = denseLayers([784, 16, 10], ['sigmoid', 'softmax']);
let model: LabModel;
beforeAll(async () => {
  model = await withBlocks({
    lab: 'mnist', config: { ...mnistCodec.defaults(), layers: mlpLayers([16], ['sigmoid']) }, layers, loss: 'ce', epoch: 1,
    params: new Float32Array(await coreCount(layers, 'ce')).fill(0.25),
  });
});

test('an MNIST script: the Sequential, the byte scaling, both input forms, the blocks', () => {
  const s = exportLabModel(model);
  expect(s).toContain('torch.nn.Linear(784, 16),\n    torch.nn.Sigmoid(),\n    torch.nn.Linear(16, 10),\n    torch.nn.Softmax(dim=1),\n)');
  expect(s).toContain(`PIXEL_SCALE = torch.tensor(${1 / 255}, dtype=torch.float32)`);
  expect(s).toContain('return as_rows(images) * PIXEL_SCALE');
  expect(s).toContain('def predict_inputs(inputs):');
  expect(s).toContain('data["images"]');
  expect(s).toContain('(0, "weight", 0, [16,784]),\n    (0, "bias", 12544, [16]),\n    (2, "weight", 12560, [10,16]),\n    (2, "bias", 12720, [10]),');
  expect(labNetworkInput(model)).toEqual({ kind: 'image', width: 28, height: 28, scale: 1 / 255 });
});

test('inconsistent layer lists are refused', () => {
  const base = { layers, loss: 'ce' as const, input: labNetworkInput(model), params: model.params, blocks: model.blocks };
  expect(() => exportLabPyTorch({ ...base, layers: [layers[0]!, { ...layers[1]!, inputs: 15 }] })).toThrow(/chain/);
  expect(() => exportLabPyTorch({ ...base, input: { kind: 'points', features: ['x1', 'x2'] } })).toThrow(/input size/);
  expect(() => exportLabPyTorch({ ...base, params: model.params.subarray(1) })).toThrow(/parameters/);
  expect(() => exportLabPyTorch({ ...base, layers: [] })).toThrow(/no layers/);
  expect(() => exportLabPyTorch({ ...base, blocks: model.blocks.slice(1) })).toThrow(/parameters/);
  expect(() => exportLabPyTorch({ ...base, blocks: [...model.blocks, { ...model.blocks[0]!, layer: 2 }] })).toThrow(/blocks/);
});

test('a CNN script: Unflatten to 1x28x28, Conv2d / MaxPool2d / Flatten, conv weight blocks 4-D', async () => {
  const config = { ...mnistCodec.defaults(), layers: MODEL_PRESETS.convnetjs.layers.map((l) => ({ ...l })) };
  const cnnLayers = fileLayers(config.layers, [[1, 28, 28], [8, 28, 28], [8, 14, 14], [16, 14, 14], [16, 4, 4], [256, 1, 1], [10, 1, 1]]);
  const s = exportLabModel(await withBlocks({ lab: 'mnist', config, layers: cnnLayers, loss: 'ce', epoch: 0, params: new Float32Array(await coreCount(cnnLayers, 'ce')) }));
  expect(s).toContain(['torch.nn.Unflatten(1, (1, 28, 28)),', 'torch.nn.Conv2d(1, 8, 5, stride=1, padding=2),', 'torch.nn.ReLU(),',
    'torch.nn.MaxPool2d(2, stride=2),', 'torch.nn.Conv2d(8, 16, 5, stride=1, padding=2),', 'torch.nn.ReLU(),', 'torch.nn.MaxPool2d(3, stride=3),',
    'torch.nn.Flatten(),', 'torch.nn.Linear(256, 10),', 'torch.nn.Softmax(dim=1),'].map((m) => `    ${m}`).join('\n'));
  expect(s).toContain('(1, "weight", 0, [8,1,5,5]),\n    (1, "bias", 200, [8]),\n    (4, "weight", 208, [16,8,5,5]),');
  // Without the flatten layer, a Flatten is still put before the dense layer.
  const noFlatten = cnnLayers.filter((l) => l.kind !== 'flatten');
  const s2 = exportLabPyTorch({ layers: noFlatten, loss: 'ce', input: { kind: 'image', width: 28, height: 28, scale: 1 / 255 },
    params: new Float32Array(await coreCount(noFlatten, 'ce')), blocks: await coreBlocks(noFlatten, 'ce') });
  expect(s2).toContain('    torch.nn.MaxPool2d(3, stride=3),\n    torch.nn.Flatten(),\n    torch.nn.Linear(256, 10),');
});

test('MNIST\'s learning-rate schedule goes into both scripts unrounded (the scripts round each step\'s rate); the playground has none', async () => {
  const config = { ...model.config, learningRate: 0.002, lrSchedule: 'cos' as const, lrEnd: 0.05, epochs: 4 };
  const scheduled: LabModel = { ...model, config } as LabModel;
  const schedule = { kind: 'cos', lr: 0.002, lr_end: 0.05, epochs: 4 };
  const torchScript = exportLabModel(scheduled);
  const training = JSON.parse(/^TRAINING = (.*)$/m.exec(torchScript)![1]!);
  expect(training.schedule).toEqual(schedule);
  expect(training.lr).toBe(Math.fround(0.002)); // the constant rate is still the core's float32
  expect(torchScript).toContain('def scheduled_rate(schedule, epochs_done):');
  expect(torchScript).toContain('group["lr"] = rate');
  const numpyScript = exportLabModelNumpy(scheduled);
  expect(JSON.parse(/^OPTIMIZER = (.*)$/m.exec(numpyScript)![1]!).schedule).toEqual(schedule);
  expect(numpyScript).toContain('def scheduled_rate(schedule, epochs_done):');
  const playground: LabModel = await withBlocks({ lab: 'playground', config: defaultConfig(), layers: denseLayers([2, 4, 1], ['tanh', 'sigmoid']), loss: 'bce', epoch: 0,
    params: new Float32Array(await coreCount(denseLayers([2, 4, 1], ['tanh', 'sigmoid']), 'bce')) });
  expect(JSON.parse(/^TRAINING = (.*)$/m.exec(exportLabModel(playground))![1]!)).not.toHaveProperty('schedule');
  expect(JSON.parse(/^OPTIMIZER = (.*)$/m.exec(exportLabModelNumpy(playground))![1]!)).not.toHaveProperty('schedule');
});
