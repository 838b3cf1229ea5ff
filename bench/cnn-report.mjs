// cnn-report.mjs — the CNN benchmark (issue 11 §3): training throughput of the three presets
// (bench/cnn-nets.mjs) for every implementation, one process each, one after the other (so
// they do not compete for the 2 cores), then the ratios from this same run:
//   ours: native C (bench/bench_cnn.c, when built), WASM in Node (bench/cnn-wasm-node.mjs),
//         WASM in a dedicated browser worker (bench/cnn-browser.mjs --only worker);
//   peers: TensorFlow.js (bench/cnn-peers-tfjs.mjs: CPU backend, see there why),
//          PyTorch CPU with torch.set_num_threads(1) (and all cores, for reference).
// Each implementation times each net in rounds; the best round counts (this VM is shared: one
// round measured anywhere from 1x to 4x the best). Wall and CPU time both shown; ratios wall
// [CPU]; the browser has no CPU clock.
// Usage: node bench/cnn-report.mjs [NATIVE_BINARY]   (bench/run.sh builds it)
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { CNN_NETS, NET_IDS, ROUNDS, TIMED_STEPS, macsPerExample } from './cnn-nets.mjs';
import { mnistDataDir } from './mnist-idx.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';

const LABELS = {
  native: 'native C (ours)',
  'wasm-node': 'WASM, Node (ours)',
  'wasm-browser': 'WASM, browser worker (ours)',
  'tfjs-cpu': 'TensorFlow.js CPU backend',
  'tfjs-wasm': 'TensorFlow.js WASM backend',
  'torch-1t': 'PyTorch CPU, 1 thread',
};

function run(label, cmd, args, timeout = 400_000) {
  process.stderr.write(`running ${label}...\n`);
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24, timeout });
  if (r.status !== 0) {
    throw new Error(`${label} failed (${r.error ? r.error.message : `exit ${r.status}`}):\n${r.stderr}`);
  }
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

/** bench/bench_cnn.c's summary line as a round record (it prints text: rates per CPU
 * second and per wall second; it runs one round per call, so it is called once a round). */
function nativeRounds(binary) {
  const records = [];
  for (const net of NET_IDS) {
    for (let round = 0; round < ROUNDS.fast; round++) {
      const steps = TIMED_STEPS.fast[net];
      process.stderr.write(`running native C, ${net}, round ${round + 1}...\n`);
      const r = spawnSync(binary, [mnistDataDir(), String(steps), net], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`native C failed (${r.error ? r.error.message : `exit ${r.status}`}):\n${r.stderr}`);
      const m = /^(\S+)\s+batch\s+(\d+):\s+(\d+) examples\/s of CPU time \(wall clock: (\d+)\/s; native; (\d+) steps, last loss (\S+)\)/m.exec(r.stdout);
      if (!m || m[1] !== net) throw new Error(`native C: no summary line for ${net} in:\n${r.stdout}`);
      const samples = Number(m[5]) * Number(m[2]);
      records.push({ impl: 'native', net, round, batch: Number(m[2]), steps: Number(m[5]), samples,
        seconds: samples / Number(m[4]), cpuSeconds: samples / Number(m[3]), lastLoss: Number(m[6]) });
    }
  }
  return records;
}

/** The best round of impl on net: { wall, cpu } examples/s (cpu NaN when not measured). */
function best(results, impl, net) {
  const rounds = results.filter((r) => r.impl === impl && r.net === net);
  if (!rounds.length) return null;
  const wall = Math.max(...rounds.map((r) => r.samples / r.seconds));
  const cpuRates = rounds.filter((r) => r.cpuSeconds > 0).map((r) => r.samples / r.cpuSeconds);
  const cpu = cpuRates.length ? Math.max(...cpuRates) : NaN;
  return { wall, cpu, rounds: rounds.length, samples: rounds[0].samples, lastLoss: rounds[rounds.length - 1].lastLoss };
}

