// rnn-browser.mjs — runs the recurrent benchmark's browser peers in dedicated workers of
// headless Chromium (Debian's /usr/bin/chromium through playwright-core), one page on a real
// HTTP server over a temporary folder shaped like the repository (so the modules import each
// other by their repository paths): bench/ holds the two workers (bench/rnn-tfjs-worker.js,
// bench/rnn-engine-worker.mjs), the workload modules, the workload bundle
// (bench/rnn-data.mjs) and the TF.js UMD bundles with the wasm backend's .wasm files;
// web/src/engine/ the engine module the app ships (generated/nn.mjs + nn.wasm) and its
// wrapper; web/src/lib/rng.js the seeded generator. Each call starts a
// fresh worker in that page, posts it a message, waits for its reply and terminates it, so
// bench/rnn-bench.mjs can interleave the peers round by round.
// Usage: node bench/rnn-browser.mjs tfjs|engine [--backend wasm|cpu] [--task text|names]
//        [--steps N] [--rounds R]   prints one JSON line per record.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startServer } from '../tests/e2e/lib/index.mjs';
import { DEFAULT_BUNDLE_DIR, writeBundle } from './rnn-data.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const ENGINE_FILES = ['web/src/engine/generated/nn.mjs', 'web/src/engine/generated/nn.wasm',
  'web/src/engine/nn-wasm.js', 'web/src/engine/nn-engine.js', 'web/src/engine/enums.js'];
const SOURCE_FILES = ['bench/rnn-workload.mjs', 'bench/rnn-tfjs-worker.js', 'bench/rnn-engine-worker.mjs',
  'bench/rnn-engine.mjs', 'web/src/lib/rng.js'];
// A worker that hangs (a lost message, an endless loop) fails the run instead of the bench.
const WORKER_TIMEOUT_MS = 600_000;

function tfjsFiles() {
  const tfDist = dirname(require.resolve('@tensorflow/tfjs/dist/tf.min.js'));
  const wasmDist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js'));
  return [join(tfDist, 'tf.min.js'), join(wasmDist, 'tf-backend-wasm.min.js'),
    ...readdirSync(wasmDist).filter((f) => f.endsWith('.wasm')).map((f) => join(wasmDist, f))];
}

/**
 * Opens the bench page in `browser`. Returns { run(worker, message), close() }: run starts
 * `worker` ('tfjs' or 'engine'), posts `message`, resolves with its records (an { error }
 * reply throws).
 */
export async function openBenchPage(browser, bundleDir = DEFAULT_BUNDLE_DIR) {
  const root = mkdtempSync(join(tmpdir(), 'rnn-bench-'));
  const copy = (from, rel) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    copyFileSync(from, join(root, rel));
  };
  for (const f of readdirSync(bundleDir)) copy(join(bundleDir, f), `bench/${f}`);
  for (const f of tfjsFiles()) copy(f, `bench/${basename(f)}`);
  for (const f of SOURCE_FILES) copy(join(repo, f), f);
  const engineReady = ENGINE_FILES.every((f) => existsSync(join(repo, f)));
  if (engineReady) for (const f of ENGINE_FILES) copy(join(repo, f), f);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>rnn bench</title>');
  const server = await startServer({ root });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + 'index.html');
  return {
    engineReady,
    async run(worker, message) {
      if (worker === 'engine' && !engineReady) throw new Error('the engine module web/src/engine/generated/nn.mjs is not built (bash build.sh web)');
      const [file, type] = worker === 'tfjs' ? ['bench/rnn-tfjs-worker.js', 'classic'] : ['bench/rnn-engine-worker.mjs', 'module'];
      const r = await page.evaluate(([f, t, m, limit]) => new Promise((resolve) => {
        const w = new Worker(f, { type: t });
        const done = (v) => { clearTimeout(timer); w.terminate(); resolve(v); };
        const timer = setTimeout(() => done({ error: `no reply in ${limit / 1000} s` }), limit);
        w.onmessage = (e) => done(e.data);
        w.onerror = (e) => done({ error: e.message || 'worker error' });
        w.postMessage(m);
      }), [file, type, message, WORKER_TIMEOUT_MS]);
      if (r?.error) throw new Error(`${file}: ${r.error}`);
      return r.records;
    },
    async close() {
      await context.close();
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
  const worker = args[0];
  if (worker !== 'tfjs' && worker !== 'engine') throw new Error('usage: node bench/rnn-browser.mjs tfjs|engine [--backend wasm|cpu] [--task text|names] [--steps N] [--rounds R]');
  const num = (v) => (v === undefined ? undefined : Number(v));
  writeBundle();
  const browser = await launchBrowser();
  try {
    const bench = await openBenchPage(browser);
    try {
      const records = await bench.run(worker, { task: opt('--task', 'text'), backend: opt('--backend', 'wasm'),
        steps: num(opt('--steps')), rounds: num(opt('--rounds')) });
      for (const r of records) console.log(JSON.stringify(worker === 'engine' ? { impl: 'wasm-browser', ...r } : r));
    } finally {
      await bench.close();
    }
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
