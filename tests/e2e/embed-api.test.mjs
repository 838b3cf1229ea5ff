// The course-page API from a host page on ANOTHER origin (a second server on
// another port): a command's `state` answer describes the state after the
// command took effect. It used to answer `pause` with running: true and an
// epoch that training then ran ~660 epochs past, and `step` 5 before the
// steps ran.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, collectErrors, waitFor, startHostServer } from './lib/index.mjs';

const fx = playgroundFixture();
let host = null;

before(async () => {
  host = await startHostServer(() => ({ labUrl: fx.server.url, query: 'v=1&data=xor&hidden=4,2&act=tanh&embed=1', width: 800, height: 600 }));
});
after(() => host?.close());

test('pause and step are answered with the state after them, across origins', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(host.url);
  assert.notEqual(new URL(host.url).origin, new URL(fx.server.url).origin, 'the host page is on another origin');
  const received = () => page.evaluate(() => window.received);
  const answer = (id) => waitFor(async () => (await received()).find((m) => m.type === 'state' && m.id === id),
    (m) => m !== undefined, { timeoutMs: 10000, what: `the answer to ${id}` });
  const send = (msg) => page.evaluate((m) => window.send(m), msg);
  await waitFor(received, (ms) => ms.some((m) => m.type === 'ready'), { timeoutMs: 20000, what: 'ready' });

  await send({ type: 'play', id: 'play-1' });
  assert.equal((await answer('play-1')).running, true);
  await waitFor(async () => Math.max(0, ...(await received()).filter((m) => m.type === 'metrics').map((m) => m.epoch)),
    (e) => e > 200, { timeoutMs: 20000, what: 'training past epoch 200' });

  await send({ type: 'pause', id: 'pause-1' });
  const paused = await answer('pause-1');
  assert.equal(paused.running, false, 'pause is answered with running: false');
  assert.ok(paused.epoch > 200, `the answer carries the epoch reached (${paused.epoch})`);
  // The epoch in the answer is the one that stays: the metrics catch up
  // with it (they are throttled and follow the page's frames) and go no further.
  const lastMetricsEpoch = async () => (await received()).filter((m) => m.type === 'metrics').at(-1).epoch;
  await waitFor(lastMetricsEpoch, (e) => e === paused.epoch, { timeoutMs: 5000, what: `metrics at epoch ${paused.epoch}` });
  await new Promise((r) => setTimeout(r, 800));
  await send({ type: 'getState', id: 'get-1' });
  const later = await answer('get-1');
  assert.equal(later.epoch, paused.epoch, 'no training after the answer');
  assert.equal(later.running, false);
  assert.equal(await lastMetricsEpoch(), paused.epoch, 'the last metrics show the same epoch');
  const after = (await received()).slice((await received()).findIndex((m) => m.id === 'pause-1'));
  assert.ok(after.every((m) => m.type !== 'metrics' || m.epoch <= paused.epoch), 'no metrics past the paused epoch');

  await send({ type: 'step', steps: 5, id: 'step-5' });
  const stepped = await answer('step-5');
  assert.equal(stepped.epoch, paused.epoch + 5, 'step 5 answers with the epoch 5 further on');
  assert.equal(stepped.running, false);
  await send({ type: 'getState', id: 'get-2' });
  assert.equal((await answer('get-2')).epoch, paused.epoch + 5);

  await send({ type: 'reset', id: 'reset-1' });
  const reset = await answer('reset-1');
  assert.deepEqual([reset.epoch, reset.running], [0, false]);
  errors.assertNone();
  await context.close();
});
