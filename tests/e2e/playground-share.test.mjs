// End-to-end tests of sharing and embedding (issue 5) in Chromium: links
// with drawn points, embed mode, the postMessage API driven from the example
// host page, saving/loading a model file, and the PyTorch export download.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { playgroundFixture, collectErrors, waitFor, readNumber, saveModel } from './lib/index.mjs';

const fx = playgroundFixture();
const { open } = fx;

test('a copied link carries the drawn points and reproduces them', async () => {
  const { page, errors, close } = await open('?data=custom&hidden=3&act=tanh');
  const box = await page.getByTestId('dataset-canvas').boundingBox();
  const spots = [[0.2, 0.2, 0], [0.3, 0.7, 0], [0.8, 0.3, 1], [0.7, 0.8, 1], [0.5, 0.5, 2]];
  for (const [fx, fy, cls] of spots) {
    await page.getByTestId(`draw-class-${cls}`).click();
    await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
  }
  assert.equal(await readNumber(page, 'point-count'), 5);
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-text').inputValue();
  assert.match(link, /[?&]pts=/);
  assert.match(link, /[?&]v=1/);
  const other = await fx.browser.newPage();
  const otherErrors = collectErrors(other);
  await other.goto(link);
  await waitFor(() => readNumber(other, 'point-count'), (n) => n === 5, { timeoutMs: 10000, what: '5 points from the link' });
  // Three classes were drawn: the network got three softmax outputs.
  assert.equal(await other.locator('[data-testid="rejected"]').count(), 0);
  otherErrors.assertNone();
  await other.close();
  errors.assertNone();
  await close();
});

test('embed=1 shows only the canvas, the network and play/step/reset', async () => {
  const { page, errors, close } = await open('?data=circle&embed=1&theme=dark');
  for (const id of ['play', 'step', 'reset', 'dataset-canvas', 'network']) assert.ok(await page.getByTestId(id).isVisible(), id);
  for (const id of ['dataset-xor', 'optimizer', 'copy-link', 'tab-playground', 'feature-x1']) {
    assert.equal(await page.getByTestId(id).count(), 0, `${id} is hidden in embed mode`);
  }
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  errors.assertNone();
  await close();
});

test('the example host page drives the playground over postMessage', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const host = await context.newPage();
  const errors = collectErrors(host);
  await host.goto(`${fx.server.url}embed-example.html`);
  await waitFor(() => host.getByTestId('host-ready').textContent(), (t) => t === 'yes', { timeoutMs: 20000, what: 'ready event' });
  await host.getByTestId('host-step').click();
  await waitFor(() => host.getByTestId('host-epoch').textContent(), (t) => Number(t) >= 10, { timeoutMs: 10000, what: 'epoch >= 10 after step x10' });
  await host.getByTestId('host-play').click();
  await waitFor(() => host.getByTestId('host-epoch').textContent(), (t) => Number(t) > 50, { timeoutMs: 10000, what: 'metrics while playing' });
  await host.getByTestId('host-pause').click();
  // An invalid setting is refused with an error event; nothing changes.
  await host.getByTestId('host-lr').selectOption({ index: 3 });
  await waitFor(() => host.getByTestId('host-log').textContent(), (t) => /error/.test(t) && /lr|learning/i.test(t), { timeoutMs: 5000, what: 'error event' });
  const frame = host.frameLocator('#frame');
  assert.equal(await frame.getByTestId('play').getAttribute('aria-pressed'), 'false');
  errors.assertNone();
  await context.close();
});

