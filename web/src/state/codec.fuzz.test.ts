// 1,000 generated malformed and hostile query strings: parsing never throws,
// always yields a valid Config, and reports what it did not use.
import { expect, test } from 'vitest';
import { parseQuery, validateConfig, writeQuery } from './codec';
import { CONFIG_FIELDS, PANELS, THEMES, VIEW_KEYS } from './schema';
import { createRng, randomInt, type Rng } from '../lib/rng.js';

const KEYS = [...CONFIG_FIELDS.map((f) => f.url), ...VIEW_KEYS, 'v', 'pts', 'networkShape', 'activation', 'learningRate',
  'x', '__proto__', 'constructor', 'prototype', '', '%', '%zz', 'lr%00', 'a'.repeat(300)];

const HOSTILE_VALUES = [
  '', 'NaN', '-NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '1e-400', '9'.repeat(400), '0x1F', '0b11', '1_000', ' 1',
  '1 ', '+', '-', '.', 'e5', '1e', '--1', '1..2', 'null', 'undefined', 'true', '[]', '{}', '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '%', '%E0%A4%A', '%ZZ', '%%%', '%00', '%0A%0D', '\u202e',
  '𝕏𝕏', ',,,', 'none', 'all', ',', '1,', ',1', '4,,2', '-1,-1', '65,65', '1,2,3,4,5,6,7,8,9', 'tanh,'.repeat(100),
  'relu;tanh', 'x1,x1', 'x'.repeat(5000), '=', '==', '&', '#', '?', '+++', 'a=b=c', 'custom', 'softmax', 'ADAM', 'Tanh',
  '0', '1', '-0', '0.000001', '1e-5', '10.0000001', '257', '2147483648', '4.5', 'dark', 'light', 'https://', 'http://a.b,evil',
  'AQ', 'AQAA', 'AQ' + 'A'.repeat(6000), '____', '-', 'AQ==', 'Ag',
];

function randomValue(rng: Rng): string {
  const r = rng.next();
  if (r < 0.6) return HOSTILE_VALUES[randomInt(rng, HOSTILE_VALUES.length)]!;
  if (r < 0.75) return String((rng.next() - 0.5) * 10 ** randomInt(rng, 30));
  if (r < 0.85) {
    // Random bytes, percent-encoded or raw.
    let s = '';
    const n = randomInt(rng, 40);
    for (let i = 0; i < n; i++) {
      const c = randomInt(rng, 256);
      s += rng.next() < 0.5 ? `%${c.toString(16).padStart(2, '0')}` : String.fromCharCode(32 + (c % 95));
    }
    return s;
  }
  if (r < 0.93) return [PANELS[randomInt(rng, PANELS.length)], THEMES[randomInt(rng, 2)], 'bogus'].slice(0, 1 + randomInt(rng, 3)).join(',');
  return `${randomInt(rng, 100)},${randomInt(rng, 100)}`;
}

function randomQuery(rng: Rng): string {
  const parts: string[] = [];
  const n = randomInt(rng, 12);
  for (let i = 0; i < n; i++) {
    const key = KEYS[randomInt(rng, KEYS.length)]!;
    const value = randomValue(rng);
    const enc = rng.next() < 0.5 ? value : encodeURIComponent(value);
    parts.push(rng.next() < 0.05 ? key : `${key}=${enc}`);
  }
  const prefix = ['', '?', '#', '??', '&'][randomInt(rng, 5)]!;
  return prefix + parts.join(rng.next() < 0.95 ? '&' : '&&');
}

/**
 * Everything wrong with how one query string was parsed (empty when fine).
 * Plain checks collected into a list, asserted once per test: a few thousand
 * separate expect() calls cost more than the parsing they check and made
 * this test slow enough to time out on a loaded 2-core machine.
 */
function problemsOf(q: string): { problems: string[]; rejected: number } {
  const problems: string[] = [];
  let p: ReturnType<typeof parseQuery>;
  try {
    p = parseQuery(q);
  } catch (e) {
    return { problems: [`parseQuery threw ${String(e)}`], rejected: 0 };
  }
  for (const v of validateConfig(p.config)) problems.push(`invalid config: ${v}`);
  for (const r of p.rejected) {
    if (typeof r.key !== 'string') problems.push(`rejection key is ${typeof r.key}`);
    if (r.value.length > 41) problems.push(`rejected value shown with ${r.value.length} characters`);
    if (/[\u0000-\u001f]/.test(r.value)) problems.push(`rejected value ${JSON.stringify(r.value)} has control characters`);
    if (r.reason.length <= 5) problems.push(`reason "${r.reason}" says nothing`);
  }
  for (const k of p.ignored) if (k.length > 41) problems.push(`ignored key shown with ${k.length} characters`);
  // What was accepted is itself a clean link.
  const again = parseQuery(writeQuery(p.config, { view: p.view })).rejected;
  if (again.length > 0) problems.push(`its own link is rejected: ${JSON.stringify(again)}`);
  for (const h of p.view.hide) if (!(PANELS as readonly string[]).includes(h)) problems.push(`hide has ${h}`);
  if (p.view.theme !== null && !(THEMES as readonly string[]).includes(p.view.theme)) problems.push(`theme is ${p.view.theme}`);
  return { problems, rejected: p.rejected.length };
}

test('1,000 hostile query strings: no throw, a valid Config, every problem reported', () => {
  const rng = createRng(20261122);
  let rejectedTotal = 0;
  const failures: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const q = randomQuery(rng);
    const { problems, rejected } = problemsOf(q);
    for (const m of problems) failures.push(`${m} (query ${JSON.stringify(q.slice(0, 200))})`);
    rejectedTotal += rejected;
  }
  expect(failures).toEqual([]);
  // The generator really is hostile: most strings have something to reject.
  expect(rejectedTotal).toBeGreaterThan(1000);
});

test('every value that differs from the default was given in the link', () => {
  // A parser that "fixes" bad input would change settings the link never set.
  const rng = createRng(7);
  for (let i = 0; i < 300; i++) {
    const q = randomQuery(rng);
    const p = parseQuery(q);
    const given = new Set(q.replace(/^[?#&]+/, '').split('&').map((kv) => { try { return decodeURIComponent(kv.split('=')[0]!); } catch { return ''; } }));
    for (const f of CONFIG_FIELDS) {
      const def = JSON.stringify(f.default);
      const got = JSON.stringify(p.config[f.key]);
      const legacy = given.has('networkShape') || given.has('activation') || given.has('learningRate') || given.has('x');
      // act follows hidden; legacy keys map onto ours.
      if (got !== def && f.key !== 'activations' && !legacy) expect(given.has(f.url), `${f.key} in ${q}`).toBe(true);
    }
  }
});
