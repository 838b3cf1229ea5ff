// A GAN exported for PyTorch: one self-contained Python script with both
// networks as torch.nn.Sequential (the modules and parameter names of the
// one-network export, pytorchExport.ts's torchModules and blockNames), the
// trained parameters embedded, and three modes: generate (samples from
// noise), judge (D's raw outputs) and train (the core's GAN steps
// continued: same losses, same optimizers, D on cat[real, fake]; core/nn.h's
// GAN section). train --out writes the page's GAN file (ganFile.ts).
// tests/node/pytorch-gan-export.test.mjs runs it against the engine.

import { floatsToBase64 } from './base64';
import { GAN_FORMAT_VERSION, GAN_MAGIC, type GanModel, type GanNetwork } from './ganFile';
import { blocksLength, inputSize, outputSize, readsShape, outputShape } from './layers';
import { layerJson } from './modelFile';
import { blockNames, pyString, torchModules } from './pytorchExport';
import { LOAD_PARAMETERS_PY } from './pytorchParams';

/** What ganPytorchScript needs: a GAN file's content (readGanFile's model, or ganSnapshot's plus lab and config). */
export type GanExportInput = GanModel & { description?: string };

/** Adam's eps as the engine holds it (the wrapper's default, float32). */
const ADAM_EPS = Math.fround(1e-8);

function checkNetwork(n: GanNetwork, who: string): void {
  const { layers, blocks, params } = n;
  if (layers.length < 1) throw new Error(`ganPytorchScript: the ${who} has no layers`);
  for (let i = 1; i < layers.length; i++) {
    if (!readsShape(layers[i]!, outputShape(layers[i - 1]!))) throw new Error(`ganPytorchScript: the ${who}'s layer sizes do not chain`);
  }
  if (blocks.some((b) => b.layer < 0 || b.layer >= layers.length || b.block >= blockNames(layers[b.layer]!).length)) throw new Error(`ganPytorchScript: the blocks are not the ${who}'s layers'`);
  if (params.length !== blocksLength(blocks)) throw new Error(`ganPytorchScript: wrong number of ${who} parameters`);
  for (const v of params) if (!Number.isFinite(v)) throw new Error(`ganPytorchScript: the ${who}'s parameters must be finite`);
}

/** One network's Python: its Sequential, its parameters and where each block sits. */
function networkPy(n: GanNetwork, name: 'GENERATOR' | 'DISCRIMINATOR'): string {
  const { modules, sequentialIndex, stackIndex } = torchModules(n.layers);
  const blocks = n.blocks.map((b) => `    (${sequentialIndex[b.layer]}, ${pyString(blockNames(n.layers[b.layer]!, stackIndex[b.layer])[b.block]!)}, ${b.offset}, ${JSON.stringify(b.shape)}),`);
  const wrapped = floatsToBase64(n.params).match(/.{1,100}/g) ?? [''];
  return `${name.toLowerCase()} = torch.nn.Sequential(
${modules.join('\n')}
)
${name}_PARAMS_BASE64 = (
${wrapped.map((w) => `    ${pyString(w)}`).join('\n')}
)
# Where each block sits: (module index, torch attribute, offset, shape).
${name}_BLOCKS = [
${blocks.join('\n')}
]
${name}_OPTIMIZER = ${JSON.stringify({ ...n.optimizer, eps: ADAM_EPS })}`;
}

/**
 * The script's text. Throws on an inconsistent GAN (a caller bug): layers
 * that do not chain, parameters that do not fit them, G's samples not D's
 * input, or D not ending in one output.
 */
