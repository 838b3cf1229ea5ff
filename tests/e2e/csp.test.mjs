// The Content-Security-Policy of the built pages: carried by every page,
// strict, and really enforced, with zero violations in normal use (the
// fixture fails any e2e test on a violation; here the check is also shown to
// catch one, in the page and in a worker).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { playgroundFixture, waitFor, readNumber, describeViolations, DIST_DIR } from './lib/index.mjs';

const fx = playgroundFixture();

/** The directives of a policy: name -> list of sources. */
function directives(policy) {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));
}

test('every built page carries one strict policy, in a meta tag and as the server header', async () => {
  const policy = fx.server.policy;
  assert.ok(policy, 'web/dist/index.html has no Content-Security-Policy meta tag');
  const d = directives(policy);
  assert.deepEqual(d.get('default-src'), ["'none'"]);
  assert.deepEqual(d.get('script-src'), ["'self'", "'wasm-unsafe-eval'"], 'scripts: this origin only, no inline, no eval');
  for (const name of ['style-src', 'connect-src', 'worker-src']) assert.deepEqual(d.get(name), ["'self'"], name);
  for (const [name, sources] of d) {
    for (const s of sources) {
      assert.ok(!/^'unsafe-(inline|eval|hashes)'$/.test(s), `${name} allows ${s}`);
      assert.ok(["'self'", "'none'", "'wasm-unsafe-eval'", 'data:'].includes(s), `${name} allows ${s}: no other origin or scheme`);
    }
  }
  const pages = (await fs.readdir(DIST_DIR, { recursive: true })).filter((f) => f.endsWith('.html'));
  assert.ok(pages.includes('index.html') && pages.includes('embed-example.html'), `built pages: ${pages}`);
  for (const page of pages) {
    const res = await fetch(fx.server.url + page.split(path.sep).join('/'));
    const html = await res.text();
    assert.equal(html.match(/http-equiv="Content-Security-Policy"/g)?.length, 1, `${page}: one policy tag`);
    assert.ok(html.includes(`content="${policy}"`), `${page} carries the same policy`);
    assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), `${page}: an inline <script>`);
    assert.ok(!/<style\b|\sstyle=/i.test(html), `${page}: inline style`);
    assert.ok(res.headers.get('content-security-policy')?.startsWith(policy), `${page}: the header policy`);
  }
});

test('training, the MNIST tab and the example host page run without a violation', async () => {
  const { page, errors, context, close } = await fx.open();
  assert.ok(page.workers().length >= 1, 'the training worker runs (and is watched)');
  await page.getByTestId('play').click();
  await waitFor(() => readNumber(page, 'epoch'), (e) => e >= 30, { timeoutMs: 30000, what: 'training' });
  await page.getByTestId('play').click();

  await page.getByTestId('tab-mnist').click();
  await page.getByTestId('mnist-loaded').first().waitFor({ timeout: 60_000 });

  const host = await context.newPage();
  await host.goto(`${fx.server.url}embed-example.html`);
  await waitFor(() => host.getByTestId('host-ready').textContent(), (t) => t === 'yes', { timeoutMs: 20000, what: 'the embedded playground' });
  await host.getByTestId('host-step').click();
  await waitFor(() => host.getByTestId('host-epoch').textContent(), (t) => Number(t) >= 10, { timeoutMs: 10000, what: 'steps from the host page' });

  await page.waitForTimeout(500); // let any report reach the server
  const found = fx.takeCspViolations();
  assert.equal(found.length, 0, `violations:\n${describeViolations(found)}`);
  errors.assertNone();
  await close();
});

test('the check catches a violation: an inline script in the page, eval in a worker', async () => {
  const { page, errors, close } = await fx.open();
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
    return window.__inlineRan === true;
  });
  assert.equal(ran, false, 'the inline script must not run');
  const inPage = await waitFor(() => fx.takeCspViolations(), (v) => v.length > 0, { timeoutMs: 5000, what: 'a recorded violation' });
  await page.waitForTimeout(500);
  const all = [...inPage, ...fx.takeCspViolations()];
  const via = new Set(all.map((v) => v.via));
  for (const net of ['event', 'console', 'report']) assert.ok(via.has(net), `caught by ${net}:\n${describeViolations(all)}`);
  assert.ok(all.some((v) => v.via === 'event' && v.directive === 'script-src-elem' && v.blocked === 'inline'));

  // In the training worker the page's <meta> does not apply; the server's
  // header policy does, and the worker's listener reports through the console.
  // (DevTools lets eval run inside an evaluate call itself, so the eval runs
  // from a timer, as the worker's own code would.)
  const [worker] = page.workers();
  const evalResult = await worker.evaluate(() => new Promise((resolve) => {
    setTimeout(() => {
      try {
        resolve(String((0, eval)('6 * 7')));
      } catch (e) {
        resolve(e.name);
      }
    });
  }));
  assert.equal(evalResult, 'EvalError', 'eval must be refused in the worker');
  const inWorker = await waitFor(() => fx.takeCspViolations(), (v) => v.some((x) => x.via === 'console' && /in a worker/.test(x.text)),
    { timeoutMs: 5000, what: "the worker's violation" });
  assert.ok(inWorker.some((x) => /eval/.test(x.text)), describeViolations(inWorker));

  // The page's own error log saw only these violations.
  assert.ok(errors.errors.length > 0 && errors.errors.every((e) => /Content Security Policy/i.test(e)), errors.errors.join('\n'));
  await page.waitForTimeout(300);
  fx.takeCspViolations(); // caught on purpose: not this test's failure
  await close();
});
