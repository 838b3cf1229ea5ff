// MNIST's links, embedding, course-page API and model files in Chromium,
// against the built page (web/dist) on a real HTTP server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { playgroundFixture, collectErrors, waitFor, startHostServer, mnist, mnistNumber as number, accuracyAfterLoad } from './lib/index.mjs';

const fx = playgroundFixture();
const LINK = 'lab=mnist&v=2&layers=dense:64:tanh,dense:32:relu,dense:10:softmax&opt=sgd&lr=0.05&sched=exp&lrend=0.1&mom=0.9&batch=32&epochs=2&shift=1&seed=7';
// The size Copy embed proposes for MNIST (labs/index.ts embedSize).
const EMBED = { width: 720, height: 600 };

let host = null;
before(async () => {
  host = await startHostServer(() => ({ labUrl: fx.server.url, query: 'lab=mnist&embed=1', ...EMBED }));
});
after(() => host?.close());

async function openMnist(query, viewport = { width: 1280, height: 900 }) {
  const context = await fx.browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${fx.server.url}${query}`);
  await waitFor(() => mnist(page).getByTestId('mnist-train').isEnabled(), (v) => v, { timeoutMs: 90_000, what: 'MNIST loaded and built' });
  return { page, errors, close: () => context.close() };
}

test('an MNIST link opens with its settings and Copy link gives them back; #mnist and playground links still work', async () => {
  const { page, errors, close } = await openMnist(`?${LINK}`);
  assert.equal(await page.locator('[data-testid="rejected"]').count(), 0, 'every value of the link was used');
  // The learning-rate schedule is shown with the other training settings.
  assert.equal(await mnist(page).getByTestId('mnist-schedule').inputValue(), 'exp');
  assert.equal(await mnist(page).getByTestId('mnist-lr-end').inputValue(), '0.1');
  assert.match(await mnist(page).getByTestId('mnist-rate-now').textContent(), /from 0\.05 to 0\.05 × 0\.1 over the 2 epochs/);
  const search = await page.evaluate(() => location.search);
  assert.match(search, /^\?lab=mnist&/, 'the address names the lab first');
  await mnist(page).getByTestId('copy-link').click();
  const copied = new URL(await mnist(page).getByTestId('share-text').inputValue());
  const want = new URLSearchParams(LINK);
  for (const [k, v] of want) assert.equal(copied.searchParams.get(k), v, `${k} comes back in the copied link`);
  // Switching to the playground writes its link; back to MNIST writes MNIST's.
  await page.getByTestId('tab-playground').click();
  await waitFor(() => page.evaluate(() => location.search), (s) => s.startsWith('?lab=playground&'), { timeoutMs: 10_000, what: 'the playground link' });
  errors.assertNone();
  await close();

  const old = await openMnist('#mnist');
  assert.match(await old.page.evaluate(() => location.search), /^\?lab=mnist&/);
  assert.equal(await old.page.evaluate(() => location.hash), '', 'the old #mnist is replaced by lab=mnist');
  old.errors.assertNone();
  await old.close();

  const { page: pg, errors: pgErrors, close: pgClose } = await fx.open('?v=1&data=xor&hidden=4,2&act=tanh');
  assert.match(await pg.evaluate(() => location.search), /^\?lab=playground&v=1&data=xor&/);
  assert.equal(await pg.locator('.mnist').count(), 0, 'a playground link opens the playground');
  pgErrors.assertNone();
  await pgClose();
});

test('embed=1 fits its frame from another origin at the snippet size and 360 px wide; the host drives it', async () => {
  const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(host.url);
  assert.notEqual(new URL(host.url).origin, new URL(fx.server.url).origin, 'the host page is on another origin');
  const frame = page.frameLocator('#frame');
  const received = () => page.evaluate(() => window.received);
  const answer = (id) => waitFor(async () => (await received()).find((m) => (m.type === 'state' || m.type === 'error') && m.id === id),
    (m) => m !== undefined, { timeoutMs: 30_000, what: `the answer to ${id}` });
  const send = (msg) => page.evaluate((m) => window.send(m), msg);
  await waitFor(received, (ms) => ms.some((m) => m.type === 'ready' && m.lab === 'mnist'), { timeoutMs: 90_000, what: 'ready from MNIST' });
  for (const id of ['mnist-train', 'epoch', 'test-accuracy', 'digit-canvas', 'first-layer-weights']) {
    await frame.getByTestId(id).waitFor({ timeout: 20_000 });
  }
  for (const id of ['copy-link', 'mnist-loss-chart', 'confusion-matrix', 'tab-playground']) {
    assert.equal(await frame.getByTestId(id).count(), 0, `${id} is not in the embed`);
  }
  const fits = async () => {
    const el = await page.$('#frame');
    const f = await el.contentFrame();
    return f.evaluate(() => ({
      scrollHeight: document.documentElement.scrollHeight, clientHeight: document.documentElement.clientHeight,
      scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
      content: Math.ceil(document.querySelector('.mnist')?.getBoundingClientRect().height ?? NaN),
    }));
  };
  const big = await fits();
  console.log(`MNIST embed at ${EMBED.width}x${EMBED.height}: page ${big.scrollWidth}x${big.scrollHeight}, the lab's content ${big.content} px high`);
  assert.ok(big.scrollHeight <= big.clientHeight && big.scrollWidth <= big.clientWidth, `no scrolling at the snippet size: ${JSON.stringify(big)}`);
  await page.setViewportSize({ width: 360, height: 900 });
  await waitFor(fits, (m) => m.clientWidth <= 360, { timeoutMs: 5000, what: 'the frame at 360 px' });
  const narrow = await fits();
  console.log(`MNIST embed at 360x${EMBED.height}: page ${narrow.scrollWidth}x${narrow.scrollHeight}, the lab's content ${narrow.content} px high`);
  assert.ok(narrow.scrollHeight <= narrow.clientHeight && narrow.scrollWidth <= narrow.clientWidth, `no scrolling at 360 px: ${JSON.stringify(narrow)}`);

  await send({ type: 'setConfig', config: { learningRate: 0.001, batchSize: 128 }, id: 'cfg' });
  const cfg = await answer('cfg');
  assert.equal(cfg.type, 'state');
  assert.equal(cfg.lab, 'mnist');
  assert.equal(cfg.config.learningRate, 0.001);
  assert.equal(cfg.config.batchSize, 128);
  await send({ type: 'play', id: 'play' });
  assert.equal((await answer('play')).running, true);
  await waitFor(() => number(frame, 'epoch'), (e) => e >= 0.03, { timeoutMs: 60_000, what: 'some training' });
  await send({ type: 'pause', id: 'pause' });
  const paused = await answer('pause');
  assert.equal(paused.running, false);
  assert.ok(paused.epoch > 0, 'the pause answer carries the epoch reached');
  await page.waitForTimeout(1000);
  await send({ type: 'getState', id: 'get' });
  const later = await answer('get');
  assert.equal(later.running, false);
  assert.equal(later.epoch, paused.epoch, 'the epoch of the pause answer is the one that stays');
  assert.equal(later.config.learningRate, 0.001);
  // 50 steps of 128 digits while paused: the answer comes after them.
  await send({ type: 'step', steps: 50, id: 'step' });
  const stepped = await answer('step');
  assert.equal(stepped.running, false);
  assert.ok(Math.abs(stepped.epoch - (paused.epoch + (50 * 128) / 60000)) < 1e-6, `50 steps of 128 after ${paused.epoch}: ${stepped.epoch}`);
  assert.ok((await received()).some((m) => m.type === 'resize' && m.height > 0), 'the page told the host its height');
  errors.assertNone();
  await context.close();
});

