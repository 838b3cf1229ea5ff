#!/usr/bin/python3
"""Writes tests/reference/fixtures.bin: PyTorch reference results for the C core.

Run with Debian's python3-torch:  /usr/bin/python3 tests/reference/make_fixtures.py [OUT]
(OUT defaults to tests/reference/fixtures.bin). The output is deterministic (fixed seeds):
re-running reproduces the committed file byte for byte, which tests/node/reference.test.mjs checks.

Truth is computed in float64 from float32-representable inputs, parameters and
hyperparameters (the C core receives exactly those float32 values), then rounded
to float32 for storage (a relative change of at most 6e-8). Each case is also run
in float32 PyTorch; a case whose float32 run strays from the float64 truth by more
than CONDITION_LIMIT (in the tests' error measure) is ill-conditioned, e.g. an
Adam step on a gradient that cancels to almost zero, whose sign float32 rounding
decides. Such a draw is replaced by a fresh one, so a mismatch in the tests points
at the core, not at float32 rounding.

File layout (little-endian; i32 = int32, f32 = float32):
  header: char[4] "NNRF", i32 version (3), i32 n_cases
  per case:
    char[48] name (NUL-padded)
    i32 n_layers, i32 in_shape[3] (channels, height, width)
    i32 desc[n_layers][8]                        core/nn.h's layer descriptors
    i32 loss, i32 batch, i32 n_steps, i32 n_trajectories, i32 n_params, i32 n_out
    i32 n_blocks, i32 block_len[n_blocks]        weight and bias blocks in layout order
    f32 params0[n_params]                        nn.h's flat layout (PyTorch's shapes)
    f32 x[n_steps][batch * c * h * w]            one batch per step, NCHW
    f32 y[n_steps][batch * n_out]
    f32 out0[batch * n_out]                      forward on x[0] at params0
    f32 loss0                                    mean loss on x[0], y[0]
    f32 grad0[n_params]                          d loss0 / d params0, no regularisation
    per trajectory (from params0, fresh optimizer state):
      i32 optimizer, f32 lr, f32 beta1, f32 beta2, f32 eps
      i32 regularization, f32 rate
      f32 clip_norm                              max_norm of clip_grad_norm_ (0: none),
                                                 applied after the regularisation term
      f32 losses[n_steps]                        loss before each update
      f32 params[n_params]                       after n_steps updates
"""
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.use_deterministic_algorithms(True)

# Enum values from core/nn.h.
ACT = {"linear": 0, "relu": 1, "leaky_relu": 2, "tanh": 3, "sigmoid": 4, "softmax": 5}
LOSS = {"mse": 0, "bce": 1, "ce": 2}
OPT = {"sgd": 0, "momentum": 1, "adam": 2}
REG = {"none": 0, "l1": 1, "l2": 2}
KIND = {"dense": 0, "conv": 1, "pool": 2, "flatten": 3, "rnn": 4, "lstm": 5}
DESC_INTS = 8

# A layer: (kind, activation, kind ints...) as in core/nn.h's descriptors:
#   ("dense", act, units), ("conv", act, out, kh, kw, stride, padding),
#   ("pool", act, kernel, stride), ("flatten", act),
#   ("dense", act, units, 1): per time step of a T x F x 1 sequence,
#   ("rnn" | "lstm", act, hidden, return_sequences): torch.nn.RNN / LSTM(batch_first=True).
RNN_NAMES = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]

N_STEPS = 3
REL_TOL = 1e-5           # the tests' tolerance (tests/native/test_reference.c)
CONDITION_LIMIT = REL_TOL / 4   # float32 PyTorch must stay 4x inside the tolerance
FLOOR_FRACTION = 0.1     # must match the tests: see error_measure

# (optimizer, lr, beta1, beta2, eps) x regularization kind, rate: every pair.
OPTIMIZERS = [("sgd", 0.1, 0.0, 0.0, 0.0),
              ("momentum", 0.05, 0.9, 0.0, 0.0),
              ("adam", 0.01, 0.9, 0.999, 1e-8)]
REGULARIZERS = [("none", 0.0), ("l1", 0.01), ("l2", 0.01)]

# Output layer and target kind for each loss; MSE takes any output activation.
HEADS = [("mse", "linear", "real"), ("mse", "tanh", "signed"), ("mse", "sigmoid", "unit"),
         ("mse", "relu", "real"), ("mse", "leaky_relu", "real"), ("mse", "softmax", "prob"),
         ("bce", "sigmoid", "unit"), ("bce", "sigmoid", "binary"),
         ("ce", "softmax", "onehot"), ("ce", "softmax", "prob")]
