// "Copy link" and "Copy embed code" for any lab or lesson: the address of the
// current setup (lab, settings, view options; or lesson and view options) and
// an <iframe> snippet for it. The labs' share bars and the embed builder use it.

import { writeLink, LINK_LABS, type LabId, type LabLinkParts } from '../state/link';
import { writeView, type LabViewOptions, type ViewSpec } from '../state/view';
import { encodePoints, type DrawnPoint } from '../share/points';

export interface ShareOptions {
  /** The page's address without query or fragment (location.origin + location.pathname). */
  base: string;
  view?: Partial<LabViewOptions<string, string>>;
  /** Playground: the drawn points (written with the custom data set). */
  points?: readonly DrawnPoint[];
}

/**
 * The link of a lab's current setup. Drawn points that cannot be encoded are
 * left out, and `note` says why (show it next to the copied link).
 */
export function labShareUrl<L extends LabId>(lab: L, config: LabLinkParts[L]['config'], opts: ShareOptions): { url: string; note: string | null } {
  let note: string | null = null;
  let points = opts.points;
  if (points) {
    const enc = encodePoints(points);
    if (!enc.ok) { note = enc.error; points = undefined; }
  }
  const query = writeLink(lab, config, { view: opts.view ?? {}, ...(points ? { points } : {}) });
  return { url: `${opts.base}?${query}`, note };
}

/** The view options a lesson's page passes to its lab (the rest are the lesson's own). */
export type LessonViewOptions = Pick<LabViewOptions<string, string>, 'embed' | 'hide' | 'lock' | 'theme'>;

/**
 * The link of a lesson (index.html?lesson=<id>) with the view options its page
 * takes: `hide`/`lock` name panels and settings (config keys) of `lab`, the lab
 * the lesson opens, and are checked against it as a lab's link would be.
 */
export function lessonShareUrl(lesson: string, lab: LabId, opts: { base: string; view?: Partial<LessonViewOptions> }): string {
  const { embed, hide, lock, theme } = opts.view ?? {};
  const view = { ...(embed ? { embed } : {}), ...(hide ? { hide } : {}), ...(lock ? { lock } : {}), ...(theme ? { theme } : {}) };
  const parts = [`lesson=${encodeURIComponent(lesson)}`, ...writeView(view, LINK_LABS[lab].view as ViewSpec<string, string>)];
  return `${opts.base}?${parts.join('&')}`;
}

/** HTML attribute text: no quote or ampersand can end the attribute or start an entity. */
function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An <iframe> snippet for `url`, at the size the lab's embed fits in. */
export function embedSnippet(opts: { url: string; title: string; width: number; height: number }): string {
  const size = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.round(n) : 100);
  return `<iframe src="${attr(opts.url)}" title="${attr(opts.title)}" width="${size(opts.width)}" height="${size(opts.height)}" `
    + 'loading="lazy" style="border:0;max-width:100%"></iframe>';
}
