// Splitting a query string (or a "#k=v&..." fragment) into checked pairs.
// Shared by every lab's codec and by parseLink.

import type { Rejection } from './codec-types';
import { reject } from './values';

/** Longest query string read at all; longer ones are not parsed. */
export const MAX_QUERY_LENGTH = 16384;
/** Longest value of any key except pts=. */
export const MAX_VALUE_LENGTH = 256;
/** Most key=value pairs read; the rest are ignored. */
export const MAX_PARAMS = 64;

/**
 * Splits a query string ("?a=1&b=2", "a=1&b=2" or a "#..." hash) into
 * decoded pairs, appended to `into`. '+' is a space. Broken percent-encoding
 * is reported. `counted` carries the pair count across calls, so a query
 * and a fragment together are held to MAX_PARAMS.
 */
export function splitQuery(search: string, rejected: Rejection[], into: Map<string, string[]> = new Map(),
  counted: { n: number } = { n: 0 }): Map<string, string[]> {
  const pairs = into;
  let s = search;
  if (s.startsWith('?') || s.startsWith('#')) s = s.slice(1);
  if (s === '') return pairs;
  for (const part of s.split('&')) {
    if (part === '') continue;
    if (++counted.n > MAX_PARAMS) {
      rejected.push(reject('(link)', '', `has more than ${MAX_PARAMS} parameters; the rest were not read`));
      break;
    }
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      rejected.push(reject(rawKey, rawValue, 'has broken percent-encoding (a % not followed by a valid code); it was not read'));
      continue;
    }
    const list = pairs.get(key);
    if (list) list.push(value);
    else pairs.set(key, [value]);
  }
  return pairs;
}

/** One value per key; repeated keys are ambiguous and rejected. */
export function singleValues(pairs: Map<string, string[]>, rejected: Rejection[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, values] of pairs) {
    if (values.length > 1) {
      rejected.push(reject(k, values.join(' | '), `is given ${values.length} times, so it is ambiguous; the default was kept`));
      continue;
    }
    out.set(k, values[0]!);
  }
  return out;
}

/** Percent-encoding, but commas, colons and slashes stay readable (all are
 *  legal in a query; MNIST's layers=conv:8:5:1:0:relu,... and origins=https://…
 *  use them). */
export function encodeValue(s: string): string {
  return encodeURIComponent(s).replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/');
}

/** A query string (without '?') of key/value pairs, in the links' readable encoding. */
export function writePairs(pairs: Iterable<readonly [string, string]>): string {
  return [...pairs].map(([k, v]) => `${encodeValue(k)}=${encodeValue(v)}`).join('&');
}
