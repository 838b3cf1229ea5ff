// Browser benchmark of the playground (issue 3 §10): TensorFlow Playground's
// hardest usual case — spiral, inputs x1 and x2, six hidden layers of 8 tanh
// units, batch 10, learning rate 0.03, 50% train — in headless Chromium,
// with the output map and every neuron thumbnail updating live.
//
// Reports epochs/s, the heatmap refresh rate (Hz), and the worker engine's
// examples/s two ways: in the playground's own worker while the page redraws
// live (training calls only, but sharing the 2 cores with the page), and in a
// dedicated worker with nothing else running (bench/engine-worker.mjs, the
// same module file the app ships) — the like-for-like figure against the
// reference, which was measured in Node with no page either. The peer, measured in the same run in Node, is an
// object-per-neuron JavaScript engine built the way TensorFlow Playground's
// nn.ts is (one object per node and per link, one example at a time); the
// issue's reference figures (197,000 examples/s engine, 27 epochs/s page on
// a 2-core Xeon) are printed beside it.
//
// Usage: node bench/playground-browser.mjs [--seconds 8]   (needs web/dist: bash build.sh web)

import { startServer, launchBrowser } from '../tests/e2e/lib/index.mjs';
import { runDedicatedWorker } from './browser-worker.mjs';
import { peerExamplesPerSecond } from './playground-peer.mjs';
import { REFERENCE_EXAMPLES_PER_SEC, TRAIN_POINTS } from './playground-workload.mjs';

/** examples/s of the engine workload in a dedicated worker of `browser`. */
async function dedicatedWorkerRate(browser, secs) {
  const r = await runDedicatedWorker(browser, {
    worker: 'engine-worker.mjs', files: ['./playground-workload.mjs', './engine-worker.mjs'], message: { seconds: secs },
  });
  return r.examplesPerSec;
}

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 8;
const REF_PAGE_EPOCHS = 27;
const QUERY = '?v=1&data=spiral&noise=0&train=50&hidden=8,8,8,8,8,8&act=tanh,tanh,tanh,tanh,tanh,tanh' +
  '&feat=x1,x2&opt=sgd&lr=0.03&reg=none&rr=0&batch=10&seed=1';

const server = await startServer(process.env.BENCH_DIST ? { root: process.env.BENCH_DIST } : {});
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + QUERY);
  await page.getByTestId('play').waitFor();
  for (let i = 0; i < 200 && !(await page.getByTestId('play').isEnabled()); i++) await page.waitForTimeout(100);
  // Count redraws: each snapshot drawn re-renders the epoch counter, the
  // output map and the thumbnails in the same frame.
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="epoch"]');
    window.__redraws = 0;
    new MutationObserver(() => { window.__redraws++; }).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await page.getByTestId('play').click();
  await page.waitForTimeout(1500); // warm-up: V8 tiers up the WASM
  const read = () => page.evaluate(() => ({
    epoch: Number(document.querySelector('[data-testid="epoch"]').textContent),
    redraws: window.__redraws,
    engine: Number(document.querySelector('[data-testid="examples-per-sec"]')?.dataset.engineRate ?? 0),
    grid: Number(document.querySelector('[data-testid="dataset-canvas"]')?.dataset.gridSize ?? 0),
    t: performance.now(),
  }));
  const a = await read();
  const engineSamples = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await page.waitForTimeout(500);
    engineSamples.push((await read()).engine);
  }
  const b = await read();
  const dt = (b.t - a.t) / 1000;
  const epochsPerSec = (b.epoch - a.epoch) / dt;
  const hz = (b.redraws - a.redraws) / dt;
  engineSamples.sort((x, y) => x - y);
  const engine = engineSamples[Math.floor(engineSamples.length / 2)];
  await page.getByTestId('play').click(); // pause: the dedicated worker runs alone
  const dedicated = await dedicatedWorkerRate(browser, Math.min(5, seconds));
  const peer = peerExamplesPerSecond({ seconds: Math.min(4, seconds) });

  const fmt = (x) => Math.round(x).toLocaleString('en-US');
  console.log('Playground in headless Chromium — spiral, x1 x2, 6×8 tanh, batch 10, lr 0.03, 50% train');
  console.log(`  page:   ${epochsPerSec.toFixed(0)} epochs/s (${fmt(epochsPerSec * TRAIN_POINTS)} examples/s) with live heatmaps at ${hz.toFixed(1)} Hz (output map ${b.grid}×${b.grid}, 49 neuron thumbnails 24×24)`);
  console.log(`          vs TF Playground page reference ${REF_PAGE_EPOCHS} epochs/s: ${(epochsPerSec / REF_PAGE_EPOCHS).toFixed(1)}×` +
    `   (targets: ≥ 300 epochs/s ${epochsPerSec >= 300 ? 'met' : 'NOT met'}, ≥ 30 Hz ${hz >= 30 ? 'met' : 'NOT met'})`);
  console.log(`  engine: ${fmt(dedicated)} examples/s in a dedicated worker, nothing else running`);
  console.log(`          vs TF Playground engine reference ${fmt(REFERENCE_EXAMPLES_PER_SEC)}: ${(dedicated / REFERENCE_EXAMPLES_PER_SEC).toFixed(1)}×   (target ≥ 10×: ${dedicated >= 10 * REFERENCE_EXAMPLES_PER_SEC ? 'met' : 'NOT met'})`);
  console.log(`          vs object-per-neuron JS peer measured now in Node, ${fmt(peer)} examples/s: ${(dedicated / peer).toFixed(1)}×`);
  console.log(`          in the playground's worker during the live run: ${fmt(engine)} examples/s (median of ${engineSamples.length} samples, training calls only; the page shares the 2 cores), ${(engine / REFERENCE_EXAMPLES_PER_SEC).toFixed(1)}× the reference`);
  if (errors.length) {
    console.log(`  page errors: ${errors.join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
  await server.close();
}
