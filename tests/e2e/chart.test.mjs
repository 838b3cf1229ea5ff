// The chart widget in a real browser: the playground's loss chart read out
// under the mouse, by touch and by keyboard; drag-zoom into an early range
// that holds while training goes on; keyboard and touch zoom of a paused
// chart, exactly where asked; reset (button, double-click, Escape);
// the log x axis; every epoch's train loss in a view zoomed into the first 200
// epochs; no redraws while off screen; and MNIST's charts drawn by the same
// widget.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playgroundFixture, waitFor, readNumber, assertEpochHolds } from './lib/index.mjs';

const fx = playgroundFixture();

const chart = (page) => page.getByTestId('loss-chart');
const attr = async (page, name) => Number(await chart(page).getAttribute(`data-${name}`));
const readout = (page) => page.getByTestId('loss-chart-readout');

/** The read-out's numbers: "epoch 1234: train loss 0.2, test loss 0.3, test accuracy 91.5 %". */
async function readValues(page) {
  const text = (await readout(page).textContent()) ?? '';
  const m = /epoch ([\d.e+-]+): train loss ([\d.e+-]+), test loss ([\d.e+-]+), test accuracy ([\d.]+) %/.exec(text);
  assert.ok(m, `read-out not understood: ${JSON.stringify(text)}`);
  return { text, epoch: Number(m[1]), train: Number(m[2]), test: Number(m[3]), accuracy: Number(m[4]) };
}

async function plotBox(page) {
  const box = await page.locator('[data-testid="loss-chart-plot"] .u-over').boundingBox();
  assert.ok(box && box.width > 100, 'the plot area is on screen');
  return box;
}

async function trainUntil(page, epochs) {
  await page.getByTestId('play').click();
  await waitFor(() => readNumber(page, 'epoch'), (e) => e >= epochs, { timeoutMs: 60000, what: `epoch ≥ ${epochs}` });
  await chart(page).scrollIntoViewIfNeeded();
}

