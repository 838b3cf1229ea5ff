// The peer for bench/playground-browser.mjs: a JavaScript network built the
// way TensorFlow Playground's engine is — one object per neuron and per
// link, forward and backward one example at a time, squared-error loss,
// derivatives accumulated per link and applied every `batch` examples.
// Written here from that design (no code copied), so the comparison runs on
// this machine in the same run as our engine.

import { createRng } from '../web/src/lib/rng.js'; // the project's seeded mulberry32
import { spiral, TRAIN_POINTS } from './playground-workload.mjs';

function tanh(x) { return Math.tanh(x); }

class Neuron {
  constructor(act) {
    this.act = act;
    this.bias = 0.1;
    this.inputs = []; // links into this neuron
    this.outputs = []; // links out of it
    this.total = 0;
    this.out = 0;
    this.outDer = 0;
    this.inDer = 0;
    this.accBiasDer = 0;
    this.nBiasDer = 0;
  }
}

class Link {
  constructor(src, dst, rnd) {
    this.src = src;
    this.dst = dst;
    this.weight = rnd() - 0.5;
    this.accDer = 0;
    this.nDer = 0;
  }
}

export function buildNetwork(shape, rnd) {
  const layers = shape.map((n) => Array.from({ length: n }, () => new Neuron('tanh')));
  for (let l = 1; l < layers.length; l++) {
    for (const dst of layers[l]) {
      for (const src of layers[l - 1]) {
        const link = new Link(src, dst, rnd);
        src.outputs.push(link);
        dst.inputs.push(link);
      }
    }
  }
  return layers;
}

function forward(layers, x) {
  layers[0].forEach((n, i) => { n.out = x[i]; });
  for (let l = 1; l < layers.length; l++) {
    for (const n of layers[l]) {
      let total = n.bias;
      for (const link of n.inputs) total += link.weight * link.src.out;
      n.total = total;
      n.out = tanh(total);
    }
  }
  return layers[layers.length - 1][0].out;
}

function backward(layers, target) {
  const outNode = layers[layers.length - 1][0];
  outNode.outDer = outNode.out - target; // d/dy of ½(y - t)²
  for (let l = layers.length - 1; l >= 1; l--) {
    for (const n of layers[l]) {
      n.inDer = n.outDer * (1 - n.out * n.out);
      n.accBiasDer += n.inDer;
      n.nBiasDer++;
    }
    for (const n of layers[l]) {
      for (const link of n.inputs) {
        link.accDer += n.inDer * link.src.out;
        link.nDer++;
      }
    }
    if (l === 1) continue;
    for (const n of layers[l - 1]) {
      let d = 0;
      for (const link of n.outputs) d += link.weight * link.dst.inDer;
      n.outDer = d;
    }
  }
}

function update(layers, lr) {
  for (let l = 1; l < layers.length; l++) {
    for (const n of layers[l]) {
      if (n.nBiasDer > 0) { n.bias -= (lr * n.accBiasDer) / n.nBiasDer; n.accBiasDer = 0; n.nBiasDer = 0; }
      for (const link of n.inputs) {
        if (link.nDer > 0) { link.weight -= (lr * link.accDer) / link.nDer; link.accDer = 0; link.nDer = 0; }
      }
    }
  }
}

/** Trains 2-6×8-1 tanh on the benchmark's 250-point two-spiral set for about `seconds`; returns examples/s. */
export function peerExamplesPerSecond({ seconds = 3, batch = 10, lr = 0.03 } = {}) {
  const rnd = createRng(1).next;
  const data = spiral(TRAIN_POINTS); // our engine's data; labels as +-1 for the tanh output
  const pts = Array.from({ length: TRAIN_POINTS }, (_, i) => ({
    x: [data.x[2 * i], data.x[2 * i + 1]], y: data.y[i] ? 1 : -1,
  }));
  const net = buildNetwork([2, 8, 8, 8, 8, 8, 8, 1], rnd);
  let examples = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < seconds * 1000) {
    for (let i = 0; i < pts.length; i++) {
      forward(net, pts[i].x);
      backward(net, pts[i].y);
      if ((i + 1) % batch === 0) update(net, lr);
    }
    examples += pts.length;
    now = performance.now();
  }
  return (examples * 1000) / (now - t0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`${Math.round(peerExamplesPerSecond())} examples/s`);
}
