// Where a lesson comes from: ?lesson=<id> is one of the course's files
// (bundled, so it works offline); ?lesson=<address> is a lesson file an
// author hosts. Files on this site's origin are always read; files on
// another origin only when this site was built to allow that origin
// (LESSON_ORIGINS, which also opens the page's Content-Security-Policy to
// it): a link alone cannot make the page fetch from anywhere.

import { courseEntry } from './catalog';
import { MAX_LESSON_CHARS, parseLesson, type Lesson } from './format';

declare const __LESSON_ORIGINS__: readonly string[];
/** Other origins this build may load lesson files from (vite.config.ts). */
export const LESSON_ORIGINS: readonly string[] = typeof __LESSON_ORIGINS__ === 'undefined' ? [] : __LESSON_ORIGINS__;

const COURSE_FILES = import.meta.glob<unknown>('./course/*.json', { import: 'default' });

export type LessonSource =
  | { kind: 'course'; id: string }
  | { kind: 'file'; url: string }
  | { kind: 'refused'; reason: string };

/** What ?lesson= names. `base` is the page's address. */
export function lessonSource(value: string, base: string, allowed: readonly string[] = LESSON_ORIGINS): LessonSource {
  const v = value.trim();
  if (courseEntry(v)) return { kind: 'course', id: v };
  if (!/[/.]/.test(v)) return { kind: 'refused', reason: `there is no lesson "${v.slice(0, 60)}" in this course` };
  let url: URL;
  try {
    url = new URL(v, base);
  } catch {
    return { kind: 'refused', reason: `"${v.slice(0, 80)}" is not an address` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { kind: 'refused', reason: 'a lesson file must be on an http(s) address' };
  const here = new URL(base).origin;
  if (url.origin !== here && !allowed.includes(url.origin)) {
    return {
      kind: 'refused',
      reason: `this site does not load lessons from ${url.origin}. Its owner can allow that origin by building with LESSON_ORIGINS=${url.origin}, or the author can host the lesson file on this site.`,
    };
  }
  return { kind: 'file', url: url.href };
}

export type LoadResult = { lesson: Lesson; key: string; url: string } | { error: string; details: string[] };

/** The course lesson's page address, used as its xAPI activity id. */
function courseUrl(id: string, base: string): string {
  const u = new URL(base);
  return `${u.origin}${u.pathname}?lesson=${id}`;
}

export async function loadLesson(value: string, base: string, fetchFn: typeof fetch = fetch, timeoutMs = 10000): Promise<LoadResult> {
  const src = lessonSource(value, base);
  if (src.kind === 'refused') return { error: `This lesson cannot be opened: ${src.reason}`, details: [] };
  let raw: unknown;
  if (src.kind === 'course') {
    const file = COURSE_FILES[`./course/${src.id}.json`];
    if (!file) return { error: `The lesson "${src.id}" is missing from this build.`, details: [] };
    raw = await file();
  } else {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const res = await fetchFn(src.url, { credentials: 'omit', signal: abort.signal, redirect: 'error' });
      if (!res.ok) return { error: `The lesson file could not be read: ${src.url} answered ${res.status}.`, details: [] };
      const text = await res.text();
      if (text.length > MAX_LESSON_CHARS) return { error: `The lesson file is too large (${text.length} characters; at most ${MAX_LESSON_CHARS}).`, details: [] };
      raw = JSON.parse(text);
    } catch (e) {
      const why = e instanceof SyntaxError ? 'it is not valid JSON' : abort.signal.aborted ? `no answer within ${timeoutMs / 1000} s` : 'the network request failed';
      return { error: `The lesson file ${src.url} could not be read: ${why}.`, details: [] };
    } finally {
      clearTimeout(timer);
    }
  }
  const parsed = parseLesson(raw);
  if (!parsed.lesson) return { error: 'This lesson file has mistakes, so it was not opened:', details: parsed.errors };
  return src.kind === 'course'
    ? { lesson: parsed.lesson, key: src.id, url: courseUrl(src.id, base) }
    : { lesson: parsed.lesson, key: `url:${src.url}`, url: src.url };
}
