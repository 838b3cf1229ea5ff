// Single values: parsing and writing one setting by its schema entry, and
// the text of rejections. Shared by the URL codec and JSON validation.

import type { Rejection } from './codec-types';

/** How a field is read from and written to the URL. */
export type FieldSpec =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'number'; min: number; max: number; integer: boolean }
  | { kind: 'bool' }
  /** Comma list of integers; "none" is the empty list. */
  | { kind: 'intList'; minLength: number; maxLength: number; min: number; max: number }
  /** Comma list from an allow-list; "none" is the empty list. */
  | { kind: 'enumList'; values: readonly string[]; minLength: number; maxLength: number; unique: boolean }
  /** A value with its own text form (e.g. MNIST's layer list): the lab
   *  parses and writes it; `json` turns a JSON value into that text. */
  | CustomSpec;

export interface CustomSpec {
  kind: 'custom';
  parse(raw: string): Parsed;
  write(value: unknown): string;
  /** The URL text of a JSON value (postMessage, model files), or undefined for a wrong type. */
  json(value: unknown): string | undefined;
  /** What the JSON value must be, for error messages ("a layer list"). */
  jsonType: string;
}

const SHOW_LENGTH = 40;

/** Truncated, without control characters: safe to show as text. */
export function showable(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
  return clean.length > SHOW_LENGTH ? `${clean.slice(0, SHOW_LENGTH)}…` : clean;
}

export function reject(key: string, value: string, reason: string): Rejection {
  return { key: showable(key), value: showable(value), reason };
}

export function describeDefault(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.join(',');
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

// Plain decimal numbers only: no hex, no "Infinity", no spaces.
const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function parseNumber(s: string): number | undefined {
  if (s.length > 32 || !NUMBER_RE.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

export function rangeText(min: number, max: number, integer: boolean): string {
  return `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;
}

/** A parsed value, or the reason it is not acceptable. */
export type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

export function parseValue(spec: FieldSpec, raw: string): Parsed {
  switch (spec.kind) {
    case 'custom':
      return spec.parse(raw);
    case 'enum':
      return spec.values.includes(raw) ? { ok: true, value: raw } : { ok: false, reason: `must be one of: ${spec.values.join(', ')}` };
    case 'bool':
      if (raw === '1' || raw === 'true') return { ok: true, value: true };
      if (raw === '0' || raw === 'false') return { ok: true, value: false };
      return { ok: false, reason: 'must be 1 or 0' };
    case 'number': {
      const v = parseNumber(raw);
      const want = rangeText(spec.min, spec.max, spec.integer);
      if (v === undefined) return { ok: false, reason: `must be ${want}` };
      if (spec.integer && !Number.isInteger(v)) return { ok: false, reason: `must be ${want}` };
      if (v < spec.min || v > spec.max) return { ok: false, reason: `is out of range: must be ${want}` };
      return { ok: true, value: v };
    }
    case 'intList':
    case 'enumList': {
      const items = raw === 'none' ? [] : raw.split(',');
      if (items.length < spec.minLength || items.length > spec.maxLength) {
        return { ok: false, reason: `must list ${spec.minLength} to ${spec.maxLength} entries, separated by commas${spec.minLength === 0 ? ' ("none" for no entries)' : ''}` };
      }
      if (spec.kind === 'intList') {
        const out: number[] = [];
        for (const item of items) {
          const v = parseNumber(item);
          if (v === undefined || !Number.isInteger(v) || v < spec.min || v > spec.max) {
            return { ok: false, reason: `each entry must be ${rangeText(spec.min, spec.max, true)}` };
          }
          out.push(v);
        }
        return { ok: true, value: out };
      }
      for (const item of items) {
        if (!spec.values.includes(item)) return { ok: false, reason: `each entry must be one of: ${spec.values.join(', ')}` };
      }
      if (spec.unique && new Set(items).size !== items.length) return { ok: false, reason: 'lists an entry twice' };
      return { ok: true, value: items };
    }
  }
}

export function writeValue(spec: FieldSpec, value: unknown): string {
  switch (spec.kind) {
    case 'custom':
      return spec.write(value);
    case 'bool':
      return value ? '1' : '0';
    case 'intList':
    case 'enumList': {
      const list = value as readonly unknown[];
      return list.length === 0 ? 'none' : list.join(',');
    }
    default:
      return String(value);
  }
}
