// report.mjs — runs the MNIST benchmark for every implementation, one process each, one after
// the other (so they do not compete for the 2 cores), and prints samples/s, GFLOP/s, test
// accuracy and our/peer ratios.
// Usage: node bench/report.mjs NATIVE_BINARY   (bench/run.sh builds the binary first)
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mnistDataDir } from './mnist-idx.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// MLP 784-128-10: forward 2*(784*128 + 128*10) FLOPs per sample; training counts 3x that
// (forward, input gradient, weight gradient).
const FLOPS_PER_SAMPLE = 3 * 2 * (784 * 128 + 128 * 10);
const OPTIMIZERS = ['sgd', 'adam'];
// One epoch of real training must reach this; below it the run did not really train.
const MIN_ACCURACY = 0.85;

function run(label, cmd, args) {
  process.stderr.write(`running ${label}...\n`);
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 240_000 });
  if (r.status !== 0) {
    throw new Error(`${label} failed (${r.error ? r.error.message : `exit ${r.status}`}):\n${r.stderr}`);
  }
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

function main() {
  const nativeBinary = process.argv[2];
  if (!nativeBinary) throw new Error('usage: node bench/report.mjs NATIVE_BINARY');
  const load = loadavg();
  const results = [
    ...run('native C', nativeBinary, [mnistDataDir(), ...OPTIMIZERS]),
    ...run('WASM in Node', process.execPath, [join(here, 'mnist-wasm.mjs'), ...OPTIMIZERS]),
    ...run('TensorFlow.js WASM (peer)', process.execPath, [join(here, 'mnist-tfjs.mjs'), ...OPTIMIZERS]),
  ];
  const rate = (r) => r.samples / r.seconds;
  // On a busy machine wall time includes waiting for a core; CPU time (the process's own
  // user + system time) does not, so both are shown. Ratios come from the same run.
  const cpuRate = (r) => r.samples / r.cpuSeconds;
  const gflops = (samplesPerSecond) => (samplesPerSecond * FLOPS_PER_SAMPLE / 1e9).toFixed(2);
  console.log(`\n${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ` +
    `load average before: ${load.map((v) => v.toFixed(2)).join(' ')}, after: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log('MNIST, MLP 784-128-10 ReLU, softmax cross-entropy, batch 64, one epoch (60,000 samples)');
  console.log('                    ---------- wall time ----------   ---------- CPU time -----------');
  console.log('impl          opt    samples/s  GFLOP/s  seconds      samples/s  GFLOP/s  seconds   test acc');
  for (const r of results) {
    console.log(`${r.impl.padEnd(13)} ${r.opt.padEnd(5)} ${rate(r).toFixed(0).padStart(10)} ${gflops(rate(r)).padStart(8)} ${r.seconds.toFixed(2).padStart(8)}` +
      `   ${cpuRate(r).toFixed(0).padStart(12)} ${gflops(cpuRate(r)).padStart(8)} ${r.cpuSeconds.toFixed(2).padStart(8)} ${(100 * r.accuracy).toFixed(2).padStart(9)}%`);
  }
  let failed = false;
  console.log('\nratios against the peer (TensorFlow.js + tfjs-backend-wasm, single thread), same run, wall time [CPU time]:');
  for (const opt of OPTIMIZERS) {
    const find = (impl) => results.find((r) => r.impl === impl && r.opt === opt);
    const peer = find('tfjs-wasm'), wasm = find('wasm'), native = find('native');
    if (!peer || !wasm || !native) { console.log(`${opt}: missing results`); failed = true; continue; }
    const both = (a, b) => `${(rate(a) / rate(b)).toFixed(2)}x [${(cpuRate(a) / cpuRate(b)).toFixed(2)}x]`;
    const verdict = (r) => (r >= 5 ? 'met' : 'NOT met');
    console.log(`${opt.padEnd(5)} wasm/peer ${both(wasm, peer)}   native/peer ${both(native, peer)}   wasm/native ${both(wasm, native)}` +
      `   (target wasm/peer >= 5x: wall ${verdict(rate(wasm) / rate(peer))}, CPU ${verdict(cpuRate(wasm) / cpuRate(peer))})`);
  }
  for (const r of results) {
    if (!(r.accuracy >= MIN_ACCURACY)) {
      console.log(`FAIL: ${r.impl} ${r.opt} reached only ${(100 * r.accuracy).toFixed(2)}% test accuracy`);
      failed = true;
    }
  }
  process.exitCode = failed ? 1 : 0;
}

try { main(); } catch (e) { console.error(e.message); process.exitCode = 1; }
