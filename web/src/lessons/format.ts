// The lesson format (README "Lessons"): one JSON file per lesson, with the
// lab's preset link, the text and the tasks. parseLesson checks a file an
// author wrote (or anyone: lessons may come from other sites) and never
// throws: every problem is a sentence naming the field. Text stays text: it
// is rendered by RichText as Preact nodes, never as HTML.

import { isLab, labEntry, type LabId } from '../labs';
import { parseLink } from '../state/link';

export const LESSON_FORMAT = 'nn-lesson';
export const LESSON_VERSION = 1;
/** Largest lesson file read, in characters. */
export const MAX_LESSON_CHARS = 65536;
const MAX_TEXT = 2000;
const MAX_BLOCKS = 24;
const MAX_TASKS = 6;
const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A paragraph (inline *emphasis*, **strong**, `code`, [links](?lesson=x)), a
 *  formula shown as its own line, or a bulleted list. */
export type Block = string | { formula: string } | { list: string[] };

const COMPARATORS = ['below', 'atMost', 'above', 'atLeast', 'equals', 'oneOf', 'contains'] as const;
type Comparator = (typeof COMPARATORS)[number];
export const AGGREGATES = ['value', 'sum', 'count', 'max', 'min'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** One condition on what the lab reports: a metric of its metrics messages,
 *  or a setting by its link key (its value as the link writes it). */
export interface Condition {
  /** The condition in the author's words ("test accuracy 100 %"); absent: made from the fields. */
  label?: string;
  metric?: string;
  setting?: string;
  /** Over a comma list of numbers (hidden=4,2): sum, count, max, min; default the value itself. */
  of: Aggregate;
  below?: number;
  atMost?: number;
  above?: number;
  atLeast?: number;
  equals?: string | number;
  oneOf?: (string | number)[];
  contains?: string;
}

export type Question =
  | { choices: string[]; correct: number }
  | { number: number; tolerance: number };

export interface Task {
  id: string;
  title: string;
  text: Block[];
  /** The lab's link for this task (a Start button loads it); absent: the lesson's. */
  preset?: string;
  /** Checked live: every condition holds at once. */
  goal?: Condition[];
  /** Checked when the learner answers. */
  question?: Question;
  /** Completed when the learner confirms (work done outside the page, e.g. in PyTorch). */
  confirm?: string;
  hint?: Block[];
  answer?: Block[];
}

export interface Lesson {
  id: string;
  title: string;
  lab: LabId;
  /** The lab's link (query form, lab= first), as its Copy link writes it. */
  preset: string;
  text: Block[];
  tasks: Task[];
  /** The next lesson: a built-in id, or a lesson file's address. */
  next?: string;
}

export type ParseResult = { lesson: Lesson; errors: [] } | { lesson: null; errors: string[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly errors: string[] = [];
  fail(where: string, what: string): undefined {
    if (this.errors.length < 20) this.errors.push(`${where}: ${what}`);
    return undefined;
  }
  text(v: unknown, where: string, max = MAX_TEXT): string | undefined {
    if (typeof v !== 'string' || v.trim() === '') return this.fail(where, 'must be a non-empty string');
    if (v.length > max) return this.fail(where, `is too long (${v.length} characters; at most ${max})`);
    return v;
  }
  blocks(v: unknown, where: string): Block[] | undefined {
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.length === 0) return this.fail(where, 'must be a paragraph or a list of blocks');
    if (list.length > MAX_BLOCKS) return this.fail(where, `has ${list.length} blocks; at most ${MAX_BLOCKS}`);
    const out: Block[] = [];
    list.forEach((b, i) => {
      const at = `${where}[${i}]`;
      if (typeof b === 'string') { const t = this.text(b, at); if (t) out.push(t); return; }
      if (isObj(b) && typeof b.formula === 'string') { const t = this.text(b.formula, `${at}.formula`, 300); if (t) out.push({ formula: t }); return; }
      if (isObj(b) && Array.isArray(b.list)) {
        if (b.list.length === 0 || b.list.length > 12) { this.fail(`${at}.list`, 'must have 1 to 12 items'); return; }
        const items = b.list.map((x, j) => this.text(x, `${at}.list[${j}]`, 500));
        if (items.every((x): x is string => x !== undefined)) out.push({ list: items });
        return;
      }
      this.fail(at, 'must be a string, { "formula": "…" } or { "list": ["…"] }');
    });
    return out;
  }
}

/** A preset: a lab link's query. Its lab must be one of ours; bad values are the lab's to report when it opens. */
function checkPreset(c: Checker, v: unknown, where: string): { preset: string; lab: LabId } | undefined {
  const text = c.text(v, where, 16384);
  if (text === undefined) return undefined;
  const query = text.replace(/^[^?]*\?/, '');
  const lab = new URLSearchParams(query).get('lab') ?? 'playground';
  if (!isLab(lab)) return c.fail(where, `names lab "${lab.slice(0, 40)}", which is not one of this site's labs`);
  const parsed = parseLink(query);
  if (parsed.notices.length > 0) {
    const n = parsed.notices[0]!;
    return c.fail(where, `${n.key}=${n.value.slice(0, 40)} ${n.reason}`);
  }
  return { preset: query, lab };
}

function checkCondition(c: Checker, v: unknown, where: string, lab: LabId): Condition | undefined {
  if (!isObj(v)) return c.fail(where, 'must be an object such as { "metric": "testLoss", "below": 0.1 }');
  const entry = labEntry(lab);
  const cond: Condition = { of: 'value' };
  if (v.label !== undefined) {
    const label = c.text(v.label, `${where}.label`, 200);
    if (label === undefined) return undefined;
    cond.label = label;
  }
  if ((v.metric === undefined) === (v.setting === undefined)) return c.fail(where, 'needs exactly one of "metric" or "setting"');
  if (v.metric !== undefined) {
    if (typeof v.metric !== 'string' || !entry.metrics.includes(v.metric)) {
      return c.fail(`${where}.metric`, `must be one of the ${lab} lab's metrics: ${entry.metrics.join(', ')}`);
    }
    cond.metric = v.metric;
  } else {
    const keys = entry.view.settings.map((s) => s.url);
    if (typeof v.setting !== 'string' || !keys.includes(v.setting)) {
      return c.fail(`${where}.setting`, `must be one of the ${lab} lab's link keys: ${keys.join(', ')}`);
    }
    cond.setting = v.setting;
  }
  if (v.of !== undefined) {
    if (!(AGGREGATES as readonly unknown[]).includes(v.of)) return c.fail(`${where}.of`, `must be one of ${AGGREGATES.join(', ')}`);
    cond.of = v.of as Aggregate;
  }
  let any = false;
  for (const k of COMPARATORS) {
    const x = v[k];
    if (x === undefined) continue;
    any = true;
    if (k === 'equals') {
      if (typeof x !== 'string' && !(typeof x === 'number' && Number.isFinite(x))) return c.fail(`${where}.equals`, 'must be a string or a finite number');
      cond.equals = x;
    } else if (k === 'oneOf') {
      if (!Array.isArray(x) || x.length === 0 || x.length > 20 || !x.every((y) => typeof y === 'string' || (typeof y === 'number' && Number.isFinite(y)))) {
        return c.fail(`${where}.oneOf`, 'must be a list of 1 to 20 strings or numbers');
      }
      cond.oneOf = x as (string | number)[];
    } else if (k === 'contains') {
      const t = c.text(x, `${where}.contains`, 200);
      if (t === undefined) return undefined;
      cond.contains = t;
    } else {
      if (typeof x !== 'number' || !Number.isFinite(x)) return c.fail(`${where}.${k}`, 'must be a finite number');
      cond[k as Exclude<Comparator, 'equals' | 'oneOf' | 'contains'>] = x;
    }
  }
  if (!any) return c.fail(where, `needs a comparison: ${COMPARATORS.join(', ')}`);
  return cond;
}

function checkQuestion(c: Checker, v: unknown, where: string): Question | undefined {
  if (!isObj(v)) return c.fail(where, 'must be { "choices": […], "correct": i } or { "number": x, "tolerance": t }');
  if (v.choices !== undefined) {
    if (!Array.isArray(v.choices) || v.choices.length < 2 || v.choices.length > 6) return c.fail(`${where}.choices`, 'must list 2 to 6 answers');
    const choices = v.choices.map((x, i) => c.text(x, `${where}.choices[${i}]`, 300));
    if (typeof v.correct !== 'number' || !Number.isInteger(v.correct) || v.correct < 0 || v.correct >= v.choices.length) {
      return c.fail(`${where}.correct`, `must be the index (0 to ${v.choices.length - 1}) of the right answer`);
    }
    if (!choices.every((x): x is string => x !== undefined)) return undefined;
    return { choices, correct: v.correct };
  }
  if (typeof v.number !== 'number' || !Number.isFinite(v.number)) return c.fail(`${where}.number`, 'must be a finite number');
  const tol = v.tolerance ?? 0;
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) return c.fail(`${where}.tolerance`, 'must be a number ≥ 0');
  return { number: v.number, tolerance: tol };
}

