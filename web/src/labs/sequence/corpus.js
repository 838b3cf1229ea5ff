// @ts-check
// The names and text corpora of the sequence lab, prepared at build time
// (web/scripts/make-sequence-assets.mjs) from the @stdlib data set packages
// and read back by the worker. Plain JavaScript so that Node runs it.
//
// Names: female + male first names, lower-cased, letters only (a hyphen or
// apostrophe drops the name), deduplicated, sorted, then split 90/10 into
// train/validation by a seeded shuffle (NAMES_SPLIT_SEED): the same split on
// every build. Each name is one sequence framed by '.' (start and end).
//
// Text: Moby Dick case-folded to lower case; curly quotes become ' and ",
// the dashes '—' '–' become '-', a single line break (the book's hard wrap)
// becomes a space and a paragraph break one '\n', runs of spaces one space;
// every character left outside TEXT_VOCAB (digits, $ [ ] & * ...) becomes '#'.
import { createRng } from '../../lib/rng.js';

export const CORPUS_VERSION = 1;
/** Marks a name's start and its end (the model's "stop" symbol). */
export const NAME_BOUNDARY = '.';
export const NAMES_SPLIT_SEED = 13;
export const NAMES_VAL_FRACTION = 0.1;
/** The one symbol every rare character of the text becomes. */
export const RARE_SYMBOL = '#';
/** The text's vocabulary, in index order. */
export const TEXT_VOCAB = "\n !\"#'(),-.:;?abcdefghijklmnopqrstuvwxyz";

/**
 * @param {string[]} female @param {string[]} male
 * @returns {{ vocab: string, train: string[], val: string[] }}
 */
export function prepareNames(female, male) {
  const set = new Set();
  for (const n of [...female, ...male]) {
    const name = n.trim().toLowerCase();
    if (/^[a-z]+$/.test(name)) set.add(name);
  }
  const all = [...set].sort();
  const rng = createRng(NAMES_SPLIT_SEED);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = /** @type {string} */ (all[i]);
    all[i] = /** @type {string} */ (all[j]);
    all[j] = t;
  }
  const nVal = Math.round(all.length * NAMES_VAL_FRACTION);
  const val = all.slice(0, nVal).sort();
  const train = all.slice(nVal).sort();
  const letters = [...new Set(all.join(''))].sort().join('');
  return { vocab: NAME_BOUNDARY + letters, train, val };
}

/** @param {string} raw @returns {string} */
export function prepareText(raw) {
  const folded = raw
    .replace(/\r\n?/g, '\n')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2014\u2013]/g, '-')
    .replace(/\n[ \t]*\n\s*/g, '\u0000') // paragraph breaks
    .replace(/\s+/g, ' ')
    .replace(/ ?\u0000 ?/g, '\n')
    .trim();
  let out = '';
  for (const ch of folded) out += TEXT_VOCAB.includes(ch) ? ch : RARE_SYMBOL;
  return out;
}

/**
 * Character indices of `text` in `vocab` (-1 for a character outside it).
 * @param {string} text @param {string} vocab @returns {Uint8Array}
 */
export function encodeChars(text, vocab) {
  const index = new Map([...vocab].map((c, i) => [c, i]));
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const k = index.get(/** @type {string} */ (text[i]));
    if (k === undefined) throw new Error(`character ${JSON.stringify(text[i])} at ${i} is not in the vocabulary`);
    out[i] = k;
  }
  return out;
}

/**
 * Checks the corpora's manifest (seq.json: { version, names, text }, the
 * hashed file names of the two assets beside it).
 * @param {unknown} raw @returns {{ names: string, text: string }}
 */
export function checkCorpusManifest(raw) {
  const o = /** @type {any} */ (raw);
  const fileName = (/** @type {unknown} */ f) => typeof f === 'string' && /^[\w.-]{1,64}$/.test(f) && !f.startsWith('.');
  if (!o || typeof o !== 'object' || !fileName(o.names) || !fileName(o.text)) throw new Error('the corpus manifest (seq.json) is malformed');
  if (o.version !== CORPUS_VERSION) {
    throw new Error(`the corpus manifest has format version ${String(o.version)}, this page reads ${CORPUS_VERSION}; rebuild the assets`);
  }
  return { names: o.names, text: o.text };
}

/**
 * Checks a names asset as read from the network (never trust a file).
 * @param {unknown} raw @returns {{ vocab: string, train: string[], val: string[] }}
 */
export function checkNamesAsset(raw) {
  const o = /** @type {any} */ (raw);
  if (!o || o.version !== CORPUS_VERSION || typeof o.vocab !== 'string' || !Array.isArray(o.train) || !Array.isArray(o.val)) {
    throw new Error('the names asset is not a sequence-lab names file of this version');
  }
  const ok = (/** @type {unknown} */ n) => typeof n === 'string' && n.length > 0 && [...n].every((c) => c !== NAME_BOUNDARY && o.vocab.includes(c));
  if (o.train.length === 0 || !o.train.every(ok) || !o.val.every(ok)) throw new Error('the names asset holds a name outside its vocabulary');
  return { vocab: o.vocab, train: o.train, val: o.val };
}

/**
 * Checks a text asset (JSON { version, vocab, text }).
 * @param {unknown} raw @returns {{ vocab: string, text: string }}
 */
export function checkTextAsset(raw) {
  const o = /** @type {any} */ (raw);
  if (!o || o.version !== CORPUS_VERSION || typeof o.vocab !== 'string' || typeof o.text !== 'string' || o.text.length < 1000) {
    throw new Error('the text asset is not a sequence-lab text file of this version');
  }
  encodeChars(o.text, o.vocab); // throws on a stray character
  return { vocab: o.vocab, text: o.text };
}
