// The embed builder's state and the pure functions over it: what an author
// picked (a lab with its preset, or a lesson; panels to hide, settings to
// lock, embed mode, theme, speed, size) -> the link and the <iframe> snippet.
// The page (Builder.tsx) only renders this state and reports changes.

import { embedSnippet, labShareUrl, lessonShareUrl } from '../embed/snippet';
import { LABS, labEntry, type LabId } from '../labs';
import { COURSE, courseEntry } from '../lessons/catalog';
import { parseLink } from '../state/link';
import type { Rejection } from '../state/codec-types';
import { FULL_SPEED, type Speed } from '../state/speed';
import type { Theme, ViewSpec } from '../state/view';
import type { DrawnPoint } from '../share/points';

export type Target = { kind: 'lab'; lab: LabId } | { kind: 'lesson'; lesson: string };

/** A lab's settings taken from a pasted link (absent: the lab's defaults). */
export interface Preset {
  lab: LabId;
  config: unknown;
  points: DrawnPoint[] | null;
}

export const SIZE_PRESETS = [
  { id: 'phone', label: 'Phone', width: 360, height: 640 },
  { id: 'tablet', label: 'Tablet', width: 768, height: 1024 },
  { id: 'wide', label: 'Wide', width: 1024, height: 720 },
] as const;
export type SizePreset = 'default' | (typeof SIZE_PRESETS)[number]['id'] | 'custom';

/** A frame narrower or shorter than this shows nothing useful; larger than that fits no screen. */
export const MIN_SIZE = 240;
export const MAX_SIZE = 2400;

/** A lesson shows its text beside the lab: its frame needs room for both. */
export const LESSON_SIZE = { width: 1100, height: 760 } as const;

export interface BuilderState {
  target: Target;
  preset: Preset | null;
  hide: string[];
  /** Settings by their URL keys, or every setting. */
  lock: string[] | 'all';
  embed: boolean;
  theme: Theme | null;
  autoplay: boolean;
  speed: Speed;
  sizePreset: SizePreset;
  width: number;
  height: number;
  /** The frame's title (screen readers announce it); empty: a title from the lab or lesson. */
  title: string;
}

/** The lab whose panels and settings apply: the lab itself, or the lab a lesson opens. */
export function targetLab(target: Target): LabId {
  return target.kind === 'lab' ? target.lab : (courseEntry(target.lesson)?.lab ?? LABS[0]!.id);
}

export function viewSpecOf(target: Target): ViewSpec<string, string> {
  return labEntry(targetLab(target)).view as ViewSpec<string, string>;
}

/** The frame size a target is made for. */
export function defaultSize(target: Target): { width: number; height: number } {
  return target.kind === 'lab' ? { ...labEntry(target.lab).embedSize } : { ...LESSON_SIZE };
}

export function initialState(target: Target = { kind: 'lab', lab: LABS[0]!.id }): BuilderState {
  return {
    target, preset: null, hide: [], lock: [], embed: true, theme: null, autoplay: false, speed: FULL_SPEED,
    sizePreset: 'default', ...defaultSize(target), title: '',
  };
}

/** Another lab or lesson: panels and settings differ, so hides, locks and the preset start over. */
export function withTarget(state: BuilderState, target: Target): BuilderState {
  const size = state.sizePreset === 'default' ? defaultSize(target) : { width: state.width, height: state.height };
  return { ...state, target, preset: null, hide: [], lock: [], ...size };
}

export function withSizePreset(state: BuilderState, preset: SizePreset): BuilderState {
  if (preset === 'custom') return { ...state, sizePreset: preset };
  const size = preset === 'default' ? defaultSize(state.target) : SIZE_PRESETS.find((p) => p.id === preset)!;
  return { ...state, sizePreset: preset, width: size.width, height: size.height };
}

/** A typed width or height: a whole number of CSS pixels in range, or why not. */
export function parseDimension(text: string, what: 'width' | 'height'): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return { ok: false, error: `The ${what} must be a whole number of pixels, from ${MIN_SIZE} to ${MAX_SIZE}.` };
  const value = Number(t);
  if (value < MIN_SIZE || value > MAX_SIZE) return { ok: false, error: `The ${what} must be from ${MIN_SIZE} to ${MAX_SIZE} pixels (not ${value}).` };
  return { ok: true, value };
}

