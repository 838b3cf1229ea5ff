// Full-speed playground epochs/s of two builds of the page, in one browser,
// alternating A and B so the machine's drift hits both alike (issue 12 §1:
// pacing must leave full speed as it was). The workload is the browser
// benchmark's: spiral, six hidden layers of 8 tanh units, batch 10.
//
// Usage: node bench/pace-ab.mjs <distA> <distB> [--rounds 3] [--seconds 6]
//   e.g. a build of the commit before pacing (git archive, bash build.sh wasm web)
//   against web/dist.

import path from 'node:path';
import { startServer, launchBrowser } from '../tests/e2e/lib/index.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : dflt; };
const dists = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (dists.length !== 2) throw new Error('usage: node bench/pace-ab.mjs <distA> <distB> [--rounds 3] [--seconds 6]');
const rounds = opt('rounds', 3);
const seconds = opt('seconds', 6);
const QUERY = '?data=spiral&hidden=8,8,8,8,8,8&act=tanh&batch=10&lr=0.03';

const servers = await Promise.all(dists.map((root) => startServer({ root: path.resolve(root) })));
const browser = await launchBrowser();
const epoch = async (page) => Number((await page.getByTestId('epoch').first().textContent()).trim());

async function measure(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url + QUERY);
  const play = page.getByTestId('play');
  for (let t = 0; !(await play.isEnabled()); t++) { if (t > 200) throw new Error('engine did not load'); await page.waitForTimeout(100); }
  await play.click();
  await page.waitForTimeout(2000); // warm-up
  const e0 = await epoch(page), t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const e1 = await epoch(page), t1 = Date.now();
  await context.close();
  return ((e1 - e0) * 1000) / (t1 - t0);
}

const results = [[], []];
for (let r = 0; r < rounds; r++) {
  for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) results[k].push(await measure(servers[k].url));
  console.log(`round ${r + 1}: A ${results[0].at(-1).toFixed(1)}, B ${results[1].at(-1).toFixed(1)} epochs/s`);
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const [a, b] = results.map(mean);
console.log(`A ${dists[0]}: ${a.toFixed(1)} epochs/s (${results[0].map((x) => x.toFixed(1)).join(', ')})`);
console.log(`B ${dists[1]}: ${b.toFixed(1)} epochs/s (${results[1].map((x) => x.toFixed(1)).join(', ')})`);
console.log(`B/A: ${(b / a).toFixed(3)}`);
await browser.close();
await Promise.all(servers.map((s) => s.close()));