test('read-out, drag-zoom that holds while training, reset, log x', async () => {
  const { page, errors, close } = await fx.open('?data=spiral');
  await trainUntil(page, 3000);
  let box = await plotBox(page);

  // Without a cursor the read-out gives the latest values, also the canvas's text alternative.
  assert.equal(await readout(page).getAttribute('data-at'), 'latest');
  const label = await page.locator('[data-testid="loss-chart-plot"] canvas').getAttribute('aria-label');
  assert.match(label ?? '', /^Loss curve: Latest: epoch \d+: train loss [\d.]+, test loss [\d.]+, test accuracy [\d.]+ %$/);
  assert.equal(await page.locator('[data-testid="loss-chart-plot"] canvas').getAttribute('role'), 'img');

  // Hover the middle (paused, so the axis stands still): the read-out names an
  // epoch near the middle of the axis, with its values.
  await page.getByTestId('play').click();
  await waitFor(() => page.getByTestId('play').getAttribute('aria-pressed'), (v) => v === 'false', { what: 'paused' });
  await page.waitForTimeout(300);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await waitFor(() => readout(page).getAttribute('data-at'), (v) => v === 'cursor', { what: 'a cursor read-out' });
  const mid = await readValues(page);
  const [x0, x1] = [await attr(page, 'x-min'), await attr(page, 'x-max')];
  assert.ok(Math.abs(mid.epoch - (x0 + x1) / 2) < 0.1 * (x1 - x0), `hovered epoch ${mid.epoch} in the middle of [${x0}, ${x1}]`);
  assert.ok(mid.train > 0 && mid.train < 2 && mid.test > 0 && mid.accuracy > 0 && mid.accuracy <= 100, mid.text);
  await page.getByTestId('play').click();
  await waitFor(() => page.getByTestId('play').getAttribute('aria-pressed'), (v) => v === 'true', { what: 'playing again' });

  // Drag across the first tenth of the plot: the axis zooms to an early range.
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  // The drag covered a tenth of a run that is still growing: the zoom ends well before the run does.
  await waitFor(async () => (await attr(page, 'x-max')) / (await readNumber(page, 'epoch')), (f) => f < 0.2,
    { timeoutMs: 5000, what: 'the zoomed x range' });
  const zoom = [await attr(page, 'x-min'), await attr(page, 'x-max')];
  assert.ok(zoom[0] >= x0 && zoom[0] < zoom[1], `zoom ${zoom}`);
  assert.equal(await page.getByTestId('loss-chart-reset-zoom').isEnabled(), true);
  // Training goes on; the zoom holds, and the read-out reads inside it.
  const before = await readNumber(page, 'epoch');
  await waitFor(() => readNumber(page, 'epoch'), (e) => e > before + 1000, { timeoutMs: 30000, what: 'more training' });
  await waitFor(async () => Number(await chart(page).getAttribute('data-draws')), (n) => n > 0);
  const drawsNow = Number(await chart(page).getAttribute('data-draws'));
  await waitFor(async () => Number(await chart(page).getAttribute('data-draws')), (n) => n > drawsNow + 5, { what: 'redraws with new data' });
  assert.deepEqual([await attr(page, 'x-min'), await attr(page, 'x-max')], zoom, 'the zoom holds while training continues');
  box = await plotBox(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForTimeout(100);
  const inZoom = await readValues(page);
  assert.ok(inZoom.epoch >= zoom[0] && inZoom.epoch <= zoom[1], `read-out epoch ${inZoom.epoch} inside the zoom ${zoom}`);
  // Each frame hands uPlot a bounded number of points: at most 2 per pixel column per line, plus the edges.
  assert.ok(await attr(page, 'points') <= 3 * (2 * Math.round(box.width) + 4));

  // Reset: the whole run again, and the axis keeps up with it.
  await page.getByTestId('loss-chart-reset-zoom').click();
  const epochAtReset = await readNumber(page, 'epoch');
  await waitFor(() => attr(page, 'x-max'), (v) => v >= epochAtReset, { timeoutMs: 5000, what: 'the whole run after reset' });
  assert.equal(await page.getByTestId('loss-chart-reset-zoom').isEnabled(), false);

  // Double-click resets too.
  await page.mouse.move(box.x + box.width * 0.2, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.4, box.y + 20, { steps: 4 });
  await page.mouse.up();
  await waitFor(() => page.getByTestId('loss-chart-reset-zoom').isEnabled(), (v) => v, { timeoutMs: 5000, what: 'zoomed again' });
  await page.mouse.dblclick(box.x + box.width * 0.5, box.y + 20);
  await waitFor(() => page.getByTestId('loss-chart-reset-zoom').isEnabled(), (v) => !v, { timeoutMs: 5000, what: 'double-click reset' });

  // Log x: a quarter of the way across is an early epoch, not a quarter of the run.
  await page.getByTestId('loss-chart-log-x').click();
  assert.equal(await page.getByTestId('loss-chart-log-x').getAttribute('aria-pressed'), 'true');
  await waitFor(() => chart(page).getAttribute('data-x-scale'), (v) => v === 'log', { timeoutMs: 5000, what: 'the log axis' });
  box = await plotBox(page);
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  await page.waitForTimeout(100);
  const early = await readValues(page);
  const xMax = await attr(page, 'x-max');
  assert.ok(early.epoch < 0.05 * xMax, `log axis: epoch ${early.epoch} at 25 % of a run to ${xMax}`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height + 80); // leave the plot
  await waitFor(() => readout(page).getAttribute('data-at'), (v) => v === 'latest', { what: 'the latest values again' });
  errors.assertNone();
  await close();
});

test('zoomed into the first 200 epochs of a long run, the read-out shows each epoch', async () => {
  const { page, errors, close } = await fx.open('?data=spiral');
  await trainUntil(page, 3000);
  await page.getByTestId('play').click();
  await waitFor(() => page.getByTestId('play').getAttribute('aria-pressed'), (v) => v === 'false', { what: 'paused' });
  await page.waitForTimeout(300);
  const box = await plotBox(page);
  const [x0, x1] = [await attr(page, 'x-min'), await attr(page, 'x-max')];
  assert.ok(x1 >= 3000, `the whole run is shown: [${x0}, ${x1}]`);
  // Drag from the left edge to about epoch 230 (the selection starts where
  // uPlot saw the pointer go down). On a loaded machine the run may be far
  // past 3,000 epochs when the pause lands, and epoch 230 only a few pixels
  // in: then zoom in steps of at most 10x, as a user would.
  for (let drag = 0; drag < 4 && (await attr(page, 'x-max')) >= 300; drag++) {
    const [a, b] = [await attr(page, 'x-min'), await attr(page, 'x-max')];
    const target = Math.max(230, a + (b - a) / 10);
    // At the plot's very left edge, so each zoom keeps the run's first epochs.
    await page.mouse.move(box.x + 0.25, box.y + box.height / 2);
    await page.waitForTimeout(100); // uPlot takes the cursor's position in a frame
    await page.mouse.down();
    await page.mouse.move(box.x + ((target - a) / (b - a)) * box.width, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await waitFor(() => attr(page, 'x-max'), (v) => v < b, { timeoutMs: 5000, what: `a zoom below epoch ${b}` });
  }
  await waitFor(() => attr(page, 'x-max'), (v) => v < 300, { timeoutMs: 5000, what: 'the zoom into the first 200 epochs' });
  const zoom = [await attr(page, 'x-min'), await attr(page, 'x-max')];
  assert.ok(zoom[0] <= 60 && zoom[1] <= 300 && zoom[1] - zoom[0] >= 160, `zoom ${zoom} of a run to ${x1}`);
  // Move the cursor across every pixel column and collect the epochs the read-out names.
  const texts = await page.locator('[data-testid="loss-chart-plot"] .u-over').evaluate((over) => {
    const readout = document.querySelector('[data-testid="loss-chart-readout"]');
    const r = over.getBoundingClientRect();
    const out = [];
    for (let px = 0; px <= r.width; px++) {
      over.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: r.left + px, clientY: r.top + r.height / 2 }));
      out.push(readout.textContent);
    }
    return out;
  });
  const epochs = new Set(), trainValues = new Set();
  for (const t of texts) {
    const m = /^epoch ([\d.e+-]+): train loss ([\d.e+-]+),/.exec(t ?? '');
    if (!m) continue;
    const epoch = Number(m[1]);
    if (epoch >= zoom[0] && epoch <= zoom[1]) { epochs.add(epoch); trainValues.add(m[2]); }
  }
  assert.ok(epochs.size >= 150, `${epochs.size} distinct epochs read out in [${zoom}] (${texts.length} columns; e.g. ${texts[10]})`);
  assert.ok([...epochs].every(Number.isInteger), 'each read-out is at a whole epoch');
  assert.ok(trainValues.size >= 100, `${trainValues.size} distinct train losses`);
  // The plot got those points too (uPlot draws what the frame handed it).
  assert.ok(await attr(page, 'points') >= 150, `points drawn: ${await attr(page, 'points')}`);
  errors.assertNone();
  await close();
});