test('a saved model loads back bit-identically; a bad file changes nothing', async () => {
  const { page, errors, close } = await open('?data=moons&hidden=5,3&act=relu,tanh&opt=adam&lr=0.01');
  await page.getByTestId('play').click();
  await waitFor(() => readNumber(page, 'epoch'), (e) => e > 100, { what: 'some training' });
  await page.getByTestId('play').click();
  const first = await saveModel(page);
  assert.equal(first.magic, 'nn-playground-model');
  assert.equal(first.formatVersion, 2);
  assert.equal(first.lab, 'playground');
  // The 2-5-3-1 network as its layer list (format 2): each layer's inputs and units.
  assert.deepEqual(first.layers.map((l) => [l.kind, l.inputs, l.units]), [['dense', 2, 5], ['dense', 5, 3], ['dense', 3, 1]]);
  // Reset: new weights; then load the file back.
  await page.getByTestId('reset').click();
  await waitFor(() => readNumber(page, 'epoch'), (e) => e === 0, { what: 'reset' });
  assert.notEqual((await saveModel(page)).params, first.params, 'reset changed the weights');
  await page.getByTestId('model-file').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(first)) });
  await page.getByTestId('model-info').waitFor({ timeout: 5000 });
  assert.equal((await saveModel(page)).params, first.params, 'loaded weights are bit-identical');
  // A truncated file: a clear error, weights unchanged.
  const bad = JSON.stringify(first).slice(0, 200);
  await page.getByTestId('model-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  await page.getByTestId('model-error').waitFor({ timeout: 5000 });
  assert.match(await page.getByTestId('model-error').textContent(), /broken\.json/);
  assert.equal((await saveModel(page)).params, first.params, 'a bad file changes nothing');
  // A file whose envelope is fine but whose parameters the core's layout refuses (one short;
  // the worker host answers with the core's count): a clear error, weights unchanged.
  const short = { ...first, params: Buffer.from(first.params, 'base64').subarray(4).toString('base64') };
  await page.getByTestId('model-file').setInputFiles({ name: 'short.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(short)) });
  await waitFor(() => page.getByTestId('model-error').textContent(), (t) => /short\.json/.test(t), { what: 'the short file refused' });
  assert.match(await page.getByTestId('model-error').textContent(), /short\.json: The file holds 36 parameters; this network needs 37\. Nothing was changed\./);
  assert.equal((await saveModel(page)).params, first.params, 'a file the core refuses changes nothing');
  // Dropped anywhere on the page, the file loads the same way.
  await page.getByTestId('reset').click();
  await waitFor(() => readNumber(page, 'epoch'), (e) => e === 0, { what: 'reset before the drop' });
  assert.notEqual((await saveModel(page)).params, first.params, 'reset changed the weights again');
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, JSON.stringify(first));
  await waitFor(async () => (await saveModel(page)).params, (p) => p === first.params, { timeoutMs: 5000, what: 'the dropped file loaded' });
  errors.assertNone();
  await close();
});

test('Export to PyTorch and Export to NumPy download scripts with the trained weights', async () => {
  const { page, errors, close } = await open('?data=circle&hidden=3&act=tanh');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pytorch').click()]);
  assert.match(dl.suggestedFilename(), /\.py$/);
  const script = await fs.readFile(await dl.path(), 'utf8');
  assert.match(script, /torch\.nn\.Sequential/);
  assert.match(script, /Tanh/);
  // The page embedded its training split: one epoch of the script's train mode takes ceil(n / batch) steps.
  const points = script.match(/TRAIN_POINTS_BASE64 = \(([\s\S]*?)\n\)/)[1].match(/"([A-Za-z0-9+/=]*)"/g).map((q) => q.slice(1, -1)).join('');
  const n = Buffer.from(points, 'base64').length / 8;
  const batch = JSON.parse(script.match(/^TRAINING = (.*)$/m)[1]).batch_size;
  const { stdout } = await promisify(execFile)('/usr/bin/python3', [await dl.path(), 'train', '--epochs', '1', '--cpu'], { timeout: 240000 });
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(n > 50, `the training split is embedded (${n} points)`);
  assert.equal(lines.filter((l) => 'step' in l).length, Math.ceil(n / batch));
  assert.ok(lines.every((l) => Number.isFinite(l.loss ?? l.mean_loss)));
  const [np] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-numpy').click()]);
  assert.match(np.suggestedFilename(), /-numpy\.py$/);
  const numpyScript = await fs.readFile(await np.path(), 'utf8');
  assert.match(numpyScript, /^import numpy as np$/m);
  assert.match(numpyScript, /class Network:/);
  assert.doesNotMatch(numpyScript, /import torch/);
  const weights = (text) => [...text.match(/PARAMS_BASE64 = \(([\s\S]*?)\n\)/)[1].matchAll(/"([A-Za-z0-9+/=]*)"/g)].map((m) => m[1]).join('');
  assert.equal(weights(numpyScript), weights(script), 'both exports carry the same weights');
  errors.assertNone();
  await close();
});

test('hide=, lock= and autoplay=1 shape the page for a lesson', async () => {
  const { page, errors, close } = await open('?data=xor&hide=loss-chart,datasets,share&lock=lr,opt&autoplay=1');
  await waitFor(() => readNumber(page, 'epoch'), (e) => e > 10, { timeoutMs: 10000, what: 'autoplay training' });
  assert.equal(await page.locator('.loss-chart').count(), 0, 'loss chart hidden');
  assert.equal(await page.getByTestId('dataset-circle').count(), 0, 'data set picker hidden');
  assert.equal(await page.getByTestId('copy-link').count(), 0, 'share bar hidden');
  assert.ok(await page.getByTestId('learning-rate').isDisabled(), 'learning rate locked');
  assert.ok(await page.getByTestId('optimizer').isDisabled(), 'optimizer locked');
  assert.ok(await page.getByTestId('batch-size').isEnabled(), 'batch size not locked');
  errors.assertNone();
  await close();
});
