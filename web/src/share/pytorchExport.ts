// Export a trained network as a self-contained Python script for PyTorch:
// the same torch.nn.Sequential, the trained weights embedded, the same input
// features in the same order, predict(points), and a command line that
// reads points as JSON and prints predictions as JSON.

import type { Feature } from '../state/config';
import { featureInfo } from '../data/features';
import { floatsToBase64 } from './base64';
import { denseLayers, inputSize, outputShape, outputSize, paramLayout, type LayerSpec } from './layers';
import { layerJson, MODEL_FORMAT_VERSION, MODEL_MAGIC, type LabModel } from './modelFile';
import { labTraining, schedulePyJson, type TrainingSpec } from './training';
import { TRAIN_CODE } from './pytorchTrain';
import { targetsFor } from '../data/datasets';
import type { Dataset } from '../data/types';
import type { LayerActivation, LossName } from './network';
import { MNIST_INPUTS, MNIST_PIXEL_SCALE } from '../labs/mnist/config';

/** The playground's export input (dense sizes, the input features). */
export interface ExportInput {
  sizes: readonly number[];
  activations: readonly LayerActivation[];
  loss: LossName;
  features: readonly Feature[];
  /** nn_params layout: per layer weight [out x in] row-major, then bias [out]. */
  params: Float32Array;
  /** Shown in the header, e.g. the share link of the run. */
  description?: string;
}

/** What the network reads: 2-D points through features, or images of bytes scaled as the page scales them. */
export type NetworkInput =
  | { kind: 'points'; features: readonly Feature[] }
  /** Row-major pixels; the page feeds byte * float32(scale), computed in float32. */
  | { kind: 'image'; width: number; height: number; scale: number };

/** Any lab's export input: the layer list, the loss, the input, the parameters. */
export interface LabExportInput {
  layers: readonly LayerSpec[];
  loss: LossName;
  input: NetworkInput;
  params: Float32Array;
  description?: string;
  /** For the script's train mode (without it the script only predicts). */
  training?: ExportTraining;
}

/** What `python3 model.py train` needs: how the lab trains, and what its checkpoint (a model file) holds. */
export interface ExportTraining {
  spec: TrainingSpec;
  lab: LabModel['lab'];
  config: LabModel['config'];
  /** Epochs trained when exported (the checkpoint adds the script's). */
  epoch: number;
  /** The playground's training set, embedded: points [n x 2] and targets [n x outputs] as the page feeds them; null for MNIST (read from a path). */
  data: { points: Float32Array; targets: Float32Array } | null;
}

/** The input of each lab's networks. */
export function labNetworkInput(model: LabModel): NetworkInput {
  if (model.lab === 'mnist') return { kind: 'image', width: 28, height: MNIST_INPUTS / 28, scale: MNIST_PIXEL_SCALE };
  if (model.lab === 'playground') return { kind: 'points', features: model.config.features };
  // Recurrent layers are not in model files yet (the sequence lab's files are refused before this).
  throw new Error(`models of the ${model.lab} lab have no PyTorch export yet`);
}

/**
 * The script for a model of any lab (what Export to PyTorch downloads). With
 * the playground's training split (`trainSet`, as the page trains on it),
 * `python3 model.py train` trains on the embedded set; MNIST's reads the
 * digits from a path.
 */
export function exportLabModel(model: LabModel, description?: string, trainSet?: Dataset): string {
  const data = trainSet ? { points: trainSet.points, targets: targetsFor(trainSet) } : null;
  const training: ExportTraining = { spec: labTraining(model), lab: model.lab, config: model.config, epoch: model.epoch, data };
  return exportLabPyTorch({ layers: model.layers, loss: model.loss, input: labNetworkInput(model), params: model.params, description, training });
}

const TORCH_ACTIVATION: Readonly<Record<LayerActivation, string | null>> = {
  linear: null,
  relu: 'torch.nn.ReLU()',
  leaky_relu: 'torch.nn.LeakyReLU(0.01)',
  tanh: 'torch.nn.Tanh()',
  sigmoid: 'torch.nn.Sigmoid()',
  softmax: 'torch.nn.Softmax(dim=1)',
};

const TORCH_LOSS: Readonly<Record<LossName, string>> = {
  mse: 'torch.nn.MSELoss()  # on the model\'s output',
  bce: 'torch.nn.BCELoss()  # on the sigmoid output (or BCEWithLogitsLoss on model[:-1])',
  ce: 'torch.nn.CrossEntropyLoss()  # on the logits: use model[:-1], without the Softmax',
};

