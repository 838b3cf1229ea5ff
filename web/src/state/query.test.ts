// The readable query encoding: what writePairs writes, splitQuery reads back unchanged.
import { describe, expect, test } from 'vitest';
import { splitQuery, writePairs } from './query';

describe('writePairs', () => {
  test('commas, colons and slashes stay readable; the rest is encoded', () => {
    expect(writePairs([['lesson', './my lesson.json'], ['origins', 'https://a.example,https://b.example'], ['layers', 'conv:8:5']]))
      .toBe('lesson=./my%20lesson.json&origins=https://a.example,https://b.example&layers=conv:8:5');
  });

  test('any key and value round-trips through splitQuery', () => {
    const pairs: [string, string][] = [['a&b', 'x=y&z'], ['plus', '1+1 = 2'], ['pct', '100%'], ['uni', 'σ(x) · ŷ'], ['hash', '#frag?q']];
    const rejected: unknown[] = [];
    const back = splitQuery(`?${writePairs(pairs)}`, rejected as never);
    expect(rejected).toEqual([]);
    expect([...back].map(([k, v]) => [k, v[0]])).toEqual(pairs);
  });
});
