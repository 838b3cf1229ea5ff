#!/usr/bin/env python3
"""Recomputes traced examples with torch.autograd in float64 and compares.

    python3 tests/python/trace_autograd.py TRACE.json [TRACE.json ...]

Each file is the trace JSON the page downloads ("Download these numbers",
README "Trace JSON"). From its W, b, x and y alone this builds the network in
PyTorch (float64), runs forward and backward, and compares z, a, the output,
the loss, delta = dL/dz, dL/dW, dL/db and dL/dx with the file's numbers.
RNN / LSTM layers (torch.nn.RNN / LSTM cells, unrolled step by step here so
every step's tensors keep their gradients) also compare every step: the
pre-activations, h_t (c_t and the gates), dL/dh_t (whole, and its part from
step t+1), dL/dpre_t, and dL/dW_ih, dL/dW_hh, dL/db_ih, dL/db_hh.

A tensor's difference is max|engine - torch| / max(max|torch|, 1e-6): the
engine computes in float32, so about 1e-7..1e-6 is expected. Prints one JSON
line: the files checked, the worst difference and where it was. Exits 1
when any exceeds --tol (default 1e-4).
"""
import argparse
import json
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softmax": lambda z: torch.softmax(z, dim=-1),
}


def t(values):
    return torch.tensor(values, dtype=torch.float64)


def loss_of(kind, z, a, y):
    """The engine's losses for one example (nn.h): PyTorch's mean reduction."""
    if kind == "mse":
        return F.mse_loss(a, y)  # mean over the outputs
    if kind == "bce":
        return F.binary_cross_entropy_with_logits(z, y)  # = BCELoss(sigmoid(z)), from z
    if kind == "ce":  # probability targets, batch of 1; a sequence: the mean over its steps
        return -(y.reshape(z.shape) * torch.log_softmax(z, dim=-1)).sum() / (z.shape[0] if z.dim() == 2 else 1)
    raise ValueError(f"unknown loss {kind}")


def recurrent(layer, fwd, h):
    """An RNN / LSTM layer on h [T, F], unrolled: (z, params, per-step tensors)."""
    lstm = layer["kind"] == "lstm"
    H = layer["hidden"]
    w = {k: t(fwd[k]).requires_grad_(True) for k in ("W_ih", "W_hh", "b_ih", "b_hh")}
    hs, cs, pres, gates = [], [], [], []
    hp, cp = torch.zeros(H), torch.zeros(H)
    for x_t in h.reshape(h.shape[0], -1):
        pre = w["W_ih"] @ x_t + w["b_ih"] + (w["W_hh"] @ hp + w["b_hh"])
        pre.retain_grad()
        if lstm:
            i, f, g, o = pre.split(H)
            i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
            cp = f * cp + i * g
            hp = o * torch.tanh(cp)
            cs.append(cp)
            gates.append((i, f, g, o))
        else:
            hp = torch.tanh(pre)
        hp.retain_grad()
        pres.append(pre)
        hs.append(hp)
    z = torch.stack(hs) if layer["return_sequences"] else hs[-1]
    return z, w, {"pre": pres, "h": hs, "c": cs, "gates": gates}


