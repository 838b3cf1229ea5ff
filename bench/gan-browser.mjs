// gan-browser.mjs — the 2-D GAN benchmark's browser peers (bench/gan-bench.mjs) in dedicated
// workers of headless Chromium (Debian's /usr/bin/chromium through playwright-core): one page
// on a real HTTP server over a temporary folder shaped like the repository, so the modules
// import each other by their repository paths. bench/ holds the two workers
// (gan-engine-worker.mjs, gan-tfjs-worker.js), the workload and the TF.js 4.22 UMD bundles
// with the wasm backend's .wasm files; web/src/engine/ the engine module the app ships
// (generated/nn.mjs + nn.wasm), its wrapper and gan.js; web/src/lib/rng.js the seeded
// generator. Each run starts a fresh worker, posts it one message, waits for its reply and
// terminates it, so the peers can be interleaved round by round.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../tests/e2e/lib/index.mjs';

const require = createRequire(import.meta.url);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENGINE_FILES = ['web/src/engine/generated/nn.mjs', 'web/src/engine/generated/nn.wasm'];
const SOURCE_FILES = ['bench/gan-workload.mjs', 'bench/gan-engine.mjs', 'bench/gan-engine-worker.mjs', 'bench/gan-tfjs-worker.js', 'bench/gan-tfjs.mjs',
  'web/src/engine/nn-wasm.js', 'web/src/engine/nn-engine.js', 'web/src/engine/enums.js', 'web/src/engine/gan.js', 'web/src/lib/rng.js'];
// A worker that hangs (a lost message, an endless loop) fails the run instead of the bench.
const WORKER_TIMEOUT_MS = 300_000;

function tfjsFiles() {
  const tfDist = dirname(require.resolve('@tensorflow/tfjs/dist/tf.min.js'));
  const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js'));
  return [join(tfDist, 'tf.min.js'), join(wasmDist, 'tf-backend-wasm.min.js'),
    ...readdirSync(wasmDist).filter((f) => f.endsWith('.wasm')).map((f) => join(wasmDist, f))];
}

/**
 * Opens the bench page in `browser`. Returns { run(worker, message), close() }: run starts
 * `worker` ('tfjs' or 'engine'), posts `message` and resolves with its record (an { error }
 * reply throws).
 */
export async function openGanBenchPage(browser) {
  const missing = ENGINE_FILES.filter((f) => !existsSync(join(repo, f)));
  if (missing.length) throw new Error(`${missing.join(', ')} not built (bash build.sh web)`);
  const root = mkdtempSync(join(tmpdir(), 'gan-bench-'));
  const copy = (from, rel) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    copyFileSync(from, join(root, rel));
  };
  for (const f of tfjsFiles()) copy(f, `bench/${basename(f)}`);
  for (const f of [...SOURCE_FILES, ...ENGINE_FILES]) copy(join(repo, f), f);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>gan bench</title>');
  const server = await startServer({ root });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + 'index.html');
  return {
    async run(worker, message) {
      const [file, type] = worker === 'tfjs' ? ['bench/gan-tfjs-worker.js', 'classic'] : ['bench/gan-engine-worker.mjs', 'module'];
      const r = await page.evaluate(([f, t, m, limit]) => new Promise((resolve) => {
        const w = new Worker(f, { type: t });
        const done = (v) => { clearTimeout(timer); w.terminate(); resolve(v); };
        const timer = setTimeout(() => done({ error: `no reply in ${limit / 1000} s` }), limit);
        w.onmessage = (e) => done(e.data);
        w.onerror = (e) => done({ error: e.message || 'worker error' });
        w.postMessage(m);
      }), [file, type, message, WORKER_TIMEOUT_MS]);
      if (r?.error) throw new Error(`${file}: ${r.error}`);
      return r.record;
    },
    async close() {
      await context.close();
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