export function frameTitle(state: BuilderState): string {
  if (state.title.trim() !== '') return state.title.trim();
  if (state.target.kind === 'lesson') {
    const e = courseEntry(state.target.lesson);
    return e ? `Lesson ${e.number}: ${e.title}` : 'A lesson';
  }
  return `Neural network playground: ${labEntry(state.target.lab).title}`;
}

/**
 * The page's link for this state; `base` is the app's address (the builder's
 * folder). `note` says what had to be left out (drawn points that cannot be written).
 */
export function buildLink(state: BuilderState, base: string): { url: string; note: string | null } {
  const spec = viewSpecOf(state.target);
  const lockKeys = state.lock === 'all'
    ? spec.settings.map((s) => s.key)
    : state.lock.map((u) => spec.settings.find((s) => s.url === u)?.key).filter((k): k is string => k !== undefined);
  const hide = state.hide.filter((p) => spec.panels.includes(p));
  if (state.target.kind === 'lesson') {
    const view = { embed: state.embed, hide, lock: lockKeys, theme: state.theme };
    return { url: lessonShareUrl(state.target.lesson, targetLab(state.target), { base, view }), note: null };
  }
  const lab = state.target.lab;
  const preset = state.preset?.lab === lab ? state.preset : null;
  const config = preset ? preset.config : labEntry(lab).codec.defaults();
  const view = { embed: state.embed, hide, lock: lockKeys, autoplay: state.autoplay, speed: state.speed, theme: state.theme };
  return labShareUrl(lab, config as never, { base, view, ...(preset?.points ? { points: preset.points } : {}) });
}

/** The <iframe> snippet for this state, at its size: the one snippet builder (embed/snippet.ts). */
export function buildSnippet(state: BuilderState, base: string): string {
  return embedSnippet({ url: buildLink(state, base).url, title: frameTitle(state), width: state.width, height: state.height });
}

export type PastedLink =
  | { ok: true; state: BuilderState; ignored: string[] }
  | { ok: false; error: string; notices: Rejection[] };

/**
 * A link pasted from a lab's "Copy link" (or a lesson's address) applied to
 * `state`: its lab and settings become the preset, its view options fill the
 * form. A link with any refused value is not applied (its notices say why),
 * so the last good preset stays. Never throws.
 */
export function applyPastedLink(state: BuilderState, text: string): PastedLink {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'Paste a link first: the address a lab\'s "Copy link" gives.', notices: [] };
  let url: URL;
  try {
    url = new URL(t, 'https://builder.invalid/');
  } catch {
    return { ok: false, error: 'That is not a link. Paste the address a lab\'s "Copy link" gives.', notices: [] };
  }
  const lesson = url.searchParams.get('lesson');
  if (lesson !== null) {
    if (!courseEntry(lesson)) {
      return { ok: false, error: `"${lesson.slice(0, 40)}" is not a lesson of this course (${COURSE.map((l) => l.id).join(', ')}).`, notices: [] };
    }
    // Its hide= and lock= name the panels and settings of the lab the lesson opens.
    url.searchParams.delete('lesson');
    url.searchParams.set('lab', courseEntry(lesson)!.lab);
  }
  const parsed = parseLink(url.search, url.hash);
  if (parsed.notices.length > 0) {
    return { ok: false, error: 'This link has values the lab would refuse, so it was not used; the preset stays as it was.', notices: parsed.notices };
  }
  const target: Target = lesson !== null ? { kind: 'lesson', lesson } : { kind: 'lab', lab: parsed.lab };
  const spec = viewSpecOf(target);
  const v = parsed.view;
  const allLocked = spec.settings.length > 0 && spec.settings.every((s) => (v.lock as string[]).includes(s.key));
  const next: BuilderState = {
    ...withTarget(state, target),
    preset: lesson !== null ? null : { lab: parsed.lab, config: parsed.config, points: parsed.points },
    hide: [...v.hide],
    lock: allLocked ? 'all' : spec.settings.filter((s) => (v.lock as string[]).includes(s.key)).map((s) => s.url),
    embed: v.embed,
    theme: v.theme,
    autoplay: v.autoplay,
    speed: v.speed ?? FULL_SPEED,
  };
  return { ok: true, state: next, ignored: parsed.ignored };
}