/** Python string literal safe for any text (JSON strings are valid Python). */
export function pyString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The playground's script (its sizes and features). Throws on an inconsistent input (a caller bug). */
export function exportPyTorchScript(input: ExportInput): string {
  const { sizes, activations, loss, features, params } = input;
  if (sizes.length < 2 || activations.length !== sizes.length - 1) throw new Error('exportPyTorchScript: sizes and activations do not match');
  if (sizes[0] !== features.length) throw new Error('exportPyTorchScript: input size does not match the features');
  return exportLabPyTorch({ layers: denseLayers(sizes, activations), loss, input: { kind: 'points', features }, params, description: input.description });
}

function inputWidth(input: NetworkInput): number {
  return input.kind === 'points' ? input.features.length : input.width * input.height;
}

/**
 * Throws when the layers do not chain, do not read the input, or the
 * parameters do not fit them (a caller bug); `who` names the exporter.
 */
export function checkExportInput(spec: LabExportInput, who: string): void {
  const { layers, input, params } = spec;
  if (layers.length < 1) throw new Error(`${who}: no layers`);
  for (let i = 1; i < layers.length; i++) {
    const l = layers[i]!, prev = layers[i - 1]!;
    const chained = l.kind === 'dense' ? l.inputs === outputSize(prev) : l.input.join('x') === outputShape(prev).join('x');
    if (!chained) throw new Error(`${who}: layer sizes do not chain`);
  }
  if (inputSize(layers[0]!) !== inputWidth(input)) throw new Error(`${who}: input size does not match the features`);
  const first = layers[0]!;
  // A spatial first layer reads the image as 1 x height x width.
  const spatialInput = first.kind !== 'dense';
  if (spatialInput && (input.kind !== 'image' || first.input.join('x') !== `1x${input.height}x${input.width}`)) {
    throw new Error(`${who}: a spatial network must read the image as 1 x height x width`);
  }
  if (params.length !== paramLayout(layers).count) throw new Error(`${who}: wrong number of parameters`);
  for (const v of params) if (!Number.isFinite(v)) throw new Error(`${who}: parameters must be finite`);
}

