// gan-bench.mjs — issue 14 §5's speed benchmark: the 2-D GAN at GAN Lab's default sizes
// (batch 150, one hidden layer of 8 ReLU units in each network: G 2-8-2 with a tanh output,
// D 2-8-1 with one logit; 2-D uniform noise; log loss; SGD lr 0.1 for both networks; one D step
// + one G step per iteration; see bench/gan-workload.mjs), iterations per second for
//   our engine: GanPair (web/src/engine/gan.js, the labs' trainer) on the WASM module the app
//     ships, in a dedicated browser worker (the target's figure), and in Node;
//   TensorFlow.js 4.22 in a dedicated browser worker of the same page, as GAN Lab writes it
//     (variables, matMul/add/relu, optimizer.minimize per network; bench/gan-tfjs.mjs in bench/gan-tfjs-worker.js),
//     on each backend asked for (wasm one thread, cpu, webgl: the fastest is the peer);
//   PyTorch on the CPU, torch.set_num_threads(1) (bench/gan-peers-torch.py);
// all in this one run, rounds interleaved (one round of each peer and configuration, then the
// next round: the shared VM drifts over minutes), each run a fresh worker/process with an
// untimed warm-up (for our engine at least 3,000 iterations, see bench/gan-engine.mjs),
// timed for --seconds of iterations. Best [median] of the rounds; target >= 10x TF.js.
// Every peer starts from the engine's initial weights and trains on the same real batches and
// the same noise stream (GanPair's): the first iteration's D and G losses must agree to 1e-5
// relative (the check fails the run), and the first 50 iterations' losses are compared too.
// Also the same workload with Adam (GAN Lab's Adam: beta1 0.9) and at GAN Lab's real depth
// (its code builds 2-8-8-2 / 2-8-8-1 for the "1 hidden layer" it shows).
// Usage: node bench/gan-bench.mjs [--rounds 3] [--seconds 2] [--warmup 0.5]
//        [--configs sgd/label,adam/label,sgd/code] (optimizer/depth[/least_squares]) [--tfjs-backends wasm,cpu,webgl]
//        [--no-browser] [--no-torch] [--json]
// (after `bash build.sh wasm` and `bash build.sh web`, which generates the browser module).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/e2e/lib/index.mjs';
import { loadEngine } from '../tests/node/core-load.mjs';
import { openGanBenchPage } from './gan-browser.mjs';
import { initialWeights, runEngineRound } from './gan-engine.mjs';
import { BATCH, CHECK_ITERATIONS, OPTIMIZERS, ganSpec, median, torchBundleFiles } from './gan-workload.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
const TFJS_TARGET = 10; // x TF.js, issue 14 §5
const FIRST_LOSS_TOLERANCE = 1e-5; // relative, the first iteration's D and G losses
const NOISE_POOL_ITERATIONS = 256; // the stream's first iterations, for PyTorch

const LABELS = {
  'wasm-browser': 'our engine, WASM, browser worker',
  'wasm-node': 'our engine, WASM, Node',
  'tfjs-wasm': 'TensorFlow.js wasm, browser worker',
  'tfjs-cpu': 'TensorFlow.js cpu, browser worker',
  'tfjs-webgl': 'TensorFlow.js webgl, browser worker',
  'torch-1t': 'PyTorch CPU, 1 thread',
};
const IMPLS = Object.keys(LABELS);

function parseArgs(argv) {
  const o = { rounds: 3, seconds: 2, warmup: 0.5, configs: ['sgd/label', 'adam/label', 'sgd/code'],
    tfjsBackends: ['wasm', 'cpu', 'webgl'], browser: true, torch: true, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--seconds') o.seconds = Number(argv[++i]);
    else if (a === '--warmup') o.warmup = Number(argv[++i]);
    else if (a === '--configs') o.configs = argv[++i].split(',');
    else if (a === '--tfjs-backends') o.tfjsBackends = argv[++i].split(',').filter(Boolean);
    else if (a === '--no-browser') o.browser = false;
    else if (a === '--no-torch') o.torch = false;
    else if (a === '--json') o.json = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.rounds >= 1 && o.seconds > 0 && o.warmup >= 0)) throw new Error('--rounds >= 1, --seconds > 0, --warmup >= 0');
  o.configs = o.configs.map((c) => {
    const [opt, depth = 'label', loss = 'bce'] = c.split('/');
    if (loss !== 'bce' && loss !== 'least_squares') throw new Error(`unknown loss ${loss}`);
    ganSpec({ opt, depth }); // throws on an unknown optimizer or depth
    return { name: [opt, depth, ...(loss === 'bce' ? [] : [loss])].join('/'), opt, depth, loss };
  });
  return o;
}

