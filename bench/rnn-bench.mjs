// rnn-bench.mjs — issue 13 §3's recurrent benchmark, every peer measured in this one run:
//   throughput: a character-level LSTM 1x128 (+ a Linear head on every step, softmax CE, Adam)
//     on Moby Dick, B = 32 windows of T = 64 characters, characters/s of training
//     (forward + backward + update), for
//       our engine: WASM in a dedicated browser worker (the module the app ships) and in Node,
//         and natively (bench/bench_rnn.c, when built: bench/run.sh builds it);
//       TensorFlow.js 4.22 in a dedicated browser worker (wasm backend, one thread);
//       PyTorch on the CPU, torch.set_num_threads(1);
//     in interleaved rounds (one round of each peer, then the next round: this shared VM drifts
//     by +-25 % over minutes, so a peer measured only early or late would be favoured). Each
//     round is a fresh worker/process with its own untimed warm-up. The best round counts;
//     the median is shown too.
//   quality: the names task, the same model, initial weights and batches in the engine and in
//     PyTorch: validation loss after N steps (target: within 1 %).
// Every peer reads the same bundle (bench/rnn-data.mjs): same batches, same initial weights.
// Usage: node bench/rnn-bench.mjs [--native build/bench/bench_rnn] [--rounds 3] [--steps 20] [--names-steps 300]
//        [--only text|names] [--no-browser] [--tfjs-backends wasm,cpu] [--tfjs-names] [--json]
// (after `bash build.sh wasm` and `bash build.sh web`, which generates the browser module).
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/e2e/lib/index.mjs';
import { openBenchPage } from './rnn-browser.mjs';
import { DEFAULT_BUNDLE_DIR, writeBundle } from './rnn-data.mjs';
import { runEngineNode } from './rnn-engine-node.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
const TFJS_TARGET = 10; // x TF.js, issue 13 §3
const QUALITY_TARGET = 0.01; // relative difference of the validation losses

const LABELS = {
  'wasm-browser': 'WASM, browser worker (ours)',
  'wasm-node': 'WASM, Node (ours)',
  native: 'native C, -O3 -march=native (ours)',
  'tfjs-wasm': 'TensorFlow.js wasm, browser worker',
  'tfjs-cpu': 'TensorFlow.js cpu, browser worker',
  'torch-1t': 'PyTorch CPU, 1 thread',
};