/** The script's text for any layer list. Throws on an inconsistent input (a caller bug). */
export function exportLabPyTorch(spec: LabExportInput): string {
  checkExportInput(spec, 'exportLabPyTorch');
  const { layers, loss, input, params } = spec;
  const first = layers[0]!;
  const spatialInput = first.kind !== 'dense';
  const layout = paramLayout(layers);

  const modules: string[] = [];
  const sequentialIndex: number[] = [];
  if (spatialInput) modules.push(`    torch.nn.Unflatten(1, (1, ${(input as { height: number }).height}, ${(input as { width: number }).width})),`);
  layers.forEach((l, i) => {
    // The core's dense layer reads any input flat; torch's Linear needs a Flatten after a spatial layer.
    const prev = layers[i - 1];
    if (l.kind === 'dense' && prev && prev.kind !== 'dense' && prev.kind !== 'flatten') modules.push('    torch.nn.Flatten(),');
    sequentialIndex.push(modules.length);
    switch (l.kind) {
      case 'dense': modules.push(`    torch.nn.Linear(${l.inputs}, ${l.units}),`); break;
      case 'conv2d': modules.push(`    torch.nn.Conv2d(${l.input[0]}, ${l.filters}, ${l.kernel}, stride=${l.stride}, padding=${l.padding}),`); break;
      case 'maxpool': modules.push(`    torch.nn.MaxPool2d(${l.kernel}, stride=${l.stride}),`); break;
      case 'flatten': modules.push('    torch.nn.Flatten(),'); break;
    }
    const act = TORCH_ACTIVATION[l.activation];
    if (act) modules.push(`    ${act},`);
  });
  // One entry per parameter block: (module index in the Sequential, "weight"/"bias", offset, shape).
  const blocks = layout.blocks.map((b) => `    (${sequentialIndex[b.layer]}, ${pyString(b.name)}, ${b.offset}, ${JSON.stringify(b.shape)}),`);
  const b64 = floatsToBase64(params);
  const wrapped = b64.match(/.{1,100}/g) ?? [''];
  const header = (spec.description ?? '').split(/\r?\n/).map((l) => `# ${l}`).join('\n');
  const outputs = outputSize(layers[layers.length - 1]!);
  const outputText = loss === 'ce' ? 'class probabilities' : loss === 'bce' ? 'probability of class 1' : 'the predicted value';
  const io = input.kind === 'points' ? pointsInput(input.features, outputs) : imageInput(input, outputs);

  return `#!/usr/bin/env python3
# A network trained in the nn-playground, exported for PyTorch.
${header}
#
# Usage:
${io.usage}
# Output: JSON, one row of network outputs per input (${outputText}).
#
# Continue the page's training (same data, loss, optimizer, batch size, seeded batch order):
#   python3 model.py train [--steps N] [--epochs E] [--out checkpoint.json]${io.trainArgs} [--workers N] [--cpu]
#   prints one JSON line per step ({"step", "epoch", "loss", "lr"}) and per epoch ({"epoch", "mean_loss"});
#   --out saves the weights as the page's model file (Load model takes it back);
#   --workers N: DistributedDataParallel over N processes (gloo on CPU, nccl on GPUs);
#   on a cluster, start one process per GPU with RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT
#   (and LOCAL_RANK) set, e.g. by torchrun or SLURM.
# Loss in your own loop: ${TORCH_LOSS[loss]}

import base64
import gzip
import json
import math
import os
import socket
import struct
import sys

import torch

LAYERS = ${JSON.stringify(layers.map(layerJson))}
LOSS = ${pyString(loss)}
${io.constants}

model = torch.nn.Sequential(
${modules.join('\n')}
)

# Trained parameters: float32, little-endian, per layer the weight
# (torch.nn.Linear.weight's [out x in], torch.nn.Conv2d.weight's
# [out x in x kh x kw]) and then the bias [out].
PARAMS_BASE64 = (
${wrapped.map((w) => `    ${pyString(w)}`).join('\n')}
)
# Where each block sits: (module index, "weight" or "bias", offset, shape).
PARAM_BLOCKS = [
${blocks.join('\n')}
]


def load_parameters(net):
    raw = base64.b64decode(PARAMS_BASE64)
    values = torch.tensor(struct.unpack("<%df" % (len(raw) // 4), raw), dtype=torch.float32)
    used = 0
    with torch.no_grad():
        for index, name, offset, shape in PARAM_BLOCKS:
            tensor = getattr(net[index], name)
            assert list(tensor.shape) == shape, "parameter shape mismatch"
            n = tensor.numel()
            tensor.copy_(values[offset:offset + n].view(shape))
            used += n
    assert used == len(values), "parameter count mismatch"


${io.functions}


load_parameters(model)
model.eval()


${trainConstants(spec.training)}


${TRAIN_CODE}

def main(argv):
    if len(argv) > 1 and argv[1] == "train":
        return train_main(argv[2:])
    source = open(argv[1]) if len(argv) > 1 else sys.stdin
    data = json.load(source)
${io.main}
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;
}

/** Python lines: base64 text wrapped in a parenthesised literal. */
function base64Literal(values: Float32Array): string {
  const wrapped = floatsToBase64(values).match(/.{1,100}/g) ?? [''];
  return `(\n${wrapped.map((w) => `    ${pyString(w)}`).join('\n')}\n)`;
}

/** The train mode's constants: the lab, its config and training settings, the embedded training set. */
function trainConstants(training: ExportTraining | undefined): string {
  if (!training) return 'TRAINING = None  # exported without training settings: this script only predicts';
  const t = training.spec;
  const settings = {
    optimizer: t.optimizer, lr: t.lr, beta1: t.beta1, beta2: t.beta2, eps: t.eps, regularization: t.regularization, reg_rate: t.regRate,
    batch_size: t.batchSize, seed: t.seed, order: t.order, shift: t.shift, epochs: t.epochs,
    // MNIST's per-step rate (unrounded settings; the script rounds each rate as the page does); absent: lr throughout
    ...(t.schedule ? { schedule: schedulePyJson(t.schedule) } : {}),
  };
  const data = training.data;
  return `LAB = ${pyString(training.lab)}
# The page's settings (its link's), written into the checkpoint with the weights.
CONFIG = json.loads(${pyString(JSON.stringify(training.config))})
# Epochs the page had trained when this script was exported.
EXPORTED_EPOCH = ${JSON.stringify(training.epoch)}
# How the page trains: optimizer and hyperparameters (float32 values, as the engine
# holds them), regularisation, batch size, the seed of the batch order and its kind.
TRAINING = ${JSON.stringify(settings)}
MODEL_MAGIC = ${pyString(MODEL_MAGIC)}
MODEL_FORMAT_VERSION = ${MODEL_FORMAT_VERSION}
${data ? `# The training set as the page trains on it: points [n x 2] and targets [n x outputs], float32.
TRAIN_POINTS_BASE64 = ${base64Literal(data.points)}
TRAIN_TARGETS_BASE64 = ${base64Literal(data.targets)}` : 'TRAIN_POINTS_BASE64 = TRAIN_TARGETS_BASE64 = None'}`;
}

/** The playground's inputs: 2-D points, turned into the same features in the same order. */
function pointsInput(features: readonly Feature[], outputs: number): { trainArgs: string; usage: string; constants: string; functions: string; main: string } {
  const featureLines = features.map((f) => `        ${featureInfo(f).torch},  # ${f}`);
  return {
    trainArgs: '',
    usage: `#   python3 model.py points.json      # or: echo '[[1.5, -2.0]]' | python3 model.py
# Input: JSON [[x1, x2], ...] (or {"points": [[x1, x2], ...]}).`,
    constants: `FEATURES = ${JSON.stringify(features)}`,
    functions: `def features(points):
    """The network's input for points [[x1, x2], ...], as on the page: the
    points are float32, each feature is computed in float64, then rounded to
    float32."""
    p = torch.as_tensor(points, dtype=torch.float32).reshape(-1, 2).double()
    x1, x2 = p[:, 0], p[:, 1]
    columns = [
${featureLines.join('\n')}
    ]
    return torch.stack(columns, dim=1).float()


def predict(points):
    """Network outputs for points [[x1, x2], ...]: a float32 tensor [n x ${outputs}]."""
    with torch.no_grad():
        return model(features(points))`,
    main: `    if isinstance(data, dict):
        data = data["points"]
    print(json.dumps(predict(data).tolist()))`,
  };
}