/** Writes the PyTorch peer's bundle for `config` (bench/gan-workload.mjs) under build/bench/gan/. */
function writeTorchBundle(config, weights) {
  const dir = join(here, '..', 'build', 'bench', 'gan', config.name.replaceAll('/', '-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(torchBundleFiles(config, weights, NOISE_POOL_ITERATIONS))) writeFileSync(join(dir, name), bytes);
  return dir;
}

/** One PyTorch process over the bundles `dirs`: one record per bundle, in order. */
function torchRound(dirs, opt) {
  const r = spawnSync(PYTHON, [join(here, 'gan-peers-torch.py'), ...dirs, '--seconds', String(opt.seconds), '--warmup-seconds', String(opt.warmup)],
    { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`PyTorch failed (${r.error ? r.error.message : `exit ${r.status}`}):\n${r.stderr}`);
  const records = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  if (records.length !== dirs.length) throw new Error(`PyTorch: ${records.length} records for ${dirs.length} bundles in:\n${r.stdout}`);
  return records;
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const loadBefore = loadavg();
  const engine = await loadEngine();
  const results = [];
  const failures = {};
  // One failing peer (a backend that does not start) still reports the others; the exit
  // status says something failed.
  const attempt = async (key, what, fn) => {
    process.stderr.write(`${what}...\n`);
    try {
      const r = await fn();
      if (r) results.push({ ...key, ...r });
    } catch (e) {
      failures[`${key.config}|${key.impl}`] ??= String(e.message ?? e).split('\n')[0];
      console.error(`${what} failed: ${e.stack || e}`);
      process.exitCode = 1;
    }
  };
  let browser = null, page = null;
  if (opt.browser) {
    await attempt({ config: '*', impl: 'browser' }, 'starting headless Chromium', async () => {
      browser = await launchBrowser();
      page = await openGanBenchPage(browser);
    });
  }
  try {
    const setups = opt.configs.map((config) => {
      const weights = initialWeights(engine, config);
      return { config, weights, torchDir: opt.torch ? writeTorchBundle(config, weights) : null,
        base: { opt: config.opt, depth: config.depth, loss: config.loss, seconds: opt.seconds, warmupSeconds: opt.warmup } };
    });
    for (let round = 0; round < opt.rounds; round++) {
      for (const { config, weights, base } of setups) {
        const key = (impl) => ({ config: config.name, impl, round });
        const what = (label) => `round ${round + 1}, ${config.name}: ${label}`;
        if (page) {
          await attempt(key('wasm-browser'), what(LABELS['wasm-browser']), () => page.run('engine', base));
          for (const backend of opt.tfjsBackends) {
            await attempt(key(`tfjs-${backend}`), what(LABELS[`tfjs-${backend}`] ?? backend), () => page.run('tfjs', { ...base, backend, weights }));
          }
        }
        await attempt(key('wasm-node'), what(LABELS['wasm-node']), async () => runEngineRound(await loadEngine(), { ...base, cpuClock }));
      }
      // PyTorch: every configuration in one process per round (importing torch takes seconds).
      const torchSetups = setups.filter((x) => x.torchDir);
      if (torchSetups.length) {
        process.stderr.write(`round ${round + 1}: ${LABELS['torch-1t']}...\n`);
        try {
          const records = torchRound(torchSetups.map((x) => x.torchDir), opt);
          torchSetups.forEach((x, i) => results.push({ config: x.config.name, impl: 'torch-1t', round, ...records[i] }));
        } catch (e) {
          for (const x of torchSetups) failures[`${x.config.name}|torch-1t`] ??= String(e.message ?? e).split('\n')[0];
          console.error(`PyTorch failed: ${e.stack || e}`);
          process.exitCode = 1;
        }
      }
    }
  } finally {
    await page?.close();
    await browser?.close();
  }
  if (opt.json) {
    for (const r of results) console.log(JSON.stringify(r));
    return;
  }
  report(results, failures, opt, loadBefore);
}

/** Seconds of this process's CPU time. */
const cpuClock = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const rel = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
const fmt = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');

function report(results, failures, opt, loadBefore) {
  console.log(`\n${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average before: ` +
    `${loadBefore.map((v) => v.toFixed(2)).join(' ')}, after: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  if (failures['*|browser']) console.log(`browser peers not measured: ${failures['*|browser']}`);
  let failed = false;
  for (const config of opt.configs) {
    const o = OPTIMIZERS[config.opt];
    const sizes = config.depth === 'label' ? 'G 2-8-2, D 2-8-1' : 'G 2-8-8-2, D 2-8-8-1';
    console.log(`\n2-D GAN, ${sizes} (ReLU hidden, G tanh, D one logit), batch ${BATCH}, ` +
      `${config.loss === 'bce' ? 'BCE (non-saturating G)' : 'least squares'}, ` +
      `${o.kind === 'sgd' ? `SGD lr ${o.lr}` : `Adam lr ${o.lr} beta1 ${o.beta1}`}, 1 D + 1 G step per iteration [${config.name}]: ` +
      `iterations/s, best [median] of ${opt.rounds} rounds of ${opt.seconds} s (CPU-time rate where the process measures it)`);
    /** @type {Record<string, any>} */
    const rows = {};
    for (const impl of IMPLS) {
      const rs = results.filter((r) => r.config === config.name && r.impl === impl);
      if (!rs.length) {
        const f = failures[`${config.name}|${impl}`];
        if (f) console.log(`  ${LABELS[impl].padEnd(36)} failed: ${f}`);
        continue;
      }
      const rates = rs.map((r) => r.iterations / r.seconds);
      const cpuRates = rs.filter((r) => r.cpuSeconds > 0).map((r) => r.iterations / r.cpuSeconds);
      const row = { best: Math.max(...rates), median: median(rates), cpu: cpuRates.length ? Math.max(...cpuRates) : NaN, n: rs.length, byRound: new Map(rs.map((x, i) => [x.round, rates[i]])), trace: rs[0].trace, last: rs[rs.length - 1].last,
        diverged: rs.some((r) => r.diverged), tfjs: rs[0].tfjs, renderer: rs[0].renderer, torch: rs[0].torch };
      rows[impl] = row;
      const version = row.tfjs ? ` (tfjs ${row.tfjs}${row.renderer ? `, WebGL on ${row.renderer}` : ''})` : row.torch ? ` (torch ${row.torch})` : '';
      console.log(`  ${LABELS[impl].padEnd(36)} ${fmt(row.best).padStart(7)} [${fmt(row.median).padStart(7)}]  ` +
        `${(1e6 / row.best).toFixed(1).padStart(8)} us/iteration${Number.isFinite(row.cpu) ? `  (CPU ${fmt(row.cpu)}/s)` : ''}  first D/G loss ${row.trace[0].map((v) => v.toFixed(6)).join(' / ')}, ` +
        `last ${row.last.map((v) => v.toFixed(3)).join(' / ')}${version}`);
      if (row.diverged) { console.log(`  FAIL: ${impl} diverged`); failed = true; }
    }
    for (const [key, f] of Object.entries(failures)) {
      const [cfg, impl] = key.split('|');
      if (cfg === config.name && !IMPLS.includes(impl)) console.log(`  ${impl.padEnd(36)} failed: ${f}`);
    }
    const tfjsRows = Object.keys(rows).filter((k) => k.startsWith('tfjs-'));
    const peer = tfjsRows.sort((a, b) => rows[b].best - rows[a].best)[0];
    // Best over best favours whichever peer caught a quiet moment; a round's peers run seconds
    // apart, so the ratios within each round (paired) are steadier on this shared VM.
    const paired = (ours, other) => {
      const v = [...rows[ours].byRound].filter(([round]) => rows[other].byRound.has(round)).map(([round, rate]) => rate / rows[other].byRound.get(round));
      return v.length ? { median: median(v), min: Math.min(...v), max: Math.max(...v) } : null;
    };
    const ratio = (ours, other) => {
      const r = rows[ours], x = rows[other], p = paired(ours, other);
      return { best: r.best / x.best, min: p ? p.min : NaN,
        text: `${(r.best / x.best).toFixed(1)}x best/best [median/median ${(r.median / x.median).toFixed(1)}x` +
          `${p ? `; round by round ${p.median.toFixed(1)}x median, ${p.min.toFixed(1)}-${p.max.toFixed(1)}x` : ''}]` };
    };
    for (const ours of ['wasm-browser', 'wasm-node']) {
      if (!rows[ours]) continue;
      const parts = [];
      if (peer) {
        const q = ratio(ours, peer);
        const met = q.best >= TFJS_TARGET && !(q.min < TFJS_TARGET);
        parts.push(`vs ${peer} (fastest TF.js) ${q.text}${ours === 'wasm-browser' ? ` (target >= ${TFJS_TARGET}x in every round: ${met ? 'met' : 'NOT met'})` : ''}`);
      }
      if (rows['torch-1t']) {
        const cpu = rows[ours].cpu / rows['torch-1t'].cpu;
        parts.push(`vs torch-1t ${ratio(ours, 'torch-1t').text}${Number.isFinite(cpu) ? `, CPU time ${cpu.toFixed(1)}x` : ''}`);
      }
      for (const part of parts) console.log(`  ${ours.padEnd(13)} ${part}`);
    }
    // Same weights, same batches, same noise: the first iteration's losses must agree.
    const ref = rows['wasm-browser'] ? 'wasm-browser' : rows['wasm-node'] ? 'wasm-node' : null;
    if (ref) {
      const checks = Object.keys(rows).filter((k) => k !== ref).map((k) => {
        const [a, b] = [rows[ref].trace, rows[k].trace];
        const first = Math.max(rel(a[0][0], b[0][0]), rel(a[0][1], b[0][1]));
        let worst = 0;
        for (let i = 0; i < Math.min(a.length, b.length); i++) worst = Math.max(worst, rel(a[i][0], b[i][0]), rel(a[i][1], b[i][1]));
        return { k, first, worst };
      });
      for (const c of checks) {
        const ok = c.first <= FIRST_LOSS_TOLERANCE;
        console.log(`  check ${c.k.padEnd(12)} vs ${ref}: first iteration's D and G losses differ by ${c.first.toExponential(1)} relative ` +
          `(tolerance ${FIRST_LOSS_TOLERANCE}: ${ok ? 'ok' : 'FAIL'}); first ${CHECK_ITERATIONS} iterations: at most ${c.worst.toExponential(1)}`);
        if (!ok) failed = true;
      }
    }
  }
  if (failed) process.exitCode = 1;
}

main().catch((e) => { console.error(e); process.exit(1); });
