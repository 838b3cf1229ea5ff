import { describe, expect, test } from 'vitest';
import { lessonSource, loadLesson } from './load';

const base = 'https://nn.example/course/?lesson=x';

describe('where a lesson comes from', () => {
  test('a course id, a file on this site, or a file on an allowed origin', () => {
    expect(lessonSource('perceptron', base)).toEqual({ kind: 'course', id: 'perceptron' });
    expect(lessonSource('./mine.json', base)).toEqual({ kind: 'file', url: 'https://nn.example/course/mine.json' });
    expect(lessonSource('/lessons/a.json', base)).toEqual({ kind: 'file', url: 'https://nn.example/lessons/a.json' });
    expect(lessonSource('https://author.example/l.json', base, ['https://author.example'])).toEqual({ kind: 'file', url: 'https://author.example/l.json' });
  });

  test('another origin without the site\'s opt-in, other schemes and unknown ids are refused with a reason', () => {
    const r = lessonSource('https://evil.example/l.json', base);
    expect(r.kind).toBe('refused');
    expect((r as { reason: string }).reason).toMatch(/does not load lessons from https:\/\/evil\.example.*LESSON_ORIGINS/);
    expect(lessonSource('javascript:alert(1).json', base).kind).toBe('refused');
    expect(lessonSource('data:application/json,{}', base).kind).toBe('refused');
    expect(lessonSource('nope', base)).toEqual({ kind: 'refused', reason: 'there is no lesson "nope" in this course' });
  });

  test('a file that fails: HTTP errors, not JSON, too large, a broken lesson — each says why', async () => {
    const respond = (body: string, status = 200) => (async () => new Response(body, { status })) as unknown as typeof fetch;
    expect(await loadLesson('./a.json', base, respond('', 404))).toMatchObject({ error: expect.stringMatching(/answered 404/) });
    expect(await loadLesson('./a.json', base, respond('<html>'))).toMatchObject({ error: expect.stringMatching(/not valid JSON/) });
    expect(await loadLesson('./a.json', base, respond(' '.repeat(70000)))).toMatchObject({ error: expect.stringMatching(/too large/) });
    const broken = await loadLesson('./a.json', base, respond('{"format":"nn-lesson"}'));
    expect(broken).toMatchObject({ error: expect.stringMatching(/has mistakes/) });
    expect((broken as { details: string[] }).details.length).toBeGreaterThan(0);
    const failing = (async () => { throw new TypeError('offline'); }) as unknown as typeof fetch;
    expect(await loadLesson('./a.json', base, failing)).toMatchObject({ error: expect.stringMatching(/network request failed/) });
  });

  test('a course lesson loads from the bundle, keyed by its id, with its page address as the activity id', async () => {
    const r = await loadLesson('perceptron', base);
    expect(r).toMatchObject({ key: 'perceptron', url: 'https://nn.example/course/?lesson=perceptron' });
  });
});
