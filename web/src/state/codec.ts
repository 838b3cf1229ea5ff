// The URL codec: Config (+ view options + drawn points) <-> query string.
// Parsing never throws. Every value is checked against the schema; a bad
// value keeps its default and is reported; unknown keys are ignored and
// listed separately (they are not errors: other tools add their own keys).

import type { Config } from './config';
import type { Rejection } from './codec-types';
import { defaultConfig, defaultViewOptions, type ViewOptions } from './schema';
import { CURRENT_VERSION } from './migrate';
import { MAX_QUERY_LENGTH, singleValues, splitQuery } from './query';
import { parseView, writeView } from './view';
import { PLAYGROUND_LAB, playgroundCodec, playgroundView } from '../labs/playground/config';
import { encodePoints, type DrawnPoint } from '../share/points';
import { readLabParams, type ParsedLink } from './link';
import { reject } from './values';

export type { Rejection } from './codec-types';
export { showable } from './values';
export { CURRENT_VERSION, migrate } from './migrate';
export { MAX_PARAMS, MAX_QUERY_LENGTH, MAX_VALUE_LENGTH } from './query';
export { parseOrigin } from './view';

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

/** Parses Config fields out of `params` (removing the keys it reads). */
export function parseConfigParams(params: Map<string, string>, rejected: Rejection[], base: Config = defaultConfig()): Config {
  return playgroundCodec.parseParams(params, rejected, base);
}

/** Parses view options out of `params` (removing the keys it reads). */
export function parseViewParams(params: Map<string, string>, rejected: Rejection[]): ViewOptions {
  return parseView(params, rejected, playgroundView);
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
  const params = singleValues(splitQuery(search, rejected), rejected);
  const r = readLabParams(PLAYGROUND_LAB, params, rejected, ignored) as ParsedLink & { lab: 'playground' };
  return { config: r.config, view: r.view, points: r.points, rejected, ignored, version: r.version };
}

/** The Config part of parseQuery. Never throws. */
export function parseConfigFromQuery(search: string): { config: Config; rejected: Rejection[] } {
  const { config, rejected } = parseQuery(search);
  return { config, rejected };
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
  const parts: string[] = [playgroundCodec.write(config), ...writeView(extras.view ?? {}, playgroundView)];
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

/**
 * Config settings from a JSON object (postMessage setConfig, model files),
 * checked by the same schema as links; keys are Config keys ("learningRate").
 * Keys not given keep their value in `base`. Only the object's own schema
 * keys are read, so "__proto__" and friends are ignored. Never throws.
 */
export function configFromObject(obj: unknown, base: Config = defaultConfig()): { config: Config; rejected: Rejection[]; ignored: string[] } {
  return playgroundCodec.fromObject(obj, base);
}

/** Problems with a Config built in code (empty when valid); for assertions and saved files. */
export function validateConfig(c: Config): string[] {
  return playgroundCodec.validate(c);
}
