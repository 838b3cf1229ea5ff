// 1,000 generated malformed and hostile query strings: parsing never throws,
// always yields a valid Config, and reports what it did not use.
import { expect, test } from 'vitest';
import { parseQuery, validateConfig, writeQuery } from './codec';
import { CONFIG_FIELDS, PANELS, THEMES, VIEW_KEYS } from './schema';
import { createRng, randomInt, type Rng } from '../data/rng';

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

test('1,000 hostile query strings: no throw, a valid Config, every problem reported', () => {
  const rng = createRng(20261122);
  let rejectedTotal = 0;
  for (let i = 0; i < 1000; i++) {
    const q = randomQuery(rng);
    let parsed: ReturnType<typeof parseQuery> | undefined;
    expect(() => { parsed = parseQuery(q); }, q).not.toThrow();
    const p = parsed!;
    expect(validateConfig(p.config), q).toEqual([]);
    for (const r of p.rejected) {
      expect(typeof r.key).toBe('string');
      expect(r.value.length).toBeLessThanOrEqual(41);
      expect(r.value).not.toMatch(/[\u0000-\u001f]/);
      expect(r.reason.length).toBeGreaterThan(5);
    }
    for (const k of p.ignored) expect(k.length).toBeLessThanOrEqual(41);
    // What was accepted is itself a clean link.
    expect(parseQuery(writeQuery(p.config, { view: p.view })).rejected).toEqual([]);
    expect(p.view.hide.every((h) => (PANELS as readonly string[]).includes(h))).toBe(true);
    if (p.view.theme !== null) expect(THEMES).toContain(p.view.theme);
    rejectedTotal += p.rejected.length;
  }
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
