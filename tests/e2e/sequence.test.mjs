// The sequence lab in Debian's Chromium against the built page (web/dist):
// waves train and the prediction is drawn, names sample strings of their
// vocabulary, the views show the core's numbers, a link restores every
// setting, a model file round-trips, and embed=1 fits the snippet's frame. Small models: seconds each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { playgroundFixture, collectErrors, waitFor, startHostServer, saveModel } from './lib/index.mjs';

const fx = playgroundFixture();
let host = null;
before(async () => {
  host = await startHostServer(() => ({ labUrl: fx.server.url, query: 'lab=sequence&task=waves&hidden=8&len=16&batch=8&embed=1', width: 720, height: 640 }));
});
after(() => host?.close());

async function openLab(query, viewport = { width: 1280, height: 900 }) {
  const context = await fx.browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}?lab=sequence${query}`);
  await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 30_000, what: 'the sequence model' });
  return { page, errors, close: () => context.close() };
}
const text = async (page, id) => ((await page.getByTestId(id).textContent()) ?? '').trim();
const number = async (page, id) => Number(await text(page, id));

test('waves: the validation loss falls, the prediction is drawn, the views show numbers', async () => {
  const { page, errors, close } = await openLab('&task=waves&wave=sine&hidden=16&len=24&batch=16');
  const first = await waitFor(() => number(page, 'val-loss'), Number.isFinite, { what: 'the untrained validation loss' });
  await page.getByTestId('play').click();
  const later = await waitFor(() => number(page, 'val-loss'), (v) => v < first / 4, { timeoutMs: 40_000, intervalMs: 200, what: `the validation loss below ${first / 4}` });
  assert.ok(later > 0);
  assert.ok(await number(page, 'epoch') > 0);
  await page.getByTestId('play').click(); // pause
  // The prediction chart has its three lines and a read-out of numbers.
  const chart = page.getByTestId('wave-chart');
  await chart.waitFor();
  assert.match(await chart.textContent(), /truth \(next value\).*prediction.*free run/s);
  // The views below, computed once they scroll into view.
  await page.getByTestId('hidden-heatmap').scrollIntoViewIfNeeded();
  await page.getByTestId('hidden-heatmap').waitFor({ timeout: 10_000 });
  const grads = await waitFor(() => text(page, 'grad-values'), (v) => /\d\.\d+e[-+]\d/.test(v), { timeoutMs: 10_000, what: 'gradient norms' });
  const values = grads.split(' · ').map((s) => Number.parseFloat(s));
  assert.equal(values.length, 6);
  assert.ok(values.every((v) => Number.isFinite(v) && v >= 0), grads);
  await page.getByTestId('gate-f').waitFor({ timeout: 10_000 });
  errors.assertNone();
  await close();
});

test('names: sampling gives strings of the vocabulary; temperature is a setting', async () => {
  const { page, errors, close } = await openLab('&task=names&hidden=32&len=16&batch=16&temp=0.7');
  await page.getByTestId('play').click();
  await waitFor(() => number(page, 'epoch'), (v) => v >= 1, { timeoutMs: 40_000, what: 'an epoch of names' });
  await page.getByTestId('play').click();
  const samples = await waitFor(() => page.getByTestId('samples').locator('li').allTextContents(), (v) => v.length === 8, { timeoutMs: 10_000, what: 'eight samples' });
  for (const s of samples) assert.match(s, /^([a-z]+|\(empty\))$/, `sample ${JSON.stringify(s)}`);
  assert.ok(samples.some((s) => /^[a-z]{2,}$/.test(s)), samples.join(','));
  assert.ok(await number(page, 'perplexity') < 27, 'better than uniform over 27 symbols');
  assert.equal(await page.getByTestId('seq-temperature').inputValue(), '0.7');
  errors.assertNone();
  await close();
});

test('a link round trip restores the config; save, export and load a model file', async () => {
  const { page, errors, close } = await openLab('&task=memory&delay=4&len=20&hidden=12&compare=1');
  await page.getByTestId('seq-cell').selectOption('rnn');
  await page.getByTestId('seq-clipNorm').fill('2.5');
  await page.getByTestId('seq-clipNorm').press('Tab');
  await page.getByTestId('copy-link').click();
  const url = await page.getByTestId('share-text').inputValue();
  assert.match(url, /lab=sequence&v=1&task=memory&cell=rnn&hidden=12/);
  assert.match(url, /clip=2\.5/);
  assert.match(url, /delay=4/);
  assert.match(url, /compare=1/);
  // Save, export and load: the file holds the model as the core lays it out.
  await page.getByTestId('step-batch').click();
  const file = await saveModel(page);
  assert.equal(file.lab, 'sequence');
  assert.deepEqual(file.layers.map((l) => l.kind), ['rnn', 'dense']);
  assert.equal(file.config.clipNorm, 2.5);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pytorch').click()]);
  const torchScript = await fs.readFile(await download.path(), 'utf8');
  assert.match(torchScript, /torch\.nn\.RNN/);
  assert.match(torchScript, /^TRAINING = .*"clip_norm":2\.5/m, 'the train mode clips as the page does');
  // NumPy: the from-scratch RNN class (backprop through time), the same clipping.
  const [numpyDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-numpy').click()]);
  assert.match(numpyDownload.suggestedFilename(), /-numpy\.py$/);
  const numpyScript = await fs.readFile(await numpyDownload.path(), 'utf8');
  assert.match(numpyScript, /^class RNN\(Recurrent\):/m);
  assert.match(numpyScript, /^OPTIMIZER = .*"clip_norm":2\.5/m);
  assert.doesNotMatch(numpyScript, /import torch/);
  await page.getByTestId('seq-cell').selectOption('lstm'); // another model...
  await page.getByTestId('model-file').setInputFiles({ name: 'm.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await waitFor(() => text(page, 'share-status'), (t) => /^Loaded m\.json/.test(t), { timeoutMs: 20_000, what: 'the file loaded' });
  // ...and the file's is back: the status line shows at once, the settings on
  // the store's next redraw (throttled to a frame every 80 ms; later under load)
  await waitFor(() => page.getByTestId('seq-cell').inputValue(), (v) => v === 'rnn', { timeoutMs: 5_000, what: "the file's cell in the settings" });
  errors.assertNone();
  await close();
  const again = await openLab(url.slice(url.indexOf('?') + 1).replace(/^lab=sequence/, ''));
  assert.equal(await again.page.getByTestId('seq-task').inputValue(), 'memory');
  assert.equal(await again.page.getByTestId('seq-cell').inputValue(), 'rnn');
  assert.equal(await again.page.getByTestId('seq-clipNorm').inputValue(), '2.5');
  assert.equal(await again.page.getByTestId('seq-delay').inputValue(), '4');
  assert.equal(await again.page.getByTestId('seq-compare').isChecked(), true);
  // Memory with compare: both cells' accuracy per step is drawn.
  await again.page.getByTestId('step-batch').click();
  const chart = again.page.getByTestId('memory-chart');
  await waitFor(() => chart.textContent(), (t) => /RNN.*LSTM/s.test(t ?? ''), { timeoutMs: 30_000, what: 'both cells in the accuracy chart' });
  again.errors.assertNone();
  await again.close();
});

test('embed=1 fits the snippet\'s frame and a phone-width one', async () => {
  const { page, errors, close } = await openLab('&task=waves');
  await page.getByTestId('copy-embed').click();
  const snippet = await page.getByTestId('share-text').inputValue();
  errors.assertNone();
  await close();
  const width = Number(/\swidth="(\d+)"/.exec(snippet)?.[1]);
  const height = Number(/\sheight="(\d+)"/.exec(snippet)?.[1]);
  const src = /src="([^"]+)"/.exec(snippet)?.[1]?.replace(/&amp;/g, '&') ?? '';
  assert.match(src, /embed=1/);
  for (const size of [{ width, height }, { width: 360, height }]) {
    const embed = await openLab(src.slice(src.indexOf('?') + 1).replace(/^lab=sequence/, ''), size);
    await embed.page.getByTestId('wave-chart').waitFor({ timeout: 10_000 });
    await embed.page.waitForTimeout(300);
    const m = await embed.page.evaluate(() => {
      const box = (id) => document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect();
      const doc = document.documentElement;
      return { sw: doc.scrollWidth, sh: doc.scrollHeight, w: innerWidth, h: innerHeight, play: box('play'), epoch: box('epoch'), chart: box('wave-chart') };
    });
    assert.ok(m.sh <= m.h + 1 && m.sw <= m.w + 1, `${size.width}x${size.height}: content ${m.sw}x${m.sh}`);
    for (const k of ['play', 'epoch', 'chart']) assert.ok(m[k] && m[k].bottom <= m.h + 1 && m[k].right <= m.w + 1, `${k} inside ${size.width}x${size.height}`);
    embed.errors.assertNone();
    await embed.close();
  }
});

test('the course-page API: setConfig rebuilds, step answers with the state after it, metrics carry the lab\'s numbers', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(host.url);
  const received = () => page.evaluate(() => window.received);
  const answer = (id) => waitFor(async () => (await received()).find((m) => (m.type === 'state' || m.type === 'error') && m.id === id),
    (m) => m !== undefined, { timeoutMs: 20_000, what: `the answer to ${id}` });
  const send = (msg) => page.evaluate((m) => window.send(m), msg);
  const ready = await waitFor(received, (ms) => ms.some((m) => m.type === 'ready'), { timeoutMs: 30_000, what: 'ready' });
  assert.equal(ready.find((m) => m.type === 'ready').config.task, 'waves');

  await send({ type: 'setConfig', config: { task: 'memory', delay: 2, cell: 'rnn' }, id: 'set-1' });
  const set = await answer('set-1');
  assert.equal(set.type, 'state');
  assert.deepEqual([set.config.task, set.config.delay, set.config.cell, set.config.hidden], ['memory', 2, 'rnn', 8]);
  await send({ type: 'step', steps: 10, id: 'step-10' });
  const stepped = await answer('step-10');
  assert.equal(stepped.running, false);
  assert.ok(Math.abs(stepped.epoch - 0.1) < 1e-9, `10 batches of a 100-batch epoch: ${stepped.epoch}`);
  const metrics = await waitFor(async () => (await received()).filter((m) => m.type === 'metrics').at(-1),
    (m) => m !== undefined && m.epoch > 0 && Number.isFinite(m.valLoss), { timeoutMs: 20_000, what: 'metrics after the step' })
    .catch(async (e) => { console.log(JSON.stringify((await received()).map((m) => [m.type, m.id, m.epoch, m.trainLoss]))); throw e; });
  assert.ok(metrics.accuracy >= 0 && metrics.accuracy <= 1, JSON.stringify(metrics));
  assert.ok(metrics.perplexity > 1, JSON.stringify(metrics));
  await send({ type: 'setConfig', config: { hidden: 0 }, id: 'bad-1' });
  const bad = await answer('bad-1');
  assert.equal(bad.type, 'error');
  assert.match(JSON.stringify(bad.rejected), /hidden/);
  errors.assertNone();
  await context.close();
});