HIDDEN = ["linear", "relu", "leaky_relu", "tanh", "sigmoid"]
# Hidden-layer shapes (inputs first, outputs appended per head) and batch sizes.
SHAPES = [([3, 4], 5), ([2, 1], 4), ([4, 6, 5], 8), ([5, 3, 4, 3], 6), ([2, 7], 1),
          ([3, 1, 4], 3), ([6, 8], 16)]


def f32(a):
    """Rounds to float32, kept as float64: exactly what the C side receives."""
    return torch.as_tensor(np.asarray(a, dtype=np.float32), dtype=torch.float64)


def activate(z, act):
    if act == "linear":
        return z
    if act == "relu":
        return torch.relu(z)
    if act == "leaky_relu":
        return F.leaky_relu(z, 0.01)
    if act == "tanh":
        return torch.tanh(z)
    if act == "sigmoid":
        return torch.sigmoid(z)
    return torch.softmax(z, dim=1)


def out_shape(shape, layer):
    """A layer's output shape (c, h, w), as core/nn.h defines it."""
    c, h, w = shape
    kind = layer[0]
    if kind in ("rnn", "lstm") or (kind == "dense" and len(layer) > 3 and layer[3]):
        return (c, layer[2], 1) if kind == "dense" or layer[3] else (layer[2], 1, 1)
    if kind == "dense":
        return (layer[2], 1, 1)
    if kind == "conv":
        out, kh, kw, stride, pad = layer[2:7]
        return (out, (h + 2 * pad - kh) // stride + 1, (w + 2 * pad - kw) // stride + 1)
    if kind == "pool":
        k, stride = layer[2:4]
        return (c, (h - k) // stride + 1, (w - k) // stride + 1)
    return (c * h * w, 1, 1)


def param_specs(in_shape, layers):
    """(shape, decay, init bound) of every parameter block in layout order: dense
    and conv weight (Glorot bound) then bias (0.2: nonzero biases); RNN/LSTM
    weight_ih, weight_hh, bias_ih, bias_hh, all torch's U(-1/sqrt(H), 1/sqrt(H))."""
    specs, shape = [], in_shape
    for layer in layers:
        if layer[0] == "dense":
            per_step = len(layer) > 3 and layer[3]
            n_in = shape[1] if per_step else shape[0] * shape[1] * shape[2]
            specs += [((layer[2], n_in), True, np.sqrt(6.0 / (n_in + layer[2]))), ((layer[2],), False, 0.2)]
        elif layer[0] == "conv":
            out, kh, kw = layer[2:5]
            fan_in, fan_out = shape[0] * kh * kw, out * kh * kw
            specs += [((out, shape[0], kh, kw), True, np.sqrt(6.0 / (fan_in + fan_out))), ((out,), False, 0.2)]
        elif layer[0] in ("rnn", "lstm"):
            hidden = layer[2]
            gh = hidden * (4 if layer[0] == "lstm" else 1)
            bound = 1.0 / np.sqrt(hidden)
            specs += [((gh, shape[1]), True, bound), ((gh, hidden), True, bound),
                      ((gh,), False, bound), ((gh,), False, bound)]
        shape = out_shape(shape, layer)
    return specs


def forward(params, x, layers):
    """params: every block in layout order; x: NCHW (a sequence: (B, T, F, 1)).
    Returns (output, output pre-activation), both [batch x outputs], and the
    output's steps (T for a sequence output: softmax and CE per step)."""
    h = x
    z = x
    at = 0
    for layer in layers:
        kind, act = layer[0], layer[1]
        steps = 1
        if kind == "dense" and len(layer) > 3 and layer[3]:
            z = F.linear(h.reshape(h.shape[0], h.shape[1], -1), params[at], params[at + 1])
            steps = z.shape[1]
            at += 2
        elif kind in ("rnn", "lstm"):
            out = recurrent(kind, h.reshape(h.shape[0], h.shape[1], -1), params[at:at + 4], layer[2])
            z = out if layer[3] else out[:, -1, :]
            steps = z.shape[1] if layer[3] else 1
            at += 4
        elif kind == "dense":
            z = F.linear(h.flatten(1), params[at], params[at + 1])
            at += 2
        elif kind == "conv":
            z = F.conv2d(h, params[at], params[at + 1], stride=layer[5], padding=layer[6])
            at += 2
        elif kind == "pool":
            z = F.max_pool2d(h, layer[2], layer[3])
        else:
            z = h.flatten(1)
        if act == "softmax" and steps > 1:
            h = torch.softmax(z, dim=-1)
        else:
            h = activate(z, act) if act != "softmax" else torch.softmax(z.flatten(1), dim=1).reshape(z.shape)
    return h.flatten(1), z.flatten(1), steps


def recurrent(kind, seq, weights, hidden):
    """torch.nn.RNN / LSTM(F, hidden, batch_first=True) on seq (B, T, F) with the
    given weight_ih, weight_hh, bias_ih, bias_hh, zero initial state: the call
    the modules make (check_recurrent_modules shows it is theirs). Output (B, T, H)."""
    h0 = torch.zeros(1, seq.shape[0], hidden, dtype=seq.dtype)
    if kind == "rnn":
        return torch._VF.rnn_tanh(seq, h0, weights, True, 1, 0.0, False, False, True)[0]
    return torch._VF.lstm(seq, (h0, h0), weights, True, 1, 0.0, False, False, True)[0]


def check_recurrent_modules():
    """recurrent() gives what torch.nn.RNN and torch.nn.LSTM give with the same
    parameters (named as RNN_NAMES), or the fixtures would not be theirs."""
    torch.manual_seed(1)
    seq = torch.randn(2, 5, 3, dtype=torch.float64)
    for kind, cls in (("rnn", torch.nn.RNN), ("lstm", torch.nn.LSTM)):
        module = cls(3, 4, batch_first=True).double()
        weights = [getattr(module, name) for name in RNN_NAMES]
        if not torch.equal(module(seq)[0], recurrent(kind, seq, weights, 4)):
            raise RuntimeError(f"recurrent({kind}) differs from torch.nn.{cls.__name__}")


def loss_of(out, z, y, loss, steps=1):
    if loss == "mse":
        return F.mse_loss(out, y)
    if loss == "bce":
        return F.binary_cross_entropy(out, y)
    # probability targets; out is softmax(z); a sequence: one row per step
    return F.cross_entropy(z.reshape(-1, z.shape[1] // steps), y.reshape(-1, z.shape[1] // steps))


def make_targets(rng, kind, batch, n_out):
    if kind == "real":
        return rng.standard_normal((batch, n_out))
    if kind == "signed":
        return rng.uniform(-0.9, 0.9, (batch, n_out))
    if kind == "unit":
        return rng.uniform(0.05, 0.95, (batch, n_out))
    if kind == "binary":
        return (rng.uniform(size=(batch, n_out)) < 0.5).astype(np.float64)
    if kind == "onehot":
        return np.eye(n_out)[rng.integers(0, n_out, batch)]
    p = rng.uniform(0.1, 1.0, (batch, n_out))
    return p / p.sum(axis=1, keepdims=True)


def default_trajectories():
    """Every optimizer x regulariser pair, no clipping."""
    return [(opt, reg, 0.0) for opt in OPTIMIZERS for reg in REGULARIZERS]


def clip_trajectories(clip):
    """Recurrent cases: every optimizer plain, clipped, and clipped with L2."""
    return [(opt, reg, c) for opt in OPTIMIZERS
            for reg, c in ((("none", 0.0), 0.0), (("none", 0.0), clip), (("l2", 0.01), clip))]


def run_case(layers, loss, params0, xs, ys, dtype, decay, trajectories):
    """Forward, loss and gradient at params0, then every (optimizer, regulariser,
    clip norm) trajectory. decay: per block, whether L1/L2 applies. Returns flat
    float64 numpy arrays."""
    def fresh():
        return [p.to(dtype).clone().requires_grad_(True) for p in params0]

    xs = [x.to(dtype) for x in xs]
    ys = [y.to(dtype) for y in ys]
    params = fresh()
    out, z, steps = forward(params, xs[0], layers)
    loss0 = loss_of(out, z, ys[0], loss, steps)
    loss0.backward()
    result = {"out0": out.detach().double().numpy().ravel(),
              "loss0": np.array([loss0.item()]),
              "grad0": flat([p.grad for p in params]),
              "trajectories": [], "clipped": []}  # per clipped trajectory: steps clipped
    for (opt_name, lr, beta1, beta2, eps), (reg_name, rate), clip in trajectories:
        lr, beta1, beta2, eps = (float(np.float32(v)) for v in (lr, beta1, beta2, eps))
        rate, clip = float(np.float32(rate)), float(np.float32(clip))
        params = fresh()
        if opt_name == "sgd":
            opt = torch.optim.SGD(params, lr=lr)
        elif opt_name == "momentum":
            opt = torch.optim.SGD(params, lr=lr, momentum=beta1)
        else:
            opt = torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps)
        losses = []
        if clip > 0:
            result["clipped"].append(0)
        for step in range(N_STEPS):
            opt.zero_grad()
            out, z, steps = forward(params, xs[step], layers)
            value = loss_of(out, z, ys[step], loss, steps)
            value.backward()
            losses.append(value.item())
            # Regularisation on weights only (never biases), by hand:
            # weight_decay would also decay the biases.
            with torch.no_grad():
                for w, d in zip(params, decay):
                    if d and reg_name == "l2":
                        w.grad += rate * w
                    elif d and reg_name == "l1":
                        w.grad += rate * torch.sign(w)
            if clip > 0:  # the core clips the gradients it holds: regularisation included
                total = torch.nn.utils.clip_grad_norm_(params, clip)
                result["clipped"][-1] += int(total > clip)
            opt.step()
        result["trajectories"].append({
            "opt": (opt_name, lr, beta1, beta2, eps), "reg": (reg_name, rate), "clip": clip,
            "losses": np.array(losses), "params": flat(params)})
    return result


def flat(tensors):
    return np.concatenate([t.detach().double().numpy().ravel() for t in tensors])


def param_blocks(specs):
    """(start, end) of each parameter block in the flat layout."""
    blocks, start = [], 0
    for shape, _, _ in specs:
        n = int(np.prod(shape))
        blocks.append((start, start + n))
        start += n
    return blocks


def error_measure(got, want, blocks=None, floor=FLOOR_FRACTION):
    """The tests' measure, per block (a weight matrix, a bias vector, an output
    array): |got - want| / max(|want|, floor * max|want in block|).
    The floor covers entries that are near zero through cancellation (a gradient
    summed over a batch, a parameter crossing zero): float32 rounding there is
    proportional to the size of the terms summed, i.e. the block's scale, not to
    the tiny result. Losses are compared with floor 0: purely relative."""
    worst = 0.0
    for start, end in blocks or [(0, len(want))]:
        w, g = want[start:end], got[start:end]
        denom = np.maximum(np.abs(w), floor * np.max(np.abs(w)))
        denom[denom == 0] = 1.0  # both exactly zero (dead ReLU units): any error counts
        worst = max(worst, float(np.max(np.abs(g - w) / denom)))
    return worst


def worst_error(a, b, blocks):
    errs = [error_measure(a["out0"], b["out0"]), error_measure(a["loss0"], b["loss0"], floor=0),
            error_measure(a["grad0"], b["grad0"], blocks)]
    for ta, tb in zip(a["trajectories"], b["trajectories"]):
        errs += [error_measure(ta["losses"], tb["losses"], floor=0),
                 error_measure(ta["params"], tb["params"], blocks)]
    return max(errs)


def make_inputs(rng, kind, batch, n_in, features):
    if kind == "normal":
        return rng.standard_normal((batch, n_in))
    if kind == "onehot":  # characters: one of `features` per time step
        return np.eye(features)[rng.integers(0, features, batch * (n_in // features))].reshape(batch, n_in)
    # "sparse": like MNIST pixels, in [0, 1] with about 70% exact zeros, so the core's
    # zero-skipping paths (taken when at least half the inputs are zero) are checked too.
    return rng.uniform(0.0, 1.0, (batch, n_in)) * (rng.uniform(size=(batch, n_in)) < 0.3)


def draw_case(seed, in_shape, layers, target_kind, batch, inputs="normal"):
    rng = np.random.default_rng(seed)
    params0 = [f32(rng.uniform(-bound, bound, shape)) for shape, _, bound in param_specs(in_shape, layers)]
    n_in = int(np.prod(in_shape))
    out = out_shape_of(in_shape, layers)
    n_out = int(np.prod(out))
    steps = out[0] if sequence_output(layers) else 1  # targets per step (one-hot per step)
    xs = [f32(make_inputs(rng, inputs, batch, n_in, in_shape[1])).reshape((batch,) + tuple(in_shape))
          for _ in range(N_STEPS)]
    ys = [f32(make_targets(rng, target_kind, batch * steps, n_out // steps).reshape(batch, n_out))
          for _ in range(N_STEPS)]
    return params0, xs, ys


def sequence_output(layers):
    last = layers[-1]
    return last[0] in ("rnn", "lstm", "dense") and len(last) > 3 and bool(last[3])


def out_shape_of(in_shape, layers):
    shape = in_shape
    for layer in layers:
        shape = out_shape(shape, layer)
    return shape


def build_case(index, name, in_shape, layers, loss, target_kind, batch, inputs="normal", clip=0.0):
    specs = param_specs(in_shape, layers)
    blocks = param_blocks(specs)
    decay = [d for _, d, _ in specs]
    trajectories = clip_trajectories(clip) if clip > 0 else default_trajectories()
    for attempt in range(100):
        seed = 1000 * index + attempt
        params0, xs, ys = draw_case(seed, in_shape, layers, target_kind, batch, inputs)
        if inputs == "sparse" and min(float((x == 0).double().mean()) for x in xs) < 0.6:
            continue  # every batch well past the core's "at least half zero" switch
        truth = run_case(layers, loss, params0, xs, ys, torch.float64, decay, trajectories)
        if clip > 0 and min(truth["clipped"]) < 1:  # clipping must change every clipped trajectory
            raise RuntimeError(f"{name}: clip norm {clip} leaves a trajectory unclipped")
        single = run_case(layers, loss, params0, xs, ys, torch.float32, decay, trajectories)
        err = worst_error(single, truth, blocks)
        if err <= CONDITION_LIMIT:
            return {"name": name, "in_shape": in_shape, "layers": layers, "loss": loss,
                    "batch": batch, "params0": flat(params0), "blocks": blocks, "xs": xs,
                    "ys": ys, "n_out": int(np.prod(out_shape_of(in_shape, layers))),
                    "truth": truth, "float32_error": err, "attempts": attempt + 1}
    raise RuntimeError(f"no well-conditioned draw for {name}")


def dense_layers(sizes, acts):
    return (sizes[0], 1, 1), [("dense", act, units) for units, act in zip(sizes[1:], acts)]


def case_list():
    cases = []
    for h, hidden in enumerate(HIDDEN):
        for k, (loss, out_act, target_kind) in enumerate(HEADS):
            shape, batch = SHAPES[(h * len(HEADS) + k) % len(SHAPES)]
            n_out = 1 if loss != "ce" and out_act != "softmax" and (h + k) % 3 == 0 else 3
            sizes = shape + [n_out]
            acts = [hidden] * (len(shape) - 1) + [out_act]
            cases.append((f"{hidden}->{out_act}/{loss}/{target_kind}", *dense_layers(sizes, acts),
                          loss, target_kind, batch))
    for k, (loss, out_act, target_kind) in enumerate(HEADS):  # no hidden layer
        n_out = 1 if loss != "ce" and out_act != "softmax" and k % 2 == 0 else 4
        sizes = [3 + k % 3, n_out]
        cases.append((f"nohidden->{out_act}/{loss}/{target_kind}", *dense_layers(sizes, [out_act]),
                      loss, target_kind, [1, 7][k % 2]))
    # Mostly-zero inputs (MNIST-like), appended so the cases above keep their seeds.
    sparse = [("sparse-x relu->softmax/ce/onehot", [20, 12, 4], ["relu", "softmax"], "ce", "onehot", 8),
              ("sparse-x relu->relu->softmax/ce/prob", [16, 10, 8, 3], ["relu", "relu", "softmax"],
               "ce", "prob", 6),
              ("sparse-x tanh->sigmoid/bce/binary", [12, 6, 2], ["tanh", "sigmoid"], "bce", "binary", 1),
              ("sparse-x nohidden->linear/mse/real", [18, 3], ["linear"], "mse", "real", 5)]
    cases += [(name, *dense_layers(sizes, acts), loss, target, batch, "sparse")
              for name, sizes, acts, loss, target, batch in sparse]
    cases += cnn_cases()
    cases += recurrent_cases()  # appended last: the cases above keep their seeds
    return cases


def recurrent_cases():
    """RNN and LSTM: lengths 1, 5-7 and 40, batch 1 and more, hidden size 1,
    two stacked layers, sequence to sequence (per-step dense + softmax + CE,
    one-hot characters) and sequence to one (MSE); every optimizer plain,
    clipped (the clip norm is below every step's gradient norm) and clipped
    with L2. (name, in_shape (T, F, 1), layers, loss, target, batch, inputs, clip)"""
    rnn = lambda h, seq, act="linear": ("rnn", act, h, seq)
    lstm = lambda h, seq, act="linear": ("lstm", act, h, seq)
    dense = lambda act, n: ("dense", act, n)
    step_dense = lambda act, n: ("dense", act, n, 1)
    return [
        ("rnn T1 seq-to-one/mse", (1, 3, 1), [rnn(4, 0), dense("linear", 2)], "mse", "real", 3, "normal", 0.05),
        ("rnn T5 per-step softmax/ce onehot-x", (5, 4, 1), [rnn(6, 1), step_dense("softmax", 4)],
         "ce", "onehot", 2, "onehot", 0.05),
        ("rnn T40 seq-to-one/mse batch 1", (40, 2, 1), [rnn(5, 0), dense("linear", 1)], "mse", "real", 1,
         "normal", 0.05),
        ("rnn hidden 1 as output/mse", (6, 3, 1), [rnn(1, 1)], "mse", "signed", 4, "normal", 0.02),
        ("rnn stacked 2 seq-to-one/mse", (7, 3, 1), [rnn(5, 1), rnn(4, 0), dense("linear", 2)], "mse", "real",
         3, "normal", 0.05),
        ("rnn tanh act, per-step sigmoid/bce", (4, 3, 1), [rnn(4, 1, "tanh"), step_dense("sigmoid", 2)],
         "bce", "binary", 2, "normal", 0.02),
        ("lstm T1 seq-to-one softmax/ce", (1, 4, 1), [lstm(3, 0), dense("softmax", 3)], "ce", "onehot", 2,
         "normal", 0.05),
        ("lstm T5 per-step softmax/ce onehot-x", (5, 6, 1), [lstm(8, 1), step_dense("softmax", 6)],
         "ce", "onehot", 3, "onehot", 0.05),
        ("lstm T40 seq-to-one/mse batch 1", (40, 2, 1), [lstm(4, 0), dense("linear", 1)], "mse", "real", 1,
         "normal", 0.005),
        ("lstm hidden 1 as output/mse", (5, 2, 1), [lstm(1, 1)], "mse", "signed", 2, "normal", 0.01),
        ("lstm stacked 2 per-step softmax/ce prob", (6, 3, 1), [lstm(5, 1), lstm(4, 1), step_dense("softmax", 3)],
         "ce", "prob", 2, "normal", 0.02),
    ]


def cnn_cases():
    """Conv2d / MaxPool2d / Flatten stacks: stride 2, padding, a kernel equal
    to the (padded) input, 1x1 kernels, several channels, batch 1, overlapping
    pools, MNIST-like sparse inputs; every head a CNN ends in."""
    conv, pool, flat, dense = (lambda act, *v: ("conv", act) + v), (lambda act, *v: ("pool", act) + v), \
        (lambda: ("flatten", "linear")), (lambda act, n: ("dense", act, n))
    return [
        ("cnn conv-relu pool flatten dense/ce", (1, 8, 8),
         [conv("relu", 3, 3, 3, 1, 0), pool("linear", 2, 2), flat(), dense("softmax", 4)], "ce", "onehot", 4),
        ("cnn stride2 pad1 tanh/mse", (2, 7, 6),
         [conv("tanh", 4, 3, 3, 2, 1), flat(), dense("linear", 3)], "mse", "real", 3),
        ("cnn kernel=input 1x1 sigmoid/bce", (3, 5, 5),
         [conv("sigmoid", 4, 1, 1, 1, 0), conv("sigmoid", 2, 5, 5, 1, 0)], "bce", "binary", 2),
        ("cnn kernel=padded input, batch 1", (2, 3, 4),
         [conv("leaky_relu", 3, 5, 6, 1, 1), flat(), dense("softmax", 3)], "ce", "prob", 1),
        ("cnn two convs pool3 dense-after-pool/ce", (1, 12, 12),
         [conv("relu", 4, 5, 5, 1, 2), pool("linear", 2, 2), conv("relu", 6, 3, 3, 1, 1),
          pool("linear", 3, 3), dense("softmax", 5)], "ce", "onehot", 3),
        ("cnn overlapping pool k3 s1, relu on pool", (3, 6, 6),
         [conv("linear", 5, 2, 2, 1, 0), pool("relu", 3, 1), conv("tanh", 2, 2, 3, 2, 1), flat(),
          dense("softmax", 3)], "ce", "onehot", 2),
        ("cnn rectangular kernels, stride 3", (2, 9, 10),
         [conv("relu", 3, 2, 4, 3, 1), pool("linear", 2, 1), flat(), dense("relu", 6),
          dense("linear", 2)], "mse", "real", 3),
        ("cnn sparse-x lenet-like", (1, 14, 14),
         [conv("relu", 6, 5, 5, 1, 2), pool("linear", 2, 2), conv("relu", 8, 5, 5, 1, 0),
          pool("linear", 3, 3), flat(), dense("relu", 12), dense("softmax", 10)], "ce", "onehot", 4, "sparse"),
        ("cnn sparse-x 8-channel first conv", (1, 10, 10),
         [conv("relu", 8, 3, 3, 1, 1), pool("linear", 2, 2), conv("relu", 8, 1, 1, 1, 0), flat(),
          dense("softmax", 4)], "ce", "onehot", 3, "sparse"),
    ]


def check_pool_tie_rule():
    """The core sends a max-pool gradient to the first maximum of its window
    in row-major order (tests/native/test_cnn.c checks it on the same input);
    this is PyTorch's rule too, or the fixtures would not say so."""
    x = torch.full((1, 1, 3, 3), 3.0, dtype=torch.float64, requires_grad=True)
    F.max_pool2d(x, 2, 1).backward(torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]], dtype=torch.float64))
    want = torch.tensor([[1.0, 2.0, 0.0], [3.0, 4.0, 0.0], [0.0, 0.0, 0.0]], dtype=torch.float64)
    if not torch.equal(x.grad[0, 0], want):
        raise RuntimeError(f"PyTorch's max-pool tie rule differs from the core's: {x.grad}")


def write(path, cases):
    def f32s(a):
        return np.asarray(a, dtype="<f4").tobytes()

    def i32s(*v):
        return struct.pack("<%di" % len(v), *v)

    with open(path, "wb") as f:
        f.write(b"NNRF" + i32s(3, len(cases)))
        for c in cases:
            n_layers = len(c["layers"])
            truth = c["truth"]
            f.write(c["name"].encode().ljust(48, b"\0")[:48])
            f.write(i32s(n_layers, *c["in_shape"]))
            for layer in c["layers"]:
                ints = list(layer[2:])
                f.write(i32s(KIND[layer[0]], ACT[layer[1]], *(ints + [0] * (DESC_INTS - 2 - len(ints)))))
            f.write(i32s(LOSS[c["loss"]], c["batch"], N_STEPS, len(truth["trajectories"]),
                         len(c["params0"]), c["n_out"]))
            f.write(i32s(len(c["blocks"]), *[end - start for start, end in c["blocks"]]))
            f.write(f32s(c["params0"]))
            for x in c["xs"]:
                f.write(f32s(x.numpy().ravel()))
            for y in c["ys"]:
                f.write(f32s(y.numpy().ravel()))
            f.write(f32s(truth["out0"]) + f32s(truth["loss0"]) + f32s(truth["grad0"]))
            for t in truth["trajectories"]:
                opt_name, lr, beta1, beta2, eps = t["opt"]
                reg_name, rate = t["reg"]
                f.write(i32s(OPT[opt_name]) + f32s([lr, beta1, beta2, eps]))
                f.write(i32s(REG[reg_name]) + f32s([rate, t["clip"]]))
                f.write(f32s(t["losses"]) + f32s(t["params"]))


def main():
    torch.manual_seed(0)
    check_pool_tie_rule()
    check_recurrent_modules()
    torch.manual_seed(0)
    cases = [build_case(i, *spec) for i, spec in enumerate(case_list())]
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "fixtures.bin")
    write(path, cases)
    worst = max(cases, key=lambda c: c["float32_error"])
    redrawn = sum(c["attempts"] > 1 for c in cases)
    print(f"wrote {len(cases)} cases to {path} ({os.path.getsize(path)} bytes); "
          f"{redrawn} redrawn (ill-conditioned, or too few zeros for sparse-x); float32 PyTorch vs float64 truth: "
          f"largest error {worst['float32_error']:.2e} ({worst['name']})")


if __name__ == "__main__":
    main()
