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
  header: char[4] "NNRF", i32 version (1), i32 n_cases
  per case:
    char[48] name (NUL-padded)
    i32 n_layers, i32 sizes[n_layers + 1], i32 activations[n_layers], i32 loss
    i32 batch, i32 n_steps, i32 n_trajectories, i32 n_params
    f32 params0[n_params]                        nn.h's flat layout
    f32 x[n_steps][batch * sizes[0]]             one batch per step
    f32 y[n_steps][batch * sizes[n_layers]]
    f32 out0[batch * outputs]                    forward on x[0] at params0
    f32 loss0                                    mean loss on x[0], y[0]
    f32 grad0[n_params]                          d loss0 / d params0, no regularisation
    per trajectory (from params0, fresh optimizer state):
      i32 optimizer, f32 lr, f32 beta1, f32 beta2, f32 eps
      i32 regularization, f32 rate
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


def forward(params, x, acts):
    """params: [W0, b0, W1, b1, ...]. Returns (output, output pre-activation)."""
    h = x
    z = x
    for layer, act in enumerate(acts):
        w, b = params[2 * layer], params[2 * layer + 1]
        z = F.linear(h, w, b)
        h = activate(z, act)
    return h, z


def loss_of(out, z, y, loss):
    if loss == "mse":
        return F.mse_loss(out, y)
    if loss == "bce":
        return F.binary_cross_entropy(out, y)
    return F.cross_entropy(z, y)  # probability targets; out is softmax(z)


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


def run_case(sizes, acts, loss, params0, xs, ys, dtype):
    """Forward, loss and gradient at params0, then every optimizer x regulariser
    trajectory. Returns flat float64 numpy arrays."""
    def fresh():
        return [p.to(dtype).clone().requires_grad_(True) for p in params0]

    xs = [x.to(dtype) for x in xs]
    ys = [y.to(dtype) for y in ys]
    params = fresh()
    out, z = forward(params, xs[0], acts)
    loss0 = loss_of(out, z, ys[0], loss)
    loss0.backward()
    result = {"out0": out.detach().double().numpy().ravel(),
              "loss0": np.array([loss0.item()]),
              "grad0": flat([p.grad for p in params]),
              "trajectories": []}
    for opt_name, lr, beta1, beta2, eps in OPTIMIZERS:
        lr, beta1, beta2, eps = (float(np.float32(v)) for v in (lr, beta1, beta2, eps))
        for reg_name, rate in REGULARIZERS:
            rate = float(np.float32(rate))
            params = fresh()
            if opt_name == "sgd":
                opt = torch.optim.SGD(params, lr=lr)
            elif opt_name == "momentum":
                opt = torch.optim.SGD(params, lr=lr, momentum=beta1)
            else:
                opt = torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps)
            losses = []
            for step in range(N_STEPS):
                opt.zero_grad()
                out, z = forward(params, xs[step], acts)
                value = loss_of(out, z, ys[step], loss)
                value.backward()
                losses.append(value.item())
                # Regularisation on weights only (never biases), by hand:
                # weight_decay would also decay the biases.
                with torch.no_grad():
                    for w in params[0::2]:
                        if reg_name == "l2":
                            w.grad += rate * w
                        elif reg_name == "l1":
                            w.grad += rate * torch.sign(w)
                opt.step()
            result["trajectories"].append({
                "opt": (opt_name, lr, beta1, beta2, eps), "reg": (reg_name, rate),
                "losses": np.array(losses), "params": flat(params)})
    return result


def flat(tensors):
    return np.concatenate([t.detach().double().numpy().ravel() for t in tensors])


def param_blocks(sizes):
    """(start, end) of each weight matrix and bias vector in the flat layout."""
    blocks, start = [], 0
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        blocks += [(start, start + fan_in * fan_out), (start + fan_in * fan_out,
                                                       start + fan_in * fan_out + fan_out)]
        start += fan_in * fan_out + fan_out
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


def worst_error(a, b, sizes):
    blocks = param_blocks(sizes)
    errs = [error_measure(a["out0"], b["out0"]), error_measure(a["loss0"], b["loss0"], floor=0),
            error_measure(a["grad0"], b["grad0"], blocks)]
    for ta, tb in zip(a["trajectories"], b["trajectories"]):
        errs += [error_measure(ta["losses"], tb["losses"], floor=0),
                 error_measure(ta["params"], tb["params"], blocks)]
    return max(errs)


