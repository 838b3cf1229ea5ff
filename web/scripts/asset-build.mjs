// @ts-check
// What the build-time asset scripts (make-*-asset*.mjs) share: the
// up-to-date check, the write by rename, and the command line.
import crypto from 'node:crypto';
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

/** The shape of every hashedName (a RegExp source): vite.config.ts caches files of this shape on first use. */
export const HASHED_NAME_SHAPE = '[\\w-]+\\.[0-9a-f]{16}\\.[\\w.]+';

/**
 * `base.<16 hex of the content's SHA-256>.ext`: a new content is a new URL, so
 * the service worker may keep a fetched file forever (cache-first) and a
 * stale one is never served for a new build.
 * @param {string} base @param {string} ext without the dot @param {string | Uint8Array} data
 */
export function hashedName(base, ext, data) {
  return `${base}.${crypto.createHash('sha256').update(data).digest('hex').slice(0, 16)}.${ext}`;
}

/** Whether `file` is shaped like hashedName(base, ext, …). @param {string} file @param {string} base @param {string} ext */
export function isHashedName(file, base, ext) {
  return new RegExp(`^${base.replace(/[.-]/g, '\\$&')}\\.[0-9a-f]{16}\\.${ext.replace(/\./g, '\\.')}$`).test(file);
}

/** The file names in `dir` shaped like hashedName(base, ext, …). @param {string} dir @param {string} base @param {string} ext */
export function hashedFiles(dir, base, ext) {
  try {
    return fs.readdirSync(dir).filter((f) => isHashedName(f, base, ext));
  } catch {
    return [];
  }
}

/** The JSON in `file`, or null when it is missing or unreadable. @param {string} file */
export function readJsonOrNull(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
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
