import { describe, expect, test } from 'vitest';
import { decodePoints, encodePoints, MAX_POINTS_TEXT, MAX_SHARED_POINTS, quantisePoint, type DrawnPoint } from './points';
import { createRng, randomInt } from '../lib/rng.js';

function randomPoints(seed: number, n: number): DrawnPoint[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => ({ x: (rng.next() - 0.5) * 12, y: (rng.next() - 0.5) * 12, cls: randomInt(rng, 4) }));
}

function encode(points: DrawnPoint[]): string {
  const r = encodePoints(points);
  if (!r.ok) throw new Error(r.error);
  return r.text;
}

describe('drawn points codec', () => {
  test('round trip: within half a quantisation step, classes exact, stable on re-encode', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 13, 100, MAX_SHARED_POINTS]) {
      const pts = randomPoints(n, n);
      const text = encode(pts);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      const r = decodePoints(text);
      if (!r.ok) throw new Error(r.error);
      expect(r.points).toHaveLength(n);
      r.points.forEach((p, i) => {
        expect(Math.abs(p.x - pts[i]!.x)).toBeLessThanOrEqual(6 / 4094 + 1e-12);
        expect(Math.abs(p.y - pts[i]!.y)).toBeLessThanOrEqual(6 / 4094 + 1e-12);
        expect(p.cls).toBe(pts[i]!.cls);
        expect(p).toEqual(quantisePoint(pts[i]!));
      });
      expect(encode(r.points)).toBe(text);
    }
  });

  test('compact: 26 bits a point', () => {
    expect(encode(randomPoints(1, 1000)).length).toBe(MAX_POINTS_TEXT);
    expect(MAX_POINTS_TEXT).toBeLessThan(4400);
    expect(encode([{ x: -6, y: 6, cls: 3 }])).toBe(encode([{ x: -60, y: 60, cls: 3 }])); // clamped to the domain
  });

  test('too many points: a clear message, not a silent cut', () => {
    const r = encodePoints(randomPoints(2, MAX_SHARED_POINTS + 1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(`at most ${MAX_SHARED_POINTS}`);
  });

  test('bad points are refused', () => {
    for (const p of [{ x: Number.NaN, y: 0, cls: 0 }, { x: 0, y: Infinity, cls: 0 }, { x: 0, y: 0, cls: 4 }, { x: 0, y: 0, cls: 1.5 }, { x: 0, y: 0, cls: -1 }]) {
      expect(encodePoints([p]).ok).toBe(false);
    }
  });

  test('garbage, truncation and other formats give an error, never a throw', () => {
    const good = encode(randomPoints(3, 10));
    const cases = ['', '!', 'AQ=', 'AQ==', '%41', 'A', 'Ag', good.slice(0, -1), good.slice(0, -3), `${good}A`, good.replace(/^A/, 'B'),
      'AQ'.padEnd(MAX_POINTS_TEXT + 1, 'A'), '\u0000', 'ÿÿ', '<script>'];
    for (const c of cases) {
      const r = decodePoints(c);
      expect(r.ok, c).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(5);
    }
    const rng = createRng(99);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%';
    for (let i = 0; i < 1000; i++) {
      let s = rng.next() < 0.5 ? 'AQ' : '';
      const n = randomInt(rng, 60);
      for (let j = 0; j < n; j++) s += alphabet[randomInt(rng, alphabet.length)];
      const r = decodePoints(s);
      if (r.ok) for (const p of r.points) expect(Math.abs(p.x) <= 6 && Math.abs(p.y) <= 6 && p.cls >= 0 && p.cls <= 3).toBe(true);
    }
  });
});
