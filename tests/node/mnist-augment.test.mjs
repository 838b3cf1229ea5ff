// MNIST's augmentation (shift=) on the real WASM engine, through the page's
// trainer (web/src/labs/mnist/trainer.js): each training digit of a batch is
// moved by a whole number of pixels within ±shift, the moves come from the
// run's seed (the same seed moves the same digits the same way), and a run
// without shift is untouched. Test digits are never moved (evaluate gathers
// them itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine, loadMnist } from './core-load.mjs';
import { buildAsset } from '../../web/src/labs/mnist/asset-format.js';
import { MnistHeapData } from '../../web/src/labs/mnist/data.js';
import { DEFAULT_TRAINING, MnistTrainer } from '../../web/src/labs/mnist/trainer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const engine = await loadEngine();
const data = loadMnist(engine);
const spec = (overrides = {}) => ({ hidden: [16], activations: ['relu'], ...DEFAULT_TRAINING, batchSize: 32, ...overrides });

/** The (dx, dy) in ±max that turns `from` (28x28) into `to`, with blank fill; null if none does. */
function findShift(from, to, max) {
  for (let dy = -max; dy <= max; dy++) {
    for (let dx = -max; dx <= max; dx++) {
      let same = true;
      for (let y = 0; y < 28 && same; y++) {
        for (let x = 0; x < 28 && same; x++) {
          const sy = y - dy, sx = x - dx;
          const want = sy >= 0 && sy < 28 && sx >= 0 && sx < 28 ? from[sy * 28 + sx] : 0;
          same = to[y * 28 + x] === want;
        }
      }
      if (same) return [dx, dy];
    }
  }
  return null;
}

test('shift=2 moves every digit of a batch by at most 2 pixels, as the seed says', () => {
  const moves = [];
  for (const run of [0, 1]) {
    const t = new MnistTrainer(engine, data, spec({ shift: 2, seed: 5 }));
    try {
      const n = 32;
      const x = t.x.view();
      // Known digits in the batch buffer, then the trainer's own shift.
      for (let r = 0; r < n; r++) x.set(Float32Array.from(data.testDigit(r), (b) => b / 255), r * 784);
      const before = x.slice(0, n * 784);
      t.shiftBatch(n);
      const after = t.x.view().slice(0, n * 784);
      const found = [];
      for (let r = 0; r < n; r++) {
        const s = findShift(before.subarray(r * 784, (r + 1) * 784), after.subarray(r * 784, (r + 1) * 784), 2);
        assert.ok(s, `digit ${r} is a shifted copy of itself`);
        found.push(s.join(','));
      }
      moves.push(found);
      assert.ok(new Set(found).size > 5, `the moves vary (${[...new Set(found)].join(' ')})`);
    } finally {
      t.destroy();
    }
  }
  assert.deepEqual(moves[0], moves[1], 'the same seed moves the same digits the same way');
});

test('a run with shift differs from one without; each is reproducible; the test set is not moved', () => {
  const losses = (shift) => {
    const t = new MnistTrainer(engine, data, spec({ shift }));
    try {
      const out = Array.from({ length: 20 }, () => t.step());
      return { out, test: t.evaluate('subset').loss };
    } finally {
      t.destroy();
    }
  };
  const a = losses(2), b = losses(2), c = losses(0);
  assert.deepEqual(a.out, b.out);
  assert.notDeepEqual(a.out, c.out);
  assert.ok(a.out.every(Number.isFinite));
  // Untrained model identical at step 0: the first batch's loss differs only through the shifted inputs.
  assert.notEqual(a.out[0], c.out[0]);
  const fresh = new MnistTrainer(engine, data, spec({ shift: 2 }));
  const fresh0 = new MnistTrainer(engine, data, spec({ shift: 0 }));
  try {
    assert.equal(fresh.evaluate('subset').loss, fresh0.evaluate('subset').loss, 'evaluation does not shift test digits');
  } finally {
    fresh.destroy();
    fresh0.destroy();
  }
});
