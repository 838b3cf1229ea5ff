// Streams the gzipped MNIST asset into the WASM heap with byte progress.
// The manifest (a few bytes of JSON written by the build) names the file and
// gives the total up front. A body a server already inflated is read as it is
// (lib/fetch-asset.ts), and progress then counts against the uncompressed size.

import type { Engine } from '../../engine/nn-wasm.js';
import { ASSET_HEADER_BYTES, ASSET_VERSION, readAssetHeader } from './asset-format.js';
import { MnistHeapData } from './data.js';
import { fetchOk, gunzip, peekGzip } from '../../lib/fetch-asset';

interface Manifest {
  version: number;
  file: string;
  bytes: number;
  rawBytes: number;
}

const PROGRESS_EVERY_MS = 50;

async function readManifest(url: string): Promise<Manifest> {
  const res = await fetchOk(url, 'MNIST manifest');
  let m: unknown;
  try {
    m = await res.json();
  } catch {
    throw new Error('the MNIST manifest is not valid JSON');
  }
  const ok = typeof m === 'object' && m !== null
    && [(m as Manifest).bytes, (m as Manifest).rawBytes, (m as Manifest).version].every((v) => Number.isSafeInteger(v) && v > 0)
    && typeof (m as Manifest).file === 'string' && /^[\w.-]{1,64}$/.test((m as Manifest).file);
  if (!ok) throw new Error('the MNIST manifest is malformed');
  if ((m as Manifest).version !== ASSET_VERSION) {
    throw new Error(`the MNIST asset has format version ${(m as Manifest).version}, this page reads ${ASSET_VERSION}; rebuild it`);
  }
  return m as Manifest;
}

function countingStream(onBytes: (n: number) => void): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      onBytes(chunk.length);
      controller.enqueue(chunk);
    },
  });
}

/** Downloads, inflates and checks the asset named by the manifest (a file
 *  next to it); the bytes go straight into the heap. */
export async function streamAsset(
  engine: Engine, manifestUrl: string,
  onProgress: (loaded: number, total: number) => void,
): Promise<MnistHeapData> {
  const manifest = await readManifest(manifestUrl);
  const res = await fetchOk(new URL(manifest.file, manifestUrl).href, 'MNIST data');
  const { body: wire, gzipped } = await peekGzip(res, 'MNIST data');
  const total = gzipped ? manifest.bytes : manifest.rawBytes;
  let loaded = 0;
  let lastReport = 0;
  const report = (force: boolean) => {
    const now = performance.now();
    if (force || now - lastReport >= PROGRESS_EVERY_MS) {
      lastReport = now;
      onProgress(loaded, Math.max(total, loaded));
    }
  };
  const body = wire.pipeThrough(countingStream((n) => { loaded += n; report(false); }));
  const raw = gzipped ? gunzip(body, 'MNIST data') : body;

  let data: MnistHeapData | null = null;
  let head = new Uint8Array(0); // bytes before the header is complete
  let offset = 0;
  const rawReader = raw.getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await rawReader.read();
      } catch (err) {
        throw new Error(`the MNIST data is corrupt or was cut off (${err instanceof Error ? err.message : String(err)})`);
      }
      if (chunk.done) break;
      let bytes = chunk.value;
      if (!data) {
        const joined = new Uint8Array(head.length + bytes.length);
        joined.set(head);
        joined.set(bytes, head.length);
        if (joined.length < ASSET_HEADER_BYTES) { head = joined; continue; }
        data = new MnistHeapData(engine, readAssetHeader(joined));
        if (data.layout.totalBytes !== manifest.rawBytes) {
          throw new Error(`the MNIST data (${data.layout.totalBytes} bytes) does not match its manifest (${manifest.rawBytes}); rebuild the asset`);
        }
        bytes = joined;
      }
      data.write(bytes, offset);
      offset += bytes.length;
    }
    if (!data) throw new Error('the MNIST data ended inside its header');
    data.finish();
    report(true);
    return data;
  } catch (err) {
    data?.free();
    await rawReader.cancel().catch(() => undefined);
    throw err;
  }
}