export function ganPytorchScript(gan: GanExportInput): string {
  const { generator: g, discriminator: d, settings: s } = gan;
  checkNetwork(g, 'generator');
  checkNetwork(d, 'discriminator');
  if (inputSize(g.layers[0]!) !== s.noiseDim) throw new Error('ganPytorchScript: the generator does not read the noise');
  const sample = inputSize(d.layers[0]!);
  if (outputSize(g.layers[g.layers.length - 1]!) !== sample) throw new Error('ganPytorchScript: the generator\'s samples are not the discriminator\'s input');
  if (outputSize(d.layers[d.layers.length - 1]!) !== 1) throw new Error('ganPytorchScript: the discriminator must give one output');
  const recurrent = [...g.layers, ...d.layers].some((l) => l.kind === 'rnn' || l.kind === 'lstm');
  if (recurrent) throw new Error('ganPytorchScript: recurrent GAN networks have no export');
  const header = (gan.description ?? '').split(/\r?\n/).map((l) => `# ${l}`).join('\n');
  // The GAN file the train mode writes (--out), without the parameters and the iteration count it fills in.
  const fileTemplate = {
    magic: GAN_MAGIC, formatVersion: GAN_FORMAT_VERSION, lab: gan.lab, config: gan.config, gan: { ...s },
    generator: { layers: g.layers.map(layerJson), blocks: g.blocks.map((b) => ({ layer: b.layer, block: b.block, offset: b.offset, shape: b.shape })), optimizer: g.optimizer },
    discriminator: { layers: d.layers.map(layerJson), blocks: d.blocks.map((b) => ({ layer: b.layer, block: b.block, offset: b.offset, shape: b.shape })), optimizer: d.optimizer },
  };
  return `#!/usr/bin/env python3
# A GAN trained in the nn-playground (the ${gan.lab} lab), exported for PyTorch:
# the generator G (noise -> sample) and the discriminator D (sample -> one raw output).
${header}
#
# Usage:
#   python3 gan.py generate [--n N] [--seed S] [--noise noise.json]
#       JSON: N samples of G, one row of ${sample} values each (a sample as D reads it,
#       flat), from noise drawn with torch (${s.noise}${s.noise === 'uniform' ? ' in [-1, 1)' : ', standard normal'}, ${s.noiseDim} per sample),
#       or from the noise rows in noise.json ([[...], ...]).
#   python3 gan.py judge samples.json          # or: echo '[[...]]' | python3 gan.py judge
#       JSON: D's raw output per sample (${s.loss === 'bce' ? 'a logit: sigmoid of it is D\'s probability "real"' : 'a score: 1 real, 0 generated'}).
#   python3 gan.py train --real REAL [--iterations N] [--seed S] [--noise noise.json] [--out gan.json]
#       Continues the page's training: per iteration ${s.dSteps} D step(s), each on the next
#       ${s.batch} rows of REAL (a .npy file, which needs numpy, or JSON rows; cycled in order)
#       and fresh noise, then ${s.gSteps} G step(s) on fresh noise; the same loss (${s.loss}),
#       optimizers and settings as the page. The optimizers' state was not exported:
#       it starts fresh, as on the page after loading a GAN file. Prints one JSON
#       line per iteration; --out writes both networks as the page's GAN file.

import argparse
import base64
import json
import struct
import sys

import torch
import torch.nn.functional as F

LAB = ${pyString(gan.lab)}
NOISE_DIM = ${s.noiseDim}
NOISE = ${pyString(s.noise)}
LOSS = ${pyString(s.loss)}  # "bce": BCE with logits, G non-saturating; "least_squares": LSGAN with 1/2 factors
BATCH = ${s.batch}
D_STEPS = ${s.dSteps}
G_STEPS = ${s.gSteps}
SEED = ${s.seed}
SAMPLE_SIZE = ${sample}
EXPORTED_ITERATIONS = ${gan.iterations}
# The page's GAN file without the parameters (train --out fills them in).
FILE_TEMPLATE = json.loads(${pyString(JSON.stringify(fileTemplate))})

# Parameters: float32, little-endian, in the engine's layout (per layer the
# weight, torch.nn.Linear's [out x in] or torch.nn.Conv2d's [out x in x kh x kw],
# then the bias [out]).
${networkPy(g, 'GENERATOR')}

${networkPy(d, 'DISCRIMINATOR')}


${LOAD_PARAMETERS_PY}

def parameters_base64(net, blocks):
    values = torch.cat([getattr(net[index], name).detach().cpu().float().reshape(-1) for index, name, _, _ in sorted(blocks, key=lambda b: b[2])])
    return base64.b64encode(struct.pack("<%df" % values.numel(), *values.tolist())).decode("ascii")


load_parameters(generator, GENERATOR_PARAMS_BASE64, GENERATOR_BLOCKS)
load_parameters(discriminator, DISCRIMINATOR_PARAMS_BASE64, DISCRIMINATOR_BLOCKS)


def make_noise(n, rng):
    """n rows of noise as the page draws it: uniform in [-1, 1) or standard normal."""
    if NOISE == "gaussian":
        return torch.randn(n, NOISE_DIM, generator=rng)
    return torch.rand(n, NOISE_DIM, generator=rng) * 2 - 1


def sample(noise):
    """G's samples of noise [n x NOISE_DIM], flat rows [n x SAMPLE_SIZE] (what D reads)."""
    return generator(noise).reshape(noise.shape[0], SAMPLE_SIZE)


def judge(samples):
    """D's raw outputs [n x 1] for flat samples [n x SAMPLE_SIZE]."""
    return discriminator(samples)


def d_loss(real_out, fake_out):
    """D's loss on the real rows' and the generated rows' outputs (each a mean)."""
    if LOSS == "bce":
        return (F.binary_cross_entropy_with_logits(real_out, torch.ones_like(real_out))
                + F.binary_cross_entropy_with_logits(fake_out, torch.zeros_like(fake_out)))
    return 0.5 * ((real_out - 1) ** 2).mean() + 0.5 * (fake_out ** 2).mean()


def g_loss(fake_out):
    """G's loss on D's outputs for its samples (non-saturating under bce)."""
    if LOSS == "bce":
        return F.binary_cross_entropy_with_logits(fake_out, torch.ones_like(fake_out))
    return 0.5 * ((fake_out - 1) ** 2).mean()


def score(out):
    """The page's mean D: the probability "real" under bce, the raw score under least squares."""
    return (torch.sigmoid(out) if LOSS == "bce" else out).mean().item()


def make_optimizer(parameters, o):
    if o["kind"] == "sgd":
        return torch.optim.SGD(parameters, lr=o["lr"])
    if o["kind"] == "momentum":
        return torch.optim.SGD(parameters, lr=o["lr"], momentum=o["beta1"])
    return torch.optim.Adam(parameters, lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["eps"])


def read_rows(path, width):
    """Rows of width values from a .npy file or JSON ([[...], ...] or flat), float32."""
    try:
        if path.endswith(".npy"):
            import numpy
            data = torch.from_numpy(numpy.load(path).astype("float32"))
        else:
            with open(path) as f:
                data = torch.tensor(json.load(f), dtype=torch.float32)
    except (OSError, ValueError, TypeError, ImportError) as err:
        raise SystemExit("%s: cannot read rows of numbers (%s)" % (path, err))
    if data.numel() % width != 0 or data.numel() == 0:
        raise SystemExit("%s: %d values are not rows of %d" % (path, data.numel(), width))
    return data.reshape(-1, width)


class Rows:
    """The next n rows of a table, in order, starting over at its end."""

    def __init__(self, rows):
        self.rows = rows
        self.at = 0

    def next(self, n):
        out = []
        while n > 0:
            take = min(n, self.rows.shape[0] - self.at)
            out.append(self.rows[self.at:self.at + take])
            self.at = (self.at + take) % self.rows.shape[0]
            n -= take
        return torch.cat(out)


def noise_source(args):
    if args.noise:
        rows = Rows(read_rows(args.noise, NOISE_DIM))
        return rows.next
    rng = torch.Generator().manual_seed(args.seed)
    return lambda n: make_noise(n, rng)


def save_gan(path, iterations):
    doc = json.loads(json.dumps(FILE_TEMPLATE))
    doc["generator"]["params"] = parameters_base64(generator, GENERATOR_BLOCKS)
    doc["discriminator"]["params"] = parameters_base64(discriminator, DISCRIMINATOR_BLOCKS)
    doc["iterations"] = iterations
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\\n")


def train(args):
    real = Rows(read_rows(args.real, SAMPLE_SIZE))
    next_noise = noise_source(args)
    g_opt = make_optimizer(generator.parameters(), GENERATOR_OPTIMIZER)
    d_opt = make_optimizer(discriminator.parameters(), DISCRIMINATOR_OPTIMIZER)
    generator.train()
    discriminator.train()
    for i in range(args.iterations):
        line = {"iteration": EXPORTED_ITERATIONS + i + 1}
        for _ in range(D_STEPS):
            x = real.next(BATCH)
            with torch.no_grad():
                fake = sample(next_noise(BATCH))
            out = discriminator(torch.cat([x, fake]))
            loss = d_loss(out[:BATCH], out[BATCH:])
            d_opt.zero_grad()
            loss.backward()
            d_opt.step()
            line.update(d_loss=loss.item(), d_real=score(out[:BATCH]), d_fake=score(out[BATCH:]))
        for _ in range(G_STEPS):
            out = discriminator(sample(next_noise(BATCH)))
            loss = g_loss(out)
            g_opt.zero_grad()
            loss.backward()
            g_opt.step()
            line.update(g_loss=loss.item(), g_fake=score(out))
        print(json.dumps(line), flush=True)
    if args.out:
        save_gan(args.out, EXPORTED_ITERATIONS + args.iterations)


def main(argv):
    parser = argparse.ArgumentParser(description="A GAN from the nn-playground (" + LAB + " lab).")
    modes = parser.add_subparsers(dest="mode", required=True)
    gen = modes.add_parser("generate", help="samples of G")
    gen.add_argument("--n", type=int, default=16)
    gen.add_argument("--seed", type=int, default=SEED)
    gen.add_argument("--noise", help="noise rows (JSON or .npy) instead of drawn noise")
    jdg = modes.add_parser("judge", help="D's raw outputs for samples")
    jdg.add_argument("samples", nargs="?", help="JSON rows (default: stdin)")
    trn = modes.add_parser("train", help="continue training both networks")
    trn.add_argument("--real", required=True, help="real samples: .npy or JSON rows of %d values" % SAMPLE_SIZE)
    trn.add_argument("--iterations", type=int, default=100)
    trn.add_argument("--seed", type=int, default=SEED)
    trn.add_argument("--noise", help="noise rows (JSON or .npy), used in order, instead of drawn noise")
    trn.add_argument("--out", help="write both networks as the page's GAN file")
    args = parser.parse_args(argv[1:])
    if args.mode == "train":
        train(args)
        return 0
    with torch.no_grad():
        if args.mode == "generate":
            noise = read_rows(args.noise, NOISE_DIM) if args.noise else make_noise(args.n, torch.Generator().manual_seed(args.seed))
            print(json.dumps(sample(noise).tolist()))
        else:
            source = open(args.samples) if args.samples else sys.stdin
            rows = torch.tensor(json.load(source), dtype=torch.float32).reshape(-1, SAMPLE_SIZE)
            print(json.dumps(judge(rows).tolist()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
`;
}

/** The script's file name, e.g. "nn-gan.py" or "nn-gan-digits.py". */
export function ganScriptFileName(lab: string): string {
  return `nn-${lab}.py`;
}
