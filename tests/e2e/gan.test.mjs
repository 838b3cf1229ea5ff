// The 2-D GAN lab in Debian's Chromium against the built page (web/dist):
// training draws the samples over D's heatmap and the distance falls;
// "Step D" changes D's map but not G's samples (and "Step G" the reverse);
// a link restores every setting and a drawing; a hostile link gives a
// notice, not a blank page; embedded on another origin it fits 360 px and
// the course-page API drives it. Small networks: seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, collectErrors, saveModel, startHostServer, waitFor } from './lib/index.mjs';

const fx = playgroundFixture();
let host = null;
before(async () => {
  host = await startHostServer(() => ({ labUrl: fx.server.url, query: 'lab=gan&data=moons&batch=64&embed=1', width: 720, height: 640 }));
});
after(() => host?.close());
const text = async (page, id) => ((await page.getByTestId(id).textContent()) ?? '').trim();
const number = async (page, id) => Number(await text(page, id));
const mapAttr = (page, name) => page.getByTestId('gan-map').getAttribute(name);

test('a hostile link gives notices and a working lab: training draws the samples over D\'s map, the distance falls; Step D moves D only, Step G moves G only', async () => {
  // Hostile values beside valid ones: each is listed with its reason and keeps its default.
  const { page, errors, close } = await fx.open('?lab=gan&data=ring&batch=64&v=99&ghidden=99999&gact=nope&glr=NaN&dsteps=1e12&pts=@@@&zdim=-1&loss=%3Cscript%3Ealert(1)%3C/script%3E');
  const rejected = await page.getByTestId('rejected').textContent();
  for (const key of ['v=99', 'ghidden=99999', 'glr=NaN', 'dsteps=', 'zdim=-1', 'loss=<script>']) assert.ok(rejected.includes(key), `${key} in ${rejected}`);
  assert.equal(await page.getByTestId('g-width-1').inputValue(), '16');
  assert.equal(await page.getByTestId('gan-loss').inputValue(), 'bce');
  await waitFor(() => mapAttr(page, 'data-drawn'), (v) => v === 'map', { timeoutMs: 10_000, what: 'the map' });
  const first = await waitFor(() => number(page, 'distance'), (v) => Number.isFinite(v) && v > 0, { what: 'the untrained distance' });
  await page.getByTestId('play').click();
  await waitFor(() => number(page, 'distance'), (v) => v < first / 2, { timeoutMs: 30_000, intervalMs: 200, what: `the distance below ${first / 2}` });
  await page.getByTestId('play').click(); // pause
  assert.ok(await number(page, 'iteration') > 0);
  assert.ok(Number.isFinite(await number(page, 'd-loss')) && Number.isFinite(await number(page, 'g-loss')));
  assert.match(await page.getByTestId('distance-chart').textContent(), /sliced Wasserstein/);
  assert.ok((await text(page, 'diagnosis')).length > 20);
  // The canvas holds a picture: many distinct colours (heatmap, two kinds of points, the grid).
  const colours = await page.getByTestId('gan-map').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
  assert.ok(colours > 50, `${colours} colours on the map`);

  // One D-only iteration: D's heatmap changes, G's samples do not.
  const at = await number(page, 'iteration');
  await waitFor(async () => [await mapAttr(page, 'data-fake-sum'), await mapAttr(page, 'data-grid-sum')], ([f, g]) => f !== '' && g !== '', { what: 'map sums' });
  await page.waitForTimeout(300); // the last snapshot after the pause
  const fake0 = await mapAttr(page, 'data-fake-sum');
  const grid0 = await mapAttr(page, 'data-grid-sum');
  await page.getByTestId('step-d').click();
  await waitFor(() => mapAttr(page, 'data-grid-sum'), (g) => g !== grid0, { timeoutMs: 10_000, what: 'D\'s map to change' });
  assert.equal(await mapAttr(page, 'data-fake-sum'), fake0, 'G\'s samples stay after a D step');
  assert.equal(await number(page, 'iteration'), at + 1);
  // One G-only iteration: the samples move.
  await page.getByTestId('step-g').click();
  await waitFor(() => mapAttr(page, 'data-fake-sum'), (f) => f !== fake0, { timeoutMs: 10_000, what: 'G\'s samples to move' });
  errors.assertNone();
  await close();
});

