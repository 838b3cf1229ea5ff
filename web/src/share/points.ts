// Compact encoding of user-drawn points for share links (pts=).
// Layout: one header byte (format 1), then per point 26 bits, most
// significant first: x (12 bits), y (12 bits), class (2 bits); zero bits pad
// the last byte; the bytes are written as unpadded base64url.
// Coordinates are quantised to 4095 levels over [-6, 6] (about 0.003 apart,
// with -6, 0 and 6 exact),
// so a decoded set re-encodes to the same text.

import { base64UrlToBytes, bytesToBase64Url } from './base64';

export interface DrawnPoint {
  /** In the data domain [-6, 6]. */
  x: number;
  y: number;
  /** Class 0..3. */
  cls: number;
}

export const POINTS_FORMAT = 1;
/** Most points a link may carry; about 4,300 characters of URL. */
export const MAX_SHARED_POINTS = 1000;
const BITS_PER_POINT = 26;
// 4095 codes, 0..4094: an even number of steps puts 0 (the centre) on the grid.
const LEVELS = 4094;
const DOMAIN = 6;
/** Longest pts= value accepted: the encoding of MAX_SHARED_POINTS points. */
export const MAX_POINTS_TEXT = Math.ceil(((1 + Math.ceil((MAX_SHARED_POINTS * BITS_PER_POINT) / 8)) * 4) / 3);

export type PointsResult = { ok: true; points: DrawnPoint[] } | { ok: false; error: string };
export type EncodeResult = { ok: true; text: string } | { ok: false; error: string };

function quantise(v: number): number {
  const q = Math.round(((v + DOMAIN) / (2 * DOMAIN)) * LEVELS);
  return q < 0 ? 0 : q > LEVELS ? LEVELS : q;
}

function dequantise(q: number): number {
  return (q * 2 * DOMAIN) / LEVELS - DOMAIN;
}

/** Round a point to what a link preserves (what decode(encode(p)) gives). */
export function quantisePoint(p: DrawnPoint): DrawnPoint {
  return { x: dequantise(quantise(p.x)), y: dequantise(quantise(p.y)), cls: p.cls };
}

/** Encodes points, or explains why it cannot (too many, bad class, NaN). */
export function encodePoints(points: readonly DrawnPoint[]): EncodeResult {
  if (points.length > MAX_SHARED_POINTS) {
    return { ok: false, error: `A link can carry at most ${MAX_SHARED_POINTS} drawn points; this drawing has ${points.length}. Erase some points, or save the model file instead.` };
  }
  const nBytes = 1 + Math.ceil((points.length * BITS_PER_POINT) / 8);
  const bytes = new Uint8Array(nBytes);
  bytes[0] = POINTS_FORMAT;
  let pos = 8; // bit position
  const put = (value: number, width: number): void => {
    for (let b = width - 1; b >= 0; b--) {
      if ((value >> b) & 1) bytes[pos >> 3]! |= 0x80 >> (pos & 7);
      pos++;
    }
  };
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) return { ok: false, error: `Point ${i + 1} has a coordinate that is not a finite number.` };
    if (!Number.isInteger(p.cls) || p.cls < 0 || p.cls > 3) return { ok: false, error: `Point ${i + 1} has class ${String(p.cls)}; classes are 0 to 3.` };
    put(quantise(p.x), 12);
    put(quantise(p.y), 12);
    put(p.cls, 2);
  }
  return { ok: true, text: bytesToBase64Url(bytes) };
}

/** Decodes a pts= value; never throws. */
export function decodePoints(text: string): PointsResult {
  if (typeof text !== 'string') return { ok: false, error: 'the points are not text' };
  if (text.length > MAX_POINTS_TEXT) {
    return { ok: false, error: `too long (${text.length} characters; at most ${MAX_POINTS_TEXT}, which is ${MAX_SHARED_POINTS} points)` };
  }
  const bytes = base64UrlToBytes(text);
  if (typeof bytes === 'string') return { ok: false, error: `not valid point data: ${bytes}` };
  if (bytes.length < 1) return { ok: false, error: 'empty point data' };
  if (bytes[0] !== POINTS_FORMAT) return { ok: false, error: `unknown point format ${bytes[0]} (this page reads format ${POINTS_FORMAT})` };
  const bits = (bytes.length - 1) * 8;
  const n = Math.floor(bits / BITS_PER_POINT);
  if (bits - n * BITS_PER_POINT >= 8) return { ok: false, error: 'the point data has a partial point at the end — the text looks truncated' };
  let pos = 8;
  const get = (width: number): number => {
    let v = 0;
    for (let b = 0; b < width; b++) {
      v = (v << 1) | ((bytes[pos >> 3]! >> (7 - (pos & 7))) & 1);
      pos++;
    }
    return v;
  };
  const points: DrawnPoint[] = [];
  for (let i = 0; i < n; i++) {
    const x = dequantise(get(12));
    const y = dequantise(get(12));
    points.push({ x, y, cls: get(2) });
  }
  if (get(bits - n * BITS_PER_POINT) !== 0) return { ok: false, error: 'the point data has stray bits at the end — the text is damaged' };
  return { ok: true, points };
}
