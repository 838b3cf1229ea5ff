// @ts-check
// What the build-time asset scripts (make-*-asset*.mjs) share: the
// up-to-date check, the write by rename, and the command line.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether every output exists and is newer than every input. @param {string[]} outputs @param {string[]} inputs */
export function upToDate(outputs, inputs) {
  try {
    const oldestOut = Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
    return inputs.every((f) => fs.statSync(f).mtimeMs <= oldestOut);
  } catch {
    return false; // an output is missing
  }
}

/** Writes via a rename, so a half-written build never looks up to date. @param {string} file @param {string | Uint8Array} data */
export function writeAtomic(file, data) {
  fs.writeFileSync(`${file}.tmp`, data);
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * When the script at `scriptUrl` is the one node runs: reads `[--force] [--out DIR]`
 * (DIR defaults to web/public/generated) and runs `make`; a failure is one line
 * starting with `name`, and exit code 1.
 * @param {string} scriptUrl import.meta.url of the script
 * @param {string} name
 * @param {(options: { outDir: string, force: boolean }) => unknown} make
 */
export function runAsScript(scriptUrl, name, make) {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(scriptUrl)) return;
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const here = path.dirname(fileURLToPath(import.meta.url));
  const outDir = outIdx >= 0 ? path.resolve(args[outIdx + 1] ?? '') : path.resolve(here, '../public/generated');
  try {
    make({ outDir, force: args.includes('--force') });
  } catch (err) {
    console.error(`${name}: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  }
}
