// Show the math (playground): a clicked training point's forward and backward
// pass with the engine's numbers, the downloaded trace JSON (its loss is the
// panel's), the engine's finite difference beside backprop within 1e-3, the
// same while training runs, and the panel on a 360 px page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { playgroundFixture, waitFor, readNumber } from './lib/index.mjs';

const fx = playgroundFixture();

/** The panel's shown number (4 significant digits, a real minus sign). */
const shown = (text) => Number(text.replace('−', '-'));
const num = (v) => Number(v.toPrecision(4));

async function openPanel(page) {
  await page.getByTestId('math-toggle').click();
  const canvas = page.getByTestId('dataset-canvas');
  const box = await canvas.boundingBox();
  // a click on the map picks the nearest training point
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await waitFor(() => page.getByTestId('math-z').count(), (n) => n === 1, { timeoutMs: 10000, what: 'the traced numbers' });
}

/** Steps the panel until its stage title matches. */
async function stageTo(page, re) {
  for (let i = 0; i < 12; i++) {
    if (re.test(await page.getByTestId('math-stage').textContent())) return;
    await page.getByRole('button', { name: 'next step' }).click();
  }
  throw new Error(`no stage ${re}`);
}

async function checkGradient(page) {
  await page.getByTestId('check-gradient').click();
  const el = page.getByTestId('gradient-check');
  await waitFor(() => el.count(), (n) => n === 1, { timeoutMs: 10000, what: 'the finite difference' });
  const fd = Number(await el.getAttribute('data-fd'));
  const bp = Number(await el.getAttribute('data-bp'));
  const rel = Number(await el.getAttribute('data-rel'));
  assert.ok(Number.isFinite(fd) && Number.isFinite(bp), `fd ${fd}, bp ${bp}`);
  assert.ok(rel <= 1e-3, `finite difference ${fd} vs backprop ${bp}: relative difference ${rel}`);
  return { fd, bp, rel };
}

test('the panel shows a clicked point\'s numbers; the JSON matches; the gradient check agrees', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(fx.server.url + '?data=xor&opt=adam&lr=0.03');
  await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 20000, what: 'the engine to load' });
  for (let i = 0; i < 5; i++) await page.getByTestId('step').click();
  await waitFor(() => readNumber(page, 'epoch'), (e) => e === 5, { what: '5 epochs' });
  await openPanel(page);
  assert.match(await page.getByTestId('math-stage').textContent(), /Forward: hidden layer 1/);
  assert.equal(await page.getByTestId('math-focus').count(), 1, 'the neuron is highlighted in the network view');
  assert.match(await page.getByTestId('math-epoch').textContent(), /weights of epoch 5\b/);
  // a neuron clicked in the network view: the panel shows its layer
  await page.getByRole('button', { name: 'bias of layer 2 neuron 2' }).click();
  await waitFor(() => page.getByTestId('math-stage').textContent(), (t) => /Forward: hidden layer 2/.test(t), { what: 'the clicked neuron\'s layer' });
  assert.equal(await page.getByTestId('math-neuron').inputValue(), '1');
  const index = Number(await page.getByTestId('math-example').inputValue());
  assert.ok(Number.isFinite(shown(await page.getByTestId('math-z').textContent())));

  await stageTo(page, /The loss/);
  const panelLoss = shown(await page.getByTestId('math-loss').textContent());
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trace').click()]);
  const trace = JSON.parse(await fs.readFile(await dl.path(), 'utf8'));
  assert.equal(trace.format, 'nn-trace');
  assert.equal(trace.version, 1);
  assert.equal(trace.example.index, index);
  assert.equal(trace.loss, 'bce');
  assert.equal(trace.config.data, 'xor');
  assert.equal(num(trace.loss_value), panelLoss, 'the JSON loss is the panel\'s');
  assert.deepEqual(trace.layers.map((l) => l.activation), ['tanh', 'tanh', 'sigmoid']);
  assert.equal(trace.forward.length, 3);
  assert.equal(trace.backward.length, 3);
  // BCE of one sigmoid output, from the JSON's own numbers
  const a = trace.output[0], y = trace.example.y[0];
  assert.ok(Math.abs(trace.loss_value + (y * Math.log(a) + (1 - y) * Math.log(1 - a))) < 1e-5);

  // backward through the output (the sigmoid + BCE shortcut), then a hidden layer
  await stageTo(page, /Backward: output layer/);
  assert.match(await page.getByTestId('math-body').textContent(), /sigmoid \+ cross-entropy: δ = ∂L\/∂z = a − y/);
  const delta = shown(await page.getByTestId('math-delta').textContent());
  assert.equal(delta, num(trace.backward[2].delta[0]));
  await checkGradient(page);
  await stageTo(page, /Backward: hidden layer 1/);
  await page.getByTestId('math-param').selectOption('1');
  const { bp } = await checkGradient(page);
  const unit = Number(await page.getByTestId('math-neuron').inputValue());
  assert.equal(bp, Math.fround(trace.backward[0].dW[unit][1]), 'backprop is the JSON\'s dW');
  await stageTo(page, /The update/);
  assert.ok(Number.isFinite(shown(await page.getByTestId('math-new-w').textContent())));
  assert.match(await page.getByTestId('math-body').textContent(), /m ← β₁·m/);
  await context.close();
});

test('while training runs, and on a 360 px page', async () => {
  const { page, errors, close } = await fx.open('?data=circle&hidden=4&act=relu', { viewport: { width: 360, height: 800 } });
  await page.getByTestId('play').click();
  await waitFor(() => readNumber(page, 'epoch'), (e) => e > 3, { timeoutMs: 20000, what: 'training' });
  await openPanel(page);
  await stageTo(page, /Backward: output layer/);
  await checkGradient(page);
  await page.getByTestId('play').click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  // keyboard: the stage buttons are buttons, the pickers are labelled selects
  await page.getByRole('button', { name: 'previous step' }).focus();
  await page.keyboard.press('Enter');
  assert.match(await page.getByTestId('math-stage').textContent(), /The loss/);
  for (const name of ['example to trace', 'neuron to show']) assert.equal(await page.getByRole('combobox', { name }).count(), 1, name);
  errors.assertNone();
  await close();
});
