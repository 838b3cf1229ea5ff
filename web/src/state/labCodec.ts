// One schema mechanism for every lab: a lab lists its settings (URL key,
// type, bounds, default), its link format version and the steps that bring
// older links up to it, and createCodec gives it parsing (never throws; a
// rejected value keeps its default and is reported with its reason; keys
// given twice rejected; unknown keys left for the caller to list), writing
// (version first, then every key), JSON checking (postMessage, model files)
// and validation. The playground and MNIST codecs are two instances.

import type { Rejection } from './codec-types';
import { encodeValue, MAX_VALUE_LENGTH } from './query';
import { describeDefault, parseNumber, parseValue, reject, showable, writeValue, type FieldSpec } from './values';

/** One setting of a lab. */
export interface LabField<C, K extends keyof C & string = keyof C & string> {
  key: K;
  /** Short, stable URL key. Never rename one: add a migration instead. */
  url: string;
  spec: FieldSpec;
  default: C[K];
  /** One line for the README and error messages. */
  doc: string;
}

/** Maps link parameters of version k to version k+1, noting what it could not carry over. */
/** A lab's field maker, `const field = fieldMaker<MyConfig>()`: each field's spec and default are checked against its key's type. */
export function fieldMaker<C>(): <K extends keyof C & string>(f: LabField<C, K>) => LabField<C, K> {
  return (f) => f;
}

export type MigrationStep = (params: Map<string, string>, notes: Rejection[]) => Map<string, string>;

/** What a `resolve` hook sees: fields it deferred, read after all others. */
export interface ResolveContext<C> {
  /** The config so far (non-deferred fields parsed); the hook completes it. */
  config: C;
  /** Raw text of each deferred field that the link gave (length already checked). */
  raw: Map<keyof C & string, string>;
  /** Non-deferred fields the link set to a valid value. */
  given: Set<keyof C & string>;
  base: C;
  rejected: Rejection[];
}

export interface CodecOptions<C> {
  /** The lab's id, e.g. "mnist" (written as lab= by writeLink, not here). */
  lab: string;
  /** The current link format version of this lab (written as v=). */
  version: number;
  /** In the order links are written. */
  fields: readonly LabField<C>[];
  /** migrations[k] maps version k to k+1; versions below `version - migrations.length` are not accepted. */
  migrations?: readonly MigrationStep[];
  /** The version of a link without v= (e.g. 0 when it has TensorFlow Playground keys); default: current. */
  versionWithoutV?: (params: ReadonlyMap<string, string>) => number;
  /** Fields that depend on others (activations on hidden): not parsed alone, handed to `resolve`. */
  deferred?: readonly (keyof C & string)[];
  resolve?: (ctx: ResolveContext<C>) => void;
  /** Checks across fields for a config built in code; one sentence per problem. */
  crossCheck?: (config: C) => string[];
}

export interface LabCodec<C> {
  readonly lab: string;
  readonly version: number;
  readonly fields: readonly LabField<C>[];
  /** A fresh copy of the defaults (arrays are not shared). */
  defaults(): C;
  fieldByUrl(url: string): LabField<C> | undefined;
  fieldByKey(key: string): LabField<C> | undefined;
  /** Reads and removes v=; an invalid or newer version is reported and read as current. */
  readVersion(params: Map<string, string>, rejected: Rejection[]): number;
  /** Brings params of version `from` up to the current version. */
  migrate(params: Map<string, string>, from: number): { params: Map<string, string>; notes: Rejection[] };
  /** Parses this lab's keys out of `params` (removing those it reads) on top of `base`. Never throws. */
  parseParams(params: Map<string, string>, rejected: Rejection[], base?: C): C;
  /** `v=<version>&key=value&...`: every key, defaults included, in field order. */
  write(config: C): string;
  /** Settings from a JSON object by their full names, on top of `base`; never throws. */
  fromObject(obj: unknown, base?: C): { config: C; rejected: Rejection[]; ignored: string[] };
  /** Problems with a config built in code (empty when valid). */
  validate(config: C): string[];
}

/** A JSON value in the form a URL would carry it, or undefined for a wrong type. */
export function jsonToText(spec: FieldSpec, v: unknown): string | undefined {
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
    case 'custom':
      return spec.json(v);
  }
}

