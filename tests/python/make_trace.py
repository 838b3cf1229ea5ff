#!/usr/bin/env python3
"""Builds a trace of one example (the page's "Download these numbers",
format nn-trace version 1; README, "The trace JSON") with torch.autograd,
independently of the page's engine and of the NumPy export, for testing the
export's `check` command.

usage: make_trace.py [--corrupt] spec.json trace.json [spec.json trace.json ...]
spec: {"lab", "input_shape", "layers" (model-file layers), "loss", "params"
(floats in the core's layout: per layer weight then bias), "x", "y",
optionally "corrupt": true}. Several pairs share one start of torch.
A corrupt trace is deliberately wrong: the first layer's largest dW
value is made 1 % larger (1e-3 when all are 0), so a correct check must fail on it."""
import json
import sys

import torch
import torch.nn.functional as F


def activate(name, z):
    return {
        "relu": torch.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, 0.01),
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "softmax": lambda t: torch.softmax(t, dim=1),
        "linear": lambda t: t,
    }[name](z)


def main(spec_path, out_path, corrupt):
    with open(spec_path) as f:
        spec = json.load(f)
    layers, loss_name = spec["layers"], spec["loss"]
    flat = torch.tensor(spec["params"], dtype=torch.float32)
    offset = 0

    def take(*shape):
        nonlocal offset
        n = 1
        for s in shape:
            n *= s
        t = flat[offset:offset + n].reshape(shape).clone().requires_grad_(True)
        offset += n
        return t

    first = layers[0]
    x = torch.tensor(spec["x"], dtype=torch.float32).reshape(1, -1).requires_grad_(True)
    a = x if first["kind"] == "dense" else x.reshape(1, *first["input"])
    params, zs, outs = [], [], []
    for layer in layers:
        kind = layer["kind"]
        W = b = None
        if kind == "dense":
            W, b = take(layer["units"], layer["inputs"]), take(layer["units"])
            z = a.reshape(1, -1) @ W.t() + b
        elif kind == "conv2d":
            W, b = take(layer["filters"], layer["input"][0], layer["kernel"], layer["kernel"]), take(layer["filters"])
            z = F.conv2d(a, W, b, stride=layer["stride"], padding=layer["padding"])
        elif kind == "maxpool":
            z = F.max_pool2d(a, layer["kernel"], stride=layer["stride"])
        else:
            z = a.reshape(1, -1)
        z.retain_grad()
        a = activate(layer["activation"], z)
        params.append((W, b))
        zs.append(z)
        outs.append(a)
    assert offset == flat.numel(), "parameter count does not match the layers"
    y = torch.tensor(spec["y"], dtype=torch.float32).reshape(1, -1)
    z_out = zs[-1]
    if loss_name == "mse":
        loss = F.mse_loss(a.reshape(1, -1), y)
    elif loss_name == "bce":
        loss = F.binary_cross_entropy_with_logits(z_out.reshape(1, -1), y)
    else:
        loss = F.cross_entropy(z_out.reshape(1, -1), y)  # probability (one-hot) targets
    loss.backward()

    forward, backward = [], []
    for layer, (W, b), z, out in zip(layers, params, zs, outs):
        f = {}
        if W is not None:
            f["W"], f["b"] = W.detach().tolist(), b.detach().tolist()
        if layer["kind"] in ("dense", "conv2d"):
            f["z"] = z.detach()[0].tolist()
        f["a"] = out.detach()[0].tolist()
        forward.append(f)
        g = {"delta": z.grad[0].tolist()}
        if W is not None:
            g["dW"], g["db"] = W.grad.tolist(), b.grad.tolist()
        backward.append(g)
    if corrupt or spec.get("corrupt"):
        dW = params[0][0].grad
        i = int(dW.abs().argmax())
        wrong = dW.flatten().clone()
        wrong[i] = wrong[i] * 1.01 if wrong[i] != 0 else 1e-3  # all zero: any nonzero value is wrong
        backward[0]["dW"] = wrong.reshape(dW.shape).tolist()

    def layer_entry(layer, out):
        e = {k: v for k, v in layer.items() if k not in ("input", "inputs")}
        if layer["kind"] in ("conv2d", "maxpool"):
            e["kernel"] = [layer["kernel"], layer["kernel"]]
        e["output_shape"] = list(out.shape[1:])
        return e

    trace = {
        "format": "nn-trace", "version": 1, "lab": spec["lab"], "config": spec.get("config", {}),
        "input_shape": spec["input_shape"],
        "layers": [layer_entry(layer, out) for layer, out in zip(layers, outs)],
        "loss": loss_name,
        "example": {"index": spec.get("index", 0), "x": spec["x"], "y": spec["y"]},
        "forward": forward,
        "output": outs[-1].detach().reshape(-1).tolist(),
        "loss_value": float(loss),
        "backward": backward,
        "input_grad": x.grad[0].tolist(),
    }
    with open(out_path, "w") as f:
        json.dump(trace, f)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--corrupt"]
    if len(args) < 2 or len(args) % 2:
        sys.exit(__doc__)
    for spec_path, out_path in zip(args[::2], args[1::2]):
        main(spec_path, out_path, "--corrupt" in sys.argv[1:])
