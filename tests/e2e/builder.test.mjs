// The embed builder (issue 15 §3): an author picks a lab, hides two panels
// and locks a setting by keyboard, sets a size and a theme; the preview frame
// has exactly that size and shows the lab that way. The copied snippet, pasted
// into a course page on another origin, reproduces the preview: the same
// address, the same size, the same panels in the same places. A pasted link
// fills the form (a bad one is refused), a lesson's preview is the lesson
// page, and axe finds nothing to fix on the builder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { playgroundFixture, startServer, collectErrors, waitFor } from './lib/index.mjs';
import { expectNoAxeViolations } from './lib/axe.mjs';

const fx = playgroundFixture();

// The course page lives on a second server: another port, another origin.
let hostDir;
let host;
before(async () => {
  hostDir = await fs.mkdtemp(path.join(os.tmpdir(), 'builder-host-'));
  host = await startServer({ root: await writeIndex(hostDir) });
});
after(async () => {
  await host?.close();
  if (hostDir) await fs.rm(hostDir, { recursive: true, force: true });
});

async function writeIndex(dir) {
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>host</title>');
  return dir;
}

/** What the lab in `frame` shows: every visible element with a test id, a
 *  labelled region or a canvas, with its box (whole pixels) and, for those
 *  without child elements (counters, labels), its text, in document order. */
function visibleLayout(frame) {
  return frame.evaluate(() => [...document.querySelectorAll('[data-testid], section[aria-label], canvas')]
    .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    .map((el) => {
      const r = el.getBoundingClientRect();
      const name = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? el.tagName.toLowerCase();
      const text = el.childElementCount === 0 ? ` "${el.textContent.trim()}"` : '';
      return `${name} ${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)}${text}`;
    }));
}

/** A screenshot of exactly the frame's box, on whole pixels (an element
 *  screenshot at a fractional offset would take one row more). */
async function frameShot(page, frameElement) {
  await frameElement.scrollIntoViewIfNeeded();
  const b = await frameElement.boundingBox();
  return page.screenshot({ clip: { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) } });
}

/**
 * How many pixels of two same-sized PNG screenshots differ by more than
 * `tolerance` levels in a colour channel (decoded by `page`). Compositing the
 * same frame at another offset changes a few edge pixels by a level or two;
 * a different number, panel or picture changes them by far more.
 */
function differentPixels(page, a, b, tolerance = 16) {
  return page.evaluate(async ([a, b, tolerance]) => {
    const pixels = async (base64) => {
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const g = canvas.getContext('2d');
      g.drawImage(bitmap, 0, 0);
      return { size: `${bitmap.width}x${bitmap.height}`, data: g.getImageData(0, 0, bitmap.width, bitmap.height).data };
    };
    const [x, y] = await Promise.all([pixels(a), pixels(b)]);
    if (x.size !== y.size) return { sizes: [x.size, y.size], differing: Infinity };
    let differing = 0;
    const width = Number(x.size.split('x')[0]);
    const where = { left: Infinity, top: Infinity, right: -1, bottom: -1 }; // for the failure message
    for (let i = 0; i < x.data.length; i += 4) {
      const d = Math.max(Math.abs(x.data[i] - y.data[i]), Math.abs(x.data[i + 1] - y.data[i + 1]), Math.abs(x.data[i + 2] - y.data[i + 2]));
      if (d <= tolerance) continue;
      differing++;
      const px = (i / 4) % width, py = Math.floor(i / 4 / width);
      Object.assign(where, { left: Math.min(where.left, px), top: Math.min(where.top, py), right: Math.max(where.right, px), bottom: Math.max(where.bottom, py) });
    }
    return { sizes: [x.size, y.size], differing, ...(differing ? { where } : {}) };
  }, [a.toString('base64'), b.toString('base64'), tolerance]);
}

/** The frame's document for the link `hide` names (not one loaded before), once its engine is ready. */
async function readyFrame(page, selector, hide) {
  const frame = await (await page.waitForSelector(selector)).contentFrame();
  assert.ok(frame, `${selector} has a document`);
  await waitFor(() => new URL(frame.url()).searchParams.get('hide'), (h) => h === hide, { timeoutMs: 10000, what: `the new link in ${selector}` });
  await waitFor(() => frame.getByTestId('play').isEnabled().catch(() => false), (v) => v, { timeoutMs: 20000, what: `the engine in ${selector}` });
  // The untrained network's first evaluation is on screen.
  await waitFor(() => frame.getByTestId('test-accuracy').textContent(), (t) => /\d/.test(t ?? ''), { timeoutMs: 10000, what: `the first evaluation in ${selector}` });
  return frame;
}