const JSON_TYPE: Readonly<Record<Exclude<FieldSpec['kind'], 'custom'>, string>> = {
  enum: 'a string', number: 'a number', bool: 'true or false', intList: 'an array of numbers', enumList: 'an array of strings',
};
const jsonType = (spec: FieldSpec): string => (spec.kind === 'custom' ? spec.jsonType : JSON_TYPE[spec.kind]);

function safeJson(v: unknown): string {
  try {
    return showable(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));
  } catch {
    return '(unprintable)';
  }
}

function copyValue<T>(v: T): T {
  return (Array.isArray(v) ? [...v] : v) as T;
}

export function createCodec<C>(options: CodecOptions<C>): LabCodec<C> {
  const { fields, version } = options;
  const migrations = options.migrations ?? [];
  const oldest = version - migrations.length;
  const deferred = new Set<string>(options.deferred ?? []);
  const byUrl = new Map(fields.map((f) => [f.url, f]));
  const byKey = new Map(fields.map((f) => [f.key as string, f]));
  if (byUrl.size !== fields.length || byKey.size !== fields.length) throw new Error(`${options.lab}: a URL key or setting is listed twice`);
  if (byUrl.has('v') || byUrl.has('lab')) throw new Error(`${options.lab}: "v" and "lab" are reserved URL keys`);

  const defaults = (): C => {
    const c: Record<string, unknown> = {};
    for (const f of fields) c[f.key] = copyValue(f.default);
    return c as C;
  };
  const copy = (c: C): C => {
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f.key] = copyValue((c as Record<string, unknown>)[f.key]);
    return out as C;
  };
  const keptText = (f: LabField<C>, base: C): string =>
    `the default ${f.spec.kind === 'custom' ? f.spec.write(base[f.key]) : describeDefault(base[f.key])} was kept`;

  const parseParams = (params: Map<string, string>, rejected: Rejection[], base: C = defaults()): C => {
    const config = copy(base) as Record<string, unknown>;
    const given = new Set<keyof C & string>();
    const raw = new Map<keyof C & string, string>();
    for (const f of fields) {
      const text = params.get(f.url);
      if (text === undefined) continue;
      params.delete(f.url);
      if (text.length > MAX_VALUE_LENGTH) {
        rejected.push(reject(f.url, text, `is too long (${text.length} characters; at most ${MAX_VALUE_LENGTH}); ${keptText(f, base)}`));
        continue;
      }
      if (deferred.has(f.key)) { raw.set(f.key, text); continue; }
      const parsed = parseValue(f.spec, text);
      if (parsed.ok) { config[f.key] = parsed.value; given.add(f.key); }
      else rejected.push(reject(f.url, text, `${parsed.reason}; ${keptText(f, base)}`));
    }
    options.resolve?.({ config: config as C, raw, given, base, rejected });
    return config as C;
  };

  const readVersion = (params: Map<string, string>, rejected: Rejection[]): number => {
    const text = params.get('v');
    params.delete('v');
    if (text === undefined) return options.versionWithoutV?.(params) ?? version;
    const v = parseNumber(text);
    if (v === undefined || !Number.isInteger(v) || v < oldest) {
      rejected.push(reject('v', text, `is not a link format version; the link was read as version ${version}`));
      return version;
    }
    if (v > version) {
      rejected.push(reject('v', text, `comes from a newer version of this page (this one reads up to ${version}); settings it understands were kept, check the rest`));
      return version;
    }
    return v;
  };

  const migrate = (params: Map<string, string>, from: number): { params: Map<string, string>; notes: Rejection[] } => {
    const notes: Rejection[] = [];
    let p = new Map(params);
    for (let v = Math.max(from, oldest); v < version; v++) p = migrations[v - oldest]!(p, notes);
    return { params: p, notes };
  };

  const write = (config: C): string => {
    const parts: string[] = [`v=${version}`];
    for (const f of fields) parts.push(`${f.url}=${encodeValue(writeValue(f.spec, config[f.key]))}`);
    return parts.join('&');
  };

  const fromObject = (obj: unknown, base: C = defaults()): { config: C; rejected: Rejection[]; ignored: string[] } => {
    const rejected: Rejection[] = [];
    const ignored: string[] = [];
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      rejected.push(reject('config', String(obj), 'must be an object of settings'));
      return { config: copy(base), rejected, ignored };
    }
    const params = new Map<string, string>();
    for (const key of Object.keys(obj)) if (!byKey.has(key)) ignored.push(showable(key));
    for (const f of fields) {
      // Own keys only, so "__proto__" and friends are never read.
      if (!Object.prototype.hasOwnProperty.call(obj, f.key)) continue;
      const v = (obj as Record<string, unknown>)[f.key];
      const text = jsonToText(f.spec, v);
      if (text === undefined) {
        rejected.push(reject(f.key, safeJson(v), `must be ${jsonType(f.spec)}; ${keptText(f, base)}`));
        continue;
      }
      params.set(f.url, text);
    }
    const urlRejected: Rejection[] = [];
    const config = parseParams(params, urlRejected, base);
    // Reported with the full names, as the caller wrote them.
    for (const r of urlRejected) rejected.push({ ...r, key: byUrl.get(r.key)?.key ?? r.key });
    return { config, rejected, ignored };
  };

  const validate = (c: C): string[] => {
    const problems: string[] = [];
    if (typeof c !== 'object' || c === null) return ['the config is not an object'];
    for (const f of fields) {
      const text = jsonToText(f.spec, (c as Record<string, unknown>)[f.key]);
      if (text === undefined) { problems.push(`${f.key} has the wrong type`); continue; }
      const parsed = parseValue(f.spec, text);
      if (!parsed.ok) problems.push(`${f.key} ${parsed.reason}`);
    }
    if (options.crossCheck) problems.push(...options.crossCheck(c));
    return problems;
  };

  return {
    lab: options.lab, version, fields, defaults,
    fieldByUrl: (url) => byUrl.get(url),
    fieldByKey: (key) => byKey.get(key),
    readVersion, migrate, parseParams, write, fromObject, validate,
  };
}

