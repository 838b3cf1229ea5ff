import { describe, expect, test } from 'vitest';
import { lessonCompleted, parseHostContext, taskCompleted } from './events';

const lesson = { id: 'perceptron', title: 'The perceptron', url: 'https://nn.example/?lesson=perceptron' };
const now = new Date('2026-12-01T10:00:00Z');

describe('lesson events', () => {
  test('taskCompleted: the protocol envelope, the score and an xAPI statement with the host\'s actor and context', () => {
    const host = { actor: { objectType: 'Agent', mbox: 'mailto:a@b.org' }, context: { registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7' } };
    const m = taskCompleted(lesson, { id: 'and', title: 'Compute AND', number: 1 }, 1, host, now);
    expect(m).toMatchObject({ ns: 'nn-playground', v: 1, type: 'taskCompleted', lesson, task: { id: 'and', number: 1 }, score: { raw: 1, min: 0, max: 1, scaled: 1 } });
    expect(m.statement).toEqual({
      actor: host.actor,
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
      object: { objectType: 'Activity', id: 'https://nn.example/?lesson=perceptron#task-and',
        definition: { name: { 'en-US': 'The perceptron: Compute AND' }, type: 'http://adlnet.gov/expapi/activities/interaction' } },
      result: { completion: true, success: true, score: { raw: 1, min: 0, max: 1, scaled: 1 } },
      context: { registration: host.context.registration, contextActivities: { parent: [{ objectType: 'Activity', id: lesson.url }] } },
      timestamp: '2026-12-01T10:00:00.000Z',
    });
  });

  test('lessonCompleted: verb passed, the mean of the task scores; no actor until the host gives one', () => {
    const m = lessonCompleted(lesson, [1, 0.5, 1], {}, now);
    expect(m.score.scaled).toBe(0.833);
    expect(m.statement.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } });
    expect(m.statement).not.toHaveProperty('actor');
    expect((m.statement.object as { id: string }).id).toBe(lesson.url);
  });

  test('setContext: only small plain-JSON objects', () => {
    expect(parseHostContext({ actor: { name: 'x' } })).toEqual({ ok: { actor: { name: 'x' } } });
    expect(parseHostContext({ actor: 'me' })).toHaveProperty('error');
    expect(parseHostContext({ context: [1] })).toHaveProperty('error');
    expect(parseHostContext({ context: { big: 'x'.repeat(9000) } })).toHaveProperty('error');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(parseHostContext({ context: cyclic })).toHaveProperty('error');
  });
});