test('keyboard and touch reach the read-out and the zoom', async () => {
  const { page, errors, close } = await fx.open('?data=xor', { hasTouch: true });
  await trainUntil(page, 500);
  // Keyboard: the plot is focusable; ← moves the read-out, + zooms, Escape resets.
  await page.getByTestId('loss-chart-plot').focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await readout(page).getAttribute('data-at'), 'cursor');
  const x1 = await attr(page, 'x-max');
  await page.keyboard.press('+');
  await waitFor(() => page.getByTestId('loss-chart-reset-zoom').isEnabled(), (v) => v, { timeoutMs: 5000, what: 'keyboard zoom' });
  assert.ok(await attr(page, 'x-max') - await attr(page, 'x-min') < 0.75 * x1);
  await page.keyboard.press('Escape');
  await waitFor(() => page.getByTestId('loss-chart-reset-zoom').isEnabled(), (v) => !v, { timeoutMs: 5000, what: 'Escape resets' });
  // The controls are labelled buttons.
  assert.equal(await page.getByRole('button', { name: 'Log x' }).count(), 1);
  assert.equal(await page.getByRole('button', { name: 'Reset zoom' }).count(), 1);
  // Touch: a tap shows the read-out where it landed.
  await page.getByTestId('loss-chart-plot').blur();
  await page.mouse.move(0, 0);
  await waitFor(() => readout(page).getAttribute('data-at'), (v) => v === 'latest', { what: 'no cursor' });
  const box = await plotBox(page);
  await page.touchscreen.tap(box.x + box.width * 0.5, box.y + box.height / 2);
  await waitFor(() => readout(page).getAttribute('data-at'), (v) => v === 'cursor', { timeoutMs: 5000, what: 'a tap read-out' });
  const tapped = await readValues(page);
  assert.ok(tapped.epoch > 0 && tapped.epoch < (await attr(page, 'x-max')), tapped.text);
  // A horizontal finger drag selects a range (touch pointer events; Playwright's
  // touchscreen only taps).
  const full = await attr(page, 'x-max');
  await page.locator('[data-testid="loss-chart-plot"] .u-over').evaluate((over, b) => {
    const at = (type, f) => over.dispatchEvent(new PointerEvent(type, {
      pointerType: 'touch', isPrimary: true, bubbles: true, clientX: b.x + f * b.width, clientY: b.y + b.height / 2,
    }));
    at('pointerdown', 0.5);
    for (const f of [0.55, 0.6, 0.65, 0.7]) at('pointermove', f);
    at('pointerup', 0.7);
  }, box);
  await waitFor(() => page.getByTestId('loss-chart-reset-zoom').isEnabled(), (v) => v, { timeoutMs: 5000, what: 'a touch zoom' });
  const [z0, z1] = [await attr(page, 'x-min'), await attr(page, 'x-max')];
  assert.ok(z0 > 0.3 * full && z1 < 0.9 * full && z1 - z0 < 0.4 * full, `touch zoom [${z0}, ${z1}] of ${full}`);
  errors.assertNone();
  await close();
});

