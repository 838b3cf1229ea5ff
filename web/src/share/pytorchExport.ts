// Export a trained network as a self-contained Python script for PyTorch:
// the same torch.nn.Sequential, the trained weights embedded, the same input
// features in the same order, predict(points), and a command line that
// reads points as JSON and prints predictions as JSON.

import type { Feature } from '../state/config';
import { featureInfo } from '../data/features';
import { floatsToBase64 } from './base64';
import { blocksLength, denseLayers, inputSize, isSequenceLayer, outputShape, outputSize, readsShape, type LayerSpec, type ParamBlock } from './layers';
import { layerJson, MODEL_FORMAT_VERSION, MODEL_MAGIC, type LabModel } from './modelFile';
import { labTraining, schedulePyJson, type TrainingSpec } from './training';
import { TRAIN_CODE } from './pytorchTrain';
import { targetsFor } from '../data/datasets';
import type { Dataset } from '../data/types';
import type { LayerActivation, LossName } from './network';
import { MNIST_INPUTS, MNIST_PIXEL_SCALE } from '../labs/mnist/config';
import { LOAD_PARAMETERS_PY } from './pytorchParams';

/** The playground's export input (dense sizes, the input features). */
export interface ExportInput {
  sizes: readonly number[];
  activations: readonly LayerActivation[];
  loss: LossName;
  features: readonly Feature[];
  /** nn_params layout: per layer weight [out x in] row-major, then bias [out]. */
  params: Float32Array;
  /** The core's blocks of these layers (model.paramLayout()). */
  blocks: readonly ParamBlock[];
  /** Shown in the header, e.g. the share link of the run. */
  description?: string;
}

/** What the network reads: 2-D points through features, or images of bytes scaled as the page scales them. */
export type NetworkInput =
  | { kind: 'points'; features: readonly Feature[] }
  /** Row-major pixels; the page feeds byte * float32(scale), computed in float32. */
  | { kind: 'image'; width: number; height: number; scale: number }
  /** Sequences of `steps` steps of `features` values (batch_first: step 0's values, then step 1's, ...). */
  | { kind: 'sequence'; steps: number; features: number };

/** Any lab's export input: the layer list, the loss, the input, the parameters. */
export interface LabExportInput {
  layers: readonly LayerSpec[];
  loss: LossName;
  input: NetworkInput;
  params: Float32Array;
  /** The core's blocks of these layers (model.paramLayout(), or the core's answer for a file): where each weight and bias sits in params. */
  blocks: readonly ParamBlock[];
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
  /** The playground's training set, embedded: points [n x 2] and targets [n x outputs] as the page feeds them; null for MNIST and sequences (read from a path). */
  data: { points: Float32Array; targets: Float32Array } | null;
}

/** The input of each lab's networks: sequences when the first layer works on steps (any lab's), else the lab's own. */
export function labNetworkInput(model: LabModel): NetworkInput {
  const first = model.layers[0];
  if (first && isSequenceLayer(first)) {
    const [steps, features] = first.kind === 'dense' ? [first.steps!, first.inputs] : [first.input[0], first.input[1]];
    return { kind: 'sequence', steps, features };
  }
  if (model.lab === 'mnist') return { kind: 'image', width: 28, height: MNIST_INPUTS / 28, scale: MNIST_PIXEL_SCALE };
  if (model.lab === 'playground') return { kind: 'points', features: model.config.features };
  throw new Error(`models of the ${model.lab} lab have no PyTorch export of this input`);
}

/**
 * The script for a model of any lab (what Export to PyTorch downloads). With
 * the playground's training split (`trainSet`, as the page trains on it),
 * `python3 model.py train` trains on the embedded set; MNIST's reads the
 * digits from a path, the sequence lab's the user's sequences from a file.
 */
