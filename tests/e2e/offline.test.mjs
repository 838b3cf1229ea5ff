// Offline use and installing (README "Offline and installing"): the page is
// installable; after one visit online it loads and trains with no server at
// all, MNIST included; the large data files are cached when a lab first uses
// them, never precached; and a new version is announced, not forced on a
// running training.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, launchPersistentContext, watchContext, describeViolations, collectErrors, waitFor, readNumber,
  mnist, mnistNumber, DIST_DIR,
} from './lib/index.mjs';

// One browser profile on disk for the file (installability is only checked
// outside incognito); each test has its own server, so its own origin and
// service worker. Every page is watched for policy violations.
let profile = null;
let context = null;
const violations = [];
before(async () => {
  profile = await fs.mkdtemp(path.join(os.tmpdir(), 'nn-offline-profile-'));
  context = await launchPersistentContext(profile, { viewport: { width: 1280, height: 900 } });
  await watchContext(context, violations);
});
afterEach(() => assert.equal(violations.length, 0, `Content-Security-Policy violations:\n${describeViolations(violations.splice(0))}`));
after(async () => {
  await context?.close();
  if (profile) await fs.rm(profile, { recursive: true, force: true });
});

/** Opens `url` in a new page and waits until the service worker controls it. */
async function openControlled(url) {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  await page.getByTestId('play').waitFor();
  await waitFor(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), (s) => s === 'activated',
    { timeoutMs: 15_000, what: 'the service worker to control the page' });
  return { page, errors };
}

/** Paths in each of the page's caches: { cacheName: ['/path', …] }. */
const cachedPaths = (page) => page.evaluate(async () => {
  const out = {};
  for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
  return out;
});

const isEnabled = (locator) => waitFor(() => locator.isEnabled(), (v) => v, { timeoutMs: 20_000, what: 'an enabled button' });

