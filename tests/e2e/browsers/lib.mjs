// The core paths of the course in Firefox and in WebKit (Safari's engine),
// with Debian's packages only: firefox-esr driven by puppeteer-core over
// WebDriver BiDi, and WebKitGTK's MiniBrowser driven by selenium-webdriver
// through WebKitWebDriver on a private Xvfb display.
//
// Each browser is wrapped in the same small "tab" (goto, evaluate, click,
// errors, close), so the checks below are written once and run in both.
// Every start-up step and every wait is bounded: a missing browser fails
// the file at once with the package to install, never a hang.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { before, after, test } from 'node:test';
import { waitFor } from '../lib/browser.mjs';
import { startServer } from '../lib/server.mjs';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
const XVFB = process.env.XVFB_PATH ?? '/usr/bin/Xvfb';
const VIEWPORT = { width: 1280, height: 900 };
const START_TIMEOUT_MS = 30_000;

/** Throws a message naming the Debian package when `file` is not executable. */
async function requireExecutable(file, debianPackage) {
  try {
    await fs.access(file, fs.constants.X_OK);
  } catch {
    throw new Error(`${file} not found: install Debian's ${debianPackage} (bash build.sh setup installs it)`);
  }
}

/** Rejects with `what` when `promise` has not settled within `ms`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The WebKitGTK library directory holding MiniBrowser (the API version is in its name). */
async function findMiniBrowser() {
  if (process.env.MINIBROWSER_PATH) return process.env.MINIBROWSER_PATH;
  const libDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/libexec'];
  for (const dir of libDirs) {
    const entries = await fs.readdir(dir).catch(() => []);
    for (const name of entries.filter((n) => /^webkit2?gtk-[0-9.]+$/.test(n)).sort().reverse()) {
      const file = path.join(dir, name, 'MiniBrowser');
      if (await fs.access(file, fs.constants.X_OK).then(() => true, () => false)) return file;
    }
  }
  throw new Error('WebKitGTK\'s MiniBrowser not found (looked in /usr/lib/*/webkit2gtk-*/): install Debian\'s webkit2gtk-driver (bash build.sh setup installs it)');
}

// --- Firefox -----------------------------------------------------------------

/** Headless firefox-esr over WebDriver BiDi, in a fresh profile removed on close. */
export async function launchFirefox() {
  await requireExecutable(FIREFOX, 'firefox-esr');
  const { default: puppeteer } = await import('puppeteer-core');
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'e2e-firefox-'));
  let browser;
  const launching = puppeteer.launch({
    browser: 'firefox', protocol: 'webDriverBiDi', executablePath: FIREFOX,
    headless: true, userDataDir: profile, defaultViewport: VIEWPORT,
  });
  try {
    // A first start creates the profile: slow on a busy machine.
    browser = await within(2 * START_TIMEOUT_MS, 'starting firefox-esr', launching);
  } catch (e) {
    launching.then((late) => late.close(), () => {}); // a start that came too late is ended
    await fs.rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch(() => {});
    throw e;
  }
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return {
    name: `Firefox ${(await browser.version()).replace(/^firefox\//, '')}`,
    async goto(url) { await page.goto(url, { waitUntil: 'load', timeout: START_TIMEOUT_MS }); },
    evaluate: (fn, ...args) => page.evaluate(fn, ...args),
    async click(selector, { frame } = {}) {
      const scope = frame ? await (await page.waitForSelector(frame, { timeout: 10_000 })).contentFrame() : page;
      // An element handle's click: a locator's also waits for the element to
      // hold still over several frames, seconds on a busy machine.
      const element = await scope.waitForSelector(selector, { timeout: 10_000 });
      await element.click();
      await element.dispose();
    },
    // puppeteer reports a same-origin frame's console and errors with the page's.
    async watchFrame() {},
    errors: async () => errors.slice(),
    async close() {
      await browser.close().catch(() => {});
      // Firefox may still be writing its profile as it exits.
      await fs.rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch(() => {});
    },
  };
}

// --- WebKit ------------------------------------------------------------------

