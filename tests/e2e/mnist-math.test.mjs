// Show the math on MNIST, in Chromium against the built page (web/dist):
// a test digit traced through a dense model and through a CNN (a misclassified
// digit, while training runs), the panel's numbers, the downloaded JSON (its
// loss is the panel's, conv layers in [C][H][W]), the engine's finite
// difference beside backprop within 1e-3, a conv position's receptive-field
// sum; and the embed's run bar: speed, step one batch (exactly one) and epoch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { playgroundFixture, collectErrors, waitFor, mnist, mnistNumber as number } from './lib/index.mjs';

const fx = playgroundFixture();
const DENSE = 'dense:32:relu,dense:10:softmax';
const CNN = 'conv:4:5:1:0:relu,pool:2:2,flatten,dense:10:softmax';

/** The panel's shown number (4 significant digits, a real minus sign). */
const shown = (text) => Number(text.replace('−', '-'));
const num = (v) => Number(v.toPrecision(4));

async function openMnist(query, viewport = { width: 1280, height: 900 }) {
  const context = await fx.browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}${query}`);
  await waitFor(() => mnist(page).getByTestId('mnist-train').isEnabled(), (v) => v, { timeoutMs: 90_000, what: 'MNIST loaded and built' });
  return { page, m: mnist(page), errors, close: () => context.close() };
}

/** Steps the panel until its stage title matches. */
async function stageTo(m, re) {
  for (let i = 0; i < 20; i++) {
    if (re.test(await m.getByTestId('math-stage').textContent())) return;
    await m.getByRole('button', { name: 'next step' }).click();
  }
  throw new Error(`no stage ${re}`);
}

async function checkGradient(m) {
  await m.getByTestId('check-gradient').click();
  const el = m.getByTestId('gradient-check');
  await waitFor(() => el.count(), (n) => n === 1, { timeoutMs: 15_000, what: 'the finite difference' });
  const fd = Number(await el.getAttribute('data-fd'));
  const bp = Number(await el.getAttribute('data-bp'));
  const rel = Number(await el.getAttribute('data-rel'));
  assert.ok(Number.isFinite(fd) && Number.isFinite(bp) && bp !== 0, `fd ${fd}, bp ${bp}`);
  assert.ok(rel <= 1e-3, `finite difference ${fd} vs backprop ${bp}: relative difference ${rel}`);
  return { fd, bp, rel };
}

async function downloadTrace(page, m) {
  const [dl] = await Promise.all([page.waitForEvent('download'), m.getByTestId('download-trace').click()]);
  return JSON.parse(await fs.readFile(await dl.path(), 'utf8'));
}

const shapeOf = (v) => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);

test('a dense model: a test digit\'s numbers, the JSON, the gradient check', async () => {
  const { page, m, errors, close } = await openMnist(`?lab=mnist&layers=${DENSE}&batch=32`);
  for (let i = 0; i < 3; i++) {
    await m.getByTestId('mnist-step-batch').click();
    await waitFor(() => number(m, 'mnist-steps'), (v) => v === i + 1, { what: `step ${i + 1}` });
  }
  // "What each layer sees" shows test digit 7; its "Show the math for this digit" traces it
  await m.getByTestId('layer-view-index').fill('7');
  await m.getByTestId('layer-view-math').click();
  await waitFor(() => m.getByTestId('math-z').count(), (n) => n === 1, { timeoutMs: 15_000, what: 'the traced numbers' });
  assert.equal(await m.getByTestId('math-test-index').inputValue(), '7');
  assert.match(await m.getByTestId('math-stage').textContent(), /Forward: hidden layer 1/);
  assert.equal(await m.getByTestId('layer-1').getAttribute('aria-current'), 'step', 'the model view marks the layer shown');
  assert.match(await m.getByTestId('math-body').textContent(), /the 7 largest of 785 terms/);
  assert.match(await m.getByTestId('math-epoch').textContent(), /784 values/);

  await stageTo(m, /The loss/);
  const panelLoss = shown(await m.getByTestId('math-loss').textContent());
  const trace = await downloadTrace(page, m);
  assert.equal(trace.format, 'nn-trace');
  assert.equal(trace.lab, 'mnist');
  assert.equal(trace.example.index, 7);
  assert.equal(trace.loss, 'ce');
  assert.equal(trace.config.layers, DENSE);
  assert.equal(num(trace.loss_value), panelLoss, 'the JSON loss is the panel\'s');
  assert.deepEqual(shapeOf(trace.example.x), [1, 28, 28]);
  assert.deepEqual(shapeOf(trace.forward[0].W), [32, 784]);
  const label = trace.example.y.indexOf(1);
  assert.ok(Math.abs(trace.loss_value + Math.log(trace.output[label])) < 1e-5, 'L = −log a[label] from the JSON\'s own numbers');
  assert.match(await m.getByTestId('math-body').textContent(), new RegExp(`−log a\\[${label}\\]`));

  await stageTo(m, /Backward: output layer/);
  assert.match(await m.getByTestId('math-body').textContent(), /softmax \+ cross-entropy: δⱼ = ∂L\/∂zⱼ = aⱼ − yⱼ/);
  const unit = Number(await m.getByTestId('math-neuron').inputValue());
  assert.equal(shown(await m.getByTestId('math-delta').textContent()), num(trace.backward[1].delta[unit]));
  await checkGradient(m);
  await stageTo(m, /Backward: hidden layer 1/);
  assert.equal(await m.getByTestId('layer-1').getAttribute('aria-current'), 'step');
  const { bp } = await checkGradient(m);
  const h = Number(await m.getByTestId('math-neuron').inputValue());
  const w = Number(await m.getByTestId('math-param').inputValue());
  assert.equal(bp, Math.fround(trace.backward[0].dW[h][w]), 'backprop is the JSON\'s dW');
  await stageTo(m, /The update/);
  assert.ok(Number.isFinite(shown(await m.getByTestId('math-new-w').textContent())));
  assert.match(await m.getByTestId('math-body').textContent(), /m ← β₁·m/);
  // on a phone: the open panel fits 360 px; the steps are buttons, the pickers labelled
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForTimeout(200);
  // (the charts off screen keep their width until they are drawn again: the panel is what is measured)
  const wide = await page.evaluate(() => [...document.querySelectorAll('[data-testid="math-panel"], [data-testid="math-panel"] *')]
    .filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.getAttribute('data-testid') ?? ''}`));
  assert.deepEqual(wide, [], 'nothing in the panel is wider than the 360 px screen');
  for (const name of ['neuron to show', 'parameter to update and check', 'label of the drawn digit']) {
    assert.equal(await m.getByRole('combobox', { name }).count(), 1, name);
  }
  await m.getByRole('button', { name: 'previous step' }).focus();
  await page.keyboard.press('Enter');
  assert.match(await m.getByTestId('math-stage').textContent(), /Backward: hidden layer 1/);
  errors.assertNone();
  await close();
});

