// The URL codec: Config (+ view options + drawn points) <-> query string.
// Parsing never throws. Every value is checked against the schema; a bad
// value keeps its default and is reported; unknown keys are ignored and
// listed separately (they are not errors: other tools add their own keys).

import type { Config } from './config';
import type { Rejection } from './codec-types';
import {
  CONFIG_FIELDS, defaultConfig, defaultViewOptions, LOCK_VALUES, PANELS, THEMES, VIEW_KEYS,
  type ConfigField, type FieldSpec, type Panel, type ViewOptions,
} from './schema';
import { CURRENT_VERSION, LEGACY_KEYS, migrate } from './migrate';
import { decodePoints, encodePoints, type DrawnPoint } from '../share/points';
import { describeDefault, parseNumber, parseValue, reject, showable, writeValue } from './values';

export type { Rejection } from './codec-types';
export { showable } from './values';
export { CURRENT_VERSION, migrate } from './migrate';

/** Longest query string read at all; longer ones are not parsed. */
export const MAX_QUERY_LENGTH = 16384;
/** Longest value of any key except pts=. */
export const MAX_VALUE_LENGTH = 256;
/** Most key=value pairs read; the rest are ignored. */
export const MAX_PARAMS = 64;

export interface ParsedQuery {
  config: Config;
  view: ViewOptions;
  /** Drawn points from pts=, or null when the link has none (or they were rejected). */
  points: DrawnPoint[] | null;
  rejected: Rejection[];
  /** Unknown keys (truncated), ignored on purpose. */
  ignored: string[];
  /** The format version the link was read as (0 = TensorFlow Playground). */
  version: number;
}

/**
 * Splits a query string ("?a=1&b=2", "a=1&b=2" or a "#..." hash) into
 * decoded pairs. '+' is a space. Broken percent-encoding is reported.
 */
