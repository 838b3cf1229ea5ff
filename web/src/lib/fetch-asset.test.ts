// The asset fetch helpers against a real HTTP server: a gzip body is inflated,
// a body the HTTP layer already inflated is read as it is, and an empty body
// or an error status is a sentence naming the asset.
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOk, gunzip, peekGzip } from './fetch-asset';

const text = JSON.stringify({ text: 'It was the best of times. '.repeat(2000) });
const gz = zlib.gzipSync(Buffer.from(text));
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/asset.bin') res.writeHead(200, { 'Content-Length': gz.length }).end(gz);
    else if (req.url === '/encoded.bin') res.writeHead(200, { 'Content-Length': gz.length, 'Content-Encoding': 'gzip' }).end(gz);
    else if (req.url === '/empty.bin') res.writeHead(200, { 'Content-Length': 0 }).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function read(path: string): Promise<{ text: string; gzipped: boolean }> {
  const { body, gzipped } = await peekGzip(await fetchOk(base + path, 'test text'), 'test text');
  return { text: await new Response(gzipped ? gunzip(body, 'test text') : body).text(), gzipped };
}

describe('fetch-asset', () => {
  it('inflates a gzip body, every byte of it', async () => {
    expect(await read('asset.bin')).toEqual({ text, gzipped: true });
  });

  it('reads a body the HTTP layer already inflated as it is', async () => {
    expect(await read('encoded.bin')).toEqual({ text, gzipped: false });
  });

  it('names the asset for an empty body and for a missing file', async () => {
    await expect(read('empty.bin')).rejects.toThrow('the test text download is empty');
    await expect(read('missing.bin')).rejects.toThrow(/^the test text answered HTTP 404 .*build\.sh web/);
  });

  it('names the asset when the server cannot be reached', async () => {
    await expect(fetchOk('http://127.0.0.1:1/x', 'test text')).rejects.toThrow(/^could not download the test text \(/);
  });
});
