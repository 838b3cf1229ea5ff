// py-export-util.mjs — shared by the NumPy and PyTorch-training export tests
// (not a test itself): the page's TypeScript modules bundled for Node with
// rolldown (so the tests run the code the page ships), a child-process
// runner for python3, and the real MNIST data in the heap.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';
// The labs registry finds its labs with import.meta.glob, as Vite does.
import { importGlobPlugin } from 'rolldown/experimental';

export const PYTHON = '/usr/bin/python3';
export const SRC = fileURLToPath(new URL('../../web/src/', import.meta.url));
/** The page's modules the NumPy export tests load (loadModules' entry). */
export const NUMPY_ENTRY = `
export { exportLabModelNumpy } from '${SRC}share/numpyExport.ts';
export { networkSpec } from '${SRC}share/network.ts';
export { generateDataset, featurize, targetsFor } from '${SRC}data/datasets.ts';
export { defaultConfig } from '${SRC}state/schema.ts';
export { denseLayers } from '${SRC}share/layers.ts';
export { coreVerdict } from '${SRC}share/coreLayout.ts';
export { mnistCodec } from '${SRC}labs/mnist/config.ts';
export { engineLayer, fileLayers, mlpLayers } from '${SRC}labs/mnist/model-layers.ts';
`;
export { MNIST_DIR, loadMnist, mnistAsset } from './core-load.mjs';

/** Bundles `entry` (module source with paths under SRC) into dir and imports it. */
export async function loadModules(dir, entry) {
  const entryPlugin = {
    name: 'entry',
    resolveId: (id) => (id === 'virtual:entry' ? id : null),
    load: (id) => (id === 'virtual:entry' ? entry : null),
  };
  const bundle = await rolldown({ input: 'virtual:entry', plugins: [entryPlugin, importGlobPlugin()], platform: 'node', logLevel: 'silent' });
  const file = join(dir, `modules-${Math.random().toString(36).slice(2)}.mjs`);
  await bundle.write({ file, format: 'esm' });
  await bundle.close();
  return import(pathToFileURL(file).href);
}

/**
 * Runs a command; resolves { code, out, err } (any exit status). The timeout
 * guards against a hung interpreter, it is not a speed check: importing torch
 * takes most of a minute when several builds share the 2-core machine.
 */
export function runProcess(cmd, args, { stdin = '', timeoutMs = 240000, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${cmd} ${args.join(' ')} timed out`)); }, timeoutMs);
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
    child.stdin.end(stdin);
  });
}

/** Runs a command that must succeed; resolves its stdout. */
export async function run(cmd, args, stdin) {
  const r = await runProcess(cmd, args, { stdin });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}: ${r.err}`);
  return r.out;
}


/** Largest |got - want| / max(1, |want|) over two equal-length lists. */
export function worstDifference(got, want) {
  if (got.length !== want.length) throw new Error(`lengths differ: ${got.length} vs ${want.length}`);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  return worst;
}
