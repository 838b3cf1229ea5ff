// Show the math in the sequence lab (Debian's Chromium, web/dist): a small
// LSTM's recurrent layer at a chosen step t shows the core's numbers forward
// and backward, "Check this gradient" agrees with backprop within 1e-3, and
// the panel fits a 360 px phone. Seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, collectErrors, waitFor } from './lib/index.mjs';

const fx = playgroundFixture();
const text = async (page, id) => ((await page.getByTestId(id).first().textContent()) ?? '').trim();
const numeric = (s) => Number(s.replace('−', '-'));

test('sequence lab: the math of one step of an LSTM, checked by finite differences, at 360 px', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}?lab=sequence&task=memory&cell=lstm&hidden=6&len=8&batch=8`);
  await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 30_000, what: 'the sequence model' });
  await page.getByTestId('math-open').scrollIntoViewIfNeeded();
  await page.getByTestId('math-open').press('Enter'); // keyboard: a real button
  await page.getByTestId('math-panel').waitFor({ timeout: 10_000 });
  await page.getByTestId('math-layer-1').click();
  await page.getByTestId('math-seq').waitFor({ timeout: 10_000 });
  await page.getByTestId('math-step').selectOption('3');
  const z = numeric(await text(page, 'math-z'));
  const h = numeric(await text(page, 'math-h'));
  assert.ok(Number.isFinite(z) && Math.abs(h) < 1, `z ${z}, h ${h}`);
  assert.match(await text(page, 'math-body'), /c_t = f·c_t−1 \+ i·g = .*h_t = o·tanh\(c_t\)/s);
  // backward on layer 1: forward 1, forward 2, the loss, backward 2, backward 1
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'next step' }).click();
  assert.match(await text(page, 'math-stage'), /The loss/);
  assert.match(await text(page, 'math-body'), /mean over T = 8 steps/);
  assert.ok(numeric(await text(page, 'math-loss')) > 0);
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'next step' }).click();
  assert.match(await text(page, 'math-stage'), /Backward: layer 1 \(LSTM\)/);
  await page.getByTestId('math-step').selectOption('3');
  assert.ok(Number.isFinite(numeric(await text(page, 'math-dh'))));
  assert.match(await text(page, 'math-share'), /δ_3·x_3\[\d\] = /);
  await page.getByTestId('math-seq-block').selectOption('hh');
  await page.getByTestId('check-gradient').click();
  const check = page.getByTestId('gradient-check');
  await check.waitFor({ timeout: 10_000 });
  const fd = Number(await check.getAttribute('data-fd')), bp = Number(await check.getAttribute('data-bp'));
  assert.ok(Math.abs(fd - bp) <= 1e-3 * Math.max(Math.abs(bp), 1e-3), `finite difference ${fd}, backprop ${bp}`);
  // the panel fits the phone's width
  const box = await page.getByTestId('math-panel').boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 360 + 0.5, `panel ${JSON.stringify(box)}`);
  errors.assertNone();
  await context.close();
});

test('sequence lab: an RNN step, z_t through tanh is h_t, and a bias gradient checks out', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}?lab=sequence&task=waves&cell=rnn&hidden=5&len=10&batch=8`);
  await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 30_000, what: 'the sequence model' });
  await page.getByTestId('math-open').click();
  await page.getByTestId('math-layer-1').click();
  await page.getByTestId('math-step').selectOption('4');
  await page.getByTestId('math-unit').selectOption('2');
  const z = numeric(await text(page, 'math-z')), h = numeric(await text(page, 'math-h'));
  assert.ok(Math.abs(Math.tanh(z) - h) < 2e-3, `tanh(${z}) vs ${h}`); // 4 significant digits shown
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'next step' }).click();
  assert.match(await text(page, 'math-stage'), /Backward: layer 1 \(RNN\)/);
  assert.match(await text(page, 'math-body'), /δ_t = ∂L\/∂h_t · \(1 − h_t²\)/);
  await page.getByTestId('math-seq-block').selectOption('b_hh');
  await page.getByTestId('check-gradient').click();
  const check = page.getByTestId('gradient-check');
  await check.waitFor({ timeout: 10_000 });
  const fd = Number(await check.getAttribute('data-fd')), bp = Number(await check.getAttribute('data-bp'));
  assert.ok(Math.abs(fd - bp) <= 1e-3 * Math.max(Math.abs(bp), 1e-3), `finite difference ${fd}, backprop ${bp}`);
  errors.assertNone();
  await context.close();
});
