// Debian's Chromium driven by playwright-core, plus helpers every e2e test needs.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags this closed network needs. */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-sync',
];

/**
 * Launches headless Chromium with the flags this closed network needs. Its
 * contexts and pages block service workers unless asked otherwise: each
 * would install the offline cache (every page, script and the .wasm) for
 * nothing, hundreds of times a run. offline.test.mjs checks them, on its own
 * context (launchPersistentContext), and may pass { serviceWorkers: 'allow' }.
 */
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const newContext = browser.newContext.bind(browser);
  const newPage = browser.newPage.bind(browser);
  browser.newContext = (options = {}) => newContext({ serviceWorkers: 'block', ...options });
  browser.newPage = (options = {}) => newPage({ serviceWorkers: 'block', ...options });
  return browser;
}

/**
 * Headless Chromium with a profile on disk in `userDataDir`: one context, not
 * an incognito one, as installing a web app needs (Chromium does not check
 * an incognito page's installability at all).
 */
export function launchPersistentContext(userDataDir, options = {}) {
  return chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: ARGS, ...options });
}

/**
 * Records console errors and uncaught page errors. Call `assertNone()` at
 * the end of a test: a page that logs an error fails it.
 */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return {
    errors,
    assertNone() {
      if (errors.length) throw new Error(`page reported errors:\n${errors.join('\n')}`);
    },
  };
}

/**
 * Polls `read()` until `accept(value)` is true or `timeoutMs` passes; returns
 * the last value read. Throws with `what` and the last value on timeout.
 */
export async function waitFor(read, accept, { timeoutMs = 30000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Clicks "save model" and returns the downloaded model file, parsed. */
export async function saveModel(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-model').click()]);
  return JSON.parse(await fs.readFile(await download.path(), 'utf8'));
}

/** After a pause: the epoch shown holds still (read after 300 ms, again 600 ms
 * later); returns it. */
export async function assertEpochHolds(page) {
  await page.waitForTimeout(300);
  const epoch = await readNumber(page, 'epoch');
  await page.waitForTimeout(600);
  assert.equal(await readNumber(page, 'epoch'), epoch, 'paused training must not advance');
  return epoch;
}

/** The number shown in a data-testid element (NaN when it is not a number). */
export async function readNumber(page, testId) {
  const text = await page.getByTestId(testId).first().textContent({ timeout: 5000 });
  return Number((text ?? '').trim());
}
