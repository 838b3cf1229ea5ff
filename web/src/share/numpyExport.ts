// Export a trained network as a self-contained NumPy script in the course's
// from-scratch style: one class per layer kind with forward and backward
// written out, a Network that chains them and applies the loss, and the
// lab's optimizer (SGD, momentum or Adam with the page's hyperparameters)
// as an explicit update rule; loaded with the trained weights.
//   python3 model_numpy.py predict points.json   -> the page's predictions
//   python3 model_numpy.py check numbers.json    -> its own backprop on a traced
//     example (the page's "Download these numbers", format nn-trace v1) beside
//     the trace's numbers, layer by layer; exit status 1 when they differ.
// Computes in float64: the page's float32 values are the inputs, so the
// script's numbers are the exact ones the page's approximate.

import type { Feature } from '../state/config';
import { featureInfo } from '../data/features';
import { floatsToBase64 } from './base64';
import { layerJson, type LabModel } from './modelFile';
import type { LayerSpec } from './layers';
import { blockNames, checkExportInput, labNetworkInput, pyString, type LabExportInput } from './pytorchExport';
import { labTraining, SCHEDULE_PY, schedulePyJson, type TrainingSpec } from './training';
import { NUMPY_LAYERS_PY } from './numpyLayers';

/** The NumPy script for a model of any lab (what Export to NumPy downloads). */
export function exportLabModelNumpy(model: LabModel, description?: string): string {
  return exportLabNumpy({ layers: model.layers, loss: model.loss, input: labNetworkInput(model), params: model.params, blocks: model.blocks, description }, labTraining(model));
}

/** Relative difference above which `check` reports a mismatch (and exits 1). */
export const CHECK_TOLERANCE = 1e-4;

function numpyFeature(f: Feature): string {
  return featureInfo(f).torch.replace(/torch\./g, 'np.');
}

/** A block's attribute in the script's layer class: dense and conv W and b, a recurrent layer's torch names (weight_ih, ..., without torch's _l0). */
function numpyBlockName(l: LayerSpec, block: number): string {
  const torch = blockNames(l)[block]!;
  return l.kind === 'rnn' || l.kind === 'lstm' ? torch.replace(/_l0$/, '') : torch === 'weight' ? 'W' : 'b';
}

