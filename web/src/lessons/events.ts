// What a lesson tells the page that embeds it (a course platform's wrapper):
// taskCompleted and lessonCompleted messages on the course-page protocol,
// each with a score and an xAPI-shaped statement the host can send on to its
// learning record store. The host may first send setContext (its actor and
// context: registration, course activity…); the statements carry them.

import { PROTOCOL_NAMESPACE, PROTOCOL_VERSION } from '../embed/protocol';

const VERB = {
  completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } },
} as const;
const ACTIVITY = {
  task: 'http://adlnet.gov/expapi/activities/interaction',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
} as const;

/** What the host sent with setContext (checked: plain JSON objects, small). */
export interface HostContext {
  actor?: Record<string, unknown>;
  context?: Record<string, unknown>;
}

export interface LessonRef { id: string; title: string; url: string }

export interface Score { raw: number; min: 0; max: 1; scaled: number }

export function score(raw: number): Score {
  return { raw, min: 0, max: 1, scaled: raw };
}

export function statement(verb: keyof typeof VERB, object: { id: string; name: string; type: keyof typeof ACTIVITY },
  lesson: LessonRef, result: Score, host: HostContext, now: Date): Record<string, unknown> {
  const contextActivities = { ...(host.context?.contextActivities as object | undefined) } as Record<string, unknown>;
  if (object.type === 'task') contextActivities.parent = [{ objectType: 'Activity', id: lesson.url }];
  return {
    ...(host.actor ? { actor: host.actor } : {}),
    verb: VERB[verb],
    object: { objectType: 'Activity', id: object.id, definition: { name: { 'en-US': object.name }, type: ACTIVITY[object.type] } },
    result: { completion: true, success: true, score: result },
    context: { ...host.context, contextActivities },
    timestamp: now.toISOString(),
  };
}

/** The taskCompleted message. */
export function taskCompleted(lesson: LessonRef, task: { id: string; title: string; number: number }, raw: number, host: HostContext, now = new Date()) {
  const s = score(raw);
  return {
    ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, type: 'taskCompleted' as const, lesson, task, score: s,
    statement: statement('completed', { id: `${lesson.url}#task-${task.id}`, name: `${lesson.title}: ${task.title}`, type: 'task' }, lesson, s, host, now),
  };
}

/** The lessonCompleted message: every task done; the score is their mean. */
export function lessonCompleted(lesson: LessonRef, scores: readonly number[], host: HostContext, now = new Date()) {
  const raw = scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 1;
  const s = score(Math.round(raw * 1000) / 1000);
  return {
    ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, type: 'lessonCompleted' as const, lesson, score: s,
    statement: statement('passed', { id: lesson.url, name: lesson.title, type: 'lesson' }, lesson, s, host, now),
  };
}

const MAX_CONTEXT_CHARS = 8192;

/** A setContext command's payload, or a reason it was refused. */
export function parseHostContext(data: Record<string, unknown>): { ok: HostContext } | { error: string } {
  const pick = (k: 'actor' | 'context'): Record<string, unknown> | undefined | null => {
    const v = data[k];
    if (v === undefined) return undefined;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  };
  const actor = pick('actor');
  const context = pick('context');
  if (actor === null || context === null) return { error: 'setContext: "actor" and "context" must be objects' };
  let size: number;
  try {
    size = JSON.stringify({ actor, context }).length;
  } catch {
    return { error: 'setContext: "actor" and "context" must be plain JSON' };
  }
  if (size > MAX_CONTEXT_CHARS) return { error: `setContext: at most ${MAX_CONTEXT_CHARS} characters of JSON` };
  // A structured clone of plain JSON: nothing of the host's objects is kept.
  return { ok: JSON.parse(JSON.stringify({ actor, context })) as HostContext };
}
