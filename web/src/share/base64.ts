// base64 / base64url for bytes, strict on decode (no silent skipping of
// bad characters), without atob/btoa so it behaves the same in Node.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ALPHABET_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function lookup(alphabet: string): Int16Array {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const LOOKUP = lookup(ALPHABET);
const LOOKUP_URL = lookup(ALPHABET_URL);

function encodeWith(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  const parts: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    parts.push(alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + alphabet[(v >> 6) & 63]! + alphabet[v & 63]!);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    parts.push(alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + (pad ? '==' : ''));
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    parts.push(alphabet[v >> 18]! + alphabet[(v >> 12) & 63]! + alphabet[(v >> 6) & 63]! + (pad ? '=' : ''));
  }
  return parts.join('');
}

/** Returns the bytes, or an English reason the text is not valid. */
function decodeWith(text: string, table: Int16Array, padded: boolean): Uint8Array | string {
  let s = text;
  if (padded) {
    if (s.length % 4 !== 0) return `its length (${s.length}) is not a multiple of 4 — the text looks truncated`;
    if (s.endsWith('==')) s = s.slice(0, -2);
    else if (s.endsWith('=')) s = s.slice(0, -1);
  }
  if (s.length % 4 === 1) return 'its length is impossible for base64 — the text looks truncated';
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0) return `it contains a character that is not base64 at position ${i}`;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return 'its last character has stray bits — the text is damaged';
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  return encodeWith(bytes, ALPHABET, true);
}
export function base64ToBytes(text: string): Uint8Array | string {
  return decodeWith(text, LOOKUP, true);
}
/** Unpadded base64url, safe in a query string without escaping. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  return encodeWith(bytes, ALPHABET_URL, false);
}
export function base64UrlToBytes(text: string): Uint8Array | string {
  return decodeWith(text, LOOKUP_URL, false);
}

/** Padded base64 of the values as little-endian float32 (the model file's and the PyTorch script's layout). */
export function floatsToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i]!, true);
  return bytesToBase64(bytes);
}
