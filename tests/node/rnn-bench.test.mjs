// rnn-bench.test.mjs — a few seconds of issue 13 §3's recurrent benchmark (bench/rnn-bench.mjs
// runs the full one): the shared workload is what its comments say (names encoding, split,
// seeded batches, initial weights), and on the names task PyTorch (bench/rnn-peers-torch.py,
// Debian's python3-torch) and our WASM engine (bench/rnn-engine.mjs through the real module)
// start from the same validation loss and give the same losses for the first training steps
// from the same bundle: the benchmark compares like with like.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  NAME_END, buildVocabulary, encodeNames, initialWeights, nameBatchRows, paramBlocks, splitNames, textBatchStarts,
} from '../../bench/rnn-workload.mjs';
import { buildBundle, writeBundle } from '../../bench/rnn-data.mjs';
import { runEngineNode } from '../../bench/rnn-engine-node.mjs';

const PEER = fileURLToPath(new URL('../../bench/rnn-peers-torch.py', import.meta.url));
const rel = (a, b) => Math.abs(a - b) / Math.abs(b);

test('names: lower-cased, deduplicated, split, encoded with the terminator as start, end and padding', () => {
  const split = splitNames(['Ann', 'Bo'], ['ann', 'Cy', ' '], { seed: 3, validFraction: 1 / 3 });
  assert.deepEqual([...split.train, ...split.valid].sort(), ['ann', 'bo', 'cy']);
  assert.equal(split.valid.length, 1);
  const enc = encodeNames({ train: ['ann', 'bo'], valid: ['cy'] });
  assert.deepEqual(enc.chars, [NAME_END, 'a', 'b', 'c', 'n', 'o', 'y']);
  assert.equal(enc.steps, 4);
  const word = (codes) => [...codes].map((i) => enc.chars[i]).join('');
  assert.equal(word(enc.train.x.subarray(0, 4)), '.ann');
  assert.equal(word(enc.train.y.subarray(0, 4)), 'ann.');
  assert.equal(word(enc.train.x.subarray(4, 8)), '.bo.');
  assert.equal(word(enc.train.y.subarray(4, 8)), 'bo..');
  assert.equal(word(enc.valid.y), 'cy..');
});

test('batches and weights: seeded, in range, every training row once per epoch', () => {
  const starts = textBatchStarts(1000, { batch: 4, steps: 10, seed: 5 }, 50);
  assert.deepEqual(starts, textBatchStarts(1000, { batch: 4, steps: 10, seed: 5 }, 50));
  assert.ok(starts.every((s) => s >= 0 && s + 10 + 1 <= 1000));
  assert.ok(new Set(starts).size > 150, 'window starts spread over the text');
  const rows = nameBatchRows(10, { batch: 5, seed: 1 }, 4);
  assert.deepEqual([...rows.subarray(0, 10)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...rows.subarray(10, 20)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const w = initialWeights(5, 4, 9);
  const total = paramBlocks(5, 4).reduce((s, b) => s + b.shape.reduce((p, d) => p * d, 1), 0);
  assert.equal(w.length, total);
  assert.ok(w.every((v) => Math.abs(v) < 0.5), 'uniform within 1/sqrt(H)');
  assert.ok(Math.max(...w) > 0.4 && Math.min(...w) < -0.4);
  assert.deepEqual(w, initialWeights(5, 4, 9));
  const v = buildVocabulary('ba\nab');
  assert.deepEqual(v.chars, ['\n', 'a', 'b']);
  assert.deepEqual([...v.ids], [2, 1, 0, 1, 2]);
});

test('the bundle is the same bytes every time it is built', () => {
  const a = buildBundle(), b = buildBundle();
  assert.deepEqual(Object.keys(a.files), Object.keys(b.files));
  for (const k of Object.keys(a.files)) assert.ok(Buffer.from(a.files[k]).equals(Buffer.from(b.files[k])), k);
  assert.equal(a.meta.text.vocab, a.meta.text.chars.length);
  assert.equal(a.meta.names.chars[0], NAME_END);
});

test('names: PyTorch and the engine agree on the initial validation loss and the first steps', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-bench-test-'));
  try {
    writeBundle(dir);
    const steps = 3;
    const py = spawnSync('/usr/bin/python3', [PEER, 'names', '--dir', dir, '--steps', String(steps)], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(py.status, 0, py.stderr);
    const torch = JSON.parse(py.stdout.trim().split('\n').pop());
    const [ours] = await runEngineNode('names', { steps }, dir);
    assert.equal(ours.losses.length, steps);
    assert.ok(rel(ours.initialValidLoss, torch.initialValidLoss) < 1e-5, `initial ${ours.initialValidLoss} vs ${torch.initialValidLoss}`);
    for (let s = 0; s < steps; s++) assert.ok(rel(ours.losses[s], torch.losses[s]) < 1e-5, `step ${s}: ${ours.losses[s]} vs ${torch.losses[s]}`);
    assert.ok(rel(ours.validLoss, torch.validLoss) < 1e-4, `after ${steps} steps: ${ours.validLoss} vs ${torch.validLoss}`);
    assert.ok(ours.validLoss < ours.initialValidLoss, 'training lowers the validation loss');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
