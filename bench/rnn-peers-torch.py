#!/usr/bin/python3
"""rnn-peers-torch.py: the PyTorch peer of the recurrent benchmark (issue 13 section 3).

Reads the bundle of bench/rnn-data.mjs (same batches, same initial weights as every other
peer) and trains the shared model: one-hot characters -> nn.LSTM(V, H, batch_first=True) ->
nn.Linear(H, V) on every step -> CrossEntropyLoss over the (B*T, V) logits -> Adam.
torch.set_num_threads(1) (the target's reference).

  text:  characters/s of training (forward + backward + update) on Moby Dick, in --rounds
         rounds of --steps steps after a warm-up; one JSON line per round.
  names: trains --steps steps (default the bundle's trainSteps) on the names task, then prints
         one JSON line with the validation loss and the first losses.

Usage: /usr/bin/python3 bench/rnn-peers-torch.py text|names [--dir DIR] [--steps N] [--rounds R]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CharLstm(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.lstm = nn.LSTM(vocab, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(h)


def load(dirname, name, dtype):
    return np.fromfile(os.path.join(dirname, name), dtype=dtype)


def make_model(meta, init):
    model = CharLstm(meta['vocab'], meta['hidden'])
    params = dict(model.named_parameters())
    offset = 0
    with torch.no_grad():
        for block in meta['blocks']:
            p = params[block['name']]
            if list(p.shape) != block['shape']:
                raise ValueError(f"{block['name']}: shape {list(p.shape)} in torch, {block['shape']} in the bundle")
            n = p.numel()
            p.copy_(torch.from_numpy(init[offset:offset + n].copy()).reshape(p.shape))
            offset += n
    if offset != init.size:
        raise ValueError(f'initial weights: {init.size} floats for {offset} parameters')
    a = meta['adam']
    opt = torch.optim.Adam(model.parameters(), lr=a['lr'], betas=(a['beta1'], a['beta2']), eps=a['eps'])
    return model, opt


def step(model, opt, loss_fn, eye, x_ids, y_ids):
    """One training step on index batches x_ids, y_ids (int64 [B, T]); returns the loss."""
    opt.zero_grad(set_to_none=True)
    logits = model(eye[x_ids])
    loss = loss_fn(logits.reshape(-1, logits.shape[-1]), y_ids.reshape(-1))
    loss.backward()
    opt.step()
    return loss


def run_text(args, meta_all):
    meta = meta_all['text']
    B, T = meta['batch'], meta['steps']
    ids = torch.from_numpy(load(args.dir, 'text-ids.u8', np.uint8).astype(np.int64))
    starts = torch.from_numpy(load(args.dir, 'text-starts.i32', np.int32).astype(np.int64)).reshape(-1, B)
    model, opt = make_model(meta, load(args.dir, 'text-init.f32', np.float32))
    loss_fn = nn.CrossEntropyLoss()
    eye = torch.eye(meta['vocab'])
    offsets = torch.arange(T + 1)
    steps = args.steps or meta['roundSteps']
    rounds = args.rounds or 1

    def train(first, count):
        loss = None
        for s in range(first, first + count):
            windows = ids[starts[s % starts.shape[0]].unsqueeze(1) + offsets]
            loss = step(model, opt, loss_fn, eye, windows[:, :-1], windows[:, 1:])
        return float(loss)

    first_loss = train(0, 1)
    train(1, meta['warmupSteps'] - 1)
    for r in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        last = train(meta['warmupSteps'] + r * steps, steps)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(json.dumps({'impl': 'torch-1t', 'task': 'text', 'round': r, 'batch': B, 'seqLen': T,
                          'steps': steps, 'chars': steps * B * T, 'seconds': seconds, 'cpuSeconds': cpu,
                          'firstLoss': first_loss, 'lastLoss': last, 'torch': torch.__version__}), flush=True)


def run_names(args, meta_all):
    meta = meta_all['names']
    B, T = meta['batch'], meta['steps']

    def rows_of(part):
        x = load(args.dir, f'names-{part}-x.u8', np.uint8).astype(np.int64).reshape(-1, T)
        y = load(args.dir, f'names-{part}-y.u8', np.uint8).astype(np.int64).reshape(-1, T)
        return torch.from_numpy(x), torch.from_numpy(y)

    tx, ty = rows_of('train')
    vx, vy = rows_of('valid')
    rows = torch.from_numpy(load(args.dir, 'names-rows.i32', np.int32).astype(np.int64)).reshape(-1, B)
    model, opt = make_model(meta, load(args.dir, 'names-init.f32', np.float32))
    loss_fn = nn.CrossEntropyLoss()
    eye = torch.eye(meta['vocab'])
    steps = args.steps or meta['trainSteps']
    if steps > rows.shape[0]:
        raise ValueError(f'{steps} steps: the bundle holds {rows.shape[0]} batches')

    def valid_loss():
        with torch.no_grad():
            logits = model(eye[vx])
            return float(loss_fn(logits.reshape(-1, logits.shape[-1]), vy.reshape(-1)))

    initial = valid_loss()
    losses = []
    t0 = time.perf_counter()
    for s in range(steps):
        r = rows[s]
        losses.append(float(step(model, opt, loss_fn, eye, tx[r], ty[r])))
    seconds = time.perf_counter() - t0
    print(json.dumps({'impl': 'torch-1t', 'task': 'names', 'steps': steps, 'batch': B, 'seqLen': T,
                      'initialValidLoss': initial, 'validLoss': valid_loss(), 'losses': losses[:10],
                      'lastLoss': losses[-1], 'seconds': seconds, 'torch': torch.__version__}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('task', choices=['text', 'names'])
    ap.add_argument('--dir', default=os.path.join(REPO, 'build', 'bench', 'rnn'))
    ap.add_argument('--steps', type=int)
    ap.add_argument('--rounds', type=int)
    args = ap.parse_args()
    torch.set_num_threads(1)
    with open(os.path.join(args.dir, 'meta.json'), encoding='utf8') as f:
        meta = json.load(f)
    (run_text if args.task == 'text' else run_names)(args, meta)


if __name__ == '__main__':
    sys.exit(main())
