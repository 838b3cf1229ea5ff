import { describe, expect, test } from 'vitest';
import { parseLesson } from './format';
import { COURSE } from './catalog';

const base = () => ({
  format: 'nn-lesson', version: 1, id: 'demo', title: 'Demo',
  preset: 'lab=playground&data=xor&hidden=4&act=tanh',
  text: ['Some *text*.'],
  tasks: [{ id: 't1', title: 'Reach it', text: 'Do it.', goal: [{ metric: 'testLoss', below: 0.1 }] }],
});

describe('lesson files', () => {
  const files = import.meta.glob<unknown>('./course/*.json', { eager: true, import: 'default' });

  test('every course lesson in the catalog has a file, and every file parses without a mistake', () => {
    const ids = Object.keys(files).map((f) => f.replace('./course/', '').replace('.json', '')).sort();
    for (const [file, raw] of Object.entries(files)) {
      const r = parseLesson(raw);
      expect(r.errors, file).toEqual([]);
      const entry = COURSE.find((l) => `./course/${l.id}.json` === file);
      expect(entry, `${file} is in the catalog`).toBeDefined();
      expect(r.lesson!.id).toBe(entry!.id);
      expect(r.lesson!.title).toBe(entry!.title);
      expect(r.lesson!.lab).toBe(entry!.lab);
      expect(r.lesson!.tasks.length).toBeGreaterThanOrEqual(1);
      expect(r.lesson!.tasks.length).toBeLessThanOrEqual(3);
    }
    expect(ids.length).toBeGreaterThanOrEqual(4);
  });

  test('the example platform page (public/lesson-host.js, plain JS that cannot import the catalog) offers the course in order', async () => {
    const { readFileSync } = await import('node:fs');
    const host = readFileSync(new URL('../../public/lesson-host.js', import.meta.url), 'utf8');
    const list = /const LESSONS = \[([^\]]*)\]/.exec(host);
    expect(list, 'lesson-host.js lists its lessons in const LESSONS').not.toBeNull();
    expect([...list![1]!.matchAll(/'([^']+)'/g)].map((m) => m[1])).toEqual(COURSE.map((l) => l.id));
  });

  test('a minimal lesson parses; its lab comes from the preset', () => {
    const r = parseLesson(base());
    expect(r.errors).toEqual([]);
    expect(r.lesson!.lab).toBe('playground');
    expect(r.lesson!.tasks[0]!.goal).toEqual([{ of: 'value', metric: 'testLoss', below: 0.1 }]);
  });

  test('mistakes are named by field, and nothing is opened', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...base(), format: 'html' }, /^format: must be "nn-lesson"/],
      [{ ...base(), version: 2 }, /^version: must be 1/],
      [{ ...base(), id: '../etc' }, /^id: /],
      [{ ...base(), preset: 'lab=nope' }, /^preset: names lab "nope"/],
      [{ ...base(), preset: 'lab=playground&lr=banana' }, /^preset: lr=banana/],
      [{ ...base(), tasks: [] }, /^tasks: must list 1 to 6/],
      [{ ...base(), tasks: [{ ...base().tasks[0], goal: [{ metric: 'password', below: 1 }] }] }, /tasks\[0\]\.goal\[0\]\.metric: must be one of the playground lab's metrics: epoch, trainLoss/],
      [{ ...base(), tasks: [{ ...base().tasks[0], goal: [{ setting: 'hidden' }] }] }, /needs a comparison/],
      [{ ...base(), tasks: [{ ...base().tasks[0], goal: [{ metric: 'testLoss', below: 'x' }] }] }, /below: must be a finite number/],
      [{ ...base(), tasks: [{ ...base().tasks[0], goal: [{ setting: 'password', equals: 1 }] }] }, /must be one of the playground lab's link keys/],
      [{ ...base(), tasks: [{ id: 't', title: 'q', text: 'x', question: { choices: ['a'], correct: 0 } }] }, /choices: must list 2 to 6/],
      [{ ...base(), tasks: [{ id: 't', title: 'q', text: 'x', question: { choices: ['a', 'b'], correct: 2 } }] }, /correct: must be the index/],
      [{ ...base(), tasks: [{ id: 't', title: 'q', text: 'x' }] }, /needs exactly one of "goal", "question" or "confirm"/],
      [{ ...base(), tasks: [{ ...base().tasks[0], preset: 'lab=mnist' }] }, /opens the mnist lab; this lesson's lab is playground/],
      [{ ...base(), text: ['x'.repeat(2001)] }, /text\[0\]: is too long/],
      [{ ...base(), text: [{ script: 'alert(1)' }] }, /text\[0\]: must be a string/],
      [{ ...base(), tasks: [base().tasks[0], base().tasks[0]] }, /task ids must differ/],
      [null, /one JSON object/],
      [[1, 2], /one JSON object/],
    ];
    for (const [raw, re] of cases) {
      const r = parseLesson(raw);
      expect(r.lesson).toBeNull();
      expect(r.errors.some((e) => re.test(e)), `${JSON.stringify(r.errors)} ~ ${re}`).toBe(true);
    }
  });

  test('hostile values never throw: random JSON-ish junk', () => {
    const junk: unknown[] = [undefined, 0, '', 'x', true, {}, { tasks: {} }, { ...base(), tasks: [null] }, { ...base(), text: 42 },
      { ...base(), tasks: [{ ...base().tasks[0], goal: 'all' }] }, { ...base(), preset: 'x'.repeat(20000) }, { ...base(), next: {} }];
    for (const j of junk) expect(() => parseLesson(j)).not.toThrow();
    for (const j of junk) expect(parseLesson(j).lesson).toBeNull();
  });
});
