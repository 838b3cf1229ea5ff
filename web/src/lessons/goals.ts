// Live checks of a task's goal: every condition must hold at once on what the
// lab reported last (its metrics message and its settings, written as its
// link writes them). Pure, so it is tested without a page.

import type { Condition } from './format';

export interface Observed {
  /** The lab's latest metrics (null fields: not applicable), or null before any. */
  metrics: Readonly<Record<string, number | null>> | null;
  /** The lab's settings by link key, as its link writes them (hidden → "4,2"). */
  settings: Readonly<Record<string, string>>;
}

export interface ConditionState {
  met: boolean;
  /** The value now, for the task's progress line ("testLoss 0.132"), or null when unknown. */
  now: string | null;
}

function aggregate(text: string, of: Condition['of']): number | string | null {
  if (of === 'value') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  const items = text === '' || text === 'none' ? [] : text.split(',').map(Number);
  if (items.some((n) => !Number.isFinite(n))) return null;
  if (of === 'count') return items.length;
  if (items.length === 0) return of === 'sum' ? 0 : null;
  if (of === 'sum') return items.reduce((a, b) => a + b, 0);
  return of === 'max' ? Math.max(...items) : Math.min(...items);
}

export function checkCondition(c: Condition, seen: Observed): ConditionState {
  let v: number | string | null;
  if (c.metric !== undefined) {
    const m = seen.metrics?.[c.metric];
    v = typeof m === 'number' && Number.isFinite(m) ? m : null;
  } else {
    const text = seen.settings[c.setting!];
    v = text === undefined ? null : aggregate(text, c.of);
  }
  if (v === null) return { met: false, now: null };
  const num = typeof v === 'number' ? v : null;
  const ok =
    (c.below === undefined || (num !== null && num < c.below)) &&
    (c.atMost === undefined || (num !== null && num <= c.atMost)) &&
    (c.above === undefined || (num !== null && num > c.above)) &&
    (c.atLeast === undefined || (num !== null && num >= c.atLeast)) &&
    (c.equals === undefined || String(v) === String(c.equals)) &&
    (c.oneOf === undefined || c.oneOf.some((x) => String(x) === String(v))) &&
    (c.contains === undefined || String(v).includes(c.contains));
  return { met: ok, now: typeof v === 'number' ? formatNumber(v) : v };
}

export function goalMet(goal: readonly Condition[], seen: Observed): boolean {
  return goal.every((c) => checkCondition(c, seen).met);
}

/** The labs' metrics in words (README's course-page API lists them). */
const METRIC_WORDS: Readonly<Record<string, string>> = {
  epoch: 'epochs trained', trainLoss: 'training loss', testLoss: 'test loss', accuracy: 'accuracy',
  handSet: 'weights set by hand', gradientChecks: 'gradients checked', valLoss: 'validation loss', perplexity: 'perplexity', iteration: 'iterations',
  dLoss: "D's loss", gLoss: "G's loss", distance: 'distance to the real data', js: 'JS divergence (bits)',
  dReal: "D's mean score on real data", dFake: "D's mean score on generated data",
  examplesPerSec: 'examples per second', stepsPerSec: 'steps per second', iterationsPerSec: 'iterations per second',
};

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 0.001 ? v.toPrecision(3) : v.toExponential(2);
}

/** The condition in words, for the task's checklist: "testLoss below 0.1", "sum of hidden at most 4". */
export function describeCondition(c: Condition): string {
  if (c.label) return c.label;
  const setting = `the setting ${c.setting}`;
  const subject = c.metric !== undefined ? METRIC_WORDS[c.metric] ?? c.metric
    : c.of === 'value' ? setting : c.of === 'count' ? `the number of values of ${setting}` : `the ${c.of} of ${setting}`;
  const parts: string[] = [];
  if (c.below !== undefined) parts.push(`below ${c.below}`);
  if (c.atMost !== undefined) parts.push(`at most ${c.atMost}`);
  if (c.above !== undefined) parts.push(`above ${c.above}`);
  if (c.atLeast !== undefined) parts.push(`at least ${c.atLeast}`);
  if (c.equals !== undefined) parts.push(`= ${c.equals}`);
  if (c.oneOf !== undefined) parts.push(`one of ${c.oneOf.join(', ')}`);
  if (c.contains !== undefined) parts.push(`contains "${c.contains}"`);
  return `${subject} ${parts.join(' and ')}`;
}
