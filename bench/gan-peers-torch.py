#!/usr/bin/python3
"""gan-peers-torch.py: the PyTorch peer of the 2-D GAN benchmark (issue 14 section 5).

Reads the bundle bench/gan-bench.mjs writes (the engine's initial weights of both networks,
the pool of real batches, the first iterations of GanPair's noise stream) and trains the same
GAN as a PyTorch user writes it: G and D as nn.Sequential of nn.Linear + ReLU (G's output
tanh, D's one logit), one optimizer per network, per iteration a D step (G's samples under
no_grad, D on [real; fake], BCE with logits as softplus, or least squares with 1/2 factors:
core/gan.c's losses) then a G step (non-saturating loss through D; D's gradients are computed
too and zeroed before D's next step, as usual). torch.set_num_threads(1).

The noise pool holds the stream's first iterations; the timed iterations cycle through it
(PyTorch does not draw GanPair's stream itself, a Python loop per number would cost more
than the step). Prints one JSON line per bundle: iterations, seconds, the first iterations'
losses (several bundles share one process: importing torch costs seconds).

Usage: /usr/bin/python3 bench/gan-peers-torch.py DIR... --seconds S --warmup-seconds W
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def network(layers, last):
    mods = []
    for i, l in enumerate(layers):
        lin = nn.Linear(l['cols'], l['rows'])
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(l['weight'], dtype=torch.float32).reshape(l['rows'], l['cols']))
            lin.bias.copy_(torch.tensor(l['bias'], dtype=torch.float32))
        mods.append(lin)
        mods.append(nn.ReLU() if i < len(layers) - 1 else last)
    return nn.Sequential(*mods)


def optimizer(params, o):
    if o['kind'] == 'sgd':
        return torch.optim.SGD(params, lr=o['lr'])
    return torch.optim.Adam(params, lr=o['lr'], betas=(o['beta1'], o['beta2']), eps=o['eps'])


def run(bundle, seconds, warmup_seconds):
    with open(os.path.join(bundle, 'meta.json'), encoding='utf8') as f:
        meta = json.load(f)
    batch = meta['batch']
    real = torch.from_numpy(np.fromfile(os.path.join(bundle, 'real.f32'), dtype=np.float32)).reshape(-1, batch, 2)
    noise = torch.from_numpy(np.fromfile(os.path.join(bundle, 'noise.f32'), dtype=np.float32)).reshape(-1, batch, meta['noiseDim'])
    g = network(meta['weights']['g'], nn.Tanh())
    d = network(meta['weights']['d'], nn.Identity())
    g_opt, d_opt = optimizer(g.parameters(), meta['optimizer']), optimizer(d.parameters(), meta['optimizer'])
    lsq = meta['loss'] == 'least_squares'

    def d_loss(z):
        zr, zf = z[:batch], z[batch:]
        if lsq:
            return 0.5 * ((zr - 1) ** 2).mean() + 0.5 * (zf ** 2).mean()
        return F.softplus(-zr).mean() + F.softplus(zf).mean()

    def g_loss(z):
        return 0.5 * ((z - 1) ** 2).mean() if lsq else F.softplus(-z).mean()

    state = {'k': 0}

    def iterate():
        k = state['k']
        state['k'] = k + 1
        zd, zg = noise[(2 * k) % noise.shape[0]], noise[(2 * k + 1) % noise.shape[0]]
        with torch.no_grad():
            fake = g(zd)
        d_opt.zero_grad()
        ld = d_loss(d(torch.cat([real[k % real.shape[0]], fake])))
        ld.backward()
        d_opt.step()
        g_opt.zero_grad()
        lg = g_loss(d(g(zg)))
        lg.backward()
        g_opt.step()
        return ld, lg

    trace = []
    for _ in range(meta['checkIterations']):
        ld, lg = iterate()
        trace.append([float(ld), float(lg)])
    chunk = 32
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < warmup_seconds:
        for _ in range(chunk):
            iterate()
    iterations, last = 0, None
    t1, c1 = time.perf_counter(), time.process_time()
    while True:
        for _ in range(chunk):
            last = iterate()
        iterations += chunk
        elapsed = time.perf_counter() - t1
        if elapsed >= seconds:
            break
    cpu = time.process_time() - c1
    last = [float(last[0]), float(last[1])]
    print(json.dumps({'iterations': iterations, 'seconds': elapsed, 'cpuSeconds': cpu, 'trace': trace, 'last': last,
                      'diverged': not all(np.isfinite(last)), 'torch': torch.__version__}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dirs', nargs='+')
    ap.add_argument('--seconds', type=float, default=2.0)
    ap.add_argument('--warmup-seconds', type=float, default=0.5)
    args = ap.parse_args()
    torch.set_num_threads(1)
    for bundle in args.dirs:
        run(bundle, args.seconds, args.warmup_seconds)


if __name__ == '__main__':
    sys.exit(main())