def check(trace):
    """Differences per quantity for one trace: {name: relative difference}."""
    assert trace["format"] == "nn-trace" and trace["version"] == 1, "not an nn-trace v1 file"
    x = t(trace["example"]["x"]).requires_grad_(True)
    y = t(trace["example"]["y"])
    h = x
    params, zs, acts = [], [], []
    for layer, fwd in zip(trace["layers"], trace["forward"]):
        kind = layer["kind"]
        W = b = None
        if "W" in fwd:
            W = t(fwd["W"]).requires_grad_(True)
            b = t(fwd["b"]).requires_grad_(True)
        steps = None
        if kind == "dense" and layer.get("per_step"):
            z = h.reshape(h.shape[0], -1) @ W.T + b
        elif kind == "dense":
            z = W @ h.reshape(-1) + b
        elif kind in ("rnn", "lstm"):
            z, W, steps = recurrent(layer, fwd, h)
        elif kind == "conv2d":
            z = F.conv2d(h.unsqueeze(0), W, b, stride=layer["stride"], padding=layer["padding"]).squeeze(0)
        elif kind == "maxpool":
            z = F.max_pool2d(h.unsqueeze(0), layer["kernel"][0], layer["stride"]).squeeze(0)
        elif kind == "flatten":
            z = h.reshape(-1)
        else:
            raise ValueError(f"unknown layer kind {kind}")
        z.retain_grad()
        a = ACTIVATIONS[layer["activation"]](z)
        params.append((W, b, steps))
        zs.append(z)
        acts.append(a)
        h = a
    loss = loss_of(trace["loss"], zs[-1], acts[-1], y.reshape(zs[-1].shape) if trace["loss"] != "ce" else y)
    loss.backward()

    diffs = {}

    def compare(name, engine, torch_value):
        ref = torch_value.detach()
        got = t(engine).reshape(ref.shape)
        scale = max(ref.abs().max().item(), 1e-6)
        diffs[name] = (got - ref).abs().max().item() / scale

    compare("loss", [trace["loss_value"]], loss.reshape(1))
    compare("output", trace["output"], acts[-1])
    compare("input_grad", trace["input_grad"], x.grad)
    for i, (fwd, bwd) in enumerate(zip(trace["forward"], trace["backward"])):
        if "z" in fwd:
            compare(f"layer {i} z", fwd["z"], zs[i])
        compare(f"layer {i} a", fwd["a"], acts[i])
        compare(f"layer {i} delta", bwd["delta"], zs[i].grad)
        W, b, steps = params[i]
        if steps is not None:
            for k in ("W_ih", "W_hh"):
                compare(f"layer {i} d{k}", bwd[f"d{k}"], W[k].grad)
            for k in ("b_ih", "b_hh"):
                compare(f"layer {i} d{k}", bwd[f"d{k}"], W[k].grad)
            sf, sb = fwd["steps"], bwd["steps"]
            compare(f"layer {i} steps pre", sf["pre"], torch.stack(steps["pre"]))
            compare(f"layer {i} steps h", sf["h"], torch.stack(steps["h"]))
            compare(f"layer {i} steps dh", sb["dh"], torch.stack([s.grad for s in steps["h"]]))
            compare(f"layer {i} steps delta", sb["delta"], torch.stack([s.grad for s in steps["pre"]]))
            # the part of dL/dh_t through step t+1: delta_{t+1} W_hh
            nxt = [steps["pre"][k + 1].grad @ W["W_hh"].detach() for k in range(len(steps["pre"]) - 1)]
            nxt.append(torch.zeros_like(steps["h"][0]))
            compare(f"layer {i} steps dh_from_next", sb["dh_from_next"], torch.stack(nxt))
            if steps["c"]:
                compare(f"layer {i} steps c", sf["c"], torch.stack(steps["c"]))
                for q, name in enumerate("ifgo"):
                    compare(f"layer {i} steps {name}", sf[name], torch.stack([g[q] for g in steps["gates"]]))
        elif W is not None:
            compare(f"layer {i} dW", bwd["dW"], W.grad)
            compare(f"layer {i} db", bwd["db"], b.grad)
    return diffs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--tol", type=float, default=1e-4)
    args = parser.parse_args()
    worst, where, failures = 0.0, "", []
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            diffs = check(json.load(f))
        for name, d in diffs.items():
            if d > worst:
                worst, where = d, f"{path}: {name}"
            if not d <= args.tol:  # NaN fails too
                failures.append(f"{path}: {name}: {d:.3g}")
    print(json.dumps({"files": len(args.files), "worst": worst, "where": where, "failures": failures}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