test('a CNN, while training: a misclassified digit per feature-map position, [C][H][W] in the JSON, the gradient check', async () => {
  const { page, m, errors, close } = await openMnist(`?lab=mnist&layers=${CNN}&batch=32`);
  await m.getByTestId('misclassified').waitFor({ timeout: 60_000 });
  await m.getByTestId('mnist-train').click();
  await waitFor(() => number(m, 'mnist-steps'), (v) => v > 5, { timeoutMs: 30_000, what: 'training' });
  await m.getByTestId('misclassified').locator('button').first().click();
  await m.getByTestId('math-trace-digit').click();
  await waitFor(() => m.getByTestId('math-z').count(), (n) => n === 1, { timeoutMs: 15_000, what: 'the traced numbers' });
  assert.match(await m.getByTestId('math-stage').textContent(), /Forward: layer 1 \(convolution\)/);
  assert.match(await m.getByTestId('math-epoch').textContent(), /training goes on/);
  // filter 2 at (row 10, column 12): its 5x5 receptive field, the largest terms and the count
  await m.getByTestId('math-channel').selectOption('1');
  await m.getByTestId('math-pos-row').selectOption('10');
  await m.getByTestId('math-pos-col').selectOption('12');
  assert.match(await m.getByTestId('math-field').textContent(), /the 7 largest of 26 terms/);
  assert.match(await m.getByTestId('math-body').textContent(), /input rows 10–14, columns 12–16/);
  const z = shown(await m.getByTestId('math-z').textContent());
  const trace = await downloadTrace(page, m);
  await m.getByTestId('mnist-train').click(); // pause: the rest reads the trace, not the training
  assert.equal(num(trace.forward[0].z[1][10][12]), z, 'the panel\'s z is the JSON\'s');
  assert.deepEqual(trace.layers.map((l) => l.kind), ['conv2d', 'maxpool', 'flatten', 'dense']);
  assert.deepEqual(shapeOf(trace.forward[0].W), [4, 1, 5, 5]);
  for (const k of ['z', 'a']) assert.deepEqual(shapeOf(trace.forward[0][k]), [4, 24, 24], k);
  assert.deepEqual(shapeOf(trace.backward[0].delta), [4, 24, 24]);
  assert.deepEqual(shapeOf(trace.backward[0].dW), [4, 1, 5, 5]);
  assert.deepEqual(shapeOf(trace.forward[1].a), [4, 12, 12]);
  assert.deepEqual(shapeOf(trace.forward[2].a), [576]);
  // z from the JSON's own W, x and b over that receptive field
  const W = trace.forward[0].W[1][0], x = trace.example.x[0];
  let sum = trace.forward[0].b[1];
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) sum += W[i][j] * x[10 + i][12 + j];
  assert.ok(Math.abs(sum - trace.forward[0].z[1][10][12]) < 1e-4, `Σ w·x + b = ${sum}, z = ${trace.forward[0].z[1][10][12]}`);

  // the max-pool's winner, then the loss
  await m.getByRole('button', { name: 'next step' }).click();
  assert.match(await m.getByTestId('math-stage').textContent(), /Forward: layer 2 \(max-pool\)/);
  assert.equal(await m.getByTestId('layer-2').getAttribute('aria-current'), 'step');
  // the same position, scaled to the pool's map: (10, 12) -> (5, 6), its window rows 10-11, columns 12-13
  assert.equal(await m.getByTestId('math-pos-row').inputValue(), '5');
  assert.equal(await m.getByTestId('math-pos-col').inputValue(), '6');
  assert.match(await m.getByTestId('math-winner').textContent(), /the winner: a₁\[1,1[01],1[23]\]/);
  const win = trace.forward[0].a[1];
  const best = Math.max(win[10][12], win[10][13], win[11][12], win[11][13]);
  assert.equal(num(trace.forward[1].a[1][5][6]), num(best), 'the pool\'s value is its window\'s largest');
  await stageTo(m, /The loss/);
  assert.equal(num(trace.loss_value), shown(await m.getByTestId('math-loss').textContent()), 'the JSON loss is the panel\'s');

  // backward to the convolution: δ from the max-pool, the shared filter's gradient, checked
  await stageTo(m, /Backward: layer 1 \(convolution\)/);
  assert.match(await m.getByTestId('math-body').textContent(), /shared by every position/);
  const { bp } = await checkGradient(m);
  const c = Number(await m.getByTestId('math-channel').inputValue());
  const w = Number(await m.getByTestId('math-param').inputValue());
  assert.equal(bp, Math.fround(trace.backward[0].dW[c][0][Math.floor(w / 5)][w % 5]), 'backprop is the JSON\'s dW');
  errors.assertNone();
  await close();
});