/** The script's text. Throws on an inconsistent input (a caller bug). */
export function exportLabNumpy(spec: LabExportInput, training: TrainingSpec): string {
  checkExportInput(spec, 'exportLabNumpy');
  const { layers, loss, input, params } = spec;
  const blocks = spec.blocks.map((b) => `    (${b.layer}, ${pyString(numpyBlockName(layers[b.layer]!, b.block))}, ${b.offset}, ${JSON.stringify(b.shape)}),`);
  const wrapped = floatsToBase64(params).match(/.{1,100}/g) ?? [''];
  const header = (spec.description ?? '').split(/\r?\n/).map((l) => `# ${l}`).join('\n');
  const optimizer = {
    kind: training.optimizer, lr: training.lr, beta1: training.beta1, beta2: training.beta2, eps: training.eps,
    regularization: training.regularization, reg_rate: training.regRate,
    // the sequence lab's clipping by global norm; absent: none
    ...(training.clipNorm > 0 ? { clip_norm: training.clipNorm } : {}),
    // MNIST's per-step rate; absent: lr throughout (the playground)
    ...(training.schedule ? { schedule: schedulePyJson(training.schedule) } : {}),
  };
  const io = input.kind === 'sequence'
    ? {
      usage: `#   python3 model_numpy.py predict sequences.json   # or: echo '[[[0.5], [0.25], ...]]' | python3 model_numpy.py predict
#     input: JSON, one sequence per row: ${input.steps} steps of ${input.features} value(s), nested
#     [[step 0's values], [step 1's], ...] or flat; or {"sequences": [...]}; output: one row of outputs per sequence`,
      constants: `STEPS = ${input.steps}
FEATURES_PER_STEP = ${input.features}`,
      functions: `def network_input(sequences):
    """Sequences as the network reads them, [n x ${input.steps * input.features}] (step 0's values, then step 1's, ...),
    float32 as on the page; each sequence nested (${input.steps} steps of ${input.features}) or flat."""
    return np.stack([np.asarray(s, dtype=np.float32).reshape(STEPS * FEATURES_PER_STEP) for s in sequences]).astype(np.float64)


def read_inputs(data):
    if isinstance(data, dict):
        data = data["sequences"]
    return network_input(data)`,
    }
    : input.kind === 'points'
    ? {
      usage: `#   python3 model_numpy.py predict points.json   # or: echo '[[1.5, -2.0]]' | python3 model_numpy.py predict
#     input: JSON [[x1, x2], ...] (or {"points": [...]}); output: one row of outputs per point`,
      constants: `FEATURES = ${JSON.stringify(input.features)}`,
      functions: `def network_input(points):
    """The network's input for points [[x1, x2], ...], as on the page: the
    points are float32, each feature is computed in float64 and stored as float32."""
    p = np.asarray(points, dtype=np.float32).reshape(-1, 2).astype(np.float64)
    x1, x2 = p[:, 0], p[:, 1]
    columns = [
${input.features.map((f) => `        ${numpyFeature(f)},  # ${f}`).join('\n')}
    ]
    return np.stack(columns, axis=1).astype(np.float32).astype(np.float64)


def read_inputs(data):
    if isinstance(data, dict):
        data = data["points"]
    return network_input(data)`,
    }
    : {
      usage: `#   python3 model_numpy.py predict digits.json
#     input: JSON, one ${input.height}x${input.width} image per row (flat or ${input.height} rows):
#       [[byte, ...], ...] or {"images": [...]}: pixel bytes 0-255 as in MNIST's files;
#       {"inputs": [...]}: values 0-1 as the page's drawing pad makes them`,
      constants: `WIDTH = ${input.width}
HEIGHT = ${input.height}
# The page multiplies each byte by float32(1/255), in float32.
PIXEL_SCALE = np.float32(${JSON.stringify(input.scale)})`,
      functions: `def as_rows(images, dtype):
    return np.stack([np.asarray(image, dtype=dtype).reshape(WIDTH * HEIGHT) for image in images])


def network_input(images):
    """The network's input for images of pixel bytes 0-255, as on the page."""
    return (as_rows(images, np.float32) * PIXEL_SCALE).astype(np.float64)


def read_inputs(data):
    if isinstance(data, dict) and "inputs" in data:
        return as_rows(data["inputs"], np.float32).astype(np.float64)
    return network_input(data["images"] if isinstance(data, dict) else data)`,
    };

  return `#!/usr/bin/env python3
# A network trained in the nn-playground, written out in NumPy from scratch:
# each layer's forward and backward pass, the loss and its gradient, and the
# optimizer's update rule, loaded with the trained weights. NumPy only.
${header}
#
# Usage:
${io.usage}
#   python3 model_numpy.py check numbers.json
#     the page's "Download these numbers" (a traced example): this script's own
#     forward and backward pass on that example beside the page's, layer by
#     layer, with the largest relative difference; exit status 1 when any
#     differs by more than ${CHECK_TOLERANCE} (relative to the largest value of that quantity)
#
# In your own code: net = Network(); net.load(PARAMETERS);
#   loss = net.train_step(x, y)   # forward, loss, backward, update on one batch
#   with MNIST's learning-rate schedule, first net.optimizer.set_progress(epochs_done)
#   (examples trained on / training set size) sets the rate of the next step, as the page does

import base64
import json
import math
import struct
import sys

import numpy as np

# The layer list as the page's model file holds it (JSON: true/false are JSON's).
LAYERS = json.loads(${pyString(JSON.stringify(layers.map(layerJson)))})
LOSS = ${pyString(loss)}
# The lab's optimizer with the page's settings (float32 values as the engine holds them).
OPTIMIZER = ${JSON.stringify(optimizer)}
${io.constants}

# Trained parameters: float32, little-endian; per layer the weight (dense
# [out x in], conv [out x in x kh x kw]) and then the bias [out]; an RNN/LSTM
# layer's weight_ih [G*H x in], weight_hh [G*H x H], bias_ih, bias_hh [G*H]
# (G = 1, or 4 LSTM gates i, f, g, o of H rows each: torch's order).
PARAMS_BASE64 = (
${wrapped.map((w) => `    ${pyString(w)}`).join('\n')}
)
# Where each block sits: (layer index, the layer's attribute ("W", "b", "weight_ih", ...), offset, shape).
PARAM_BLOCKS = [
${blocks.join('\n')}
]
CHECK_TOLERANCE = ${CHECK_TOLERANCE}


def parameters():
    """The trained parameters as arrays: {(layer, attribute): array}."""
    raw = base64.b64decode(PARAMS_BASE64)
    values = np.array(struct.unpack("<%df" % (len(raw) // 4), raw), dtype=np.float64)
    return {(layer, name): values[offset:offset + int(np.prod(shape))].reshape(shape)
            for layer, name, offset, shape in PARAM_BLOCKS}


${NUMPY_LAYERS_PY}

${SCHEDULE_PY}


class Optimizer:
    """The page's optimizer, one update rule per kind (PyTorch's SGD,
    SGD with momentum and Adam); L1/L2 regularisation is added to the
    gradient of the weights (not the biases) first, then with clip_norm > 0
    every gradient is scaled down to that global norm when longer
    (PyTorch's clip_grad_norm_, as the sequence lab trains). With a
    schedule (MNIST), set_progress(epochs_done) before each step sets that
    step's rate."""

    def __init__(self, kind, lr, beta1=0.9, beta2=0.999, eps=1e-8, regularization="none", reg_rate=0.0, clip_norm=0.0, schedule=None):
        self.kind, self.lr, self.beta1, self.beta2, self.eps = kind, lr, beta1, beta2, eps
        self.regularization, self.reg_rate, self.clip_norm, self.schedule = regularization, reg_rate, clip_norm, schedule
        self.t = 0
        self.state = {}  # per parameter: momentum buffer, or Adam's moments m and v

    def set_progress(self, epochs_done):
        """The rate of the next step after epochs_done epochs (examples seen / training set size)."""
        if self.schedule is not None:
            self.lr = scheduled_rate(self.schedule, epochs_done)
        return self.lr

    def gradients(self, layers):
        """Every parameter with the gradient its update uses: regularised, then clipped."""
        out = []
        for index, layer in enumerate(layers):
            for name, decays in layer.PARAMS:
                p, g = getattr(layer, name), getattr(layer, "d" + name).copy()
                if decays and self.regularization == "l2":
                    g += self.reg_rate * p
                elif decays and self.regularization == "l1":
                    g += self.reg_rate * np.sign(p)
                out.append(((index, name), p, g))
        self.grad_norm = math.sqrt(sum(float((g * g).sum()) for _, _, g in out))
        coef = self.clip_norm / (self.grad_norm + 1e-6)
        if self.clip_norm > 0 and coef < 1:
            for _, _, g in out:
                g *= coef
        return out

    def update(self, layers):
        self.t += 1
        for key, p, g in self.gradients(layers):
            if self.kind == "sgd":
                p -= self.lr * g
            elif self.kind == "momentum":
                # buffer = beta1 * buffer + g (the first step starts it at g); w -= lr * buffer
                buf = g if key not in self.state else self.beta1 * self.state[key] + g
                self.state[key] = buf
                p -= self.lr * buf
            else:  # adam
                m, v = self.state.get(key, (np.zeros_like(p), np.zeros_like(p)))
                m = self.beta1 * m + (1 - self.beta1) * g
                v = self.beta2 * v + (1 - self.beta2) * g * g
                self.state[key] = (m, v)
                m_hat = m / (1 - self.beta1 ** self.t)
                v_hat = v / (1 - self.beta2 ** self.t)
                p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class Network:
    def __init__(self, layers=LAYERS, loss=LOSS, optimizer=OPTIMIZER):
        self.layers = [LAYER_CLASSES[spec["kind"]](spec) for spec in layers]
        self.loss_name = loss
        self.optimizer = Optimizer(**optimizer)

    def load(self, params):
        for (index, name), value in params.items():
            setattr(self.layers[index], name, np.array(value, dtype=np.float64))

    def forward(self, x):
        """Outputs [n x outputs] for inputs [n x input size]."""
        a = np.asarray(x, dtype=np.float64)
        for layer in self.layers:
            a = layer.forward(a)
        return a.reshape(len(a), -1)

    def loss(self, y):
        """The batch's loss after forward, with PyTorch's mean reduction, as the page computes it
        (a per-step output: cross-entropy per step, the mean over examples x steps)."""
        last = self.layers[-1]
        y = np.asarray(y, dtype=np.float64).reshape(last.a.shape)
        if self.loss_name == "mse":  # mean over every output of every example
            return float(np.mean((last.a - y) ** 2))
        if self.loss_name == "bce":  # from z: max(z, 0) - z*y + log(1 + exp(-|z|)), mean
            z = last.z
            return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
        z = last.z  # ce: sum_j y_j * (logsumexp(z) - z_j), mean over the examples (and steps)
        lse = z.max(axis=-1, keepdims=True) + np.log(np.exp(z - z.max(axis=-1, keepdims=True)).sum(axis=-1, keepdims=True))
        return float((y * (lse - z)).sum() / (z.size // z.shape[-1]))

    def backward(self, y):
        """Every layer's delta = dL/dz and its parameters' gradients after forward; returns dL/dx."""
        last = self.layers[-1]
        y = np.asarray(y, dtype=np.float64).reshape(last.a.shape)
        if self.loss_name == "mse":
            delta = activation_backward(last.activation, last.z, last.a, 2.0 * (last.a - y) / y.size)
        elif self.loss_name == "bce":  # sigmoid + BCE: the fused shortcut (a - y) / N
            delta = (last.a - y) / y.size
        else:  # softmax + cross-entropy: the fused shortcut (a * sum(y) - y) / n, = (a - y) / n for one-hot y (n: examples x steps)
            delta = (last.a * y.sum(axis=-1, keepdims=True) - y) / (y.size // y.shape[-1])
        grad = last.backward(delta)
        for layer in reversed(self.layers[:-1]):
            grad = grad.reshape(layer.a.shape)                                      # dL/da
            grad = layer.backward(activation_backward(layer.activation, layer.z, layer.a, grad))
        self.input_grad = grad.reshape(len(grad), -1)
        return self.input_grad

    def train_step(self, x, y):
        """One batch: forward, loss, backward, update. Returns the loss before the update."""
        y = np.asarray(y, dtype=np.float64).reshape(len(x), -1)
        self.forward(x)
        loss = self.loss(y)
        self.backward(y)
        self.optimizer.update(self.layers)
        return loss


${io.functions}


def trained():
    """The network with the trained weights."""
    net = Network()
    net.load(parameters())
    return net


def predict(data):
    """Network outputs for the JSON input (see Usage)."""
    return trained().forward(read_inputs(data))


# ---- check: this script's backprop against the page's numbers (nn-trace) ----

def relative_difference(ours, theirs):
    """Largest |ours - theirs|, relative to the largest |value| of the quantity."""
    ours, theirs = np.asarray(ours, dtype=np.float64).ravel(), np.asarray(theirs, dtype=np.float64).ravel()
    if ours.shape != theirs.shape:
        return float("inf")
    scale = max(np.abs(theirs).max(initial=0.0), np.abs(ours).max(initial=0.0))
    return 0.0 if scale == 0 else float(np.abs(ours - theirs).max() / scale)


def short(values, n=6):
    flat = np.asarray(values, dtype=np.float64).ravel()
    text = ", ".join("%.7g" % v for v in flat[:n])
    return "[" + text + (", ... (%d values)]" % flat.size if flat.size > n else "]")


def same_layer(ours, theirs):
    """The trace's layer is this script's (kind and settings; shapes are checked with the weights)."""
    if not isinstance(theirs, dict) or theirs.get("kind") != ours["kind"]:
        return False
    for key in ("activation", "units", "filters", "stride", "padding", "hidden"):
        if key in ours and key in theirs and ours[key] != theirs[key]:
            return False
    return "kernel" not in ours or "kernel" not in theirs or all(k == ours["kernel"] for k in np.ravel(theirs["kernel"]))


# The trace's names of a layer's parameters, and this script's attributes.
TRACE_PARAMS = {"W": "W", "b": "b", "W_ih": "weight_ih", "W_hh": "weight_hh", "b_ih": "bias_ih", "b_hh": "bias_hh"}


def check(path):
    with open(path) as f:
        trace = json.load(f)
    if not isinstance(trace, dict) or trace.get("format") != "nn-trace":
        print("%s is not a trace (format nn-trace) of the page's \\"Download these numbers\\"" % path)
        return 2
    if trace.get("loss") != LOSS or len(trace.get("layers", [])) != len(LAYERS) or \\
            not all(same_layer(ours, theirs) for ours, theirs in zip(LAYERS, trace["layers"])):
        print("the trace is of another network than this script's (layers or loss differ)")
        return 2
    example = trace.get("example", {})
    print("trace of example %s (%s lab), %d layers, loss %s" % (example.get("index", "?"), trace.get("lab", "?"), len(LAYERS), LOSS))
    net = trained()
    # The weights the example was traced with (the page may have trained on since this export).
    for index, entry in enumerate(trace["forward"]):
        for name, attribute in TRACE_PARAMS.items():
            if name in entry and hasattr(net.layers[index], attribute):
                value = np.asarray(entry[name], dtype=np.float64)
                if value.size != getattr(net.layers[index], attribute).size:
                    print("layer %d: the trace's %s has %d values, this network's %d" % (index + 1, name, value.size, getattr(net.layers[index], attribute).size))
                    return 2
                setattr(net.layers[index], attribute, value.reshape(getattr(net.layers[index], attribute).shape))
    x = np.asarray(trace["example"]["x"], dtype=np.float64).reshape(1, -1)
    width = LAYERS[0]["inputs"] * LAYERS[0].get("steps", 1) if LAYERS[0]["kind"] == "dense" else int(np.prod(LAYERS[0]["input"]))
    if x.shape[1] != width and "FEATURES" in globals() and x.shape[1] == 2:
        x = network_input(x)  # a raw point: the network reads its features
    outputs = net.layers[-1].b.size
    y = np.asarray(trace["example"]["y"], dtype=np.float64).reshape(1, -1)
    if LOSS == "ce" and y.size == 1 and outputs > 1:  # a class index
        y = np.eye(outputs)[int(y[0, 0])].reshape(1, -1)
    output = net.forward(x)
    loss = net.loss(y)
    input_grad = net.backward(y)

    rows = []  # (what, ours, theirs)
    for index, (layer, fwd, bwd) in enumerate(zip(net.layers, trace["forward"], trace["backward"])):
        name = "layer %d (%s)" % (index + 1, LAYERS[index]["kind"])
        for key, ours in (("z", layer.z), ("a", layer.a)):
            if key in fwd and not (key == "z" and isinstance(layer, (MaxPool, Flatten))):
                rows.append(("%s forward %s" % (name, key), ours, fwd[key]))
        for key, ours in [("delta", layer.delta)] + [("d" + name, getattr(layer, "d" + attribute, None)) for name, attribute in TRACE_PARAMS.items()]:
            if key in bwd and ours is not None:
                rows.append(("%s backward %s" % (name, key), ours, bwd[key]))
    for key, ours in (("output", output), ("loss_value", loss), ("input_grad", input_grad)):
        if key in trace:
            rows.append((key, ours, trace[key]))
    if not rows:
        print("the trace holds no numbers to compare")
        return 2
    worst = 0.0
    for what, ours, theirs in rows:
        diff = relative_difference(ours, theirs)
        worst = max(worst, diff)
        print("%-34s %s  max rel diff %.2e" % (what, "ok     " if diff <= CHECK_TOLERANCE else "DIFFERS", diff))
        print("    this script: %s" % short(ours))
        print("    the page:    %s" % short(theirs))
    print("largest relative difference: %.2e (%s %g)" % (worst, "within" if worst <= CHECK_TOLERANCE else "BEYOND", CHECK_TOLERANCE))
    return 0 if worst <= CHECK_TOLERANCE else 1


def main(argv):
    if len(argv) > 1 and argv[1] == "check":
        if len(argv) != 3:
            print("usage: python3 model_numpy.py check numbers.json")
            return 2
        return check(argv[2])
    args = argv[2:] if len(argv) > 1 and argv[1] == "predict" else argv[1:]
    source = open(args[0]) if args else sys.stdin
    data = json.load(source)
    print(json.dumps(predict(data).tolist()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;
}
