// browser-worker.mjs — runs a benchmark worker in a dedicated browser worker, with the
// module the app ships (generated nn.mjs + nn.wasm) and its wrapper (nn-wasm.js and the
// nn-engine.js and enums.js it imports), served from a temporary folder on a real HTTP server.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../tests/e2e/lib/index.mjs';

const ENGINE_FILES = ['../web/src/engine/generated/nn.mjs', '../web/src/engine/generated/nn.wasm',
  '../web/src/engine/nn-wasm.js', '../web/src/engine/nn-engine.js', '../web/src/engine/enums.js'];

/**
 * Serves the engine files, `files` (paths relative to bench/, the worker among them) and
 * `data` ({ name: bytes }), starts `worker` (a file name) in a page of `browser`, posts it
 * `message` and resolves with its first reply (a reply { error } throws).
 */
export async function runDedicatedWorker(browser, { worker, files, data = {}, message }) {
  const root = mkdtempSync(join(tmpdir(), 'bench-worker-'));
  for (const rel of [...ENGINE_FILES, ...files]) copyFileSync(fileURLToPath(new URL(rel, import.meta.url)), join(root, basename(rel)));
  for (const [name, bytes] of Object.entries(data)) writeFileSync(join(root, name), bytes);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>bench worker</title>');
  const server = await startServer({ root });
  let context = null;
  try {
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url + 'index.html');
    const r = await page.evaluate(([w, m]) => new Promise((resolve) => {
      const worker = new Worker(w, { type: 'module' });
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => resolve({ error: e.message });
      worker.postMessage(m);
    }), [worker, message]);
    if (r?.error) throw new Error(`${worker}: ${r.error}`);
    return r;
  } finally {
    await context?.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}
