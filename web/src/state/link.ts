// A page address <-> (lab, config, view options): the one entry point for
// links of every lab. The lab is part of the link (lab=mnist; no lab= means
// the playground). Each lab's keys are read by its own codec (its own format
// version and migrations), view options by the shared view parser.
//
// Older forms keep working:
// - a playground link without lab= is the playground;
// - "#mnist" (how the MNIST tab used to be chosen) opens MNIST; the query of
//   such a link held the playground's settings, so only its view options
//   (embed=1, theme=, ...) are used there and the rest is listed as ignored;
// - TensorFlow Playground's links keep their settings in the fragment
//   ("#activation=tanh&networkShape=4,2&..."): a fragment with key=value
//   pairs is read together with the query, so such a link with only its host
//   swapped opens the same network (version 0 of the playground's format).

import type { Rejection } from './codec-types';
import type { LabCodec } from './labCodec';
import { encodePoints, decodePoints, type DrawnPoint } from '../share/points';
import { MAX_QUERY_LENGTH, singleValues, splitQuery } from './query';
import { reject, showable } from './values';
import { parseView, VIEW_KEYS, writeView, type LabViewOptions, type ViewSpec } from './view';
import { DEFAULT_LAB, isLab, LAB_IDS, LABS, type LabId } from '../labs';
import type { LabConfig, LabPanel } from '../labs/types';

export { DEFAULT_LAB, LAB_IDS, type LabId };

/** What links need of a lab: its codec, its view options and whether it carries drawn points. */
export interface LinkLab<C, P extends string> {
  codec: LabCodec<C>;
  view: ViewSpec<P, keyof C & string>;
  /** The link holds drawn points (pts=) for this config; absent: never. */
  drawnPoints?: (config: C) => boolean;
}

/** Codec and view options by lab id, from the one registry (labs/index.ts):
 *  each lab's entry (labs/<id>/lab.ts) brings them, so no lab is named here. */
export const LINK_LABS = Object.fromEntries(LABS.map((l) => [l.id, l])) as unknown as {
  readonly [L in LabId]: LinkLab<LabConfig<L>, LabPanel<L>>;
};

/** Settings, view options and drawn points of one lab, by lab id. `points`
 *  is null for a lab whose links carry none. */
export type LabLinkParts = {
  [L in LabId]: { config: LabConfig<L>; view: LabViewOptions<LabPanel<L>, keyof LabConfig<L> & string>; points: DrawnPoint[] | null };
};

interface LinkCommon {
  /** Values not used, with the reason (show them as text). */
  notices: Rejection[];
  /** Unknown keys (truncated), ignored on purpose. */
  ignored: string[];
  /** The lab's link format version the link was read as (playground: 0 = TensorFlow Playground). */
  version: number;
}

export type ParsedLink = { [L in LabId]: { lab: L } & LabLinkParts[L] & LinkCommon }[LabId];

/**
 * Everything an address carries: `search` is location.search, `hash`
 * location.hash (either may have its leading ? or #, or be empty).
 * Never throws.
 */
export function parseLink(search: string, hash = ''): ParsedLink {
  const notices: Rejection[] = [];
  const ignored: string[] = [];
  const s = typeof search === 'string' ? search : '';
  const h = typeof hash === 'string' ? (hash.startsWith('#') ? hash.slice(1) : hash) : '';
  if (s.length + h.length > MAX_QUERY_LENGTH) {
    notices.push(reject('(link)', '', `is too long (${s.length + h.length} characters; at most ${MAX_QUERY_LENGTH}); nothing in it was read`));
    return finish(DEFAULT_LAB, new Map(), notices, ignored, false);
  }
  const counted = { n: 0 };
  const pairs = splitQuery(s, notices, new Map(), counted);
  // A bare word is a lab (the old "#mnist") or an in-page anchor; pairs are TF Playground's form.
  let hashLab: LabId | null = null;
  if (h.includes('=') || h.includes('&')) splitQuery(h, notices, pairs, counted);
  else if (h !== '' && isLab(h)) hashLab = h;
  else if (h !== '') ignored.push(`#${showable(h)}`);

  const params = singleValues(pairs, notices);
  const labRaw = params.get('lab');
  params.delete('lab');
  let lab: LabId = DEFAULT_LAB;
  let legacyHash = false;
  if (labRaw !== undefined) {
    if (isLab(labRaw)) lab = labRaw;
    else notices.push(reject('lab', labRaw, `is not a lab of this page (${LAB_IDS.join(', ')}); the ${DEFAULT_LAB} was opened`));
    if (hashLab !== null && hashLab !== lab) ignored.push(`#${hashLab}`);
  } else if (hashLab !== null) {
    lab = hashLab;
    legacyHash = hashLab !== DEFAULT_LAB;
  }
  return finish(lab, params, notices, ignored, legacyHash);
}

