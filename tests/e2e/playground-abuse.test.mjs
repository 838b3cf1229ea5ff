// The playground under abuse, one test per bug found by using it the hard
// way: the largest network the editor allows, and a hostile model file.
// Real Chromium, the built page over real HTTP, no console errors allowed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, waitFor, readNumber, saveModel, assertEpochHolds } from './lib/index.mjs';

const fx = playgroundFixture();
const { open } = fx;

const BIGGEST = '?data=spiral&hidden=64,64,64,64,64,64,64,64&act=relu&batch=256&feat=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2';

test('8 layers of 64: pause answers at once while training, and every layer control can be clicked', async () => {
  const { page, errors, close } = await open(BIGGEST);
  await page.getByTestId('play').click();
  await waitFor(() => readNumber(page, 'epoch'), (e) => e >= 20, { timeoutMs: 30000, what: 'training to run' });
  // 30k links redrawn every frame used to keep the UI thread busy for
  // seconds at a time: a click on pause waited 3.4 s. The bound is generous
  // (a frame is 16 ms) so a loaded CI machine does not fail it. The delay is from the click's arrival (its event timestamp) to the DOM
  // showing "paused", for a real mouse click through Chromium's input queue.
  await page.evaluate(() => {
    const b = document.querySelector('[data-testid=play]');
    b.addEventListener('click', (e) => {
      window.__clickAt = e.timeStamp;
      new MutationObserver((_, obs) => {
        if (b.getAttribute('aria-pressed') === 'false') { window.__pausedAt = performance.now(); obs.disconnect(); }
      }).observe(b, { attributes: true });
    }, { once: true });
  });
  await page.getByTestId('play').click();
  const ms = await waitFor(() => page.evaluate(() => (window.__pausedAt ?? NaN) - window.__clickAt), Number.isFinite,
    { timeoutMs: 20000, what: 'the pause to show' });
  console.log(`pause shown after ${ms.toFixed(0)} ms`);
  assert.ok(ms < 1000, `pause took ${ms.toFixed(0)} ms to show`);
  // And training really stopped: the epoch holds still.
  await assertEpochHolds(page);
  // Every hidden layer's "+" is the element under its own centre: the
  // controls used to overlap, hiding layers 1-7's "+" under the next "−".
  for (let l = 1; l <= 8; l++) {
    const plus = page.getByRole('button', { name: `add neuron to layer ${l}` });
    await plus.scrollIntoViewIfNeeded();
    const hit = await plus.evaluate((b) => {
      const r = b.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
    });
    assert.ok(hit, `the + of layer ${l} is covered by another control`);
  }
  errors.assertNone();
  await close();
});

test('a model file whose finite weights overflow the output is refused and changes nothing', async () => {
  const { page, errors, close } = await open('?data=circle&hidden=4,2&act=relu');
  await page.getByTestId('step').click();
  await waitFor(() => readNumber(page, 'epoch'), (e) => e === 1, { what: 'one step' });
  const first = await saveModel(page);
  const lossBefore = await readNumber(page, 'test-loss');
  assert.ok(Number.isFinite(lossBefore));
  // Every weight 3.4e38: finite floats, so a format check alone let it in;
  // the page then showed "—" for every loss with no word of why.
  const huge = Buffer.alloc(Buffer.from(first.params, 'base64').length, 0x7f).toString('base64');
  await page.getByTestId('model-file').setInputFiles({
    name: 'huge.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...first, params: huge })),
  });
  await page.getByTestId('model-error').waitFor({ timeout: 5000 });
  assert.match(await page.getByTestId('model-error').textContent(), /huge\.json: The weights are so large that the network's output overflows/);
  assert.equal((await saveModel(page)).params, first.params, 'the weights are unchanged');
  assert.equal(await readNumber(page, 'test-loss'), lossBefore);
  errors.assertNone();
  await close();
});

test('on a 360 px phone the default network shows its output without sideways scrolling', async () => {
  const { page, errors, close } = await open('', { viewport: { width: 360, height: 740 } });
  const output = page.getByRole('button', { name: 'bias of output 1' });
  await page.getByTestId('network').scrollIntoViewIfNeeded();
  const box = await output.boundingBox();
  assert.ok(box, 'the output node is drawn');
  // Room kept for the layer controls once pushed it off the right edge.
  assert.ok(box.x >= 0 && box.x + box.width <= 360, `the output node spans ${box.x.toFixed(0)}..${(box.x + box.width).toFixed(0)} px`);
  errors.assertNone();
  await close();
});
