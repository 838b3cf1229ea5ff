#!/usr/bin/env node
// gan-digits.mjs — the digits GAN lab's target, measured in the browser:
// "recognisable digits within 3 minutes". In one run it
//  1. trains a reference MNIST classifier with the engine in Node
//     (bench/gan-digits-classifier.mjs: MLP 784-256-10, 6 Adam epochs, >= 98 %
//     on the 10k test set), then
//  2. opens the digits lab (lab=digits, its defaults or the link given) in
//     Debian's Chromium, presses Train, and at 1, 2 and 3 minutes reads the
//     lab's 10x10 grid of samples from fixed noise (the canvas pixels, one
//     per image pixel) and classifies those 100 digits: the share classified
//     with confidence >= 0.9 and how many distinct digits they are.
// Needs a built page (bash build.sh web). Usage:
//   node bench/gan-digits.mjs ['&glr=0.0005...'] [minutes]
import { loadavg, cpus } from 'node:os';
import { startServer, launchBrowser, collectErrors, waitFor } from '../tests/e2e/lib/index.mjs';
import { trainClassifier, CONFIDENT } from './gan-digits-classifier.mjs';

const extra = process.argv[2] ?? '';
const minutes = Number(process.argv[3] ?? 3);
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

console.log(JSON.stringify({ cpus: cpus().length, loadavg: load() }));
const judge = await trainClassifier();
console.log(JSON.stringify({ classifier: 'MLP 784-256-10, 6 epochs Adam 1e-3', testAccuracy: judge.accuracy, trainSeconds: judge.trainSeconds }));
if (judge.accuracy < 0.98) console.log(`warning: the reference classifier reached ${(100 * judge.accuracy).toFixed(2)} % (< 98 %)`);

const server = await startServer();
const browser = await launchBrowser();
const rows = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(`${server.url}?lab=digits${extra}&theme=light`);
  const lab = page.locator('.gan-digits');
  await waitFor(() => lab.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 120_000, what: 'the digits and the networks' });
  const grid = lab.getByTestId('sample-grid');
  /** The grid's 100 digits as ink 0..1 (the page paints ink v as grey 255 - 245 v on the light theme). */
  const readGrid = async () => {
    const px = await grid.evaluate((c) => Array.from(c.getContext('2d').getImageData(0, 0, 280, 280).data.filter((_, i) => i % 4 === 0)));
    const ink = new Float32Array(100 * 784);
    for (let y = 0; y < 280; y++) {
      for (let x = 0; x < 280; x++) {
        const cell = Math.floor(y / 28) * 10 + Math.floor(x / 28);
        ink[cell * 784 + (y % 28) * 28 + (x % 28)] = Math.min(1, Math.max(0, (255 - px[y * 280 + x]) / 245));
      }
    }
    return ink;
  };
  await lab.getByTestId('play').click();
  const t0 = Date.now();
  for (let m = 1; m <= minutes; m++) {
    await page.waitForTimeout(t0 + m * 60_000 - Date.now());
    const iteration = Number(await lab.getByTestId('iteration').textContent());
    const rate = (await lab.getByTestId('iterations-per-sec').textContent())?.trim();
    const score = judge.score(await readGrid(), 100);
    rows.push({ minute: m, iteration, iterationsPerSec: rate, confidentShare: score.confidentShare, distinctDigits: score.distinctDigits, perDigit: score.perDigit.join(' '), loadavg: load() });
    console.log(JSON.stringify(rows[rows.length - 1]));
  }
  errors.assertNone();
} finally {
  await browser.close();
  await server.close();
}
console.log(`\nlab=digits${extra}: share of 100 fixed-noise samples the reference classifier (${(100 * judge.accuracy).toFixed(2)} %) reads with confidence >= ${CONFIDENT}, and distinct digits among them`);
for (const r of rows) console.log(`  ${r.minute} min: ${r.iteration} iterations, ${(100 * r.confidentShare).toFixed(0)} % confident, ${r.distinctDigits} distinct digits (load ${r.loadavg})`);
