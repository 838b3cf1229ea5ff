// rnn-workload.mjs — issue 13 §3's recurrent workload, shared by every peer (PyTorch, TF.js,
// our engine in Node and in a browser worker): the settings, the seeded generator, the batch
// order and the initial weights. Plain ES module with no Node or DOM imports, so a browser
// worker imports it as is; bench/rnn-data.mjs (Node) reads the @stdlib datasets and writes the
// bundle the peers load (bench/rnn-bundle/…, see there for the files).
//
// The model everywhere: one-hot characters (V) -> LSTM(V, H) over T steps (zero initial state)
// -> Linear(H, V) on every step -> softmax cross-entropy averaged over batch x steps (PyTorch's
// CrossEntropyLoss on the (B·T, V) logits) -> Adam. No gradient clipping.
// Random numbers come from the project's one seeded generator (web/src/lib/rng.js); a browser
// worker reaches it because bench/rnn-browser.mjs serves a folder shaped like the repository.
import { createRng, randomInt, shuffleInPlace, uniform } from '../web/src/lib/rng.js';

/** Throughput: character-level LSTM 1x128 on Moby Dick (issue 13 §3). */
export const TEXT_RUN = Object.freeze({
  hidden: 128, batch: 32, steps: 64, seed: 13,
  adam: Object.freeze({ lr: 0.002, beta1: 0.9, beta2: 0.999, eps: 1e-8 }),
  // Training steps per timed round and rounds per peer process; warm-up steps are not timed.
  warmupSteps: 3, roundSteps: 20, batchesStored: 400,
});

/** Quality: the names task, same model, weights and batches; validation loss after `trainSteps`. */
export const NAMES_RUN = Object.freeze({
  hidden: 128, batch: 32, seed: 7, trainSteps: 300, validFraction: 0.1,
  adam: Object.freeze({ lr: 0.005, beta1: 0.9, beta2: 0.999, eps: 1e-8 }),
});

/** The terminator: starts every names input, ends every target, pads both (see encodeNames). */
export const NAME_END = '.';

/** Sorted distinct characters (by code point) and the text as indices into them. */
export function buildVocabulary(text) {
  const chars = [...new Set(text)].sort((a, b) => a.codePointAt(0) - b.codePointAt(0));
  if (chars.length > 255) throw new Error(`vocabulary of ${chars.length} characters: indices must fit a byte`);
  const index = new Map(chars.map((c, i) => [c, i]));
  const codes = [...text];
  const ids = new Uint8Array(codes.length);
  for (let i = 0; i < codes.length; i++) ids[i] = index.get(codes[i]);
  return { chars, ids };
}

/**
 * Text batches: for each of `count` steps, `batch` window starts drawn uniformly from the
 * text (a window is steps + 1 characters: input = window[0..T), target = window[1..T]).
 * Int32Array [count x batch].
 */
export function textBatchStarts(textLength, { batch, steps, seed }, count) {
  const rng = createRng(seed);
  const starts = new Int32Array(count * batch);
  const span = textLength - steps - 1;
  if (span <= 0) throw new Error(`text of ${textLength} characters is shorter than a window of ${steps + 1}`);
  for (let i = 0; i < starts.length; i++) starts[i] = randomInt(rng, span);
  return starts;
}

/**
 * The names set: lower-cased, duplicates removed (a name in both lists counts once), sorted,
 * then shuffled with the seed and split (the first validFraction is validation).
 */
export function splitNames(femaleNames, maleNames, { seed, validFraction }) {
  const names = [...new Set([...femaleNames, ...maleNames].map((n) => n.trim().toLowerCase()).filter((n) => n))].sort();
  if (names.some((n) => n.includes(NAME_END))) throw new Error(`a name contains the terminator '${NAME_END}'`);
  shuffleInPlace(names, createRng(seed));
  const nValid = Math.round(names.length * validFraction);
  return { valid: names.slice(0, nValid), train: names.slice(nValid) };
}