def make_inputs(rng, kind, batch, n_in):
    if kind == "normal":
        return rng.standard_normal((batch, n_in))
    # "sparse": like MNIST pixels, in [0, 1] with about 70% exact zeros, so the core's
    # zero-skipping paths (taken when at least half the inputs are zero) are checked too.
    return rng.uniform(0.0, 1.0, (batch, n_in)) * (rng.uniform(size=(batch, n_in)) < 0.3)


def draw_case(seed, sizes, acts, loss, target_kind, batch, inputs="normal"):
    rng = np.random.default_rng(seed)
    params0 = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        params0.append(f32(rng.uniform(-bound, bound, (fan_out, fan_in))))
        params0.append(f32(rng.uniform(-0.2, 0.2, fan_out)))  # nonzero biases
    xs = [f32(make_inputs(rng, inputs, batch, sizes[0])) for _ in range(N_STEPS)]
    ys = [f32(make_targets(rng, target_kind, batch, sizes[-1])) for _ in range(N_STEPS)]
    return params0, xs, ys


def build_case(index, name, sizes, acts, loss, target_kind, batch, inputs="normal"):
    for attempt in range(100):
        seed = 1000 * index + attempt
        params0, xs, ys = draw_case(seed, sizes, acts, loss, target_kind, batch, inputs)
        if inputs == "sparse" and min(float((x == 0).double().mean()) for x in xs) < 0.6:
            continue  # every batch well past the core's "at least half zero" switch
        truth = run_case(sizes, acts, loss, params0, xs, ys, torch.float64)
        single = run_case(sizes, acts, loss, params0, xs, ys, torch.float32)
        err = worst_error(single, truth, sizes)
        if err <= CONDITION_LIMIT:
            return {"name": name, "sizes": sizes, "acts": acts, "loss": loss, "batch": batch,
                    "params0": flat(params0), "xs": xs, "ys": ys, "truth": truth,
                    "float32_error": err, "attempts": attempt + 1}
    raise RuntimeError(f"no well-conditioned draw for {name}")


def case_list():
    cases = []
    for h, hidden in enumerate(HIDDEN):
        for k, (loss, out_act, target_kind) in enumerate(HEADS):
            shape, batch = SHAPES[(h * len(HEADS) + k) % len(SHAPES)]
            n_out = 1 if loss != "ce" and out_act != "softmax" and (h + k) % 3 == 0 else 3
            sizes = shape + [n_out]
            acts = [hidden] * (len(shape) - 1) + [out_act]
            cases.append((f"{hidden}->{out_act}/{loss}/{target_kind}", sizes, acts, loss,
                          target_kind, batch))
    for k, (loss, out_act, target_kind) in enumerate(HEADS):  # no hidden layer
        n_out = 1 if loss != "ce" and out_act != "softmax" and k % 2 == 0 else 4
        sizes = [3 + k % 3, n_out]
        cases.append((f"nohidden->{out_act}/{loss}/{target_kind}", sizes, [out_act], loss,
                      target_kind, [1, 7][k % 2]))
    # Mostly-zero inputs (MNIST-like), appended so the cases above keep their seeds.
    cases += [("sparse-x relu->softmax/ce/onehot", [20, 12, 4], ["relu", "softmax"], "ce", "onehot", 8, "sparse"),
              ("sparse-x relu->relu->softmax/ce/prob", [16, 10, 8, 3], ["relu", "relu", "softmax"],
               "ce", "prob", 6, "sparse"),
              ("sparse-x tanh->sigmoid/bce/binary", [12, 6, 2], ["tanh", "sigmoid"], "bce", "binary", 1, "sparse"),
              ("sparse-x nohidden->linear/mse/real", [18, 3], ["linear"], "mse", "real", 5, "sparse")]
    return cases


def write(path, cases):
    def f32s(a):
        return np.asarray(a, dtype="<f4").tobytes()

    def i32s(*v):
        return struct.pack("<%di" % len(v), *v)

    with open(path, "wb") as f:
        f.write(b"NNRF" + i32s(1, len(cases)))
        for c in cases:
            n_layers = len(c["acts"])
            truth = c["truth"]
            f.write(c["name"].encode().ljust(48, b"\0")[:48])
            f.write(i32s(n_layers, *c["sizes"]) + i32s(*[ACT[a] for a in c["acts"]]))
            f.write(i32s(LOSS[c["loss"]], c["batch"], N_STEPS, len(truth["trajectories"]),
                         len(c["params0"])))
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
                f.write(i32s(REG[reg_name]) + f32s([rate]))
                f.write(f32s(t["losses"]) + f32s(t["params"]))


def main():
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