function splitQuery(search: string, rejected: Rejection[]): Map<string, string[]> {
  const pairs = new Map<string, string[]>();
  let s = search;
  if (s.startsWith('?') || s.startsWith('#')) s = s.slice(1);
  if (s === '') return pairs;
  const parts = s.split('&');
  let count = 0;
  for (const part of parts) {
    if (part === '') continue;
    if (++count > MAX_PARAMS) {
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
function singleValues(pairs: Map<string, string[]>, rejected: Rejection[]): Map<string, string> {
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

/** Reads v=: the link's format version (legacy keys without v= mean 0). */
function linkVersion(params: Map<string, string>, rejected: Rejection[]): number {
  const raw = params.get('v');
  params.delete('v');
  if (raw === undefined) {
    for (const k of params.keys()) if (LEGACY_KEYS.includes(k) || k.endsWith('_hide')) return 0;
    return CURRENT_VERSION;
  }
  const v = parseNumber(raw);
  if (v === undefined || !Number.isInteger(v) || v < 0) {
    rejected.push(reject('v', raw, `is not a link format version; the link was read as version ${CURRENT_VERSION}`));
    return CURRENT_VERSION;
  }
  if (v > CURRENT_VERSION) {
    rejected.push(reject('v', raw, `comes from a newer version of this page (this one reads up to ${CURRENT_VERSION}); settings it understands were kept, check the rest`));
    return CURRENT_VERSION;
  }
  return v;
}

/** Parses Config fields out of `params` (removing the keys it reads). */
export function parseConfigParams(params: Map<string, string>, rejected: Rejection[], base: Config = defaultConfig()): Config {
  const config: Record<string, unknown> = { ...base, hidden: [...base.hidden], activations: [...base.activations], features: [...base.features] };
  const given = new Set<string>();
  let actRaw: string | undefined;
  for (const f of CONFIG_FIELDS) {
    const raw = params.get(f.url);
    if (raw === undefined) continue;
    params.delete(f.url);
    if (raw.length > MAX_VALUE_LENGTH) {
      rejected.push(reject(f.url, raw, `is too long (${raw.length} characters; at most ${MAX_VALUE_LENGTH}); ${keptText(f, base)}`));
      continue;
    }
    if (f.key === 'activations') { actRaw = raw; continue; } // needs the final hidden first
    const parsed = parseValue(f.spec, raw);
    if (parsed.ok) { config[f.key] = parsed.value; given.add(f.key); }
    else rejected.push(reject(f.url, raw, `${parsed.reason}; ${keptText(f, base)}`));
  }
  // Activations must match the hidden layers. One name applies to all layers.
  const hidden = config.hidden as number[];
  const actField = CONFIG_FIELDS.find((f) => f.key === 'activations')!;
  const fallback = (base.activations[0] ?? 'tanh');
  const fill = (name: string): string[] => hidden.map(() => name);
  if (actRaw !== undefined) {
    const items = actRaw === 'none' ? [] : actRaw.split(',');
    const parsed = parseValue(actField.spec, actRaw);
    if (!parsed.ok) {
      config.activations = matchLength(base.activations, hidden.length, fallback);
      rejected.push(reject('act', actRaw, `${parsed.reason}; the activations were set to ${describeDefault(config.activations)}`));
    } else if (items.length === 1 && hidden.length !== 1) {
      config.activations = fill(items[0]!);
    } else if (items.length !== hidden.length) {
      config.activations = matchLength(base.activations, hidden.length, fallback);
      rejected.push(reject('act', actRaw, `lists ${items.length} activations for ${hidden.length} hidden layers (give one per layer, or a single one for all); the activations were set to ${describeDefault(config.activations)}`));
    } else {
      config.activations = parsed.value;
    }
  } else if (given.has('hidden')) {
    config.activations = matchLength(base.activations, hidden.length, fallback);
  }
  return config as unknown as Config;
}

function keptText(f: ConfigField, base: Config): string {
  return `the default ${describeDefault(base[f.key])} was kept`;
}

/** The base activations, cut or extended (with `fill`) to n layers. */
function matchLength(base: readonly string[], n: number, fill: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(base[i] ?? base[base.length - 1] ?? fill);
  return out;
}

function parseList<T extends string>(key: string, raw: string, allowed: readonly T[], rejected: Rejection[]): T[] | undefined {
  if (raw.length > MAX_VALUE_LENGTH) {
    rejected.push(reject(key, raw, `is too long (${raw.length} characters; at most ${MAX_VALUE_LENGTH}); it was ignored`));
    return undefined;
  }
  const items = raw === '' || raw === 'none' ? [] : raw.split(',');
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      rejected.push(reject(key, raw, `lists "${showable(item)}", which is not one of: ${allowed.join(', ')}; it was ignored`));
      return undefined;
    }
  }
  return [...new Set(items)] as T[];
}

function parseFlag(key: string, raw: string, rejected: Rejection[]): boolean | undefined {
  if (raw === '1' || raw === 'true' || raw === '') return true;
  if (raw === '0' || raw === 'false') return false;
  rejected.push(reject(key, raw, 'must be 1 or 0; it was ignored'));
  return undefined;
}

/** An origin: scheme://host[:port], nothing after it. */
export function parseOrigin(s: string): string | undefined {
  if (s === 'null' || s.length > 200) return undefined;
  if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(s)) return undefined;
  return s.toLowerCase();
}

/** Parses view options out of `params` (removing the keys it reads). */
export function parseViewParams(params: Map<string, string>, rejected: Rejection[]): ViewOptions {
  const view = defaultViewOptions();
  for (const key of VIEW_KEYS) {
    const raw = params.get(key);
    if (raw === undefined) continue;
    params.delete(key);
    switch (key) {
      case 'embed': { const b = parseFlag(key, raw, rejected); if (b !== undefined) view.embed = b; break; }
      case 'autoplay': { const b = parseFlag(key, raw, rejected); if (b !== undefined) view.autoplay = b; break; }
      case 'theme':
        if ((THEMES as readonly string[]).includes(raw)) view.theme = raw as ViewOptions['theme'];
        else rejected.push(reject(key, raw, `must be ${THEMES.join(' or ')}; your preference is used`));
        break;
      case 'hide': { const l = parseList<Panel>(key, raw, PANELS, rejected); if (l) view.hide = l; break; }
      case 'lock': {
        const l = parseList(key, raw, LOCK_VALUES, rejected);
        if (l) view.lock = l.includes('all') ? CONFIG_FIELDS.map((f) => f.key) : l.map((u) => CONFIG_FIELDS.find((f) => f.url === u)!.key);
        break;
      }
      case 'origins': {
        const items = raw.length > 2000 ? null : raw.split(',').filter((s) => s !== '');
        const parsed = items?.map(parseOrigin);
        if (!items || !parsed || parsed.some((o) => o === undefined)) {
          rejected.push(reject(key, raw, 'must be a comma list of origins such as https://example.org; no host may send commands'));
          view.origins = []; // fail closed: a host that asked for a restriction gets one
        } else view.origins = [...new Set(parsed as string[])];
        break;
      }
    }
  }
  return view;
}

/** Everything a link carries. Never throws. */
export function parseQuery(search: string): ParsedQuery {
  const rejected: Rejection[] = [];
  const ignored: string[] = [];
  if (typeof search !== 'string' || search.length > MAX_QUERY_LENGTH) {
    const len = typeof search === 'string' ? search.length : 0;
    rejected.push(reject('(link)', '', `is too long (${len} characters; at most ${MAX_QUERY_LENGTH}); nothing in it was read`));
    return { config: defaultConfig(), view: defaultViewOptions(), points: null, rejected, ignored, version: CURRENT_VERSION };
  }
  let params = singleValues(splitQuery(search, rejected), rejected);
  const version = linkVersion(params, rejected);
  if (version < CURRENT_VERSION) {
    const m = migrate(params, version);
    params = m.params;
    for (const n of m.notes) rejected.push(reject(n.key, n.value, n.reason));
  }
  const config = parseConfigParams(params, rejected);
  const view = parseViewParams(params, rejected);
  let points: DrawnPoint[] | null = null;
  const pts = params.get('pts');
  if (pts !== undefined) {
    params.delete('pts');
    const r = decodePoints(pts);
    if (r.ok) points = r.points;
    else rejected.push(reject('pts', pts, `drawn points: ${r.error}; they were not loaded`));
  }
  for (const k of params.keys()) ignored.push(showable(k));
  return { config, view, points, rejected, ignored, version };
}

/** The Config part of parseQuery. Never throws. */
export function parseConfigFromQuery(search: string): { config: Config; rejected: Rejection[] } {
  const { config, rejected } = parseQuery(search);
  return { config, rejected };
}

/** Percent-encoding, but commas stay readable (they are legal in a query). */
function encodeValue(s: string): string {
  return encodeURIComponent(s).replace(/%2C/g, ',');
}

/** Extra parts a link may carry besides the Config. */
export interface WriteExtras {
  view?: Partial<ViewOptions>;
  /** Drawn points; written only when config.dataset is "custom". */
  points?: readonly DrawnPoint[];
}

/**
 * A canonical query string (no leading '?'): v=1 first, then every Config
 * key in schema order (defaults included, so a link means the same thing
 * even if defaults change later), then non-default view options, then pts=.
 * Throws only if the points cannot be encoded (see encodePoints; check with
 * it first to show the message).
 */
export function writeQuery(config: Config, extras: WriteExtras = {}): string {
  const parts: string[] = [`v=${CURRENT_VERSION}`];
  for (const f of CONFIG_FIELDS) parts.push(`${f.url}=${encodeValue(writeValue(f.spec, config[f.key]))}`);
  const view = extras.view ?? {};
  if (view.embed) parts.push('embed=1');
  if (view.hide && view.hide.length > 0) parts.push(`hide=${view.hide.join(',')}`);
  if (view.lock && view.lock.length > 0) {
    parts.push(`lock=${view.lock.map((k) => CONFIG_FIELDS.find((f) => f.key === k)?.url).filter(Boolean).join(',')}`);
  }
  if (view.autoplay) parts.push('autoplay=1');
  if (view.theme) parts.push(`theme=${view.theme}`);
  // an empty list is written too (origins=): a failed-closed restriction must survive the rewritten URL
  if (view.origins) parts.push(`origins=${view.origins.map(encodeURIComponent).join(',')}`);
  if (extras.points && config.dataset === 'custom') {
    const r = encodePoints(extras.points);
    if (!r.ok) throw new Error(r.error);
    parts.push(`pts=${r.text}`);
  }
  return parts.join('&');
}

/** writeQuery without extras. */
export function writeConfigToQuery(config: Config): string {
  return writeQuery(config);
}

/** A JSON value in the form a URL would carry it, or undefined for a wrong type. */
function jsonToText(spec: FieldSpec, v: unknown): string | undefined {
  switch (spec.kind) {
    case 'enum':
      return typeof v === 'string' ? v : undefined;
    case 'number':
      return typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'not finite') : undefined;
    case 'bool':
      return typeof v === 'boolean' ? (v ? '1' : '0') : undefined;
    case 'intList':
      return Array.isArray(v) && v.length <= 64 && v.every((x) => typeof x === 'number') ? (v.length === 0 ? 'none' : v.join(',')) : undefined;
    case 'enumList':
      return Array.isArray(v) && v.length <= 64 && v.every((x) => typeof x === 'string' && !x.includes(',')) ? (v.length === 0 ? 'none' : v.join(',')) : undefined;
  }
}