function main() {
  const nativeBinary = process.argv[2];
  const load = loadavg();
  const results = [];
  if (nativeBinary) results.push(...nativeRounds(nativeBinary));
  results.push(...run('WASM in Node', process.execPath, [join(here, 'cnn-wasm-node.mjs')]));
  results.push(...run('WASM in a browser worker', process.execPath, [join(here, 'cnn-browser.mjs'), '--only', 'worker', '--json']));
  results.push(...run('TensorFlow.js (peer)', process.execPath, [join(here, 'cnn-peers-tfjs.mjs')]));
  results.push(...run('PyTorch (peer)', PYTHON, [join(here, 'cnn-peers-torch.py')]));

  const allCores = results.find((r) => r.impl?.startsWith('torch-') && r.impl !== 'torch-1t')?.impl;
  const impls = ['native', 'wasm-node', 'wasm-browser', 'tfjs-wasm', 'tfjs-cpu', 'torch-1t', allCores].filter((i) => i && results.some((r) => r.impl === i));
  const tfjs = impls.find((i) => i.startsWith('tfjs-'));
  const tfjsRecord = results.find((r) => r.impl === tfjs);
  console.log(`\n${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ` +
    `load average before: ${load.map((v) => v.toFixed(2)).join(' ')}, after: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log('CNN training throughput on MNIST (1x28x28, file order), examples/s of the best timed round, wall [CPU]');
  if (tfjsRecord?.backend === 'cpu') {
    console.log(`TensorFlow.js runs its CPU backend: tfjs-backend-wasm lacks ${tfjsRecord.wasmMissingKernels.join(', ')} (checked in this run), so it cannot train a convolution`);
  }
  const fmt = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
  let failed = false;
  for (const net of NET_IDS) {
    const spec = CNN_NETS[net];
    const mflop = (3 * 2 * macsPerExample(spec)) / 1e6;
    console.log(`\n${net} (${spec.label}), batch ${spec.batch}, ${spec.optimizer.name} lr ${spec.optimizer.lr}; ~${mflop.toFixed(2)} MFLOP per training example`);
    const rows = Object.fromEntries(impls.map((i) => [i, best(results, i, net)]));
    for (const impl of impls) {
      const b = rows[impl];
      if (!b) { console.log(`  ${(LABELS[impl] ?? impl).padEnd(30)} missing`); failed = true; continue; }
      const label = LABELS[impl] ?? `PyTorch CPU, ${impl.slice(6, -1)} threads (reference)`;
      console.log(`  ${label.padEnd(30)} ${fmt(b.wall).padStart(9)} [${fmt(b.cpu).padStart(9)}]  ` +
        `${(b.wall * mflop / 1000).toFixed(2).padStart(6)} GFLOP/s  (${b.rounds} x ${b.samples} examples, last loss ${b.lastLoss.toFixed(3)})`);
      if (!Number.isFinite(b.lastLoss)) { console.log(`  FAIL: ${impl} diverged`); failed = true; }
    }
    const ratio = (a, b) => {
      const x = rows[a], y = rows[b];
      if (!x || !y) return 'n/a';
      const cpu = Number.isFinite(x.cpu) && Number.isFinite(y.cpu) ? ` [${(x.cpu / y.cpu).toFixed(2)}x]` : '';
      return `${(x.wall / y.wall).toFixed(2)}x${cpu}`;
    };
    // Wall time and, where both sides have it, CPU time (this VM's load can halve wall rates).
    const verdict = (a, b, min) => {
      const x = rows[a], y = rows[b];
      if (!x || !y) return 'n/a';
      const say = (r) => (r >= min ? 'met' : 'NOT met');
      const cpu = Number.isFinite(x.cpu) && Number.isFinite(y.cpu) ? `, CPU ${say(x.cpu / y.cpu)}` : '';
      return `wall ${say(x.wall / y.wall)}${cpu}`;
    };
    for (const ours of ['wasm-node', 'wasm-browser', 'native']) {
      if (!rows[ours]) continue;
      const parts = [];
      if (tfjs) parts.push(`vs ${tfjs} ${ratio(ours, tfjs)}${ours !== 'native' ? ` (target >= 10x: ${verdict(ours, tfjs, 10)})` : ''}`);
      parts.push(`vs torch-1t ${ratio(ours, 'torch-1t')}${ours !== 'native' ? ` (target >= 0.5x: ${verdict(ours, 'torch-1t', 0.5)})` : ''}`);
      console.log(`  ${ours.padEnd(13)} ${parts.join('   ')}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

try { main(); } catch (e) { console.error(e.message); process.exitCode = 1; }
