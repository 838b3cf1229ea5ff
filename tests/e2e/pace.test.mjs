// Your own pace, in every lab (issue 12 §1): slow motion really is slow (the
// steps per second measured over several seconds stay under the chosen
// rate) while every step still reaches the page; step one batch and step one
// epoch advance exactly that much in both labs; the speed survives the link
// round trip and the course-page API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, collectErrors, waitFor, readNumber, startHostServer, mnist, mnistNumber } from './lib/index.mjs';

const fx = playgroundFixture();
const { open } = fx;
let host = null;
before(async () => {
  host = await startHostServer(() => ({ labUrl: fx.server.url, query: 'v=1&data=xor&hidden=4,2&act=tanh&embed=1', width: 800, height: 600 }));
});
after(() => host?.close());

/** The playground's batches trained since epoch 0: completed epochs × batches per epoch + this epoch's batches. */
async function playgroundSteps(page) {
  // One read of all three numbers, so a poll is quick and consistent.
  return page.evaluate(() => {
    const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? '';
    const perEpoch = Number(document.querySelector('[data-testid=batch]')?.parentElement?.textContent.split('/')[1]);
    return Number(text('epoch')) * perEpoch + Number(text('batch'));
  });
}

const chartPoints = (page, id) => page.getByTestId(id).getAttribute('data-points').then(Number);

/**
 * Polls a step counter for `ms` and notes when each count first showed.
 * The page shows a step a frame or so after it ran, and a poll sees it up to
 * one poll later, so the rate is measured between first sightings (their
 * delays cancel out) and allowed `lagSeconds` of that jitter: steps between
 * the first and last sighting ≤ rate × (time between them + lag).
 */
async function watchSteps(read, ms, pollMs = 40) {
  const firstSeen = new Map();
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    const v = await read();
    if (!firstSeen.has(v)) firstSeen.set(v, Date.now());
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const counts = [...firstSeen.keys()].sort((a, b) => a - b);
  // The first count was on screen before the watch began: its time says nothing.
  const from = counts[1], to = counts.at(-1);
  return { counts, steps: to - from, seconds: (firstSeen.get(to) - firstSeen.get(from)) / 1000 };
}

test('playground slow motion: at 3 steps/s the measured rate stays under 3, and every step reaches the page', async () => {
  const { page, errors, close } = await open('?data=xor&speed=3');
  assert.equal(await page.getByTestId('speed').inputValue(), '3', 'the link set the speed control');
  await page.getByTestId('play').click();
  await waitFor(() => playgroundSteps(page), (v) => v >= 1, { timeoutMs: 5000, what: 'the first step' });
  const loss0 = await page.getByTestId('train-loss').textContent();
  const points0 = await chartPoints(page, 'loss-chart');
  // Polled faster than the steps come: each step should be seen on its own.
  const w = await watchSteps(() => playgroundSteps(page), 6000);
  console.log(`playground at speed=3: ${w.steps} steps in ${w.seconds.toFixed(2)} s = ${(w.steps / w.seconds).toFixed(2)} steps/s`);
  assert.ok(w.steps <= 3 * (w.seconds + 0.2), `at most 3 steps a second: ${w.steps} steps in ${w.seconds.toFixed(2)} s`);
  assert.ok(w.steps >= 3 * w.seconds * 0.6, `it keeps training at about the rate: ${w.steps} steps in ${w.seconds.toFixed(2)} s`);
  // Every step was on the page: each count in between was shown.
  const [s0, s1] = [w.counts[0], w.counts.at(-1)];
  for (let s = s0; s <= s1; s++) assert.ok(w.counts.includes(s), `step ${s} was shown (saw ${w.counts.join(',')})`);
  // The views follow: the loss read-out and the loss chart (one point per batch).
  assert.notEqual(await page.getByTestId('train-loss').textContent(), loss0, 'the train loss changed');
  assert.ok(await chartPoints(page, 'loss-chart') >= points0 + (s1 - s0) - 1, 'the loss chart gained a point per step');
  // Full speed again: whole epochs, far past the slow rate.
  const e0 = await readNumber(page, 'epoch');
  await page.getByTestId('speed').selectOption('max');
  await page.waitForTimeout(1500);
  assert.ok(await readNumber(page, 'epoch') - e0 > 20, 'full speed trains far faster');
  errors.assertNone();
  await close();
});