/** MNIST-style inputs: images of bytes, scaled exactly as the page scales them. */
function imageInput(input: { width: number; height: number; scale: number }, outputs: number): { trainArgs: string; usage: string; constants: string; functions: string; main: string } {
  const n = input.width * input.height;
  return {
    trainArgs: ' --mnist PATH',
    usage: `#   python3 model.py digits.json      # or: echo '[[0, 0, ..., 255, ...]]' | python3 model.py
# Input: JSON, one image per row, row-major ${input.height}x${input.width} (flat ${n} values or
# ${input.height} rows of ${input.width}):
#   [[byte, ...], ...] or {"images": [...]}: pixel bytes 0-255, as in MNIST's files;
#   {"inputs": [...]}: values 0-1 as the page's drawing pad makes them.`,
    constants: `WIDTH = ${input.width}
HEIGHT = ${input.height}
# The page multiplies each byte by float32(1/255) in float32 (nn_gather_u8).
PIXEL_SCALE = torch.tensor(${JSON.stringify(input.scale)}, dtype=torch.float32)`,
    functions: `def as_rows(images):
    """Images as a float32 tensor [n x ${n}]; each image flat (${n} values) or
    ${input.height} rows of ${input.width}, forms may be mixed."""
    return torch.stack([torch.as_tensor(image, dtype=torch.float32).reshape(${n}) for image in images])


def inputs_from_bytes(images):
    """The network's input for images of pixel bytes 0-255, exactly as on the
    page: byte * float32(1/255), computed in float32. [n x ${n}] float32."""
    return as_rows(images) * PIXEL_SCALE


def predict_inputs(inputs):
    """Network outputs for inputs already scaled to 0-1 ([n x ${n}], like the drawing pad's)."""
    with torch.no_grad():
        return model(as_rows(inputs))


def predict(images):
    """Network outputs for images of pixel bytes 0-255: a float32 tensor [n x ${outputs}]."""
    return predict_inputs(inputs_from_bytes(images))`,
    main: `    if isinstance(data, dict) and "inputs" in data:
        out = predict_inputs(data["inputs"])
    else:
        out = predict(data["images"] if isinstance(data, dict) else data)
    print(json.dumps(out.tolist()))`,
  };
}
