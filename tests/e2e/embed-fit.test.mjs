// Embeds fit their frame (issue 10, part 5): the snippet "Copy embed code"
// gives is pasted into a host page on another origin, and inside the frame
// the document does not scroll while the output map, the network and the run
// controls are all in view. Checked at the snippet's size, at 360 px wide
// (the same snippet on a phone: max-width:100% narrows it) and at the
// README example's size, for the default network, a drawn data set (draw
// tools shown too) and a 1-D regression through 8 hidden layers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { playgroundFixture, startServer, collectErrors, waitFor } from './lib/index.mjs';

const fx = playgroundFixture();
const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');

// The host pages live on a second server: another port, another origin.
let hostDir;
let host;
before(async () => {
  hostDir = await fs.mkdtemp(path.join(os.tmpdir(), 'embed-host-'));
  await fs.writeFile(path.join(hostDir, 'index.html'), '<!doctype html><title>host</title>');
  host = await startServer({ root: hostDir });
});
after(async () => {
  await host?.close();
  if (hostDir) await fs.rm(hostDir, { recursive: true, force: true });
});

/** The snippet the page's "Copy embed code" gives for `query`. */
async function copiedSnippet(query) {
  const { page, errors, close } = await fx.open(query);
  await page.getByTestId('copy-embed').click();
  const snippet = await page.getByTestId('share-text').inputValue();
  errors.assertNone();
  await close();
  return snippet;
}

function frameSize(snippet) {
  const width = Number(/\swidth="(\d+)"/.exec(snippet)?.[1]);
  const height = Number(/\sheight="(\d+)"/.exec(snippet)?.[1]);
  assert.ok(width > 0 && height > 0, `a width and height in ${snippet}`);
  return { width, height };
}

/** The snippet with another size, as a course author would edit it. */
function resized(snippet, width, height) {
  return snippet.replace(/\swidth="\d+"/, ` width="${width}"`).replace(/\sheight="\d+"/, ` height="${height}"`);
}

/**
 * Pastes `snippet` into a host page `hostWidth` px wide (no body margin, so
 * max-width:100% alone narrows the frame) and measures inside the frame,
 * after `act(frame)` if given.
 */
