// The MNIST lab with convolutions, in Chromium against the built page
// (web/dist): a layers= link trains a CNN above chance, the editor shows the
// core's shapes and refuses a layer that does not fit (naming it), the
// feature maps and filters are drawn, the link and a saved model come back.
// Kept short (a small CNN, a quarter epoch) for CI time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { playgroundFixture, collectErrors, waitFor, mnist, mnistNumber as number, accuracyAfterLoad } from './lib/index.mjs';

const fx = playgroundFixture();
/** A small CNN (4 filters) that passes chance within a few thousand digits. */
const CNN = 'conv:4:5:1:0:relu,pool:2:2,flatten,dense:10:softmax';

async function openMnist(query) {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}${query}`);
  return { page, errors, close: () => context.close() };
}

const ready = (page) => waitFor(() => mnist(page).getByTestId('mnist-train').isEnabled(), (v) => v, { timeoutMs: 90_000, what: 'MNIST loaded and built' });

/** Pixels of a canvas that differ from its most common colour (the neutral background). */
function inkedPixels(page, testId) {
  return page.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    if (!(c instanceof HTMLCanvasElement) || c.width === 0) return -1;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    for (let i = 0; i < d.length; i += 4) { const k = `${d[i]},${d[i + 1]},${d[i + 2]}`; counts.set(k, (counts.get(k) ?? 0) + 1); }
    const common = Math.max(...counts.values());
    return d.length / 4 - common;
  }, testId);
}

test('a layers= CNN trains above chance; the editor shows the core\'s shapes; feature maps and filters are drawn', async () => {
  const { page, errors, close } = await openMnist(`?lab=mnist&layers=${CNN}&batch=32`);
  await ready(page);
  const m = mnist(page);
  assert.equal(await page.locator('[data-testid="rejected"]').count(), 0, 'every value of the link was used');
  // Shapes and parameters as the core planned them.
  await waitFor(() => m.getByTestId('layer-1-plan').textContent(), (t) => /24×24×4/.test(t), { what: 'the plan' });
  assert.equal(await m.getByTestId('layer-1-plan').textContent(), '→ 24×24×4 · 104 params');
  assert.equal(await m.getByTestId('layer-2-plan').textContent(), '→ 12×12×4 · 0 params');
  assert.equal(await m.getByTestId('layer-3-plan').textContent(), '→ 576 · 0 params');
  assert.equal(await m.getByTestId('layer-4-plan').textContent(), '→ 10 · 5,770 params');

  await m.getByTestId('mnist-train').click();
  // The first full evaluation after training started (a quarter epoch, or later for a slow machine).
  const acc = await waitFor(() => number(m, 'test-accuracy'), (v) => v > 50, { timeoutMs: 60_000, what: 'test accuracy above chance' });
  assert.ok(acc > 50, `test accuracy ${acc}% is well above chance (10%)`);

  // Feature maps of test digit 0 and the filters, drawn while on screen.
  await m.getByTestId('layer-view').scrollIntoViewIfNeeded();
  await waitFor(() => inkedPixels(page, 'layer-map-1'), (n) => n > 20, { timeoutMs: 15_000, what: 'conv feature maps with ink' });
  assert.ok(await inkedPixels(page, 'layer-map-2') > 10, 'the pool layer\'s maps have ink');
  assert.ok(await inkedPixels(page, 'layer-input') > 50, 'test digit 0 is shown as the input');
  // The digit drawn on the pad: a vertical stroke (a 1) goes through the same layers.
  await m.getByTestId('digit-canvas').scrollIntoViewIfNeeded();
  const pad = await m.getByTestId('digit-canvas').boundingBox();
  await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * (0.15 + 0.06 * i));
  await page.mouse.up();
  const inkOf = (id) => page.evaluate((tid) => document.querySelector(`[data-testid="${tid}"]`).toDataURL(), id);
  const testDigitMaps = await inkOf('layer-map-1');
  await m.getByTestId('layer-view-drawn').check();
  await waitFor(() => inkOf('layer-map-1'), (url) => url !== testDigitMaps, { timeoutMs: 10_000, what: 'the drawn digit\'s feature maps' });
  assert.ok(await inkedPixels(page, 'layer-map-1') > 20, 'the drawn digit\'s feature maps have ink');
  const box = await m.getByTestId('layer-map-1').boundingBox();
  assert.ok(box && box.width > 100, 'four 24x24 maps, scaled up');
  await m.getByTestId('filter-view').scrollIntoViewIfNeeded();
  await waitFor(() => inkedPixels(page, 'filters-1'), (n) => n > 20, { timeoutMs: 15_000, what: 'first-layer filters' });
  await m.getByTestId('mnist-train').click();
  errors.assertNone();
  await close();
});

test('a layer that does not fit is refused naming it; Train waits until it is fixed', async () => {
  // Layer 3 is a 13x13 kernel on a 12x12 map.
  const { page, errors, close } = await openMnist('?lab=mnist&layers=conv:4:5:1:0:relu,pool:2:2,conv:8:13:1:0:relu,flatten,dense:10:softmax');
  const m = mnist(page);
  await m.getByTestId('mnist-plan-error').waitFor({ timeout: 60_000 });
  assert.match(await m.getByTestId('mnist-plan-error').textContent(), /^Layer 3 \(conv 8 13×13\) does not fit its 12×12×4 input: .+\. Fix it to train\.$/);
  assert.equal(await m.getByTestId('layer-3').getAttribute('aria-invalid'), 'true');
  assert.match(await m.getByTestId('layer-3-plan').textContent(), /^refused: /);
  assert.equal(await m.getByTestId('layer-1').getAttribute('aria-invalid'), 'false');
  assert.equal(await m.getByTestId('layer-2-plan').textContent(), '→ 12×12×4 · 0 params', 'the layers before it keep their shapes');
  assert.equal(await m.getByTestId('layer-4-plan').textContent(), 'not checked');
  // Loaded, but nothing to train and Reset refused while the layer does not fit.
  await m.getByTestId('mnist-loaded').waitFor({ timeout: 60_000 });
  assert.equal(await m.getByTestId('mnist-train').isDisabled(), true);
  assert.equal(await m.getByTestId('mnist-reset').isDisabled(), true);
  assert.equal(await m.getByTestId('mnist-notice').count(), 0, 'the refused list was never sent to be built');
  // Fixed in the editor: a 5x5 kernel fits.
  await m.getByTestId('layer-3-kernel').fill('5');
  await waitFor(() => m.getByTestId('layer-3-plan').textContent(), (t) => t === '→ 8×8×8 · 808 params', { what: 'the fixed plan' });
  assert.equal(await m.getByTestId('mnist-plan-error').count(), 0);
  await waitFor(() => m.getByTestId('mnist-reset').isEnabled(), (v) => v, { timeoutMs: 60_000, what: 'Reset enabled once loaded' });
  await m.getByTestId('mnist-reset').click();
  await ready(page);
  assert.match(await page.evaluate(() => location.search), /layers=conv:4:5:1:0:relu,pool:2:2,conv:8:5:1:0:relu,flatten,dense:10:softmax&/);
  errors.assertNone();
  await close();
});

test('a CNN\'s link and saved model come back: Copy link, then save -> load in a fresh page gives the same accuracy', async () => {
  const a = await openMnist(`?lab=mnist&layers=${CNN}&batch=64&shift=1&seed=3`);
  await ready(a.page);
  const m = mnist(a.page);
  await m.getByTestId('copy-link').click();
  const copied = new URL(await m.getByTestId('share-text').inputValue());
  assert.equal(copied.searchParams.get('layers'), CNN);
  assert.equal(copied.searchParams.get('shift'), '1');
  assert.equal(copied.searchParams.get('v'), '2');
  // A short training, paused.
  await m.getByTestId('mnist-train').click();
  await waitFor(() => number(m, 'epoch'), (e) => e >= 0.03, { timeoutMs: 60_000, what: 'a short training' });
  await m.getByTestId('mnist-train').click();
  await waitFor(() => m.getByTestId('mnist-train').getAttribute('aria-pressed'), (v) => v === 'false', { what: 'paused' });
  const save = async (page) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), mnist(page).getByTestId('save-model').click()]);
    return { text: await fs.readFile(await dl.path(), 'utf8'), name: dl.suggestedFilename() };
  };
  const saved = await save(a.page);
  const file = JSON.parse(saved.text);
  assert.deepEqual(file.layers.map((l) => l.kind), ['conv2d', 'maxpool', 'flatten', 'dense']);
  assert.deepEqual(file.layers[0].input, [1, 28, 28]);
  assert.equal(file.layers[3].inputs, 576);
  const accA = await accuracyAfterLoad(a.page, saved);
  a.errors.assertNone();
  await a.close();

  // A fresh page with the default MLP: the file brings its CNN and weights.
  const b = await openMnist('?lab=mnist');
  await ready(b.page);
  const accB = await accuracyAfterLoad(b.page, saved);
  assert.equal(accB, accA, 'the same test accuracy in a fresh page');
  assert.equal(JSON.parse((await save(b.page)).text).params, file.params, 'bit-identical weights');
  assert.match(await b.page.evaluate(() => location.search), new RegExp(`layers=${CNN}&`));
  b.errors.assertNone();
  await b.close();
});
