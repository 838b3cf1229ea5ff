// cnn-browser.mjs — issue 11's browser targets, in headless Chromium over the built page
// (web/dist through tests/e2e/lib/server.mjs):
//  1. the MNIST lab with the cnn-fast preset (its layers and training settings, a run of a
//     few epochs): time from pressing Train to >= 99.0 % on the 10k test set, and the test
//     accuracy shown 60 s after the press (target: 99.0 % within 60 s);
//  2. the ConvNetJS demo net preset: one epoch, press to finish (target: <= 10 s);
//  3. our engine's CNN training throughput in a dedicated browser worker (the module the app
//     ships, bench/cnn-workload.mjs, nothing else on the page), examples/s per preset.
// Usage: node bench/cnn-browser.mjs [--only worker|lab|cnn-fast|convnetjs] [--json]   (needs web/dist: bash build.sh web)
// --json prints one JSON line per result for bench/cnn-report.mjs instead of the text.
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, collectErrors } from '../tests/e2e/lib/index.mjs';
import { loadMnist } from './mnist-idx.mjs';
import { runDedicatedWorker } from './browser-worker.mjs';
import { NET_IDS } from './cnn-nets.mjs';
import { LAB_LINKS } from './cnn-links.mjs';

const TARGET_ACCURACY = 99.0; // percent, on the 10k test set
const TARGET_SECONDS = 60;
const CONVNETJS_EPOCH_TARGET_SECONDS = 10;
// Past the 60 s the run goes on (up to this) only to report when it reached 99.0 %.
const LIMIT_MS = 90_000;
// One ConvNetJS epoch (target 10 s) took about 60 s on this VM under a load of 10; past this
// the run is reported as failed.
const EPOCH_LIMIT_MS = 150_000;

// The MNIST lab's links: each preset's layers with the training settings it comes with
// (bench/cnn-links.mjs, checked against the presets by a Vitest test).
const LINKS = LAB_LINKS;

