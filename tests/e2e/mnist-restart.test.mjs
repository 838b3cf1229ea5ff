// The MNIST lab on the framework's worker restart: a worker that stops
// answering is replaced, the data is loaded again, and the model comes back
// with its last weights (its test accuracy is the same to the last digit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, collectErrors, waitFor } from './lib/index.mjs';

const fx = playgroundFixture();
const mnist = (page) => page.locator('.mnist');
const text = async (page, id) => ((await mnist(page).getByTestId(id).textContent()) ?? '').trim();

test('a hung MNIST worker is replaced and the trained weights come back', async () => {
  const page = await fx.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}#mnist`);
  await mnist(page).getByTestId('mnist-loaded').waitFor({ timeout: 60_000 });
  const train = mnist(page).getByTestId('mnist-train');
  await waitFor(() => train.isEnabled(), (v) => v, { timeoutMs: 30_000, what: 'the model' });
  // One epoch: training stops by itself right after the full evaluation at
  // epoch 1, so that evaluation saw the weights training ends with.
  await mnist(page).getByTestId('mnist-epochs').fill('1');
  await mnist(page).getByTestId('mnist-epochs').press('Tab');
  await train.click();
  await waitFor(() => text(page, 'epoch'), (v) => v === '1.00', { timeoutMs: 120_000, intervalMs: 250, what: 'one epoch' });
  await waitFor(() => train.textContent(), (v) => v !== 'Pause', { timeoutMs: 10_000, what: 'training to stop' });
  const accuracy = await waitFor(() => text(page, 'test-accuracy'), (v) => Number(v) > 80, { timeoutMs: 10_000, what: 'a trained model' });
  await page.waitForTimeout(1500); // the worker sends its weights at most once a second

  // Hang the lab's worker (an endless loop never answers the heartbeat).
  const names = await Promise.all(page.workers().map((w) => w.evaluate(() => self.name)));
  const lab = page.workers()[names.indexOf('engine-mnist')];
  assert.ok(lab, `the MNIST lab's worker among ${names.join(', ')}`);
  lab.evaluate(() => { for (;;) { /* hang */ } }).catch(() => undefined);

  const notice = await waitFor(() => text(page, 'mnist-notice').catch(() => ''), (v) => /restarted/.test(v),
    { timeoutMs: 20_000, what: 'the restart notice' });
  assert.match(notice, /stopped answering/);
  // The replacement loads the data, rebuilds the model, restores the weights
  // and evaluates them: the same accuracy as before.
  await waitFor(() => text(page, 'test-accuracy'), (v) => v === accuracy, { timeoutMs: 60_000, intervalMs: 250, what: `accuracy ${accuracy} again` });
  assert.equal(await mnist(page).getByTestId('mnist-loaded').count(), 1);
  errors.assertNone();
  await page.close();
});
