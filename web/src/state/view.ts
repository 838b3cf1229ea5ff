// View options (embedding) for every lab: embed=1, hide=, lock=, autoplay=1,
// speed=, theme=, origins=. One implementation; a lab supplies its panel names and
// its settings (lock= takes their URL keys, or "all").

import type { Rejection } from './codec-types';
import { MAX_VALUE_LENGTH } from './query';
import { reject, showable } from './values';
import { FULL_SPEED, parseSpeed, SPEEDS, type Speed } from './speed';

export type Theme = 'light' | 'dark';
export const THEMES: readonly Theme[] = ['light', 'dark'];
export const VIEW_KEYS = ['embed', 'hide', 'lock', 'autoplay', 'speed', 'theme', 'origins'] as const;

/** How a lab's page is shown, not what it trains; never part of its config. */
export interface LabViewOptions<P extends string = string, K extends string = string> {
  /** Only the output, the network or model view and the run controls. */
  embed: boolean;
  hide: P[];
  /** Config keys learners cannot change (the UI disables their controls;
   *  postMessage setConfig from an allowed host may still change them). */
  lock: K[];
  autoplay: boolean;
  /** Training speed (steps per second); absent: full speed. */
  speed?: Speed;
  /** null: follow the user's preference. */
  theme: Theme | null;
  /** Origins allowed to send postMessage commands; null: the parent window, any origin. */
  origins: string[] | null;
}

/** What a lab declares for its view options. */
export interface ViewSpec<P extends string = string, K extends string = string> {
  /** Names hide= accepts. */
  panels: readonly P[];
  /** The lab's settings: lock= takes `url`, the options hold `key`. */
  settings: readonly { key: K; url: string }[];
}

export function defaultViewOptions<P extends string, K extends string>(): LabViewOptions<P, K> {
  return { embed: false, hide: [], lock: [], autoplay: false, theme: null, origins: null };
}

/** An origin: scheme://host[:port], nothing after it. */
export function parseOrigin(s: string): string | undefined {
  if (s === 'null' || s.length > 200) return undefined;
  if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(s)) return undefined;
  return s.toLowerCase();
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

/** Parses view options out of `params` (removing the keys it reads). Never throws. */
export function parseView<P extends string, K extends string>(params: Map<string, string>, rejected: Rejection[],
  spec: ViewSpec<P, K>): LabViewOptions<P, K> {
  const view = defaultViewOptions<P, K>();
  const lockValues = [...spec.settings.map((s) => s.url), 'all'];
  for (const key of VIEW_KEYS) {
    const raw = params.get(key);
    if (raw === undefined) continue;
    params.delete(key);
    switch (key) {
      case 'embed': { const b = parseFlag(key, raw, rejected); if (b !== undefined) view.embed = b; break; }
      case 'autoplay': { const b = parseFlag(key, raw, rejected); if (b !== undefined) view.autoplay = b; break; }
      case 'speed': {
        const sp = parseSpeed(raw);
        if (sp !== undefined) { if (sp !== FULL_SPEED) view.speed = sp; }
        else rejected.push(reject(key, raw, `must be one of ${SPEEDS.join(', ')} (steps per second; max: full speed); full speed is used`));
        break;
      }
      case 'theme':
        if ((THEMES as readonly string[]).includes(raw)) view.theme = raw as Theme;
        else rejected.push(reject(key, raw, `must be ${THEMES.join(' or ')}; your preference is used`));
        break;
      case 'hide': { const l = parseList<P>(key, raw, spec.panels, rejected); if (l) view.hide = l; break; }
      case 'lock': {
        const l = parseList(key, raw, lockValues, rejected);
        if (l) view.lock = l.includes('all') ? spec.settings.map((s) => s.key) : l.map((u) => spec.settings.find((s) => s.url === u)!.key);
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

/** The non-default view options as query parts (embed=1, hide=…, …). */
export function writeView<P extends string, K extends string>(view: Partial<LabViewOptions<P, K>>, spec: ViewSpec<P, K>): string[] {
  const parts: string[] = [];
  if (view.embed) parts.push('embed=1');
  if (view.hide && view.hide.length > 0) parts.push(`hide=${view.hide.join(',')}`);
  if (view.lock && view.lock.length > 0) {
    const locked = new Set(view.lock);
    // Every setting locked is written lock=all: shorter, and what an author who locked "all" asked for.
    const all = spec.settings.length > 0 && spec.settings.every((s) => locked.has(s.key));
    parts.push(`lock=${all ? 'all' : view.lock.map((k) => spec.settings.find((s) => s.key === k)?.url).filter(Boolean).join(',')}`);
  }
  if (view.autoplay) parts.push('autoplay=1');
  if (view.speed !== undefined && view.speed !== FULL_SPEED) parts.push(`speed=${view.speed}`);
  if (view.theme) parts.push(`theme=${view.theme}`);
  // an empty list is written too (origins=): a failed-closed restriction must survive the rewritten URL
  if (view.origins) parts.push(`origins=${view.origins.map(encodeURIComponent).join(',')}`);
  return parts;
}