function checkTask(c: Checker, v: unknown, where: string, lab: LabId): Task | undefined {
  if (!isObj(v)) return c.fail(where, 'must be an object');
  const id = typeof v.id === 'string' && ID.test(v.id) ? v.id : c.fail(`${where}.id`, 'must be 1 to 40 of a-z, 0-9 and -, starting with a letter or digit');
  const title = c.text(v.title, `${where}.title`, 200);
  const text = c.blocks(v.text, `${where}.text`);
  const task: Task = { id: id ?? '', title: title ?? '', text: text ?? [] };
  if (v.preset !== undefined) {
    const p = checkPreset(c, v.preset, `${where}.preset`);
    if (p && p.lab !== lab) c.fail(`${where}.preset`, `opens the ${p.lab} lab; this lesson's lab is ${lab}`);
    if (p) task.preset = p.preset;
  }
  const kinds = (['goal', 'question', 'confirm'] as const).filter((k) => v[k] !== undefined);
  if (kinds.length !== 1) return c.fail(where, 'needs exactly one of "goal", "question" or "confirm"');
  if (v.goal !== undefined) {
    if (!Array.isArray(v.goal) || v.goal.length === 0 || v.goal.length > 8) return c.fail(`${where}.goal`, 'must list 1 to 8 conditions');
    const goal = v.goal.map((g, i) => checkCondition(c, g, `${where}.goal[${i}]`, lab));
    if (goal.every((g): g is Condition => g !== undefined)) task.goal = goal;
  }
  if (v.question !== undefined) task.question = checkQuestion(c, v.question, `${where}.question`);
  if (v.confirm !== undefined) task.confirm = c.text(v.confirm, `${where}.confirm`, 300);
  if (v.hint !== undefined) task.hint = c.blocks(v.hint, `${where}.hint`);
  if (v.answer !== undefined) task.answer = c.blocks(v.answer, `${where}.answer`);
  return task;
}