// ------------------------------------------------- hidden layers + activations

/** The base activations, cut or extended to n layers. */
function matchLength(base: readonly string[], n: number, fill: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(base[i] ?? base[base.length - 1] ?? fill);
  return out;
}

/**
 * The resolve hook of a lab whose layers are a width list plus an
 * activation list (the playground, MNIST): activations must match the
 * hidden layers; one name applies to every layer; hidden without act keeps
 * the base activations, fitted to the new length.
 */
export function hiddenActivations<C>(hiddenKey: keyof C & string, actKey: keyof C & string, actUrl: string,
  actSpec: FieldSpec, fallback: string): (ctx: ResolveContext<C>) => void {
  return ({ config, raw, given, base, rejected }) => {
    const c = config as Record<string, unknown>;
    const hidden = c[hiddenKey] as number[];
    const baseActs = base[actKey] as unknown as string[];
    const fill = baseActs[0] ?? fallback;
    const actRaw = raw.get(actKey);
    if (actRaw !== undefined) {
      const items = actRaw === 'none' ? [] : actRaw.split(',');
      const parsed = parseValue(actSpec, actRaw);
      if (!parsed.ok) {
        c[actKey] = matchLength(baseActs, hidden.length, fill);
        rejected.push(reject(actUrl, actRaw, `${parsed.reason}; the activations were set to ${describeDefault(c[actKey])}`));
      } else if (items.length === 1 && hidden.length !== 1) {
        c[actKey] = hidden.map(() => items[0]!);
      } else if (items.length !== hidden.length) {
        c[actKey] = matchLength(baseActs, hidden.length, fill);
        rejected.push(reject(actUrl, actRaw, `lists ${items.length} activations for ${hidden.length} hidden layers (give one per layer, or a single one for all); the activations were set to ${describeDefault(c[actKey])}`));
      } else {
        c[actKey] = parsed.value;
      }
    } else if (given.has(hiddenKey)) {
      c[actKey] = matchLength(baseActs, hidden.length, fill);
    }
  };
}

/** The crossCheck of such a lab: one activation per hidden layer. */
export function sameLength<C>(hiddenKey: keyof C & string, actKey: keyof C & string): (c: C) => string[] {
  return (c) => {
    const h = c[hiddenKey] as unknown as unknown[];
    const a = c[actKey] as unknown as unknown[];
    if (!Array.isArray(h) || !Array.isArray(a) || h.length === a.length) return [];
    return [`${actKey} has ${a.length} entries for ${h.length} hidden layers`];
  };
}
