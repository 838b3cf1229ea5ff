// cnn-nets.mjs — the three CNN presets (issue 11's shared definitions) as plain data, read by
// every CNN benchmark script in JS (the PyTorch script mirrors the same table in Python).
// A layer: { kind: 'conv', out, k, stride, pad, act } | { kind: 'pool', k, stride }
//        | { kind: 'flatten' } | { kind: 'dense', units, act }.
// Input 1x28x28, pixels / 255; loss softmax cross-entropy.

export const CNN_NETS = {
  'cnn-fast': {
    label: 'Small fast CNN',
    layers: [
      { kind: 'conv', out: 8, k: 5, stride: 1, pad: 0, act: 'relu' },
      { kind: 'pool', k: 2, stride: 2 },
      { kind: 'conv', out: 16, k: 5, stride: 1, pad: 0, act: 'relu' },
      { kind: 'pool', k: 2, stride: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 10, act: 'softmax' },
    ],
    optimizer: { name: 'adam', lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    batch: 32,
  },
  lenet5: {
    label: 'LeNet-5 style',
    layers: [
      { kind: 'conv', out: 6, k: 5, stride: 1, pad: 2, act: 'relu' },
      { kind: 'pool', k: 2, stride: 2 },
      { kind: 'conv', out: 16, k: 5, stride: 1, pad: 0, act: 'relu' },
      { kind: 'pool', k: 2, stride: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 120, act: 'relu' },
      { kind: 'dense', units: 84, act: 'relu' },
      { kind: 'dense', units: 10, act: 'softmax' },
    ],
    optimizer: { name: 'adam', lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    batch: 32,
  },
  convnetjs: {
    label: 'ConvNetJS demo net',
    layers: [
      { kind: 'conv', out: 8, k: 5, stride: 1, pad: 2, act: 'relu' },
      { kind: 'pool', k: 2, stride: 2 },
      { kind: 'conv', out: 16, k: 5, stride: 1, pad: 2, act: 'relu' },
      { kind: 'pool', k: 3, stride: 3 },
      { kind: 'flatten' },
      { kind: 'dense', units: 10, act: 'softmax' },
    ],
    // ConvNetJS's demo used adadelta and 24x24 random crops; we use SGD + momentum on the
    // full 28x28 digits (the preset the lab offers).
    optimizer: { name: 'sgd-momentum', lr: 0.01, momentum: 0.9 },
    batch: 20,
  },
};

export const NET_IDS = Object.keys(CNN_NETS);

/** Training steps per timed round, after warm-up. Rates (examples/s) are compared, not times;
 * TF.js's CPU backend trains these nets at tens of examples/s, so it gets fewer steps to keep
 * the benchmark to a few minutes. The PyTorch script uses the 'fast' counts. */
export const TIMED_STEPS = {
  fast: { 'cnn-fast': 150, lenet5: 100, convnetjs: 100 },
  slow: { 'cnn-fast': 3, lenet5: 2, convnetjs: 2 },
};
// The slow peer's first step already runs its loops millions of times (V8 has tiered up).
export const WARMUP_STEPS = { fast: 10, slow: 1 };
/** Each net is timed in this many rounds; the report takes the best one: on this shared 2-core
 * VM one round measured anywhere from 1x to 4x its best time, in wall and CPU time alike. */
export const ROUNDS = { fast: 3, slow: 2 };

/** Forward multiply-adds per example, counted from the shapes (conv and dense only). */
export function macsPerExample(net) {
  let c = 1, h = 28, w = 28, macs = 0;
  for (const l of net.layers) {
    if (l.kind === 'conv') {
      const oh = Math.floor((h + 2 * l.pad - l.k) / l.stride) + 1;
      const ow = Math.floor((w + 2 * l.pad - l.k) / l.stride) + 1;
      macs += l.out * oh * ow * c * l.k * l.k;
      c = l.out; h = oh; w = ow;
    } else if (l.kind === 'pool') {
      h = Math.floor((h - l.k) / l.stride) + 1;
      w = Math.floor((w - l.k) / l.stride) + 1;
    } else if (l.kind === 'flatten') {
      c = c * h * w; h = 1; w = 1;
    } else {
      macs += c * h * w * l.units;
      c = l.units; h = 1; w = 1;
    }
  }
  return macs;
}

/** Parses "--nets a,b --steps N --rounds R" style arguments shared by the CNN scripts. */
export function parseArgs(argv) {
  const args = { nets: NET_IDS, steps: null, rounds: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--nets') args.nets = argv[++i].split(',');
    else if (argv[i] === '--steps') args.steps = Number(argv[++i]);
    else if (argv[i] === '--rounds') args.rounds = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  for (const id of args.nets) if (!CNN_NETS[id]) throw new Error(`unknown net ${id}; known: ${NET_IDS.join(', ')}`);
  return args;
}
