// The digits GAN lab in Debian's Chromium against the built page: it loads
// MNIST, trains a few seconds, the 10x10 grid of samples shows ink that
// changes as G learns, the interpolation strip is drawn, a digit drawn with
// the mouse gets D's score, both networks are saved, exported and loaded
// back, the settings survive a link round trip, and a course page on another
// origin drives it through the postMessage API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { playgroundFixture, collectErrors, waitFor, startHostServer } from './lib/index.mjs';

const fx = playgroundFixture();
/** A course page on another origin framing the lab with `hostQuery`. */
let hostServer = null;
let hostQuery = 'lab=digits';
before(async () => {
  hostServer = await startHostServer(() => ({ labUrl: fx.server.url, query: hostQuery, width: 1000, height: 800 }));
});
after(() => hostServer?.close());

/** Mean ink and a cheap fingerprint of a canvas (light theme: dark ink on white). */
const canvasInk = (locator) => locator.evaluate((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0, hash = 0;
  for (let i = 0; i < d.length; i += 4) {
    ink += 255 - d[i];
    hash = (hash * 31 + d[i]) >>> 0;
  }
  return { ink: ink / (d.length / 4) / 255, hash, alpha: d[3] };
});

test('digits GAN: train, the grid changes, interpolation, D scores a drawn digit, save/export/load, link round trip, course-page API', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  // A link with its own settings (batch 16, D lr 5e-4) and one hostile value (a 4th hidden layer).
  await page.goto(`${fx.server.url}?lab=digits&batch=16&dlr=0.0005&ghidden=256,256,256,256`);
  const lab = page.locator('.gan-digits');
  await assert.doesNotReject(lab.getByTestId('rejected').waitFor({ timeout: 20_000 }));
  assert.match(await lab.getByTestId('rejected').textContent(), /ghidden=256,256,256,256/);
  const play = lab.getByTestId('play');
  await waitFor(() => play.isEnabled(), (v) => v, { timeoutMs: 60_000, what: 'the digits and the networks' });
  assert.equal(await lab.getByTestId('set-batch').inputValue(), '16');
  assert.equal(await lab.getByTestId('set-gHidden').inputValue(), '256');

  const grid = lab.getByTestId('sample-grid');
  const before = await waitFor(() => canvasInk(grid), (v) => v.alpha === 255, { timeoutMs: 10_000, what: 'the untrained samples' });
  await play.click();
  await waitFor(async () => Number(await lab.getByTestId('iteration').textContent()), (v) => v >= 40, { timeoutMs: 30_000, intervalMs: 200, what: '40 iterations' });
  const during = await waitFor(() => canvasInk(grid), (v) => v.hash !== before.hash, { timeoutMs: 10_000, what: 'the grid to be redrawn' });
  // It keeps changing while G trains.
  const later = await waitFor(() => canvasInk(grid), (v) => v.hash !== during.hash, { timeoutMs: 10_000, intervalMs: 150, what: 'the grid to change again' });
  assert.ok(later.ink > 0.02 && later.ink < 0.9, `the samples are neither blank nor solid (mean ink ${later.ink.toFixed(3)})`);
  for (const id of ['d-loss', 'g-loss', 'd-real', 'd-fake']) {
    const v = Number(await lab.getByTestId(id).textContent());
    assert.ok(Number.isFinite(v), `${id} is a number`);
  }
  const dReal = Number(await lab.getByTestId('d-real').textContent());
  assert.ok(dReal > 0 && dReal < 1, `D(real) is a probability under bce (${dReal})`);

  // Interpolation: a strip of 10 images, and a new end redraws it.
  const strip = lab.getByTestId('interpolation-strip');
  await strip.scrollIntoViewIfNeeded();
  assert.equal(await strip.evaluate((c) => c.width), 280);
  const s0 = await waitFor(() => canvasInk(strip), (v) => v.alpha === 255 && v.ink > 0.02, { timeoutMs: 10_000, what: 'the interpolation strip' });
  await play.click(); // pause: the strip then changes only by the new end
  await lab.getByTestId('reroll-b').click();
  await waitFor(() => canvasInk(strip), (v) => v.hash !== s0.hash, { timeoutMs: 10_000, what: 'a new right end' });

  // Draw a "1" with the mouse: D's score appears, a probability under bce.
  const pad = lab.getByTestId('digit-canvas');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + box.width * (0.5 - 0.004 * i), box.y + box.height * (0.15 + 0.06 * i));
  await page.mouse.up();
  const score = await waitFor(async () => (await lab.getByTestId('d-score').textContent())?.trim(), (v) => /^[01]\.\d{3}$/.test(v ?? ''),
    { timeoutMs: 10_000, what: "D's score for the drawn digit" });
  console.log(`after ${await lab.getByTestId('iteration').textContent()} iterations: D scores a drawn 1 at ${score}, grid ink ${later.ink.toFixed(3)}`);

  // Save both networks and export them for PyTorch (paused: the file holds the weights the grid shows).
  const share = lab.getByTestId('save-model');
  await share.scrollIntoViewIfNeeded();
  const [saved] = await Promise.all([page.waitForEvent('download'), share.click()]);
  const savedPath = await saved.path();
  const file = JSON.parse(await readFile(savedPath, 'utf8'));
  assert.equal(file.magic, 'nn-playground-gan');
  assert.equal(file.lab, 'digits');
  assert.equal(file.config.batch, 16);
  assert.ok(file.iterations >= 40);
  const [script] = await Promise.all([page.waitForEvent('download'), lab.getByTestId('export-pytorch').click()]);
  assert.equal(script.suggestedFilename(), 'nn-digits.py');
  assert.match(await readFile(await script.path(), 'utf8'), /torch\.nn\.Sequential/);
  const pausedGrid = await canvasInk(grid);

  // The address is the settings: opened again, it gives the same settings and no notice.
  const url = page.url();
  assert.match(url, /lab=digits&v=1&/);
  assert.match(url, /&batch=16&/);

  // The link opened again, framed by a course page on another origin (one more
  // MNIST load instead of two): the same settings and no notice, then the
  // saved file, then the course-page API.
  hostQuery = new URL(url).search.slice(1);
  const host = await context.newPage();
  const errors2 = collectErrors(host);
  await host.goto(hostServer.url);
  assert.notEqual(new URL(hostServer.url).origin, new URL(fx.server.url).origin, 'the host page is on another origin');
  const received = () => host.evaluate(() => window.received);
  const answer = (id) => waitFor(async () => (await received()).find((m) => m.type === 'state' && m.id === id),
    (m) => m !== undefined, { timeoutMs: 15_000, what: `the answer to ${id}` });
  const send = (msg) => host.evaluate((m) => window.send(m), msg);
  const ready = (await waitFor(received, (ms) => ms.some((m) => m.type === 'ready'), { timeoutMs: 60_000, what: 'ready' })).find((m) => m.type === 'ready');
  assert.equal(ready.lab, 'digits');
  assert.equal(ready.config.batch, 16);
  assert.equal(ready.config.dLearningRate, 0.0005);
  const lab2 = host.frameLocator('#frame').locator('.gan-digits');
  assert.equal(await lab2.getByTestId('rejected').count(), 0);
  assert.equal(await lab2.getByTestId('set-dLearningRate').inputValue(), '0.0005');

  // The saved file brings both networks back: the same iteration count and the very same samples.
  await lab2.getByTestId('model-file').setInputFiles(savedPath);
  await waitFor(async () => Number(await lab2.getByTestId('iteration').textContent()), (v) => v === file.iterations, { timeoutMs: 15_000, what: 'the loaded iteration count' });
  await waitFor(() => canvasInk(lab2.getByTestId('sample-grid')), (v) => v.hash === pausedGrid.hash, { timeoutMs: 10_000, what: 'the saved networks\' samples' });
  assert.equal(await lab2.getByTestId('model-error').count(), 0);
  // A damaged file is refused with a sentence and changes nothing.
  const broken = savedPath + '.broken.json';
  await writeFile(broken, JSON.stringify({ ...file, iterations: -1 }));
  await lab2.getByTestId('model-file').setInputFiles(broken);
  assert.match(await lab2.getByTestId('model-error').textContent({ timeout: 10_000 }), /Nothing was changed/);
  assert.equal(Number(await lab2.getByTestId('iteration').textContent()), file.iterations);

  // The course-page API: a bad setting refuses the whole command; good ones apply; play, metrics, pause, step.
  await send({ type: 'setConfig', config: { gLearningRate: 0.0005, batch: 0 }, id: 'bad-1' });
  const refused = await waitFor(async () => (await received()).find((m) => m.type === 'error' && m.id === 'bad-1'), (m) => m !== undefined, { timeoutMs: 10_000, what: 'the refusal' });
  assert.deepEqual(refused.rejected.map((r) => r.key), ['batch']);
  await send({ type: 'setConfig', config: { gLearningRate: 0.0005, dSteps: 2 }, id: 'set-1' });
  const set = await answer('set-1');
  assert.equal(set.config.gLearningRate, 0.0005);
  assert.equal(set.config.dSteps, 2);
  assert.equal(set.config.batch, 16, 'the link\'s batch, untouched by the refused command');
  await send({ type: 'play', id: 'play-1' });
  assert.equal((await answer('play-1')).running, true);
  const metrics = await waitFor(async () => (await received()).filter((m) => m.type === 'metrics').at(-1),
    (m) => m !== undefined && m.iteration >= file.iterations + 5, { timeoutMs: 20_000, what: 'metrics 5 iterations on' });
  for (const k of ['dLoss', 'gLoss', 'dReal', 'dFake', 'iterationsPerSec']) assert.ok(Number.isFinite(metrics[k]), `metrics carry ${k}: ${JSON.stringify(metrics)}`);
  await send({ type: 'pause', id: 'pause-1' });
  const paused = await answer('pause-1');
  assert.equal(paused.running, false);
  await send({ type: 'step', steps: 3, id: 'step-3' });
  assert.equal((await answer('step-3')).epoch, paused.epoch + 3, 'step 3 runs three iterations');

  // Per-network activations, as the GAN lab's keys: new D widths keep D's activation on every
  // layer; a list sets each layer; the address follows.
  const dHidden = lab.getByTestId('set-dHidden'), dActs = lab.getByTestId('set-dActivations');
  await dHidden.scrollIntoViewIfNeeded();
  assert.equal(await dActs.inputValue(), 'leaky_relu');
  await dHidden.fill('64,32');
  await dHidden.dispatchEvent('change');
  await waitFor(() => page.url(), (u) => /&dhidden=64,32&dact=leaky_relu,leaky_relu&/.test(u), { timeoutMs: 5_000, what: 'new D widths in the address' });
  await dActs.fill('tanh,relu');
  await dActs.dispatchEvent('change');
  await waitFor(() => page.url(), (u) => /&dhidden=64,32&dact=tanh,relu&/.test(u), { timeoutMs: 5_000, what: "D's activations in the address" });
  await dActs.fill('softmax');
  await dActs.dispatchEvent('change');
  assert.equal(await dActs.inputValue(), 'tanh,relu', 'an activation the lab does not offer is refused');
  assert.match(page.url(), /&gact=leaky_relu&/);
  errors.assertNone();
  errors2.assertNone();
  await context.close();
});