test('playground: step one batch advances one batch, step one epoch one epoch', async () => {
  const { page, errors, close } = await open('?data=xor&speed=10');
  const perEpoch = await waitFor(async () => Number((await page.getByTestId('batch').locator('xpath=..').textContent()).split('/')[1]),
    (v) => v > 1, { timeoutMs: 5000, what: 'batches per epoch shown' });
  assert.deepEqual([await readNumber(page, 'epoch'), await readNumber(page, 'batch')], [0, 0]);
  const loss0 = await page.getByTestId('train-loss').textContent();
  await page.getByTestId('step-batch').click();
  await waitFor(() => readNumber(page, 'batch'), (v) => v === 1, { timeoutMs: 5000, what: 'one batch' });
  assert.equal(await readNumber(page, 'epoch'), 0);
  await waitFor(() => page.getByTestId('train-loss').textContent(), (t) => t !== loss0, { timeoutMs: 5000, what: 'the loss after one batch' });
  await page.getByTestId('step-batch').click();
  await waitFor(() => readNumber(page, 'batch'), (v) => v === 2, { timeoutMs: 5000, what: 'a second batch' });
  await page.getByTestId('step').click();
  await waitFor(() => readNumber(page, 'epoch'), (v) => v === 1, { timeoutMs: 5000, what: 'one epoch' });
  assert.equal(await readNumber(page, 'batch'), 2, 'one epoch on: the same batch of the next epoch');
  await page.waitForTimeout(500);
  assert.equal(await playgroundSteps(page), perEpoch + 2, 'and nothing more (stepping pauses)');
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
  errors.assertNone();
  await close();
});

test('the speed survives the link round trip; a hostile speed is refused with a notice', async () => {
  const { page, errors, context, close } = await open('?data=xor&speed=10');
  await waitFor(() => page.evaluate(() => location.search), (s) => /[?&]speed=10(&|$)/.test(s), { timeoutMs: 3000, what: 'speed=10 in the address' });
  await page.getByTestId('speed').selectOption('100');
  const address = await waitFor(() => page.evaluate(() => location.href), (s) => /[?&]speed=100(&|$)/.test(s), { timeoutMs: 3000, what: 'speed=100 in the address' });
  const again = await context.newPage();
  await again.goto(address);
  await waitFor(() => again.getByTestId('speed').inputValue(), (v) => v === '100', { timeoutMs: 10000, what: 'the speed read back' });
  await again.getByTestId('speed').selectOption('max');
  await waitFor(() => again.evaluate(() => location.search), (s) => !/speed=/.test(s), { timeoutMs: 3000, what: 'full speed is the default: no key' });
  const hostile = await context.newPage();
  const hostileErrors = collectErrors(hostile);
  await hostile.goto(`${fx.server.url}?speed=%3Cscript%3E&data=xor`);
  await hostile.getByTestId('rejected').waitFor({ timeout: 10000 });
  assert.match(await hostile.getByTestId('rejected').textContent(), /speed[\s\S]*full speed is used/);
  assert.equal(await hostile.getByTestId('speed').inputValue(), 'max');
  hostileErrors.assertNone();
  errors.assertNone();
  await close();
});