/** A horizontal finger drag across the plot from `from` to `to` (fractions of its width). */
async function touchDrag(page, box, from, to) {
  await page.locator('[data-testid="loss-chart-plot"] .u-over').evaluate((over, [b, f0, f1]) => {
    const at = (type, f) => over.dispatchEvent(new PointerEvent(type, {
      pointerType: 'touch', isPrimary: true, bubbles: true, clientX: b.x + f * b.width, clientY: b.y + b.height / 2,
    }));
    at('pointerdown', f0);
    for (let i = 1; i <= 4; i++) at('pointermove', f0 + (i / 4) * (f1 - f0));
    at('pointerup', f1);
  }, [box, from, to]);
}

test('a paused chart zooms by keyboard and by touch, exactly where asked, and holds', async () => {
  const { page, errors, close } = await fx.open('?data=xor', { hasTouch: true });
  await trainUntil(page, 500);
  await page.getByTestId('play').click();
  await waitFor(() => page.getByTestId('play').getAttribute('aria-pressed'), (v) => v === 'false', { what: 'paused' });
  const epoch = await assertEpochHolds(page);
  // The last snapshot is drawn: the axis ends at the epoch shown.
  await waitFor(() => attr(page, 'x-max'), (v) => v === epoch, { timeoutMs: 5000, what: `the axis to end at epoch ${epoch}` });
  const full = epoch;

  // Keyboard: End puts the read-out at the last epoch, + halves the range around it.
  await page.getByTestId('loss-chart-plot').focus();
  await page.keyboard.press('End');
  await page.keyboard.press('+');
  await waitFor(() => page.getByTestId('loss-chart-reset-zoom').isEnabled(), (v) => v, { timeoutMs: 5000, what: 'keyboard zoom' });
  await waitFor(() => attr(page, 'x-min'), (v) => v > 0, { timeoutMs: 5000, what: 'the keyboard zoom drawn' });
  let zoom = [await attr(page, 'x-min'), await attr(page, 'x-max')];
  assert.ok(Math.abs(zoom[0] - full / 2) <= 0.02 * full && zoom[1] === full, `keyboard zoom [${zoom}] is the second half of [0, ${full}]`);
  await page.keyboard.press('Escape');
  await waitFor(() => page.getByTestId('loss-chart-reset-zoom').isEnabled(), (v) => !v, { timeoutMs: 5000, what: 'Escape resets' });
  await waitFor(() => attr(page, 'x-min'), (v) => v === 0, { timeoutMs: 5000, what: 'the whole run drawn' });
  assert.equal(await attr(page, 'x-max'), full);

  // Touch: a tap reads out, then a drag from 50 % to 70 % of the width zooms to that part of the run.
  await page.getByTestId('loss-chart-plot').blur();
  await page.mouse.move(0, 0);
  const box = await plotBox(page);
  await page.touchscreen.tap(box.x + box.width * 0.5, box.y + box.height / 2);
  await waitFor(() => readout(page).getAttribute('data-at'), (v) => v === 'cursor', { timeoutMs: 5000, what: 'a tap read-out' });
  const tapped = await readValues(page);
  assert.ok(Math.abs(tapped.epoch - full / 2) <= 0.05 * full, `tapped epoch ${tapped.epoch} in the middle of [0, ${full}]`);
  await touchDrag(page, box, 0.5, 0.7);
  await waitFor(() => attr(page, 'x-min'), (v) => v > 0, { timeoutMs: 5000, what: 'the touch zoom drawn' });
  zoom = [await attr(page, 'x-min'), await attr(page, 'x-max')];
  assert.ok(Math.abs(zoom[0] - 0.5 * full) <= 0.02 * full && Math.abs(zoom[1] - 0.7 * full) <= 0.02 * full,
    `touch zoom [${zoom}] is 50-70 % of [0, ${full}]`);
  // And it holds: another tap, frames later, leaves it as it is.
  await page.touchscreen.tap(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.waitForTimeout(1500);
  assert.deepEqual([await attr(page, 'x-min'), await attr(page, 'x-max')], zoom, 'the zoom holds');
  assert.equal(await page.getByTestId('loss-chart-reset-zoom').isEnabled(), true);
  // A tap's emulated mouse events, the last of them late as on a busy machine
  // (mousedown where the finger was, then after a second the mouseleave back
  // to the mouse's place and the mouseup): they start no mouse drag of
  // uPlot's, so neither the zoom nor the tap's read-out changes.
  await page.locator('[data-testid="loss-chart-plot"] .u-over').evaluate(async (over) => {
    const r = over.getBoundingClientRect();
    const y = r.top + r.height / 2;
    const pointer = (type) => over.dispatchEvent(new PointerEvent(type, { pointerType: 'touch', isPrimary: true, bubbles: true, clientX: r.left + 0.6 * r.width, clientY: y }));
    const mouse = (type, x) => over.dispatchEvent(new MouseEvent(type, { bubbles: type !== 'mouseenter' && type !== 'mouseleave', clientX: x, clientY: y, button: 0, buttons: type === 'mousedown' ? 1 : 0 }));
    pointer('pointerdown');
    pointer('pointerup');
    for (const type of ['mouseover', 'mouseenter', 'mousedown']) mouse(type, r.left + 0.6 * r.width);
    await new Promise((done) => setTimeout(done, 1200));
    for (const type of ['mouseout', 'mouseleave']) mouse(type, r.left - 500);
    mouse('mouseup', r.left - 500);
  });
  await page.waitForTimeout(300);
  assert.deepEqual([await attr(page, 'x-min'), await attr(page, 'x-max')], zoom, 'a late emulated mouseleave and mouseup leave the zoom as it is');
  assert.equal(await readout(page).getAttribute('data-at'), 'cursor', 'and the tap\'s read-out stays');
  errors.assertNone();
  await close();
});

test('no redraws while the chart is off screen', async () => {
  const { page, errors, close } = await fx.open('?data=spiral', { viewport: { width: 1280, height: 420 } });
  await trainUntil(page, 200);
  const draws = async () => Number(await chart(page).getAttribute('data-draws'));
  const shown = await draws();
  await page.waitForTimeout(500);
  assert.ok(await draws() > shown, 'redraws while visible and training');
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await chart(page).boundingBox();
  assert.ok(box && box.y > 420, 'the chart is below the fold');
  await page.waitForTimeout(300);
  const hidden = await draws();
  const epoch = await readNumber(page, 'epoch');
  await waitFor(() => readNumber(page, 'epoch'), (e) => e > epoch + 500, { timeoutMs: 20000, what: 'training while the chart is off screen' });
  assert.equal(await draws(), hidden, 'no redraw off screen');
  await chart(page).scrollIntoViewIfNeeded();
  await waitFor(draws, (n) => n > hidden, { timeoutMs: 5000, what: 'a redraw once back on screen' });
  errors.assertNone();
  await close();
});

test('MNIST charts are drawn by the same widget', async () => {
  const { page, errors, close } = await fx.open();
  await page.getByTestId('tab-mnist').click();
  const loss = page.getByTestId('mnist-loss-chart');
  await loss.waitFor({ state: 'visible', timeout: 20000 });
  await loss.scrollIntoViewIfNeeded();
  assert.equal(await page.locator('.mn-chart .uplot').count(), 2, 'both MNIST charts are uPlot charts');
  assert.equal(await loss.getByRole('button', { name: 'Log x' }).count(), 1);
  // Once the model is built the first full evaluation (epoch 0) is plotted and read out.
  await waitFor(() => page.getByTestId('mnist-loss-chart-readout').textContent(), (t) => /test loss \(10k\) [\d.]+/.test(t ?? ''),
    { timeoutMs: 60000, what: 'the first 10k evaluation on the chart' });
  assert.equal(Number(await loss.getAttribute('data-x-min')), 0);
  assert.equal(Number(await loss.getAttribute('data-x-max')), 1);
  errors.assertNone();
  await close();
});
