#!/usr/bin/env node
// The 2-D GAN lab in the browser: for each real distribution, the lab's
// defaults (or the link given) trained for `seconds` after pressing Train,
// with the sliced Wasserstein distance, JS, iterations and the lab's
// diagnosis every 5 s. Needs a built page (bash build.sh web). Usage:
//   node bench/gan-lab-browser.mjs [seconds] ['&loss=least_squares...'] [dist,dist,...]
import { startServer, launchBrowser, collectErrors, waitFor } from '../tests/e2e/lib/index.mjs';

const seconds = Number(process.argv[2] ?? 15);
const extra = process.argv[3] ?? '';
const dists = (process.argv[4] ?? 'ring,gaussians,line,moons,spiral').split(',');
const server = await startServer();
const browser = await launchBrowser();
try {
  for (const dist of dists) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(`${server.url}?lab=gan&data=${dist}${extra}`);
    await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 60_000, what: 'the GAN' });
    const read = async (id) => ((await page.getByTestId(id).textContent()) ?? '').trim();
    const start = await waitFor(() => read('distance'), (v) => Number.isFinite(Number(v)), { what: 'the untrained distance' });
    await page.getByTestId('play').click();
    const t0 = Date.now();
    for (let s = 5; s <= seconds; s += 5) {
      await page.waitForTimeout(t0 + s * 1000 - Date.now());
      console.log(JSON.stringify({ dist, s, iteration: Number(await read('iteration')), distance: Number(await read('distance')), start: Number(start),
        js: Number(await read('js')), itPerSec: await read('iterations-per-sec'), diagnosis: (await page.getByTestId('diagnosis').getAttribute('data-kind')) }));
    }
    errors.assertNone();
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