test('a drawn distribution and every setting survive a link; both networks save and load', async () => {
  // Draw: click points onto the map, train on them; then change settings by hand.
  const ctx = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}?lab=gan&data=custom&zdim=1&noise=gaussian&ghidden=8,8,8&gact=tanh&dhidden=12&dsteps=2&loss=least_squares&seed=7`);
  await waitFor(() => text(page, 'gan-notice'), (t) => /Draw the real distribution/.test(t), { timeoutMs: 20_000, what: 'the drawing hint' });
  const box = await page.getByTestId('gan-map').boundingBox();
  for (const [x, y] of [[0.3, 0.3], [0.7, 0.3], [0.5, 0.7], [0.3, 0.7]]) await page.mouse.click(box.x + x * box.width, box.y + y * box.height);
  await page.getByTestId('draw-train').click();
  await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 20_000, what: 'the GAN on the drawing' });
  await page.getByTestId('gan-glr').fill('0.01');
  await page.getByTestId('gan-glr').press('Tab');
  await page.getByTestId('gan-dopt').selectOption('sgd');
  await page.getByTestId('copy-link').click();
  const url = await page.getByTestId('share-text').inputValue();
  assert.match(url, /lab=gan&v=1&data=custom&zdim=1&noise=gaussian&ghidden=8,8,8&gact=tanh,tanh,tanh&dhidden=12&dact=relu&loss=least_squares&gopt=adam&glr=0\.01&dopt=sgd/);
  assert.match(url, /dsteps=2/);
  assert.match(url, /seed=7/);
  assert.match(url, /&pts=[\w-]+/);
  // Save both networks (a few iterations in), to load into the page the link opens.
  await page.getByTestId('step-both').click();
  await waitFor(() => number(page, 'iteration'), (v) => v === 1, { what: 'one iteration' });
  const file = await saveModel(page);
  assert.equal(file.magic, 'nn-playground-gan');
  assert.equal(file.lab, 'gan');
  assert.equal(file.iterations, 1);
  assert.equal(file.config.points.length, 8);
  assert.deepEqual(file.generator.layers.map((l) => l.units), [8, 8, 8, 2]);
  errors.assertNone();
  await ctx.close();

  const again = await fx.open(url.slice(url.indexOf('?')));
  const p = again.page;
  assert.equal(await p.getByTestId('gan-dist').inputValue(), 'custom');
  assert.equal(await p.getByTestId('gan-zdim').inputValue(), '1');
  assert.equal(await p.getByTestId('gan-noise').inputValue(), 'gaussian');
  assert.equal(await p.getByTestId('g-width-2').inputValue(), '8');
  assert.equal(await p.getByTestId('g-act-2').inputValue(), 'tanh');
  assert.equal(await p.getByTestId('gan-loss').inputValue(), 'least_squares');
  assert.equal(await p.getByTestId('gan-glr').inputValue(), '0.01');
  assert.equal(await p.getByTestId('gan-dopt').inputValue(), 'sgd');
  assert.equal(await p.getByTestId('gan-dsteps').inputValue(), '2');
  assert.equal(await p.getByTestId('rejected').count(), 0);
  assert.match(await p.locator('.gn-draw').textContent(), /\(4 \/ 1000 points\)/);
  await waitFor(() => p.getByTestId('gan-map').getAttribute('data-drawn'), (v) => v === 'map', { timeoutMs: 10_000, what: 'the drawn GAN\'s map' });
  // The saved GAN loads: its iteration count comes back; a broken file is refused with a sentence.
  await p.getByTestId('load-model-input').setInputFiles({ name: 'gan.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await waitFor(() => text(p, 'share-status'), (t) => /^Loaded gan\.json/.test(t), { timeoutMs: 10_000, what: 'the file loaded' });
  await waitFor(() => number(p, 'iteration'), (v) => v === 1, { what: 'the file\'s iteration' });
  await p.getByTestId('load-model-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...file, generator: { ...file.generator, params: 'AAAA' } })) });
  assert.match(await waitFor(() => text(p, 'share-error'), (t) => t.length > 0, { what: 'the refusal' }), /Nothing was changed\./);
  assert.equal(await number(p, 'iteration'), 1);
  again.errors.assertNone();
  await again.close();
});

test('embedded at 360 px wide on another origin: it fits, and the course-page API drives it', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 360, height: 700 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(host.url);
  const received = () => page.evaluate(() => window.received);
  const answer = (id) => waitFor(async () => (await received()).find((m) => (m.type === 'state' || m.type === 'error') && m.id === id),
    (m) => m !== undefined, { timeoutMs: 20_000, what: `the answer to ${id}` });
  const send = (msg) => page.evaluate((m) => window.send(m), msg);
  const ready = await waitFor(received, (ms) => ms.some((m) => m.type === 'ready'), { timeoutMs: 30_000, what: 'ready' });
  assert.equal(ready.find((m) => m.type === 'ready').config.dist, 'moons');
  // Inside the frame (360 x 640): no sideways scroll; the map, the controls and the distance in view.
  const frame = page.frames().find((f) => f !== page.mainFrame());
  const fit = await frame.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(fit.cw <= 360 && fit.sw <= fit.cw, `no sideways scroll at 360 px (${fit.sw} > ${fit.cw})`);
  for (const id of ['gan-map', 'play', 'step-d', 'distance']) {
    const b = await frame.getByTestId(id).boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= 361 && b.y + b.height <= 640, `${id} in view at 360 x 640: ${JSON.stringify(b)}`);
  }
  await send({ type: 'setConfig', config: { dist: 'ring', gHidden: [12], gActivations: ['tanh'] }, id: 'set-1' });
  const set = await answer('set-1');
  assert.equal(set.type, 'state');
  assert.deepEqual([set.config.dist, set.config.gHidden, set.config.gActivations, set.config.dHidden], ['ring', [12], ['tanh'], [16, 16]]);
  await send({ type: 'step', steps: 20, id: 'step-20' });
  const stepped = await answer('step-20');
  assert.equal(stepped.running, false);
  assert.equal(stepped.epoch, 20, 'an API epoch is one iteration');
  const metrics = await waitFor(async () => (await received()).filter((m) => m.type === 'metrics').at(-1),
    (m) => m !== undefined && m.iteration === 20 && Number.isFinite(m.distance), { timeoutMs: 20_000, what: 'metrics after the steps' });
  for (const k of ['dLoss', 'gLoss', 'js', 'dReal', 'dFake']) assert.ok(Number.isFinite(metrics[k]), `${k}: ${JSON.stringify(metrics)}`);
  await send({ type: 'setConfig', config: { gHidden: [999] }, id: 'bad-1' });
  const bad = await answer('bad-1');
  assert.equal(bad.type, 'error');
  assert.match(JSON.stringify(bad.rejected), /gHidden/);
  errors.assertNone();
  await context.close();
});