async function measureEmbed(snippet, hostWidth, act = null) {
  const name = `host-${Math.random().toString(36).slice(2)}.html`;
  const html = `<!doctype html><meta charset="utf-8"><title>A course page</title><link rel="icon" href="data:,">
<style>body { margin: 0; }</style>
<p>Some text of the course.</p>
${snippet}
<p>More text.</p>`;
  await fs.writeFile(path.join(hostDir, name), html);
  const context = await fx.browser.newContext({ viewport: { width: hostWidth, height: 900 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(host.url + name);
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  assert.ok(frame, 'the iframe has a document');
  assert.notEqual(new URL(frame.url()).origin, new URL(page.url()).origin, 'the frame is on another origin than the host');
  await waitFor(() => frame.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 20000, what: 'the engine in the frame' });
  if (act) await act(frame);
  const measure = () => frame.evaluate(() => {
    const box = (sel) => {
      const el = document.querySelector(sel);
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    };
    const doc = document.documentElement;
    return {
      innerWidth, innerHeight, scrollWidth: doc.scrollWidth, scrollHeight: doc.scrollHeight,
      boxes: {
        map: box('[data-testid="dataset-canvas"]'),
        network: box('[data-testid="network"]'),
        networkDrawing: box('[data-testid="network"] canvas'),
        play: box('[data-testid="play"]'),
        step: box('[data-testid="step"]'),
        reset: box('[data-testid="reset"]'),
        epoch: box('[data-testid="epoch"]'),
        drawTools: box('.draw-tools'),
        editor: box('.param-editor'),
      },
    };
  });
  // The layout settles within a few frames (the network measures its box).
  const fits = (m) => m.scrollHeight <= m.innerHeight + 1 && m.scrollWidth <= m.innerWidth + 1 &&
    Object.values(m.boxes).every((b) => b === null || (b.left >= -1 && b.top >= -1 && b.right <= m.innerWidth + 1 && b.bottom <= m.innerHeight + 1));
  let m = await measure();
  const deadline = Date.now() + 3000;
  while (!fits(m) && Date.now() < deadline) {
    await page.waitForTimeout(100);
    m = await measure();
  }
  errors.assertNone();
  await context.close();
  return m;
}

function assertFits(m, label, { drawTools = false, editor = false } = {}) {
  const b = m.boxes;
  const heights = `frame ${m.innerWidth}x${m.innerHeight}, content ${m.scrollWidth}x${m.scrollHeight}; ` +
    Object.entries(b).filter(([, v]) => v).map(([k, v]) => `${k} ${Math.round(v.top)}-${Math.round(v.bottom)} (x ${Math.round(v.left)}-${Math.round(v.right)})`).join(', ');
  console.log(`${label}: ${heights}`);
  assert.ok(m.scrollHeight <= m.innerHeight + 1, `${label}: the frame scrolls vertically: ${heights}`);
  assert.ok(m.scrollWidth <= m.innerWidth + 1, `${label}: the frame scrolls sideways: ${heights}`);
  for (const key of ['map', 'network', 'networkDrawing', 'play', 'step', 'reset', 'epoch', ...(drawTools ? ['drawTools'] : []), ...(editor ? ['editor'] : [])]) {
    const r = b[key];
    assert.ok(r, `${label}: ${key} is shown`);
    assert.ok(r.width > 0 && r.height > 0, `${label}: ${key} has a size: ${heights}`);
    assert.ok(r.left >= -1 && r.top >= -1 && r.right <= m.innerWidth + 1 && r.bottom <= m.innerHeight + 1,
      `${label}: ${key} is not fully inside the frame: ${heights}`);
  }
  // Still readable: the map is a square of at least 200 px.
  assert.ok(b.map.width >= 200 && Math.abs(b.map.width - b.map.height) <= 1, `${label}: map ${b.map.width}x${b.map.height}`);
}

const LABS = [
  { name: 'default playground', query: '' },
  { name: 'drawn data set', query: '?data=custom', drawTools: true },
  { name: '1-D regression, 8 hidden layers', query: '?data=sin1d&hidden=8,8,8,8,8,8,8,8' },
];

for (const lab of LABS) {
  test(`embed fits its frame: ${lab.name}`, async () => {
    const snippet = await copiedSnippet(lab.query);
    assert.match(snippet, /^<iframe src="[^"]*embed=1/);
    const size = frameSize(snippet);
    const cases = [
      { label: `snippet ${size.width}x${size.height}`, snippet, hostWidth: 1280, width: size.width, height: size.height },
      { label: `phone 360x${size.height}`, snippet, hostWidth: 360, width: 360, height: size.height },
      { label: 'phone 360x560', snippet: resized(snippet, size.width, 560), hostWidth: 360, width: 360, height: 560 },
    ];
    for (const c of cases) {
      const m = await measureEmbed(c.snippet, c.hostWidth);
      assert.deepEqual([m.innerWidth, m.innerHeight], [c.width, c.height], `${lab.name}, ${c.label}: the frame's size`);
      assertFits(m, `${lab.name}, ${c.label}`, lab);
    }
  });
}

test('the README example snippet fits its own size', async () => {
  const readme = await fs.readFile(README, 'utf8');
  const example = /<iframe src="[^"]*embed=1[^>]*>/.exec(readme.replace(/\n\s*/g, ' '))?.[0];
  assert.ok(example, 'README has an example <iframe> with embed=1');
  const size = frameSize(example);
  // The README's link points at example.org: the same query, on this server.
  const query = new URL(/src="([^"]*)"/.exec(example)[1].replace(/&amp;/g, '&')).search;
  const snippet = `<iframe src="${fx.server.url}${query}" title="example" width="${size.width}" height="${size.height}" style="border:0;max-width:100%"></iframe>`;
  const m = await measureEmbed(snippet, 1280);
  assert.deepEqual([m.innerWidth, m.innerHeight], [size.width, size.height]);
  assertFits(m, `README example ${size.width}x${size.height}`);
});

test('a weight editor opened in an embed stays inside the frame', async () => {
  const snippet = resized(await copiedSnippet(''), 760, 560);
  // The output node is the rightmost: its bias editor opens on its left.
  const m = await measureEmbed(snippet, 360, async (frame) => {
    await frame.locator('.node-hit').last().click();
    // The field appears once the engine has built the network (before that the editor says so).
    await frame.getByTestId('param-input').waitFor({ timeout: 20_000 });
  });
  assertFits(m, 'phone 360x560, output bias editor open', { editor: true });
});