export function exportLabModel(model: LabModel, description?: string, trainSet?: Dataset): string {
  const data = trainSet ? { points: trainSet.points, targets: targetsFor(trainSet) } : null;
  // The train mode knows the playground's, MNIST's and the sequence lab's training; another lab's recurrent network predicts only.
  const training: ExportTraining | undefined = model.lab !== 'sequence' && model.layers.some(isSequenceLayer)
    ? undefined
    : { spec: labTraining(model), lab: model.lab, config: model.config, epoch: model.epoch, data };
  return exportLabPyTorch({ layers: model.layers, loss: model.loss, input: labNetworkInput(model), params: model.params, blocks: model.blocks, description, training });
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

/**
 * The torch attribute of each of a layer's blocks, in the core's block
 * order; a recurrent layer that is layer `k` of a stacked torch module
 * (num_layers > 1) has torch's _l{k} names.
 */
export function blockNames(l: LayerSpec, k = 0): readonly string[] {
  switch (l.kind) {
    case 'dense': case 'conv2d': return ['weight', 'bias'];
    case 'rnn': case 'lstm': return [`weight_ih_l${k}`, `weight_hh_l${k}`, `bias_ih_l${k}`, `bias_hh_l${k}`];
    default: return [];
  }
}

/** Python string literal safe for any text (JSON strings are valid Python). */
export function pyString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The playground's script (its sizes and features). Throws on an inconsistent input (a caller bug). */
export function exportPyTorchScript(input: ExportInput): string {
  const { sizes, activations, loss, features, params } = input;
  if (sizes.length < 2 || activations.length !== sizes.length - 1) throw new Error('exportPyTorchScript: sizes and activations do not match');
  if (sizes[0] !== features.length) throw new Error('exportPyTorchScript: input size does not match the features');
  return exportLabPyTorch({ layers: denseLayers(sizes, activations), loss, input: { kind: 'points', features }, params, blocks: input.blocks, description: input.description });
}

function inputWidth(input: NetworkInput): number {
  switch (input.kind) {
    case 'points': return input.features.length;
    case 'image': return input.width * input.height;
    case 'sequence': return input.steps * input.features;
  }
}

/**
 * Throws when the layers do not chain, do not read the input, or the
 * parameters do not fit them (a caller bug); `who` names the exporter.
 */
export function checkExportInput(spec: LabExportInput, who: string): void {
  const { layers, input, params, blocks } = spec;
  if (layers.length < 1) throw new Error(`${who}: no layers`);
  for (let i = 1; i < layers.length; i++) {
    if (!readsShape(layers[i]!, outputShape(layers[i - 1]!))) throw new Error(`${who}: layer sizes do not chain`);
  }
  if (inputSize(layers[0]!) !== inputWidth(input)) throw new Error(`${who}: input size does not match the features`);
  const first = layers[0]!;
  if (isSequenceLayer(first)) {
    // A recurrent (or per-step) first layer reads sequences of its steps x features.
    if (input.kind !== 'sequence' || !readsShape(first, [input.steps, input.features, 1])) throw new Error(`${who}: a recurrent network must read sequences of its steps x features`);
  } else if (first.kind !== 'dense' && (input.kind !== 'image' || first.input.join('x') !== `1x${input.height}x${input.width}`)) {
    // A spatial first layer reads the image as 1 x height x width.
    throw new Error(`${who}: a spatial network must read the image as 1 x height x width`);
  }
  if (blocks.some((b) => b.layer < 0 || b.layer >= layers.length || b.block >= blockNames(layers[b.layer]!).length)) throw new Error(`${who}: the blocks are not these layers'`);
  if (params.length !== blocksLength(blocks)) throw new Error(`${who}: wrong number of parameters`);
  for (const v of params) if (!Number.isFinite(v)) throw new Error(`${who}: parameters must be finite`);
}

/** The script's text for any layer list. Throws on an inconsistent input (a caller bug). */
export function exportLabPyTorch(spec: LabExportInput): string {
  checkExportInput(spec, 'exportLabPyTorch');
  const { layers, loss, input, params } = spec;
  const { modules, sequentialIndex, stackIndex, recurrent } = torchModules(layers);
  // One entry per parameter block: (module index in the Sequential, its torch attribute, offset, shape).
  const blocks = spec.blocks.map((b) => `    (${sequentialIndex[b.layer]}, ${pyString(blockNames(layers[b.layer]!, stackIndex[b.layer])[b.block]!)}, ${b.offset}, ${JSON.stringify(b.shape)}),`);
  const b64 = floatsToBase64(params);
  const wrapped = b64.match(/.{1,100}/g) ?? [''];
  const header = (spec.description ?? '').split(/\r?\n/).map((l) => `# ${l}`).join('\n');
  const outputs = outputSize(layers[layers.length - 1]!);
  const outputText = loss === 'ce' ? 'class probabilities' : loss === 'bce' ? 'probability of class 1' : 'the predicted value';
  const io = input.kind === 'points' ? pointsInput(input.features, outputs) : input.kind === 'image' ? imageInput(input, outputs) : sequenceInput(input, outputShape(layers[layers.length - 1]!));
  const last = layers[layers.length - 1]!;

  return `#!/usr/bin/env python3
# A network trained in the nn-playground, exported for PyTorch.
${header}
#
# Usage:
${io.usage}
# Output: JSON, one row of network outputs per input (${outputText}).
#
# Continue the page's training (same ${input.kind === 'sequence' ? 'loss, optimizer, gradient clipping, batch size; your sequences in a seeded order' : 'data, loss, optimizer, batch size, seeded batch order'}):
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

# The layer list as the page's model file holds it (JSON: true/false are JSON's).
LAYERS = json.loads(${pyString(JSON.stringify(layers.map(layerJson)))})
LOSS = ${pyString(loss)}
# Outputs per example, and the steps they span (a per-step output: cross-entropy is per step).
OUTPUTS = ${outputs}
OUTPUT_STEPS = ${givesSteps(last) ? outputShape(last)[0] : 1}
${io.constants}
${recurrent ? `\n${RECURRENT_PY}\n` : ''}
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


${LOAD_PARAMETERS_PY}

${io.functions}


load_parameters(model, PARAMS_BASE64, PARAM_BLOCKS)
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

/** torch.nn.RNN / LSTM as the core's recurrent layers: batch_first, zero initial state, every step's h or the last one's; one wrapper, the cell kind its parameter. */
const RECURRENT_PY = `
def recurrent(cell):
    """cell (torch.nn.RNN: tanh; torch.nn.LSTM: gates i, f, g, o), batch_first, over
    (batch, steps, features): every step's h (batch, steps, hidden), or with
    return_sequences=False the last step's (batch, hidden)."""

    class Recurrent(cell):
        def __init__(self, inputs, hidden, num_layers=1, return_sequences=True):
            super().__init__(inputs, hidden, num_layers=num_layers, batch_first=True)
            self.return_sequences = return_sequences

        def forward(self, x):
            out, _ = super().forward(x)
            return out if self.return_sequences else out[:, -1, :]

    Recurrent.__name__ = Recurrent.__qualname__ = cell.__name__
    return Recurrent


RNN = recurrent(torch.nn.RNN)
LSTM = recurrent(torch.nn.LSTM)
`.trim();

/**
 * The Sequential's modules for a layer list, and where each layer's
 * parameters live: its module's index and its place in a stacked recurrent
 * module (consecutive RNN or LSTM layers of one size, the lower ones
 * returning sequences without an activation, become one torch module with
 * num_layers, as a PyTorch user writes them; layer k of it has torch's _l{k}
 * names). Reshapes go between layers where torch needs another rank than the
 * tensor has: the core reads every input flat, as [steps, features] or as
 * [channels, height, width] as the layer needs.
 */
export function torchModules(layers: readonly LayerSpec[]): { modules: string[]; sequentialIndex: number[]; stackIndex: number[]; recurrent: boolean } {
  const modules: string[] = [];
  const sequentialIndex: number[] = [];
  const stackIndex: number[] = [];
  interface Stack { module: number; kind: 'RNN' | 'LSTM'; inputs: number; hidden: number; layers: number; returnSequences: boolean }
  let stack = null as Stack | null;
  const stacks: Stack[] = [];
  // The tensor's rank: 2 (batch, values), 3 (batch, steps, features), 4 (batch, channels, height, width).
  let rank = 2;
  layers.forEach((l, i) => {
    const prev = layers[i - 1];
    // The shape the layer reads (the network's input for the first).
    const shape = prev ? outputShape(prev) : l.kind !== 'dense' ? l.input : l.steps !== undefined ? [l.steps, l.inputs, 1] : [l.inputs, 1, 1];
    if (stack && prev && prev.kind === l.kind && (l.kind === 'rnn' || l.kind === 'lstm') && prev.activation === 'linear' && stack.hidden === l.hidden && stack.returnSequences) {
      // The next layer of a stacked torch RNN / LSTM.
      sequentialIndex.push(stack.module);
      stackIndex.push(stack.layers++);
      stack.returnSequences = l.returnSequences;
    } else {
      stack = null;
      const wants = l.kind === 'conv2d' || l.kind === 'maxpool' ? 4 : isSequenceLayer(l) ? 3 : l.kind === 'flatten' ? rank : 2;
      if (wants !== rank) {
        if (rank > 2) modules.push('    torch.nn.Flatten(),');
        if (wants === 3) modules.push(`    torch.nn.Unflatten(1, (${shape[0]}, ${shape[1]})),`);
        if (wants === 4) modules.push(`    torch.nn.Unflatten(1, (${shape.join(', ')})),`);
      }
      sequentialIndex.push(modules.length);
      stackIndex.push(0);
      switch (l.kind) {
        case 'dense': modules.push(`    torch.nn.Linear(${l.inputs}, ${l.units}),`); break;
        case 'conv2d': modules.push(`    torch.nn.Conv2d(${l.input[0]}, ${l.filters}, ${l.kernel}, stride=${l.stride}, padding=${l.padding}),`); break;
        case 'maxpool': modules.push(`    torch.nn.MaxPool2d(${l.kernel}, stride=${l.stride}),`); break;
        case 'flatten': modules.push('    torch.nn.Flatten(),'); break;
        case 'rnn': case 'lstm':
          stack = { module: modules.length, kind: l.kind === 'rnn' ? 'RNN' : 'LSTM', inputs: l.input[1], hidden: l.hidden, layers: 1, returnSequences: l.returnSequences };
          stacks.push(stack);
          modules.push(''); // written once the stack is known
          break;
      }
    }
    rank = l.kind === 'conv2d' || l.kind === 'maxpool' ? 4 : givesSteps(l) ? 3 : 2;
    const act = l.activation === 'softmax' && rank === 3 ? 'torch.nn.Softmax(dim=2)' : TORCH_ACTIVATION[l.activation];
    if (act) {
      modules.push(`    ${act},`);
      stack = null;
    }
  });
  for (const s of stacks) {
    const extra = `${s.layers > 1 ? `, num_layers=${s.layers}` : ''}, return_sequences=${s.returnSequences ? 'True' : 'False'}`;
    modules[s.module] = `    ${s.kind}(${s.inputs}, ${s.hidden}${extra}),`;
  }
  return { modules, sequentialIndex, stackIndex, recurrent: stacks.length > 0 };
}

/** Whether a layer's torch output is (batch, steps, features): a per-step dense layer, or a recurrent one returning sequences. */
function givesSteps(l: LayerSpec): boolean {
  return (l.kind === 'dense' && l.steps !== undefined) || ((l.kind === 'rnn' || l.kind === 'lstm') && l.returnSequences);
}

/** Sequences: steps x features values each, as the page feeds them (batch_first). */
function sequenceInput(input: { steps: number; features: number }, out: readonly number[]): { trainArgs: string; usage: string; constants: string; functions: string; main: string } {
  const perStep = out[1]! > 1 || out[2]! > 1 ? `${out[0]} x ${out[1]}` : `${out[0]}`;
  return {
    trainArgs: ' (--data DATA.json|DATA.npz | --x X.npy --y Y.npy)',
    usage: `#   python3 model.py sequences.json   # or: echo '[[[0.5], [0.25], ...]]' | python3 model.py
# Input: JSON, one sequence per row: ${input.steps} steps of ${input.features} value(s), nested
# [[step 0's values], [step 1's], ...] or flat; or {"sequences": [...]}.
# Training data (train mode): x [N, ${input.steps}, ${input.features}] and y [N, outputs] in any shape of that size
# (a per-step output: [N, ${input.steps}, outputs per step]); cross-entropy also takes class indices
# (one per step: [N, ${out[0]! > 1 && (out[1]! > 1 || out[2]! > 1) ? input.steps : 1}]). One .json {"x": ..., "y": ...} or .npz (x, y),
# or two files, --x and --y, each .npy or .json.`,
    constants: `STEPS = ${input.steps}
FEATURES_PER_STEP = ${input.features}`,
    functions: `def as_sequences(sequences):
    """Sequences as a float32 tensor [n x ${input.steps * input.features}] (step 0's values, then step 1's, ...),
    as the page feeds them; each sequence nested (${input.steps} steps of ${input.features}) or flat."""
    return torch.stack([torch.as_tensor(s, dtype=torch.float32).reshape(STEPS * FEATURES_PER_STEP) for s in sequences])


def predict(sequences):
    """Network outputs per sequence: a float32 tensor [n x ${perStep}]."""
    with torch.no_grad():
        return model(as_sequences(sequences))`,
    main: `    if isinstance(data, dict):
        data = data["sequences"]
    print(json.dumps(predict(data).tolist()))`,
  };
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
    // the sequence lab's clipping by global norm; absent: none
    ...(t.clipNorm > 0 ? { clip_norm: t.clipNorm } : {}),
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