const JSON_TYPE: Readonly<Record<FieldSpec['kind'], string>> = {
  enum: 'a string', number: 'a number', bool: 'true or false', intList: 'an array of numbers', enumList: 'an array of strings',
};

/**
 * Config settings from a JSON object (postMessage setConfig, model files),
 * checked by the same schema as links; keys are Config keys ("learningRate").
 * Keys not given keep their value in `base`. Only the object's own schema
 * keys are read, so "__proto__" and friends are ignored. Never throws.
 */
export function configFromObject(obj: unknown, base: Config = defaultConfig()): { config: Config; rejected: Rejection[]; ignored: string[] } {
  const rejected: Rejection[] = [];
  const ignored: string[] = [];
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    rejected.push(reject('config', String(obj), 'must be an object of settings'));
    return { config: { ...base, hidden: [...base.hidden], activations: [...base.activations], features: [...base.features] }, rejected, ignored };
  }
  const params = new Map<string, string>();
  const known = new Set<string>(CONFIG_FIELDS.map((f) => f.key));
  for (const key of Object.keys(obj)) if (!known.has(key)) ignored.push(showable(key));
  for (const f of CONFIG_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(obj, f.key)) continue;
    const v = (obj as Record<string, unknown>)[f.key];
    const text = jsonToText(f.spec, v);
    if (text === undefined) {
      rejected.push(reject(f.key, safeJson(v), `must be ${JSON_TYPE[f.spec.kind]}; ${keptText(f, base)}`));
      continue;
    }
    params.set(f.url, text);
  }
  const urlRejected: Rejection[] = [];
  const config = parseConfigParams(params, urlRejected, base);
  // Report with Config key names, as the caller wrote them.
  for (const r of urlRejected) {
    const f = CONFIG_FIELDS.find((x) => x.url === r.key);
    rejected.push({ ...r, key: f ? f.key : r.key });
  }
  return { config, rejected, ignored };
}

function safeJson(v: unknown): string {
  try {
    return showable(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
  } catch {
    return '(unprintable)';
  }
}

/** Problems with a Config built in code (empty when valid); for assertions and saved files. */
export function validateConfig(c: Config): string[] {
  const problems: string[] = [];
  for (const f of CONFIG_FIELDS) {
    const text = jsonToText(f.spec, (c as unknown as Record<string, unknown>)[f.key]);
    if (text === undefined) { problems.push(`${f.key} has the wrong type`); continue; }
    const parsed = parseValue(f.spec, text);
    if (!parsed.ok) problems.push(`${f.key} ${parsed.reason}`);
  }
  if (Array.isArray(c.hidden) && Array.isArray(c.activations) && c.hidden.length !== c.activations.length) {
    problems.push(`activations has ${c.activations.length} entries for ${c.hidden.length} hidden layers`);
  }
  return problems;
}
