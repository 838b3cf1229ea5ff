// MNIST's pause on divergence (with advice) and a model file dropped on the
// page, in Chromium against the built page (web/dist) on a real HTTP server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { playgroundFixture, collectErrors, waitFor, mnist, mnistNumber as number } from './lib/index.mjs';

const fx = playgroundFixture();

async function openMnist(query) {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}${query}`);
  await waitFor(() => mnist(page).getByTestId('mnist-train').isEnabled(), (v) => v, { timeoutMs: 90_000, what: 'MNIST loaded and built' });
  return { page, errors, close: () => context.close() };
}

async function saveModel(page) {
  const [dl] = await Promise.all([page.waitForEvent('download'), mnist(page).getByTestId('save-model').click()]);
  return fs.readFile(await dl.path(), 'utf8');
}

test('a learning rate that blows the MNIST model up pauses training with advice, and Reset recovers', async () => {
  const { page, errors, close } = await openMnist('?lab=mnist&hidden=64&act=linear&opt=momentum&mom=0.99&lr=10&batch=8&epochs=1');
  await mnist(page).getByTestId('mnist-train').click();
  const notice = await waitFor(() => mnist(page).getByTestId('mnist-notice').textContent().catch(() => ''),
    (t) => /diverged/.test(t), { timeoutMs: 60_000, what: 'the divergence notice' });
  assert.match(notice, /learning rate/i, 'the advice names the learning rate');
  await waitFor(() => mnist(page).getByTestId('mnist-train').getAttribute('aria-pressed'), (v) => v === 'false', { what: 'training paused' });
  const epoch = await number(mnist(page), 'epoch');
  await page.waitForTimeout(500);
  assert.equal(await number(mnist(page), 'epoch'), epoch, 'no training after the pause');
  // The page still works: a reset builds a fresh model that evaluates to a number.
  await mnist(page).getByTestId('mnist-reset').click();
  await waitFor(() => number(mnist(page), 'test-accuracy'), Number.isFinite, { timeoutMs: 30_000, what: 'the fresh model evaluated' });
  errors.assertNone();
  await close();
});

test('a model file dropped on the MNIST page loads with bit-identical weights; a truncated file changes nothing', async () => {
  const a = await openMnist('?lab=mnist&hidden=32&act=relu&seed=3');
  // Seed 3's initial weights: a file as good as a trained one for loading.
  const saved = await saveModel(a.page);
  a.errors.assertNone();
  await a.close();

  const b = await openMnist('?lab=mnist&hidden=32&act=relu&seed=4');
  const fresh = JSON.parse(await saveModel(b.page)).params;
  assert.notEqual(fresh, JSON.parse(saved).params, 'another seed: other weights before the drop');
  const drop = (text, name) => b.page.evaluate(([t, n]) => {
    const data = new DataTransfer();
    data.items.add(new File([t], n, { type: 'application/json' }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, [text, name]);
  await drop(saved.slice(0, saved.length >> 1), 'broken.json');
  await mnist(b.page).getByTestId('model-error').waitFor({ timeout: 5000 });
  assert.equal(JSON.parse(await saveModel(b.page)).params, fresh, 'a truncated file changes nothing');
  await drop(saved, 'trained.json');
  await waitFor(async () => JSON.parse(await saveModel(b.page)).params, (p) => p === JSON.parse(saved).params,
    { timeoutMs: 10_000, what: 'the dropped file loaded' });
  b.errors.assertNone();
  await b.close();
});
