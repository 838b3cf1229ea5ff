// Every course lesson opens from its link (its text, its tasks, its lab
// running in the frame, a link to the next lesson), the course index lists
// them, and hostile or broken lesson files are shown as text or refused with
// a message: never markup, never a blank page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectErrors, playgroundFixture, waitFor } from './lib/index.mjs';
import { expectNoAxeViolations } from './lib/axe.mjs';

const courseDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/lessons/course');
const catalog = fs.readFileSync(path.join(courseDir, '../catalog.ts'), 'utf8');
const COURSE = [...catalog.matchAll(/\{ id: '([a-z0-9-]+)', number: (\d+), title: '([^']+)'/g)].map((m) => ({ id: m[1], number: Number(m[2]), title: m[3] }));

// One server and browser for the file; Content-Security-Policy violations fail the test.
const fx = playgroundFixture();

test('the course has fifteen lessons, each a file', () => {
  assert.equal(COURSE.length, 15);
  for (const l of COURSE) assert.ok(fs.existsSync(path.join(courseDir, `${l.id}.json`)), `${l.id}.json`);
});

test('every lesson opens from its link: title, tasks, the lab running in its frame, the next lesson', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } }); // axe needs a page of a context
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}?course=1`);
  for (const l of COURSE) assert.equal(await page.getByTestId(`course-${l.id}`).textContent(), l.title);
  await expectNoAxeViolations(page, 'the course page');
  for (const l of COURSE) {
    await page.goto(`${fx.server.url}?lesson=${l.id}`);
    await waitFor(() => page.getByRole('heading', { level: 1 }).textContent().catch(() => ''), (t) => t === l.title, { timeoutMs: 20_000, what: `lesson ${l.id}'s title` });
    assert.match(await page.getByTestId('lesson-progress').textContent(), /^0 of [1-3] tasks done/, l.id);
    const lab = page.frameLocator('[data-testid=lesson-lab]');
    // The lab inside has started: its run controls are there (the GAN and MNIST labs load their data first).
    await lab.locator('[data-testid=play], [data-testid=mnist-train]').first().waitFor({ timeout: 30_000 });
    const next = COURSE.find((x) => x.number === l.number + 1);
    if (next) assert.equal(await page.getByTestId('next-lesson').getAttribute('href'), `?lesson=${next.id}`);
    // The lesson's own page (its lab's pages are scanned by a11y.test.mjs; lesson 1's whole page, lab included, below).
    await expectNoAxeViolations(page, `lesson ${l.id}`, l.number === 1 ? {} : { exclude: '[data-testid=lesson-lab]' });
  }
  errors.assertNone();
  await context.close();
});

test('hostile lesson text stays text; broken files and other origins get a message', async () => {
  const context = await fx.browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
  const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  await context.route((u) => u.pathname.endsWith('/hostile-lesson.json'), (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({
      format: 'nn-lesson', version: 1, id: 'hostile', title: `Title ${evil}`,
      preset: 'lab=playground&data=xor',
      text: [`Para ${evil} [click](javascript:window.__pwned=3)`, { formula: evil }, { list: [evil] }],
      tasks: [{ id: 't', title: evil, text: evil, question: { choices: [evil, 'b'], correct: 1 }, hint: evil, answer: evil }],
    }),
  }));
  await page.goto(`${fx.server.url}?lesson=./hostile-lesson.json`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Title ${evil}`);
  const text = page.locator('.lesson-text');
  assert.equal(await text.locator('img, script, iframe').count(), 0, 'no element from the lesson\'s text');
  assert.equal(await text.locator('a[href^="javascript"]').count(), 0);
  assert.ok((await text.textContent()).includes('[click](javascript:window.__pwned=3)') || (await text.textContent()).includes('click'));
  await text.getByText('Show the answer').click();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(dialogs, 0);

  await context.route((u) => u.pathname.endsWith('/broken-lesson.json'), (route) => route.fulfill({ contentType: 'application/json', body: '{"format":"nn-lesson","version":1,"id":"x","title":"T","preset":"lab=playground&lr=-4","text":"t","tasks":[]}' }));
  await page.goto(`${fx.server.url}?lesson=./broken-lesson.json`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /has mistakes/);
  assert.match(await alert.textContent(), /preset: lr=-4/);
  assert.match(await alert.textContent(), /tasks: must list 1 to 6 tasks/);

  await page.goto(`${fx.server.url}?lesson=https://evil.example/lesson.json`);
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').textContent(), /does not load lessons from https:\/\/evil\.example/);
  assert.ok(!requested.some((u) => u.startsWith('https://evil.example')), 'nothing was fetched from the other origin');

  await page.goto(`${fx.server.url}?lesson=no-such-lesson`);
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').textContent(), /there is no lesson "no-such-lesson"/);
  errors.assertNone();
  await context.close();
});

test('lesson 9\'s switch: zero initial weights, then random ones again (the network is rebuilt, also after Reset)', async () => {
  const page = await fx.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}?lab=playground&init=zeros&hidden=2&act=tanh`);
  await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 30_000, what: 'the engine' });
  /** The first weight into the output neuron, read in its editor (keyboard route: bias button, then Edit). */
  const firstWeight = async () => {
    await page.getByRole('button', { name: /^bias of output/ }).click();
    await page.getByRole('group', { name: "this neuron's weights and bias" }).getByRole('button').first().click();
    const v = Number(await page.getByTestId('param-input').inputValue());
    await page.keyboard.press('Escape');
    return v;
  };
  assert.equal(await firstWeight(), 0);
  await page.getByTestId('init').selectOption('random');
  const random = await waitFor(firstWeight, (v) => v !== 0, { timeoutMs: 10_000, what: 'random weights' });
  await page.getByTestId('reset').click();
  await waitFor(firstWeight, (v) => v === random, { timeoutMs: 10_000, what: 'the same random weights after Reset' });
  errors.assertNone();
  await page.close();
});