/**
 * Names as fixed-length sequences, T = longest name + 1. Vocabulary: the terminator '.' (index
 * 0), then the letters that occur, sorted. A name "ann" with T = 5 becomes
 *   input  . a n n .      (the terminator starts it, then pads)
 *   target a n n . .      (the name, the terminator, then terminator padding)
 * Every position has a target (a one-hot row), so the per-step softmax + CE needs no mask; the
 * loss is the mean over all B x T positions, padding included. Returns
 * { chars, steps, x: Uint8Array [n x T], y: Uint8Array [n x T] } per set, one vocabulary.
 */
export function encodeNames({ train, valid }) {
  const letters = [...new Set([...train, ...valid].join(''))].sort();
  const chars = [NAME_END, ...letters];
  const index = new Map(chars.map((c, i) => [c, i]));
  const steps = Math.max(...train.map((n) => n.length), ...valid.map((n) => n.length)) + 1;
  const encode = (names) => {
    const x = new Uint8Array(names.length * steps), y = new Uint8Array(names.length * steps);
    names.forEach((name, r) => {
      for (let t = 0; t < name.length; t++) {
        x[r * steps + t + 1] = index.get(name[t]);
        y[r * steps + t] = index.get(name[t]);
      }
      // Everything else is 0, the terminator.
    });
    return { x, y, n: names.length };
  };
  return { chars, steps, train: encode(train), valid: encode(valid) };
}

/** Names batches: epochs of seeded permutations of the training rows, `batch` rows a step. Int32Array [count x batch]. */
export function nameBatchRows(nTrain, { batch, seed }, count) {
  const rng = createRng(seed + 1);
  const rows = new Int32Array(count * batch);
  const perm = Int32Array.from({ length: nTrain }, (_, i) => i);
  let used = nTrain;
  for (let i = 0; i < rows.length; i++) {
    if (used === nTrain) {
      shuffleInPlace(perm, rng);
      used = 0;
    }
    rows[i] = perm[used++];
  }
  return rows;
}

/**
 * The parameter blocks in PyTorch's order and shapes (nn.LSTM then nn.Linear), the names the
 * peers map by. G = 4 gates in PyTorch's order i, f, g, o.
 */
export function paramBlocks(vocab, hidden) {
  const g = 4 * hidden;
  return [
    { name: 'lstm.weight_ih_l0', shape: [g, vocab] },
    { name: 'lstm.weight_hh_l0', shape: [g, hidden] },
    { name: 'lstm.bias_ih_l0', shape: [g] },
    { name: 'lstm.bias_hh_l0', shape: [g] },
    { name: 'head.weight', shape: [vocab, hidden] },
    { name: 'head.bias', shape: [vocab] },
  ];
}

/**
 * The initial weights, generated once here and loaded by every peer: every block uniform in
 * (-1/sqrt(H), 1/sqrt(H)), which is PyTorch's own rule for nn.LSTM and for nn.Linear(H, V)
 * (kaiming_uniform(a = sqrt 5) and its bias rule, both 1/sqrt(fan_in) with fan_in = H).
 * Float32Array, the blocks of paramBlocks() one after the other, row-major.
 */
export function initialWeights(vocab, hidden, seed) {
  const blocks = paramBlocks(vocab, hidden);
  const total = blocks.reduce((s, b) => s + b.shape.reduce((p, d) => p * d, 1), 0);
  const rng = createRng(seed + 2);
  const bound = 1 / Math.sqrt(hidden);
  const w = new Float32Array(total);
  for (let i = 0; i < total; i++) w[i] = uniform(rng, -bound, bound);
  return w;
}

/** Fills `out` (Int32Array [rows x T]) with inputs and `outY` with targets of text windows. */
export function textWindows(ids, starts, steps, outX, outY) {
  for (let r = 0; r < starts.length; r++) {
    const s = starts[r];
    for (let t = 0; t < steps; t++) {
      outX[r * steps + t] = ids[s + t];
      outY[r * steps + t] = ids[s + t + 1];
    }
  }
}

/** Fills outX/outY (Int32Array [rows x T]) with the names rows `rows` of an encoded set. */
export function nameWindows(set, steps, rows, outX, outY) {
  for (let r = 0; r < rows.length; r++) {
    const src = rows[r] * steps;
    for (let t = 0; t < steps; t++) {
      outX[r * steps + t] = set.x[src + t];
      outY[r * steps + t] = set.y[src + t];
    }
  }
}