function parseArgs(argv) {
  const o = { native: null, rounds: 3, steps: undefined, namesSteps: undefined, only: null, browser: true, tfjsBackends: ['wasm'], tfjsNames: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--native') o.native = argv[++i];
    else if (a === '--steps') o.steps = Number(argv[++i]);
    else if (a === '--names-steps') o.namesSteps = Number(argv[++i]);
    else if (a === '--only') o.only = argv[++i];
    else if (a === '--no-browser') o.browser = false;
    else if (a === '--tfjs-backends') o.tfjsBackends = argv[++i].split(',');
    else if (a === '--tfjs-names') o.tfjsNames = true;
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

/** PyTorch's records (one JSON line each) for `task`. */
function torch(task, { steps, rounds }) {
  const args = [join(here, 'rnn-peers-torch.py'), task];
  if (steps) args.push('--steps', String(steps));
  if (rounds) args.push('--rounds', String(rounds));
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 900_000 });
  if (r.status !== 0) throw new Error(`PyTorch failed (${r.error ? r.error.message : `exit ${r.status}`}):\n${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

/** bench/bench_rnn.c's summary line as a record (it measures CPU and wall time itself). */
function native(binary, steps) {
  const r = spawnSync(binary, [DEFAULT_BUNDLE_DIR, String(steps)], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`native C failed (${r.error ? r.error.message : `exit ${r.status}`}):\n${r.stderr}`);
  const m = /B (\d+), T (\d+): (\d+) characters\/s of CPU time \(wall clock: (\d+)\/s; native; (\d+) steps, first loss (\S+), last loss (\S+)\)/.exec(r.stdout);
  if (!m) throw new Error(`native C: no summary line in:\n${r.stdout}`);
  const chars = Number(m[5]) * Number(m[1]) * Number(m[2]);
  return [{ task: 'text', batch: Number(m[1]), seqLen: Number(m[2]), steps: Number(m[5]), chars,
    seconds: chars / Number(m[4]), cpuSeconds: chars / Number(m[3]), firstLoss: Number(m[6]), lastLoss: Number(m[7]) }];
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const loadBefore = loadavg();
  const meta = writeBundle();
  const results = [];
  const failures = {};
  // One failing peer (the engine without an LSTM yet, a browser that does not start) still
  // reports the others; the exit status says something failed.
  const attempt = async (impl, what, fn) => {
    process.stderr.write(`${what}...\n`);
    try {
      results.push(...(await fn()).map((r) => ({ impl, ...r })));
    } catch (e) {
      failures[impl] ??= String(e.message ?? e).split('\n')[0];
      console.error(`${what} failed: ${e.stack || e}`);
      process.exitCode = 1;
    }
  };
  let browser = null, page = null;
  if (opt.browser) {
    // Without a browser the Node and PyTorch figures are still worth printing.
    await attempt('browser', 'starting headless Chromium', async () => {
      browser = await launchBrowser();
      page = await openBenchPage(browser);
      return [];
    });
  }
  try {
    if (opt.only !== 'names') {
      for (let round = 0; round < opt.rounds; round++) {
        const one = { steps: opt.steps, rounds: 1 };
        const tag = (r) => r.map((x) => ({ ...x, round }));
        if (page) {
          await attempt('wasm-browser', `round ${round + 1}: our engine, browser worker`, async () => tag(await page.run('engine', { task: 'text', ...one })));
          for (const b of opt.tfjsBackends) {
            await attempt(`tfjs-${b}`, `round ${round + 1}: TensorFlow.js ${b}, browser worker`, async () => tag(await page.run('tfjs', { task: 'text', backend: b, ...one })));
          }
        }
        await attempt('torch-1t', `round ${round + 1}: PyTorch, 1 thread`, async () => tag(torch('text', one)));
        await attempt('wasm-node', `round ${round + 1}: our engine, Node`, async () => tag(await runEngineNode('text', one)));
        if (opt.native) await attempt('native', `round ${round + 1}: our engine, native`, async () => tag(native(opt.native, opt.steps ?? meta.text.roundSteps)));
      }
    }
    if (opt.only !== 'text') {
      const n = { steps: opt.namesSteps };
      await attempt('torch-1t', 'names: PyTorch', async () => torch('names', n));
      await attempt('wasm-node', 'names: our engine, Node', async () => runEngineNode('names', n));
      if (page) await attempt('wasm-browser', 'names: our engine, browser worker', () => page.run('engine', { task: 'names', ...n }));
      if (page && opt.tfjsNames) await attempt(`tfjs-${opt.tfjsBackends[0]}`, 'names: TensorFlow.js', () => page.run('tfjs', { task: 'names', backend: opt.tfjsBackends[0], ...n }));
    }
  } finally {
    await page?.close();
    await browser?.close();
  }
  if (opt.json) {
    for (const r of results) console.log(JSON.stringify(r));
    return;
  }
  report(results, failures, meta, opt, loadBefore);
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function report(results, failures, meta, opt, loadBefore) {
  const t = meta.text, nm = meta.names;
  console.log(`\n${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average before: ` +
    `${loadBefore.map((v) => v.toFixed(2)).join(' ')}, after: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  if (failures.browser) console.log(`browser peers not measured: ${failures.browser}`);
  const impls = ['wasm-browser', 'wasm-node', 'native', 'tfjs-wasm', 'tfjs-cpu', 'torch-1t'];
  const fmt = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
  let failed = false;
  if (opt.only !== 'names') {
    const flop = 3 * 2 * (4 * t.hidden * (t.vocab + t.hidden) + t.hidden * t.vocab);
    console.log(`\nCharacter-level LSTM 1x${t.hidden} on Moby Dick (V = ${t.vocab}), B = ${t.batch}, T = ${t.steps}, Adam lr ${t.adam.lr}; ` +
      `~${(flop / 1e6).toFixed(2)} MFLOP per character trained; characters/s of training, best [median] of the rounds (CPU-time rate where measured)`);
    const rows = {};
    for (const impl of impls) {
      const rs = results.filter((r) => r.impl === impl && r.task === 'text');
      if (!rs.length) {
        if (failures[impl]) console.log(`  ${(LABELS[impl]).padEnd(36)} failed: ${failures[impl]}`);
        continue;
      }
      const rates = rs.map((r) => r.chars / r.seconds);
      const cpuRates = rs.filter((r) => r.cpuSeconds > 0).map((r) => r.chars / r.cpuSeconds);
      const row = { best: Math.max(...rates), median: median(rates), cpu: cpuRates.length ? Math.max(...cpuRates) : NaN,
        first: rs[0].firstLoss, last: rs[rs.length - 1].lastLoss, n: rs.length, chars: rs[0].chars };
      rows[impl] = row;
      console.log(`  ${LABELS[impl].padEnd(36)} ${fmt(row.best).padStart(8)} [${fmt(row.median).padStart(8)}]` +
        `${Number.isFinite(row.cpu) ? `  CPU ${fmt(row.cpu).padStart(8)}` : ' '.repeat(14)}  ${(row.best * flop / 1e9).toFixed(2).padStart(6)} GFLOP/s` +
        `  (${row.n} x ${row.chars} chars; first loss ${row.first.toFixed(6)}, last ${row.last.toFixed(3)})`);
      if (!Number.isFinite(row.last)) { console.log(`  FAIL: ${impl} diverged`); failed = true; }
    }
    const tfjs = rows['tfjs-wasm'] ? 'tfjs-wasm' : rows['tfjs-cpu'] ? 'tfjs-cpu' : null;
    for (const ours of ['wasm-browser', 'wasm-node', 'native']) {
      const o = rows[ours];
      if (!o) continue;
      const parts = [];
      if (tfjs) {
        const r = o.best / rows[tfjs].best, rm = o.median / rows[tfjs].median;
        parts.push(`vs ${tfjs} ${r.toFixed(1)}x [median ${rm.toFixed(1)}x]${ours === 'wasm-browser' ? ` (target >= ${TFJS_TARGET}x: ${r >= TFJS_TARGET ? 'met' : 'NOT met'})` : ''}`);
      }
      if (rows['torch-1t']) {
        const x = rows['torch-1t'];
        const cpu = Number.isFinite(o.cpu) && Number.isFinite(x.cpu) ? `, CPU ${(o.cpu / x.cpu).toFixed(2)}x` : '';
        parts.push(`vs torch-1t ${(o.best / x.best).toFixed(2)}x [median ${(o.median / x.median).toFixed(2)}x${cpu}]`);
      }
      console.log(`  ${ours.padEnd(13)} ${parts.join('   ')}`);
    }
    // The first step starts from the same weights on the same batch: its loss must agree.
    const firsts = Object.entries(rows).map(([k, r]) => [k, r.first]);
    if (firsts.length > 1) {
      const ref = firsts[0][1];
      const worst = Math.max(...firsts.map(([, v]) => Math.abs(v - ref) / Math.abs(ref)));
      console.log(`  first-step losses agree to ${worst.toExponential(1)} relative (${firsts.map(([k, v]) => `${k} ${v.toFixed(6)}`).join(', ')})`);
      if (!(worst < 1e-4)) { console.log('  FAIL: the peers do not start from the same loss'); failed = true; }
    }
  }
  if (opt.only !== 'text') {
    const named = results.filter((r) => r.task === 'names');
    const steps = named[0]?.steps ?? nm.trainSteps;
    console.log(`\nNames (${nm.nTrain} train / ${nm.nValid} validation, V = ${nm.vocab}, T = ${nm.steps}), LSTM 1x${nm.hidden}, B = ${nm.batch}, ` +
      `Adam lr ${nm.adam.lr}: validation loss (nats per character, padding included) after ${steps} steps from the same weights and batches`);
    for (const impl of impls) {
      const r = named.find((x) => x.impl === impl);
      if (!r) {
        if (failures[impl] && opt.only === 'names') console.log(`  ${LABELS[impl].padEnd(36)} failed: ${failures[impl]}`);
        continue;
      }
      console.log(`  ${LABELS[impl].padEnd(36)} ${r.validLoss.toFixed(7)} (perplexity ${Math.exp(r.validLoss).toFixed(3)}; first step losses ` +
        `${r.losses.slice(0, 3).map((v) => v.toFixed(5)).join(' ')}; ${r.seconds.toFixed(1)} s)`);
    }
    const ref = named.find((x) => x.impl === 'torch-1t');
    for (const ours of ['wasm-node', 'wasm-browser']) {
      const o = named.find((x) => x.impl === ours);
      if (!o || !ref) continue;
      const rel = Math.abs(o.validLoss - ref.validLoss) / ref.validLoss;
      console.log(`  ${ours.padEnd(13)} vs torch-1t: ${rel === 0 ? '0' : (100 * rel).toExponential(1)} % (target within ${100 * QUALITY_TARGET} %: ${rel <= QUALITY_TARGET ? 'met' : 'NOT met'})`);
      if (!Number.isFinite(o.validLoss)) failed = true;
    }
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => { console.error(e); process.exit(1); });