test('MNIST: the speed from the link, slow motion under its rate, step one batch and one epoch', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  // A small MLP with large batches: an epoch is 118 steps, quick to step through.
  await page.goto(`${fx.server.url}?lab=mnist&layers=dense:32:relu,dense:10:softmax&batch=512&speed=10`);
  const scope = mnist(page);
  await scope.getByTestId('mnist-loaded').waitFor({ timeout: 60_000 });
  const train = scope.getByTestId('mnist-train');
  await waitFor(() => train.isEnabled(), (v) => v, { timeoutMs: 30_000, what: 'the Train button' });
  assert.equal(await scope.getByTestId('speed').inputValue(), '10');
  assert.match(await page.evaluate(() => location.search), /[?&]speed=10(&|$)/);

  await scope.getByTestId('mnist-step-batch').click();
  await waitFor(() => mnistNumber(scope, 'mnist-steps'), (v) => v === 1, { timeoutMs: 10_000, what: 'one batch' });
  assert.equal((await scope.getByTestId('epoch').textContent()).trim(), '0.01'); // 512 of 60,000
  await scope.getByTestId('mnist-step-epoch').click();
  await waitFor(() => mnistNumber(scope, 'mnist-steps'), (v) => v === 1 + 118, { timeoutMs: 30_000, what: 'one epoch of 118 batches' });
  assert.equal((await scope.getByTestId('epoch').textContent()).trim(), '1.01');
  await page.waitForTimeout(500);
  assert.equal(await mnistNumber(scope, 'mnist-steps'), 119, 'stepping stops after the epoch');

  // Slow motion: 10 steps a second, measured over 4 s.
  await train.click();
  await waitFor(() => mnistNumber(scope, 'mnist-steps'), (v) => v > 120, { timeoutMs: 10_000, what: 'training' });
  const w = await watchSteps(() => mnistNumber(scope, 'mnist-steps'), 5000);
  console.log(`MNIST at speed=10: ${w.steps} steps in ${w.seconds.toFixed(2)} s = ${(w.steps / w.seconds).toFixed(2)} steps/s`);
  // The MNIST page redraws at most every 80 ms: that much more jitter.
  assert.ok(w.steps <= 10 * (w.seconds + 0.3), `at most 10 steps a second: ${w.steps} steps in ${w.seconds.toFixed(2)} s`);
  // Its evaluations (the 1k subset every tenth of an epoch) take turns with training.
  assert.ok(w.steps >= 10 * w.seconds * 0.5, `it trains at about the rate: ${w.steps} steps in ${w.seconds.toFixed(2)} s`);
  await train.click(); // pause
  errors.assertNone();
  await context.close();
});

test('course-page API: setConfig sets the speed, state reports it, step takes batches or epochs', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(host.url);
  const received = () => page.evaluate(() => window.received);
  const answer = (id) => waitFor(async () => (await received()).find((m) => (m.type === 'state' || m.type === 'error') && m.id === id),
    (m) => m !== undefined, { timeoutMs: 10000, what: `the answer to ${id}` });
  const send = (msg) => page.evaluate((m) => window.send(m), msg);
  await waitFor(received, (ms) => ms.some((m) => m.type === 'ready'), { timeoutMs: 20000, what: 'ready' });

  await send({ type: 'getState', id: 'g0' });
  assert.equal((await answer('g0')).speed, 'max');
  await send({ type: 'setConfig', config: { speed: 3 }, id: 'sc' });
  const set = await answer('sc');
  assert.equal(set.type, 'state');
  assert.equal(set.speed, 3);
  await send({ type: 'setConfig', config: { speed: 7 }, id: 'bad' });
  const bad = await answer('bad');
  assert.equal(bad.type, 'error');
  assert.deepEqual(bad.rejected.map((r) => r.key), ['speed']);

  // At 3 steps/s: the metrics' epoch barely moves (xor: 25 batches an epoch).
  await send({ type: 'play', id: 'p' });
  await answer('p');
  await page.waitForTimeout(3000);
  await send({ type: 'pause', id: 'pz' });
  const paused = await answer('pz');
  assert.ok(paused.epoch > 0 && paused.epoch < 1, `slow: under one epoch in 3 s, got ${paused.epoch}`);

  await send({ type: 'step', batches: 1, id: 'b1' });
  const b1 = await answer('b1');
  await send({ type: 'step', epochs: 1, id: 'e1' });
  const e1 = await answer('e1');
  assert.ok(b1.epoch > paused.epoch, 'one batch on');
  assert.ok(Math.abs(e1.epoch - (b1.epoch + 1)) < 1e-9, `one epoch on: ${b1.epoch} → ${e1.epoch}`);
  assert.equal(e1.running, false);
  assert.equal(e1.speed, 3);
  errors.assertNone();
  await context.close();
});