test('embed: speed and step controls; one step is exactly one batch; the math opens on request; it fits 720×600', async () => {
  const { page, m, errors, close } = await openMnist(`?lab=mnist&embed=1&layers=${DENSE}&batch=16`, { width: 720, height: 600 });
  assert.equal(await m.getByTestId('speed').count(), 1);
  assert.equal(await m.getByTestId('mnist-step-epoch').count(), 1);
  assert.equal(await m.getByTestId('math-panel').count(), 0, 'the math panel is closed in an embed');
  assert.equal(await number(m, 'mnist-steps'), 0);
  await m.getByTestId('mnist-step-batch').click();
  await waitFor(() => number(m, 'mnist-steps'), (v) => v === 1, { timeoutMs: 10_000, what: 'one batch' });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await number(m, 'mnist-steps'), 1, 'exactly one batch');
  assert.equal(await m.getByTestId('mnist-train').getAttribute('aria-pressed'), 'false', 'stepping leaves it paused');
  const overflow = await page.evaluate(() => [document.documentElement.scrollWidth - innerWidth, document.documentElement.scrollHeight - innerHeight]);
  assert.ok(overflow[0] <= 0 && overflow[1] <= 0, `the embed scrolls by ${overflow} px at its snippet size`);
  await m.getByTestId('speed').selectOption('1');
  await m.getByTestId('math-toggle').click();
  await waitFor(() => m.getByTestId('math-z').count(), (n) => n === 1, { timeoutMs: 15_000, what: 'the traced numbers' });
  // the digit drawn on the pad (a vertical stroke), traced as a 1
  const pad = await m.getByTestId('digit-canvas').boundingBox();
  await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * (0.15 + 0.06 * i));
  await page.mouse.up();
  await m.getByTestId('math-drawn-label').selectOption('1');
  await waitFor(() => m.getByTestId('math-epoch').textContent(), (t) => /target: class 1\b/.test(t), { timeoutMs: 15_000, what: 'the drawn digit traced' });
  const trace = await downloadTrace(page, m);
  assert.equal(trace.example.index, -1, 'a drawn digit is not from the data set');
  assert.deepEqual(trace.example.y, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.ok(trace.example.x.flat(2).some((v) => v > 0.5), 'the drawing is the input');
  errors.assertNone();
  await close();
});