/** A TCP port free right now on the loopback interface. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
  });
}

/** Starts Xvfb on the first free display (it names it on fd 3: -displayfd). */
async function startXvfb() {
  await requireExecutable(XVFB, 'xvfb');
  const xvfb = spawnHelper(XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  xvfb.stderr.on('data', (d) => { stderr += d; });
  const display = await within(START_TIMEOUT_MS, 'starting Xvfb', new Promise((resolve, reject) => {
    let out = '';
    xvfb.stdio[3].on('data', (d) => { out += d; if (out.includes('\n')) resolve(`:${out.trim()}`); });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${stderr.trim()}`)));
    xvfb.once('error', reject);
  })).catch(async (e) => { await stopProcess(xvfb); throw e; });
  return { display, stop: () => stopProcess(xvfb) };
}

// The helper processes run in process groups of their own (detached), so a
// signal reaches MiniBrowser and its web processes too; they are ended when
// this process exits or is interrupted, even by a test runner's timeout.
const helpers = new Set();
const signalGroup = (child, signal) => { try { process.kill(-child.pid, signal); } catch { /* already gone */ } };
process.once('exit', () => { for (const child of helpers) signalGroup(child, 'SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of helpers) signalGroup(child, 'SIGKILL');
    process.kill(process.pid, signal); // the default action, now that this handler is gone
  });
}

/** Starts a helper process in its own process group, ended with this one. */
function spawnHelper(file, args, options) {
  const child = spawn(file, args, { ...options, detached: true });
  helpers.add(child);
  child.once('exit', () => helpers.delete(child));
  return child;
}

/** SIGTERM to the helper's group, then SIGKILL if it is still there a second later. */
async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 1000);
  await exited;
  clearTimeout(timer);
}

/**
 * Collects what the page reports as errors: WebKitWebDriver speaks classic
 * WebDriver only (no BiDi, no log endpoint), and MiniBrowser in automation
 * mode ignores --enable-write-console-messages-to-stdout, so the page itself
 * keeps them. Installed once a page has loaded: an error thrown while its
 * first scripts run, or logged inside a worker, is not seen here (a failed
 * start still shows, as an alert or a control that never becomes ready).
 */
function installErrorCapture(frameSelector) {
  const win = frameSelector ? document.querySelector(frameSelector)?.contentWindow : window;
  if (!win || win.__e2eWatched) return;
  win.__e2eWatched = true;
  window.__e2eErrors ??= [];
  const seen = (text) => window.__e2eErrors.push(frameSelector ? `${frameSelector}: ${text}` : text);
  win.addEventListener('error', (e) => seen(`pageerror: ${e.message}`));
  win.addEventListener('unhandledrejection', (e) => seen(`unhandledrejection: ${e.reason?.message ?? e.reason}`));
  const original = win.console.error;
  win.console.error = (...args) => { seen(`console: ${args.map(String).join(' ')}`); original.apply(win.console, args); };
}

/** WebKitGTK's MiniBrowser through WebKitWebDriver on a private Xvfb display. */
export async function launchWebKit() {
  await requireExecutable(WEBKIT_DRIVER, 'webkit2gtk-driver');
  const miniBrowser = await findMiniBrowser();
  const { Builder, Capabilities, By } = await import('selenium-webdriver');
  const xvfb = await startXvfb();
  const port = await freePort();
  const driverProcess = spawnHelper(WEBKIT_DRIVER, [`--port=${port}`],
    // Accelerated compositing on Xvfb's software GL paints about one frame a
    // second, and the page draws (and reads its worker's news) on animation
    // frames; without it WebKitGTK paints on a 60 Hz timer, as on a real screen.
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DISPLAY: xvfb.display, WEBKIT_DISABLE_COMPOSITING_MODE: '1' } });
  let driverLog = '';
  driverProcess.stderr.on('data', (d) => { driverLog = (driverLog + d).slice(-2000); });
  const stopAll = async () => { await stopProcess(driverProcess); await xvfb.stop(); };
  let driver;
  try {
    const serverUrl = `http://127.0.0.1:${port}`;
    await waitFor(() => fetch(`${serverUrl}/status`).then((r) => r.ok, () => false), Boolean,
      { timeoutMs: START_TIMEOUT_MS, what: `WebKitWebDriver on port ${port} (log: ${driverLog.trim() || 'none'})` });
    const caps = new Capabilities();
    caps.set('browserName', 'MiniBrowser');
    // --automation lets WebKitWebDriver drive the window MiniBrowser opens.
    caps.set('webkitgtk:browserOptions', { binary: miniBrowser, args: ['--automation'] });
    driver = await within(START_TIMEOUT_MS, 'starting MiniBrowser through WebKitWebDriver',
      new Builder().usingServer(serverUrl).withCapabilities(caps).build());
    await driver.manage().window().setRect(VIEWPORT);
    await driver.manage().setTimeouts({ script: 30_000, pageLoad: START_TIMEOUT_MS });
  } catch (e) {
    await driver?.quit().catch(() => {});
    await stopAll();
    throw e;
  }
  const version = (await driver.getCapabilities()).get('browserVersion');
  const captured = [];
  // Errors kept by a page about to be left are collected first.
  const takePageErrors = async () => {
    const found = await driver.executeScript('return window.__e2eErrors?.splice(0) ?? [];').catch(() => []);
    captured.push(...found);
  };
  return {
    name: `WebKitGTK ${version}`,
    async goto(url) {
      await takePageErrors();
      await driver.get(url);
      await driver.executeScript(installErrorCapture, null);
    },
    evaluate: (fn, ...args) => driver.executeScript(fn, ...args),
    async click(selector, { frame } = {}) {
      if (frame) await driver.switchTo().frame(await driver.findElement(By.css(frame)));
      try {
        const element = await driver.findElement(By.css(selector));
        await driver.executeScript((el) => el.scrollIntoView({ block: 'center' }), element);
        await within(15_000, `WebDriver click on ${selector}`, element.click());
      } finally {
        if (frame) await driver.switchTo().defaultContent();
      }
    },
    /** Keeps the errors of the same-origin frame `frameSelector` shows now. */
    watchFrame: (frameSelector) => driver.executeScript(installErrorCapture, frameSelector),
    async errors() { await takePageErrors(); return captured.slice(); },
    async close() {
      await driver.quit().catch(() => {});
      await stopAll();
    },
  };
}

// --- The checks, the same in every browser -------------------------------------

/** The text of the first element matching `selector`, trimmed (null when absent). */
const textOf = (tab, selector) => tab.evaluate((s) => document.querySelector(s)?.textContent?.trim() ?? null, selector);
const numberOf = async (tab, selector) => Number(await textOf(tab, selector));

/** What the browser exposes that the page must do without. */
export async function browserFeatures(tab) {
  return tab.evaluate(() => ({
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    crossOriginIsolated: self.crossOriginIsolated === true,
    webAssembly: typeof WebAssembly === 'object',
  }));
}

/** Opens the playground and waits until its engine is ready. */
export async function openPlayground(tab, serverUrl) {
  await tab.goto(`${serverUrl}?lab=playground&data=xor`);
  await waitFor(() => tab.evaluate(() => document.querySelector('[data-testid="play"]')?.disabled === false), Boolean,
    { timeoutMs: 20_000, what: 'the playground engine to load' });
}

/** Trains the open playground: the epoch counter advances and the test loss shown drops. */
export async function trainPlayground(tab) {
  const startLoss = await waitFor(() => numberOf(tab, '[data-testid="test-loss"]'), Number.isFinite,
    { timeoutMs: 10_000, what: 'a first test loss' });
  assert.equal(await numberOf(tab, '[data-testid="epoch"]'), 0, 'the playground opens at epoch 0');
  await tab.click('[data-testid="play"]');
  const loss = await waitFor(() => numberOf(tab, '[data-testid="test-loss"]'), (v) => v < startLoss * 0.5,
    { timeoutMs: 20_000, intervalMs: 200, what: `the test loss to halve from ${startLoss}` });
  const epoch = await numberOf(tab, '[data-testid="epoch"]');
  await tab.click('[data-testid="play"]'); // pause: the next check has the CPU
  assert.ok(epoch > 0, `the epoch counter advanced (${epoch})`);
  return { startLoss, loss, epoch };
}

/** Opens the MNIST lab, trains until the test-subset accuracy shown passes `goal` %, pauses. */
export async function trainMnist(tab, serverUrl, goal = 80) {
  await tab.goto(`${serverUrl}?lab=mnist`);
  const scoped = (id) => `.mnist [data-testid="${id}"]`;
  // The 11 MB digit asset is fetched and unpacked in the browser.
  await waitFor(() => textOf(tab, scoped('mnist-loaded')), (t) => /60,000 training and 10,000 test digits/.test(t ?? ''),
    { timeoutMs: 60_000, intervalMs: 200, what: 'the MNIST digits to load' });
  await waitFor(() => tab.evaluate((s) => document.querySelector(s)?.disabled === false, scoped('mnist-train')), Boolean,
    { timeoutMs: 15_000, what: 'the Train button' });
  // The untrained model is evaluated first: near chance.
  const untrained = await waitFor(() => numberOf(tab, scoped('test-accuracy')), Number.isFinite,
    { timeoutMs: 15_000, what: 'the untrained model\'s test accuracy' });
  assert.ok(untrained < 30, `untrained test accuracy ${untrained}%`);
  await tab.click(scoped('mnist-train'));
  // The 1k test subset is evaluated every tenth of an epoch, the 10k set
  // every quarter and held back longer when evaluations are slow (a busy
  // machine): the subset's accuracy is the one that shows progress soonest.
  const accuracy = await waitFor(() => numberOf(tab, scoped('subset-accuracy')), (v) => v >= goal,
    { timeoutMs: 30_000, intervalMs: 250, what: `1k test subset accuracy >= ${goal}%` });
  const steps = await numberOf(tab, scoped('mnist-steps'));
  if ((await textOf(tab, scoped('mnist-train'))) === 'Pause') await tab.click(scoped('mnist-train'));
  assert.ok(accuracy <= 100 && steps > 0, `accuracy ${accuracy}% after ${steps} batches`);
  return { untrained, accuracy, steps };
}

/** The text of `selector` inside the same-origin frame `frame` (null when absent). */
const textInFrame = (tab, frame, selector) => tab.evaluate((f, s) => document.querySelector(f)?.contentDocument
  ?.querySelector(s)?.textContent?.trim() ?? null, frame, selector);

/**
 * Trains the playground shown in the same-origin frame `frame` (a lesson's
 * lab, an embedding page's): a real click on its Play, its epoch counter
 * advances, a second click pauses it.
 */
export async function trainPlaygroundInFrame(tab, frame) {
  await waitFor(() => tab.evaluate((f) => document.querySelector(f)?.contentDocument
    ?.querySelector('[data-testid="play"]')?.disabled === false, frame), Boolean,
  { timeoutMs: 20_000, what: `the playground engine in ${frame}` });
  await tab.watchFrame(frame);
  const before = Number(await textInFrame(tab, frame, '[data-testid="epoch"]'));
  await tab.click('[data-testid="play"]', { frame });
  const epoch = await waitFor(async () => Number(await textInFrame(tab, frame, '[data-testid="epoch"]')), (v) => v >= before + 10,
    { timeoutMs: 20_000, intervalMs: 200, what: `the epoch in ${frame} to advance from ${before}` });
  await tab.click('[data-testid="play"]', { frame });
  return { before, epoch };
}

/** Opens a lesson (?lesson=<id>): its title shows, and the lab in its frame trains. */
export async function openLesson(tab, serverUrl, { id, title }) {
  await tab.goto(`${serverUrl}?lesson=${id}`);
  await waitFor(() => textOf(tab, '#lesson-title'), (t) => t === title,
    { timeoutMs: 20_000, what: `the lesson title "${title}"` });
  return trainPlaygroundInFrame(tab, '[data-testid="lesson-lab"]');
}

/**
 * Fails on anything the page reported: errors the tab captured, the
 * server's Content-Security-Policy violation reports, and any alert shown
 * (a fatal notice, a crashed page, a failed load).
 */
export async function assertNoErrors(tab, server) {
  // The page's own alerts and those of its same-origin frames (a lesson's lab).
  const alerts = await tab.evaluate(() => [document, ...[...document.querySelectorAll('iframe')].map((f) => f.contentDocument)]
    .filter(Boolean).flatMap((doc) => [...doc.querySelectorAll('[role="alert"]')])
    .filter((el) => el.offsetParent !== null).map((el) => el.textContent.trim()));
  const problems = [
    ...(await tab.errors()),
    ...server.cspReports.splice(0).map((r) => `CSP report: ${JSON.stringify(r)}`),
    ...alerts.map((t) => `alert shown: ${t}`),
  ];
  assert.deepEqual(problems, [], `${tab.name} reported errors`);
}

/**
 * Registers the core-path tests for one browser: one server and one browser
 * for the file, each test one page load.
 */
export function coreCourseTests(launch) {
  let server;
  let tab;
  before(async () => {
    server = await startServer(process.env.E2E_DIST ? { root: process.env.E2E_DIST } : {});
    tab = await launch();
    console.log(`browser: ${tab.name}`);
  });
  after(async () => {
    await tab?.close();
    await server?.close();
  });

  test('the playground loads without SharedArrayBuffer and trains: epochs advance, the test loss drops', { timeout: 90_000 }, async () => {
    await openPlayground(tab, server.url);
    const features = await browserFeatures(tab);
    assert.equal(features.webAssembly, true);
    console.log(`SharedArrayBuffer ${features.sharedArrayBuffer ? 'exposed' : 'absent'}, crossOriginIsolated ${features.crossOriginIsolated}`);
    const run = await trainPlayground(tab);
    console.log(`playground: test loss ${run.startLoss} -> ${run.loss} by epoch ${run.epoch}`);
    await assertNoErrors(tab, server);
  });

  test('MNIST loads its digits and trains from chance to past 80 % test accuracy', { timeout: 120_000 }, async () => {
    const run = await trainMnist(tab, server.url);
    console.log(`MNIST: 10k test accuracy ${run.untrained} % untrained; 1k subset accuracy ${run.accuracy} % after ${run.steps} batches`);
    await assertNoErrors(tab, server);
  });

  test('a lesson opens: "The perceptron" shows its title and the lab in its frame trains', { timeout: 90_000 }, async () => {
    const run = await openLesson(tab, server.url, { id: 'perceptron', title: 'The perceptron' });
    console.log(`lesson perceptron: the lab's epoch ${run.before} -> ${run.epoch}`);
    await assertNoErrors(tab, server);
  });
}
