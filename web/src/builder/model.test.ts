import { describe, expect, test } from 'vitest';
import {
  applyPastedLink, buildLink, buildSnippet, defaultSize, frameTitle, initialState, LESSON_SIZE, parseDimension,
  withSizePreset, withTarget, type BuilderState,
} from './model';
import { parseLink } from '../state/link';
import { labEntry } from '../labs';
import { mnistCodec } from '../labs/mnist/config';
import { lessonShareUrl } from '../embed/snippet';
import { decodePoints, encodePoints } from '../share/points';

const BASE = 'https://course.example/nn/';

/** The query of a built link, read back the way the lab's page reads it. */
function readBack(url: string) {
  const u = new URL(url);
  expect(u.origin + u.pathname).toBe(BASE);
  return parseLink(u.search, u.hash);
}

describe('links', () => {
  test('a lab with hidden panels, locked settings, theme, autoplay and speed opens as chosen', () => {
    const s: BuilderState = {
      ...initialState({ kind: 'lab', lab: 'playground' }),
      hide: ['loss-chart', 'datasets'], lock: ['lr'], embed: false, theme: 'dark', autoplay: true, speed: 10,
    };
    const { url, note } = buildLink(s, BASE);
    expect(note).toBeNull();
    const p = readBack(url);
    expect(p.lab).toBe('playground');
    expect(p.notices).toEqual([]);
    expect(p.config).toEqual(labEntry('playground').codec.defaults());
    expect(p.view).toMatchObject({ embed: false, hide: ['loss-chart', 'datasets'], lock: ['learningRate'], theme: 'dark', autoplay: true, speed: 10 });
  });

  test('"all settings" is written lock=all and locks every setting of the lab', () => {
    const s = { ...initialState({ kind: 'lab', lab: 'mnist' }), lock: 'all' as const };
    const { url } = buildLink(s, BASE);
    expect(new URL(url).searchParams.get('lock')).toBe('all');
    expect(readBack(url).view.lock).toEqual(labEntry('mnist').view.settings.map((f) => f.key));
  });

  test('defaults: embed mode on, the reader\'s theme, full speed, nothing hidden or locked', () => {
    const { url } = buildLink(initialState({ kind: 'lab', lab: 'sequence' }), BASE);
    const q = new URL(url).searchParams;
    expect(q.get('lab')).toBe('sequence');
    expect(q.get('embed')).toBe('1');
    for (const k of ['theme', 'hide', 'lock', 'speed', 'autoplay']) expect(q.has(k)).toBe(false);
  });

  test('a lesson\'s link names the lesson and passes hide=, lock=, theme= and embed=1 for its lab; no autoplay or speed', () => {
    const s: BuilderState = { ...withTarget(initialState(), { kind: 'lesson', lesson: 'mnist' }), hide: ['weights'], lock: ['lr'], theme: 'light', autoplay: true, speed: 3 };
    const { url } = buildLink(s, BASE);
    expect(url).toBe(`${BASE}?lesson=mnist&embed=1&hide=weights&lock=lr&theme=light`);
    expect(url).toBe(lessonShareUrl('mnist', 'mnist', { base: BASE, view: { embed: true, hide: ['weights'], lock: ['learningRate'], theme: 'light' } }));
  });

  test('hides and locks of another lab never reach the link', () => {
    const s: BuilderState = { ...initialState({ kind: 'lab', lab: 'mnist' }), hide: ['loss-chart', 'weights'], lock: ['feat', 'lr'] };
    const p = readBack(buildLink(s, BASE).url);
    expect(p.notices).toEqual([]);
    expect(p.view.hide).toEqual(['weights']);
    expect(p.view.lock).toEqual(['learningRate']);
  });
});