/**
 * Reads one lab's part of a link out of `params` (removing what it reads):
 * version and migrations, settings, view options, drawn points; unknown keys
 * go to `ignored`. `legacyHash`: the lab came from an old "#mnist", so only
 * view options are read. Never throws.
 */
export function readLabParams(lab: LabId, params: Map<string, string>, notices: Rejection[], ignored: string[], legacyHash = false): ParsedLink {
  return finish(lab, params, notices, ignored, legacyHash);
}

function finish(lab: LabId, params: Map<string, string>, notices: Rejection[], ignored: string[], legacyHash: boolean): ParsedLink {
  const { codec, view: viewSpec, drawnPoints } = LINK_LABS[lab] as LinkLab<unknown, string>;
  if (legacyHash) {
    // The query of an old "#mnist" link held the playground's settings: keep only view options.
    for (const k of [...params.keys()]) {
      if ((VIEW_KEYS as readonly string[]).includes(k)) continue;
      ignored.push(showable(k));
      params.delete(k);
    }
  }
  let version = codec.readVersion(params, notices);
  if (legacyHash) version = codec.version;
  let p = params;
  if (version < codec.version) {
    const m = codec.migrate(p, version);
    p = m.params;
    for (const n of m.notes) notices.push(reject(n.key, n.value, n.reason));
  }
  const config = codec.parseParams(p, notices);
  const view = parseView(p, notices, viewSpec);
  let points: DrawnPoint[] | null = null;
  const pts = p.get('pts');
  if (pts !== undefined && drawnPoints) {
    p.delete('pts');
    const r = decodePoints(pts);
    if (r.ok) points = r.points;
    else notices.push(reject('pts', pts, `drawn points: ${r.error}; they were not loaded`));
  }
  for (const k of p.keys()) ignored.push(showable(k));
  return { lab, config, view, points, notices, ignored, version } as ParsedLink;
}

/** Extra parts of a link besides the config. */
export interface LinkExtras<P extends string, K extends string> {
  view?: Partial<LabViewOptions<P, K>>;
  /** Drawn points, written when the lab's drawnPoints says so for the config (the playground's "custom" data set). */
  points?: readonly DrawnPoint[];
}

/**
 * The query string (no leading '?') of a lab's link: lab= first, then the
 * lab's version and every setting (defaults included, so a link keeps its
 * meaning if defaults change), then non-default view options, then pts=.
 * Throws only if drawn points cannot be encoded (check with encodePoints
 * first to show the message).
 */
export function writeLink<L extends LabId>(lab: L, config: LabLinkParts[L]['config'],
  extras: LinkExtras<string, string> = {}): string {
  const { codec, view, drawnPoints } = LINK_LABS[lab] as LinkLab<unknown, string>;
  const parts = [`lab=${lab}`, codec.write(config), ...writeView(extras.view ?? {}, view)];
  if (extras.points && drawnPoints?.(config)) {
    const r = encodePoints(extras.points);
    if (!r.ok) throw new Error(r.error);
    parts.push(`pts=${r.text}`);
  }
  return parts.join('&');
}
