// Export a trained network as a self-contained Python script for PyTorch:
// the same torch.nn.Sequential, the trained weights embedded, the same input
// features in the same order, predict(points), and a command line that
// reads points as JSON and prints predictions as JSON.

import type { Feature } from '../state/config';
import { featureInfo } from '../data/features';
import { floatsToBase64 } from './base64';
import { paramCount, type LayerActivation, type LossName } from './network';

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
function pyString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The script's text. Throws on an inconsistent input (a caller bug). */
export function exportPyTorchScript(input: ExportInput): string {
  const { sizes, activations, loss, features, params } = input;
  if (sizes.length < 2 || activations.length !== sizes.length - 1) throw new Error('exportPyTorchScript: sizes and activations do not match');
  if (sizes[0] !== features.length) throw new Error('exportPyTorchScript: input size does not match the features');
  if (params.length !== paramCount(sizes)) throw new Error('exportPyTorchScript: wrong number of parameters');
  for (const v of params) if (!Number.isFinite(v)) throw new Error('exportPyTorchScript: parameters must be finite');

  const layers: string[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    layers.push(`    torch.nn.Linear(${sizes[l]}, ${sizes[l + 1]}),`);
    const act = TORCH_ACTIVATION[activations[l]!];
    if (act) layers.push(`    ${act},`);
  }
  const featureLines = features.map((f) => `        ${featureInfo(f).torch},  # ${f}`);
  const b64 = floatsToBase64(params);
  const wrapped = b64.match(/.{1,100}/g) ?? [''];
  const header = (input.description ?? '').split(/\r?\n/).map((l) => `# ${l}`).join('\n');

  return `#!/usr/bin/env python3
# A network trained in the nn-playground, exported for PyTorch.
${header}
#
# Usage:
#   python3 model.py points.json      # or: echo '[[1.5, -2.0]]' | python3 model.py
# Input: JSON [[x1, x2], ...] (or {"points": [[x1, x2], ...]}).
# Output: JSON, one row of network outputs per point (${loss === 'ce' ? 'class probabilities' : loss === 'bce' ? 'probability of class 1' : 'the predicted value'}).
#
# To continue training (on a GPU too: model.to("cuda")):
#   loss_fn = ${TORCH_LOSS[loss]}
#   optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
#   for x, y in batches:          # x: points, y: targets
#       optimizer.zero_grad(); loss_fn(model(features(x)), y).backward(); optimizer.step()

import base64
import json
import struct
import sys

import torch

SIZES = ${JSON.stringify(sizes)}
ACTIVATIONS = ${JSON.stringify(activations)}
LOSS = ${pyString(loss)}
FEATURES = ${JSON.stringify(features)}

model = torch.nn.Sequential(
${layers.join('\n')}
)

# Trained parameters: float32, little-endian, per layer the weight
# [out x in] (torch.nn.Linear.weight's layout) and then the bias [out].
PARAMS_BASE64 = (
${wrapped.map((w) => `    ${pyString(w)}`).join('\n')}
)


def load_parameters(net):
    raw = base64.b64decode(PARAMS_BASE64)
    values = struct.unpack("<%df" % (len(raw) // 4), raw)
    offset = 0
    with torch.no_grad():
        for layer in (m for m in net if isinstance(m, torch.nn.Linear)):
            for tensor in (layer.weight, layer.bias):
                n = tensor.numel()
                tensor.copy_(torch.tensor(values[offset:offset + n], dtype=torch.float32).view_as(tensor))
                offset += n
    assert offset == len(values), "parameter count mismatch"


def features(points):
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
    """Network outputs for points [[x1, x2], ...]: a float32 tensor [n x ${sizes[sizes.length - 1]}]."""
    with torch.no_grad():
        return model(features(points))


load_parameters(model)
model.eval()

if __name__ == "__main__":
    source = open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin
    data = json.load(source)
    if isinstance(data, dict):
        data = data["points"]
    print(json.dumps(predict(data).tolist()))
`;
}