/** Checks a lesson file's parsed JSON. Never throws. */
export function parseLesson(raw: unknown): ParseResult {
  const c = new Checker();
  if (!isObj(raw)) return { lesson: null, errors: ['the file must hold one JSON object'] };
  if (raw.format !== LESSON_FORMAT) c.fail('format', `must be "${LESSON_FORMAT}"`);
  if (raw.version !== LESSON_VERSION) c.fail('version', `must be ${LESSON_VERSION} (this site reads lesson format version ${LESSON_VERSION})`);
  const id = typeof raw.id === 'string' && ID.test(raw.id) ? raw.id : c.fail('id', 'must be 1 to 40 of a-z, 0-9 and -, starting with a letter or digit');
  const title = c.text(raw.title, 'title', 200);
  const preset = checkPreset(c, raw.preset, 'preset');
  const text = c.blocks(raw.text, 'text');
  let tasks: Task[] = [];
  if (!Array.isArray(raw.tasks) || raw.tasks.length === 0 || raw.tasks.length > MAX_TASKS) c.fail('tasks', `must list 1 to ${MAX_TASKS} tasks`);
  else if (preset) {
    const checked = raw.tasks.map((t, i) => checkTask(c, t, `tasks[${i}]`, preset.lab));
    tasks = checked.filter((t): t is Task => t !== undefined);
    const ids = tasks.map((t) => t.id);
    if (new Set(ids).size !== ids.length) c.fail('tasks', 'task ids must differ');
  }
  let next: string | undefined;
  if (raw.next !== undefined) next = c.text(raw.next, 'next', 500);
  if (c.errors.length > 0 || !id || !title || !preset || !text) return { lesson: null, errors: c.errors.length ? c.errors : ['the lesson is incomplete'] };
  return { lesson: { id, title, lab: preset.lab, preset: preset.preset, text, tasks, ...(next ? { next } : {}) }, errors: [] };
}