test('a saved MNIST model loads into a fresh page with the same weights and test accuracy; export has the weights', async () => {
  const a = await openMnist('?lab=mnist&hidden=32&act=relu&batch=128');
  await mnist(a.page).getByTestId('mnist-train').click();
  await waitFor(() => number(mnist(a.page), 'epoch'), (e) => e >= 0.05, { timeoutMs: 60_000, what: 'a short training' });
  await mnist(a.page).getByTestId('mnist-train').click();
  await waitFor(() => mnist(a.page).getByTestId('mnist-train').getAttribute('aria-pressed'), (v) => v === 'false', { what: 'paused' });
  const save = async (page) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), mnist(page).getByTestId('save-model').click()]);
    return { text: await fs.readFile(await dl.path(), 'utf8'), name: dl.suggestedFilename() };
  };
  const saved = await save(a.page);
  const file = JSON.parse(saved.text);
  assert.equal(file.formatVersion, 2);
  assert.equal(file.lab, 'mnist');
  assert.deepEqual(file.layers.map((l) => [l.inputs, l.units]), [[784, 32], [32, 10]]);
  // The accuracy of exactly these weights, on the page that trained them.
  const accA = await accuracyAfterLoad(a.page, saved);
  assert.equal((await save(a.page)).text.match(/"params": "([^"]+)"/)[1], file.params, 'loading its own file changes no weight');

  const [dl] = await Promise.all([a.page.waitForEvent('download'), mnist(a.page).getByTestId('export-pytorch').click()]);
  assert.match(dl.suggestedFilename(), /\.py$/);
  const script = await fs.readFile(await dl.path(), 'utf8');
  const block = script.match(/PARAMS_BASE64 = \(([\s\S]*?)\n\)/);
  assert.ok(block, 'the script has its PARAMS_BASE64 block');
  const inScript = [...block[1].matchAll(/["']([A-Za-z0-9+/=]*)["']/g)].map((m) => m[1]).join('');
  assert.equal(inScript, file.params, 'the script carries the trained weights');
  const [np] = await Promise.all([a.page.waitForEvent('download'), mnist(a.page).getByTestId('export-numpy').click()]);
  assert.match(np.suggestedFilename(), /-numpy\.py$/);
  const numpyScript = await fs.readFile(await np.path(), 'utf8');
  const npBlock = numpyScript.match(/PARAMS_BASE64 = \(([\s\S]*?)\n\)/);
  assert.equal([...npBlock[1].matchAll(/["']([A-Za-z0-9+/=]*)["']/g)].map((m) => m[1]).join(''), file.params, 'the NumPy script carries the trained weights');
  a.errors.assertNone();
  await a.close();

  const b = await openMnist('?lab=mnist');
  const accB = await accuracyAfterLoad(b.page, saved);
  assert.equal(accB, accA, 'the same test accuracy in a fresh page');
  const again = JSON.parse((await save(b.page)).text);
  assert.equal(again.params, file.params, 'bit-identical weights in a fresh page');
  assert.deepEqual(again.config, file.config, 'the file\'s settings came with it');
  // A file of the other lab changes nothing.
  const other = JSON.stringify({ ...file, lab: 'playground' });
  await mnist(b.page).getByTestId('model-file').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from(other) });
  await mnist(b.page).getByTestId('model-error').waitFor({ timeout: 5000 });
  assert.equal(JSON.parse((await save(b.page)).text).params, file.params, 'a refused file changes nothing');
  b.errors.assertNone();
  await b.close();
});

test('hide=, lock=, autoplay=1 and theme= shape the MNIST page', async () => {
  const { page, errors, close } = await openMnist('?lab=mnist&hidden=32&act=relu&hide=inside,share&lock=lr&autoplay=1&theme=dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await mnist(page).getByTestId('confusion-matrix').count(), 0, 'inside is hidden');
  assert.equal(await mnist(page).getByTestId('copy-link').count(), 0, 'share is hidden');
  assert.ok(await mnist(page).getByTestId('digit-canvas').isVisible(), 'the pad stays');
  assert.equal(await mnist(page).getByTestId('mnist-reset').isDisabled(), true, 'locked settings cannot be changed');
  await waitFor(() => number(mnist(page), 'epoch'), (e) => e > 0, { timeoutMs: 60_000, what: 'autoplay to train' });
  assert.match(await page.evaluate(() => location.search), /[?&]lock=lr(&|$)/, 'the view options stay in the address');
  errors.assertNone();
  await close();
});