test('the builder\'s preview shows the choices at exactly the chosen size, and its snippet reproduces it on another origin', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}builder.html`);

  await page.getByTestId('lab').selectOption('playground');
  await page.getByTestId('embed-mode').uncheck(); // embed mode keeps only the output; the settings must show to be locked
  // By keyboard, as an author without a mouse would.
  for (const id of ['hide-loss-chart', 'hide-datasets', 'lock-lr']) {
    await page.getByTestId(id).focus();
    await page.keyboard.press('Space');
    assert.ok(await page.getByTestId(id).isChecked(), `${id} ticked by keyboard`);
  }
  await page.getByTestId('theme').selectOption('dark');
  await page.getByTestId('width').fill('900');
  await page.getByTestId('height').fill('700');
  // A bad height is refused with a message and the last good size stays.
  await page.getByTestId('height').fill('12');
  assert.match(await page.getByTestId('size-error').textContent(), /height must be from 240 to 2400 pixels \(not 12\)/);
  await page.getByTestId('height').fill('700');
  assert.equal(await page.getByTestId('size-error').count(), 0, 'the message goes once the height is good');

  const link = await page.getByTestId('out-link').inputValue();
  const query = new URL(link).searchParams;
  assert.equal(query.get('hide'), 'loss-chart,datasets');
  assert.equal(query.get('lock'), 'lr');
  assert.equal(query.get('theme'), 'dark');
  assert.equal(query.has('embed'), false);

  // The preview follows once the form holds still.
  const preview = page.getByTestId('preview');
  await waitFor(() => preview.getAttribute('src'), (src) => src === link, { timeoutMs: 5000, what: 'the preview to load the link' });
  const box = await preview.boundingBox();
  assert.deepEqual([box.width, box.height], [900, 700], 'the preview frame is exactly 900 × 700');

  const frame = await readyFrame(page, '[data-testid=preview]', 'loss-chart,datasets');
  assert.equal(await frame.locator('.loss-chart').count(), 0, 'loss chart hidden');
  assert.equal(await frame.getByTestId('dataset-circle').count(), 0, 'data set picker hidden');
  assert.ok(await frame.getByTestId('learning-rate').isDisabled(), 'learning rate locked');
  assert.ok(await frame.getByTestId('batch-size').isEnabled(), 'batch size not locked');
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const previewLayout = await visibleLayout(frame);
  const previewShot = await frameShot(page, preview);

  // The snippet, pasted into a course page on another origin.
  const snippet = await page.getByTestId('out-snippet').inputValue();
  await fs.writeFile(path.join(hostDir, 'course.html'),
    `<!doctype html><meta charset="utf-8"><title>A course page</title><link rel="icon" href="data:,">\n<p>Try it:</p>\n${snippet}\n`);
  const hostPage = await context.newPage();
  const hostErrors = collectErrors(hostPage);
  await hostPage.goto(`${host.url}course.html`);
  const embedded = hostPage.locator('iframe');
  assert.equal(await embedded.getAttribute('src'), link, 'the snippet frames the same address');
  const hostBox = await embedded.boundingBox();
  assert.deepEqual([hostBox.width, hostBox.height], [900, 700], 'at the same size');
  const hostFrame = await readyFrame(hostPage, 'iframe', 'loss-chart,datasets');
  assert.notEqual(new URL(hostFrame.url()).origin, new URL(hostPage.url()).origin, 'the frame is on another origin than the course page');
  assert.deepEqual(await visibleLayout(hostFrame), previewLayout, 'the same panels in the same places');
  const hostShot = await frameShot(hostPage, embedded);
  // The same picture: text is compared above; rasterising small text twice
  // may differ in a few glyphs' edges, a missing or different picture in
  // thousands of pixels. At most 0.1 % may differ.
  const diff = await differentPixels(hostPage, previewShot, hostShot);
  assert.deepEqual(diff.sizes, ['900x700', '900x700']);
  assert.ok(diff.differing <= 630, `the same picture as the preview: ${JSON.stringify(diff)}`);
  hostErrors.assertNone();

  errors.assertNone();
  await context.close();
});

test('a pasted link with refused values is not used, a good one fills the form; a lesson\'s preview shows the lesson', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}builder.html`);
  const before = await page.getByTestId('out-link').inputValue();
  await page.getByTestId('paste-link').fill(`${fx.server.url}?lab=gan&glr=-1&gopt=nonsense`);
  await page.getByTestId('use-link').click();
  const notice = await page.getByTestId('paste-error').textContent();
  assert.match(notice, /not used/);
  assert.match(notice, /glr=-1/);
  assert.match(notice, /gopt=nonsense/);
  assert.equal(await page.getByTestId('out-link').inputValue(), before, 'the last good preset stays');

  await page.getByTestId('paste-link').fill(`${fx.server.url}?lab=gan&glr=0.01&hide=map&theme=light`);
  await page.getByTestId('use-link').click();
  await page.getByTestId('paste-ok').waitFor();
  assert.equal(await page.getByTestId('lab').inputValue(), 'gan');
  assert.ok(await page.getByTestId('hide-map').isChecked());
  const q = new URL(await page.getByTestId('out-link').inputValue()).searchParams;
  assert.deepEqual([q.get('lab'), q.get('glr'), q.get('hide'), q.get('theme')], ['gan', '0.01', 'map', 'light']);

  // A lesson: its preview is the lesson page, with the lesson's title.
  await page.getByTestId('kind-lesson').check();
  await page.getByTestId('lesson').selectOption('perceptron');
  const lessonLink = await page.getByTestId('out-link').inputValue();
  assert.equal(new URL(lessonLink).searchParams.get('lesson'), 'perceptron');
  const preview = page.getByTestId('preview');
  await waitFor(() => preview.getAttribute('src'), (src) => src === lessonLink, { timeoutMs: 5000, what: 'the preview to load the lesson' });
  const lessonFrame = await (await page.waitForSelector('[data-testid=preview]')).contentFrame();
  await waitFor(() => lessonFrame.locator('#lesson-title').textContent().catch(() => ''), (t) => t === 'The perceptron',
    { timeoutMs: 15000, what: 'the lesson title in the preview' });

  // Nothing for axe to fix in the builder, here with a lesson's frame wider than
  // its box, which scrolls (the lesson and the lab inside have their own checks).
  await expectNoAxeViolations(page, 'the builder', { exclude: '[data-testid=preview]' });
  errors.assertNone();
  await context.close();
});