/** Opens a lab link, waits for the data and the built model, installs page-clock recorders. */
async function openLab(browser, server, query) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = collectErrors(page);
  const t0 = Date.now();
  await page.goto(`${server.url}?${query}`);
  await page.getByTestId('mnist-loaded').first().waitFor({ timeout: 90_000 });
  const loadSeconds = (Date.now() - t0) / 1000;
  await page.waitForFunction(() => {
    const b = document.querySelector('[data-testid=mnist-train]');
    return b instanceof HTMLButtonElement && !b.disabled;
  }, null, { timeout: 60_000 });
  // Train is pressed once the page shows its first test accuracy (the untrained weights'), as
  // a reader would: the timed run is not also waiting for the end of that evaluation.
  await page.waitForFunction(() => Number.isFinite(Number(document.querySelector('[data-testid=test-accuracy]')?.textContent?.trim() || 'x')),
    null, { timeout: 60_000 });
  // Every test-accuracy value the page shows, with the time on the page's own clock, and the
  // time of the press and of the "Finished" notice.
  await page.evaluate(() => {
    const rec = { pressedAt: 0, finishedAt: 0, accuracies: [] };
    window.__cnnBench = rec;
    // On the document: the page may render a new button element before the press.
    document.addEventListener('pointerdown', (e) => {
      if (e.target instanceof Element && e.target.closest('[data-testid=mnist-train]')) rec.pressedAt ||= performance.now();
    }, { capture: true });
    let lastText = null;
    const look = () => {
      const acc = document.querySelector('[data-testid=test-accuracy]');
      const text = acc?.textContent?.trim() ?? '';
      if (rec.pressedAt && text !== lastText) {
        lastText = text;
        const v = Number(text);
        if (text !== '' && Number.isFinite(v)) rec.accuracies.push({ t: performance.now(), v });
      }
      const n = document.querySelector('[data-testid=mnist-notice]');
      if (rec.pressedAt && !rec.finishedAt && n && /Finished/.test(n.textContent ?? '')) rec.finishedAt = performance.now();
    };
    new MutationObserver(look).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  return { page, errors, loadSeconds };
}

const text = async (page, id) => (await page.getByTestId(id).first().textContent())?.trim();

/** cnn-fast: press Train; time to >= 99.0 %, accuracy shown at 60 s. */
async function measureTimeToTarget(browser, server) {
  const { page, errors, loadSeconds } = await openLab(browser, server, LINKS['cnn-fast']);
  try {
    await page.getByTestId('mnist-train').first().click();
    const pressed = Date.now();
    await page.waitForFunction(({ target, seconds, limit }) => {
      const r = window.__cnnBench;
      const since = performance.now() - r.pressedAt;
      const hit = r.accuracies.some((a) => a.v >= target);
      // A run that stops at its epoch limit says Finished, then shows its final evaluation.
      const finalShown = r.finishedAt > 0 && r.accuracies.some((a) => a.t > r.finishedAt);
      return finalShown || since > limit || (since > seconds * 1000 && hit);
    }, { target: TARGET_ACCURACY, seconds: TARGET_SECONDS, limit: LIMIT_MS }, { timeout: LIMIT_MS + 30_000, polling: 250 });
    const rec = await page.evaluate(() => window.__cnnBench);
    const after = (a) => (a.t - rec.pressedAt) / 1000;
    const hit = rec.accuracies.find((a) => a.v >= TARGET_ACCURACY);
    const byDeadline = rec.accuracies.filter((a) => after(a) <= TARGET_SECONDS);
    const result = {
      kind: 'time-to-target', net: 'cnn-fast', loadSeconds,
      toTargetSeconds: hit ? after(hit) : null,
      accuracyAtTarget: hit ? hit.v : null,
      accuracyAt60s: byDeadline.length ? byDeadline[byDeadline.length - 1].v : null,
      bestAccuracy: rec.accuracies.length ? Math.max(...rec.accuracies.map((a) => a.v)) : null,
      evaluations: rec.accuracies.map((a) => [Number(after(a).toFixed(2)), a.v]),
      watchedSeconds: (Date.now() - pressed) / 1000,
      finishedSeconds: rec.finishedAt ? (rec.finishedAt - rec.pressedAt) / 1000 : null,
      epochs: Number(await text(page, 'epoch')),
      trainTime: await text(page, 'train-time'),
      examplesPerSecShown: await text(page, 'examples-per-sec'),
    };
    errors.assertNone();
    return result;
  } finally {
    await page.close();
  }
}

/** convnetjs: one epoch (the link asks for epochs=1), press to "Finished". */
async function measureConvnetjsEpoch(browser, server) {
  const { page, errors } = await openLab(browser, server, LINKS.convnetjs);
  try {
    await page.getByTestId('mnist-train').first().click();
    await page.waitForFunction(() => window.__cnnBench.finishedAt > 0, null, { timeout: EPOCH_LIMIT_MS, polling: 250 }).catch(async (e) => {
      throw new Error(`${e.message}; the page shows epoch ${await text(page, 'epoch')}, notice "${await text(page, 'mnist-notice').catch(() => '')}"`);
    });
    // The accuracy after the epoch is the final evaluation that follows "Finished" (the
    // last one shown before it may be the untrained weights': during one short epoch the
    // page may run only 1k-subset evaluations).
    await page.waitForFunction(() => window.__cnnBench.accuracies.some((a) => a.t > window.__cnnBench.finishedAt),
      null, { timeout: 60_000, polling: 250 }).catch(() => undefined);
    const rec = await page.evaluate(() => window.__cnnBench);
    const final = rec.accuracies.find((a) => a.t > rec.finishedAt);
    const result = {
      kind: 'epoch', net: 'convnetjs',
      epochSeconds: (rec.finishedAt - rec.pressedAt) / 1000,
      trainTime: await text(page, 'train-time'),
      accuracy: final ? final.v : null,
    };
    errors.assertNone();
    return result;
  } finally {
    await page.close();
  }
}

/** Our engine in a dedicated worker: examples/s per preset (records as cnn-workload's). */
async function measureWorker(browser, nets) {
  const train = loadMnist('train');
  const r = await runDedicatedWorker(browser, {
    worker: 'cnn-worker.mjs', files: ['./cnn-nets.mjs', './cnn-workload.mjs', './cnn-worker.mjs'],
    data: { 'train-images.u8': train.images, 'train-labels.u8': train.labels }, message: { nets },
  });
  return r.records.map((rec) => ({ kind: 'throughput', impl: 'wasm-browser', ...rec }));
}

async function main() {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
  const json = args.includes('--json');
  const results = [];
  const browser = await launchBrowser();
  try {
    // One part failing still reports the others (and the exit status says it failed).
    const part = async (what, fn) => {
      process.stderr.write(`running ${what}...\n`);
      try {
        const r = await fn();
        results.push(...(Array.isArray(r) ? r : [r]));
      } catch (e) {
        console.error(`${what} failed: ${e.stack || e}`);
        process.exitCode = 1;
      }
    };
    if (!only || only === 'worker') await part('our engine in a dedicated browser worker', () => measureWorker(browser, NET_IDS));
    if (only !== 'worker') {
      const server = await startServer();
      try {
        if (only !== 'convnetjs') await part('the MNIST lab, cnn-fast', () => measureTimeToTarget(browser, server));
        if (only !== 'cnn-fast') await part('the MNIST lab, ConvNetJS net, one epoch', () => measureConvnetjsEpoch(browser, server));
      } finally {
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  if (json) {
    for (const r of results) console.log(JSON.stringify(r));
    return;
  }
  printResults(results);
}

export function printResults(results) {
  const pct = TARGET_ACCURACY.toFixed(1);
  const f = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  console.log(`CNN in the browser (headless Chromium, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)})`);
  const worker = results.filter((r) => r.kind === 'throughput');
  for (const id of NET_IDS) {
    const rounds = worker.filter((r) => r.net === id);
    if (!rounds.length) continue;
    const best = Math.max(...rounds.map((r) => r.samples / r.seconds));
    console.log(`  dedicated worker, ${id}: ${best.toFixed(0)} examples/s (best of ${rounds.length} rounds)`);
  }
  const t = results.find((r) => r.kind === 'time-to-target');
  if (t) {
    console.log(`  cnn-fast, Train -> >= ${pct}% on the 10k test set: ${t.toTargetSeconds === null ? `not reached in ${f(t.watchedSeconds, 0)} s` : `${f(t.toTargetSeconds)} s (${f(t.accuracyAtTarget)}%)`}` +
      `; accuracy shown at ${TARGET_SECONDS} s: ${f(t.accuracyAt60s)}%` +
      `  (target >= ${pct}% within ${TARGET_SECONDS} s: ${t.toTargetSeconds !== null && t.toTargetSeconds <= TARGET_SECONDS ? 'met' : 'NOT met'})`);
    console.log(`    data load ${f(t.loadSeconds, 1)} s; ${t.epochs} epochs, ${t.trainTime} in training steps` +
      `${t.finishedSeconds !== null ? `, Finished at ${f(t.finishedSeconds, 1)} s` : ''}; best ${f(t.bestAccuracy)}%`);
    console.log(`    full test evaluations (s after Train, %): ${t.evaluations.map(([s, v]) => `${s}:${v}`).join(' ')}`);
  }
  const e = results.find((r) => r.kind === 'epoch');
  if (e) {
    console.log(`  ConvNetJS demo net, one epoch (Train -> Finished): ${f(e.epochSeconds)} s (${e.trainTime} in training steps), test accuracy ${f(e.accuracy)}%` +
      `  (target <= ${CONVNETJS_EPOCH_TARGET_SECONDS} s: ${e.epochSeconds <= CONVNETJS_EPOCH_TARGET_SECONDS ? 'met' : 'NOT met'})`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => { console.error(e); process.exit(1); });
}