describe('snippet', () => {
  test('the snippet frames the link at the chosen size with the title', () => {
    const s = withSizePreset({ ...initialState({ kind: 'lab', lab: 'gan' }), title: 'A GAN <live>' }, 'phone');
    const snippet = buildSnippet(s, BASE);
    const src = /src="([^"]*)"/.exec(snippet)![1]!.replace(/&amp;/g, '&');
    expect(src).toBe(buildLink(s, BASE).url);
    expect(snippet).toContain('width="360" height="640"');
    expect(snippet).toContain('title="A GAN &lt;live&gt;"');
  });

  test('default titles and sizes come from the lab or the lesson', () => {
    const lab = initialState({ kind: 'lab', lab: 'mnist' });
    expect(frameTitle(lab)).toBe('Neural network playground: MNIST');
    expect({ width: lab.width, height: lab.height }).toEqual(labEntry('mnist').embedSize);
    const lesson = withTarget(lab, { kind: 'lesson', lesson: 'backprop' });
    expect(frameTitle(lesson)).toBe('Lesson 5: Backpropagation on one example');
    expect({ width: lesson.width, height: lesson.height }).toEqual(LESSON_SIZE);
    expect(buildSnippet(lesson, BASE)).toContain(`width="${LESSON_SIZE.width}" height="${LESSON_SIZE.height}"`);
  });

  test('a chosen size stays when the lab changes; the lab\'s own size follows the lab', () => {
    const custom = withTarget({ ...initialState({ kind: 'lab', lab: 'mnist' }), sizePreset: 'custom', width: 500, height: 450 }, { kind: 'lab', lab: 'gan' });
    expect([custom.width, custom.height]).toEqual([500, 450]);
    const own = withTarget(initialState({ kind: 'lab', lab: 'mnist' }), { kind: 'lab', lab: 'playground' });
    expect({ width: own.width, height: own.height }).toEqual(defaultSize({ kind: 'lab', lab: 'playground' }));
  });
});

describe('typed sizes', () => {
  test('whole pixels in range are taken; anything else says why', () => {
    expect(parseDimension(' 480 ', 'width')).toEqual({ ok: true, value: 480 });
    for (const bad of ['', 'abc', '12.5', '-300', '1e3', '99999999']) {
      const r = parseDimension(bad, 'width');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/width/);
    }
    const small = parseDimension('100', 'height');
    expect(small.ok === false && small.error).toMatch(/from 240 to 2400 pixels \(not 100\)/);
  });
});

describe('pasted links', () => {
  test('a lab\'s Copy link becomes the preset: its lab, settings and view options fill the form', () => {
    const config = { ...mnistCodec.defaults(), learningRate: 0.01 };
    const link = `https://elsewhere.example/?lab=mnist&${mnistCodec.write(config)}&hide=weights&lock=lr&theme=dark`;
    const r = applyPastedLink(initialState(), link);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.target).toEqual({ kind: 'lab', lab: 'mnist' });
    expect(r.state.preset?.config).toEqual(config);
    expect(r.state).toMatchObject({ hide: ['weights'], lock: ['lr'], theme: 'dark', embed: false });
    // and the built link carries the same settings, on the builder's own base
    const p = readBack(buildLink(r.state, BASE).url);
    expect(p.config).toEqual(config);
  });

  test('a link with refused values is not used: its notices say why and the last good preset stays', () => {
    const good = applyPastedLink(initialState(), '?lab=playground&data=xor&hidden=4');
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    const bad = applyPastedLink(good.state, '?lab=playground&data=nonsense&lr=-3');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.notices.map((n) => n.key).sort()).toEqual(['data', 'lr']);
    expect(bad.error).toMatch(/not used/);
    // the caller keeps good.state: its link still has the XOR data set
    expect(new URL(buildLink(good.state, BASE).url).searchParams.get('data')).toBe('xor');
  });

  test('not a link, an empty box, an unknown lesson: a message each, never a throw', () => {
    for (const text of ['', '   ', 'http://[::1', '?lesson=<script>']) {
      const r = applyPastedLink(initialState(), text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/./);
    }
  });

  test('a lesson\'s link selects the lesson with its view options read against the lesson\'s lab', () => {
    const r = applyPastedLink(initialState(), 'https://x.example/nn/?lesson=mnist&hide=weights&lock=all&embed=1');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.target).toEqual({ kind: 'lesson', lesson: 'mnist' });
    expect(r.state).toMatchObject({ hide: ['weights'], lock: 'all', embed: true, preset: null });
  });

  test('a playground link with drawn points keeps them in the built link', () => {
    const points = [{ x: 1, y: 2, cls: 0 }, { x: -3, y: 0.5, cls: 1 }];
    const enc = encodePoints(points);
    expect(enc.ok).toBe(true);
    if (!enc.ok) return;
    const r = applyPastedLink(initialState(), `?lab=playground&data=custom&pts=${enc.text}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = readBack(buildLink(r.state, BASE).url);
    expect(p.lab === 'playground' && p.config.dataset).toBe('custom');
    // the same points the pasted link carried (the encoding quantises them)
    const pasted = decodePoints(enc.text);
    expect(pasted.ok && p.points).toEqual(pasted.ok && pasted.points);
    expect(p.points).toHaveLength(2);
  });
});