test('installable; after one visit it trains offline, the playground and MNIST, whose data was cached when first used, and opens a lesson', async () => {
  const server = await startServer();
  const { page, errors } = await openControlled(server.url);
  // Chromium's own verdict: a valid manifest with its icons, and a service worker.
  const cdp = await context.newCDPSession(page);
  assert.deepEqual((await cdp.send('Page.getAppManifest')).errors, []);
  assert.deepEqual((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, []);
  await cdp.detach();

  const manifest = await (await fetch(`${server.url}generated/mnist.json`)).json();
  const dataPath = `/generated/${manifest.file}`;
  const sw = await fs.readFile(path.join(DIST_DIR, 'sw.js'), 'utf8');
  assert.match(sw, /"generated\/mnist\.json"/, 'the small MNIST manifest is precached');
  assert.ok(!sw.includes(manifest.file), 'the MNIST data file is not in the precache manifest');

  await page.getByTestId('tab-mnist').click();
  await mnist(page).getByTestId('mnist-loaded').waitFor({ timeout: 60_000 });
  const cached = await cachedPaths(page);
  const precache = Object.entries(cached).find(([name]) => name.startsWith('workbox-precache'))?.[1] ?? [];
  assert.ok(precache.includes('/index.html') && precache.includes('/generated/mnist.json') && precache.some((p) => p.endsWith('.wasm')),
    `the app shell is precached: ${precache.join(' ')}`);
  assert.ok(!precache.includes(dataPath), 'the MNIST data is not precached');
  assert.deepEqual(cached['data-files'], [dataPath], 'the MNIST data is in the runtime cache after its first use');

  // The server's reports cover the service worker too (its script is served with the policy header).
  assert.deepEqual(server.cspReports, [], 'no policy violation reported');

  // Offline for real: the browser is offline and the server is gone.
  await context.setOffline(true);
  await server.close();
  try {
    await page.goto(server.url); // the playground, from the cache
    await isEnabled(page.getByTestId('play'));
    await page.getByTestId('play').click();
    await waitFor(() => readNumber(page, 'epoch'), (e) => e >= 20, { timeoutMs: 20_000, what: 'the playground training offline' });
    await page.getByTestId('play').click();

    // A link with settings in its query, offline: a small network, one epoch.
    await page.goto(`${server.url}?lab=mnist&layers=dense:32:relu,dense:10:softmax&epochs=1`);
    const lab = mnist(page);
    await lab.getByTestId('mnist-loaded').waitFor({ timeout: 60_000 });
    assert.match(await lab.getByTestId('mnist-loaded').textContent(), /60,000 training and 10,000 test digits/);
    await isEnabled(lab.getByTestId('mnist-train'));
    await lab.getByTestId('mnist-train').click();
    const accuracy = await waitFor(() => mnistNumber(lab, 'test-accuracy'), (v) => v >= 80,
      { timeoutMs: 30_000, intervalMs: 250, what: 'MNIST test accuracy >= 80% offline' });
    console.log(`offline: MNIST test accuracy ${accuracy}% after ${await mnistNumber(lab, 'epoch')} epochs`);

    // A lesson: its page, and its lab in a frame, from the cache.
    await page.goto(`${server.url}?lesson=perceptron`);
    await page.getByTestId('lesson-lab').waitFor();
    const labFrame = page.frameLocator('[data-testid="lesson-lab"]');
    await isEnabled(labFrame.getByTestId('play'));
    errors.assertNone();
  } finally {
    await context.setOffline(false);
    await page.close();
  }
});

test('a new version is announced with a Reload button, not applied under a running training; frames stay quiet', async () => {
  // A copy of the build, so this test can publish a "new version" of sw.js.
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nn-offline-'));
  await fs.cp(DIST_DIR, root, { recursive: true, filter: (f) => !/\.[0-9a-f]{16}\./.test(path.basename(f)) });
  const server = await startServer({ root });
  try {
    const { page, errors } = await openControlled(server.url);
    await page.getByTestId('play').click();
    await page.evaluate(() => { window.sameDocument = true; });

    await fs.appendFile(path.join(root, 'sw.js'), '\n// a new version\n');
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    const notice = page.getByTestId('update-ready');
    await notice.waitFor({ timeout: 15_000 });
    assert.match(await notice.textContent(), /new version is ready/);
    // Still the same document, still training.
    const epoch = await readNumber(page, 'epoch');
    await waitFor(() => readNumber(page, 'epoch'), (e) => e > epoch, { timeoutMs: 5000, what: 'training to go on' });
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page was not reloaded');

    // A lab in a frame (the example host page) never shows the notice.
    const host = await context.newPage();
    const hostErrors = collectErrors(host);
    await host.goto(`${server.url}embed-example.html`);
    await waitFor(() => host.getByTestId('host-ready').textContent(), (t) => t === 'yes', { timeoutMs: 20_000, what: 'the embedded playground' });
    const frame = host.frames().find((f) => f !== host.mainFrame());
    assert.ok(frame, 'the example page frames the lab');
    // The frame's page sees the waiting version too, and keeps quiet about it.
    await waitFor(() => frame.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => Boolean(r?.waiting))), (v) => v,
      { timeoutMs: 5000, what: 'the frame to see the waiting version' });
    await host.waitForTimeout(500);
    assert.equal(await frame.getByTestId('update-ready').count(), 0, 'no notice inside a frame');
    assert.equal(await host.getByTestId('update-ready').count(), 0);

    // Reload applies it: a new document, controlled by the new worker, no notice.
    await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
    assert.equal(await page.evaluate(() => window.sameDocument), undefined, 'Reload reloads');
    const state = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return { waiting: r?.waiting ?? null, controlled: navigator.serviceWorker.controller?.state ?? null };
    });
    assert.deepEqual(state, { waiting: null, controlled: 'activated' });
    await page.getByTestId('play').waitFor();
    assert.equal(await page.getByTestId('update-ready').count(), 0);
    errors.assertNone();
    hostErrors.assertNone();
    assert.deepEqual(server.cspReports, [], 'no policy violation reported');
    await Promise.all([page.close(), host.close()]);
  } finally {
    await server.close();
    await fs.rm(root, { recursive: true, force: true });
  }
});
