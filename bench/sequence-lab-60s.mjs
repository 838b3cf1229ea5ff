#!/usr/bin/env node
// The sequence lab in the browser: the validation loss the names task
// reaches 60 s after pressing Train, with the lab's defaults (LSTM 1x64,
// 32 steps, batch 32, Adam 0.01, clip 5) or the link given, and the speed.
// Needs a built page (bash build.sh web). Usage:
//   node bench/sequence-lab-60s.mjs ['&hidden=128...'] [seconds]
import { startServer, launchBrowser, collectErrors, waitFor } from '../tests/e2e/lib/index.mjs';

const extra = process.argv[2] ?? '';
const seconds = Number(process.argv[3] ?? 60);
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = collectErrors(page);
  await page.goto(`${server.url}?lab=sequence${extra}`);
  await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 60_000, what: 'the model' });
  const read = async (id) => ((await page.getByTestId(id).textContent()) ?? '').trim();
  await page.getByTestId('play').click();
  const t0 = Date.now();
  const rows = [];
  for (let s = 10; s <= seconds; s += 10) {
    await page.waitForTimeout(t0 + s * 1000 - Date.now());
    rows.push({ s, epoch: await read('epoch'), train: await read('train-loss'), val: await read('val-loss'), ppl: await read('perplexity'), stepsPerSec: await read('steps-per-sec'), symbolsPerSec: await read('symbols-per-sec') });
    console.log(JSON.stringify(rows[rows.length - 1]));
  }
  console.log(`link: ?lab=sequence${extra}; samples: ${(await page.getByTestId('samples').locator('li').allTextContents()).join(', ')}`);
  errors.assertNone();
} finally {
  await browser.close();
  await server.close();
}
