// One server and one browser per test file, and `open()` for a fresh page of
// the playground that waits until the engine is ready. Registers the file's
// before/after hooks, so a test file only says what it checks.
//
// Every context of fx.browser is watched for Content-Security-Policy
// violations (lib/csp.mjs), and the server collects the browser's reports:
// any violation fails the test during which it happened.
import { before, after, afterEach } from 'node:test';
import { startServer } from './server.mjs';
import { launchBrowser, collectErrors, waitFor } from './browser.mjs';
import { watchBrowser, describeViolations } from './csp.mjs';

export function playgroundFixture() {
  const violations = [];
  const fx = {
    server: null,
    browser: null,
    /** Violations seen so far (browser side and server reports), emptied. */
    takeCspViolations() {
      const reports = fx.server ? fx.server.cspReports.splice(0).map((r) => ({ via: 'report', ...r })) : [];
      return [...violations.splice(0), ...reports];
    },
    /** A page in a new context (options merged over a 1280x900 viewport), its errors collected, nothing loaded yet. */
    async blankPage(contextOptions = {}) {
      const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
      const page = await context.newPage();
      return { page, errors: collectErrors(page), context, close: () => context.close() };
    },
    /** blankPage on server.url + query, once the engine has loaded. */
    async open(query = '', contextOptions = {}) {
      const { page, errors, context } = await fx.blankPage(contextOptions);
      await page.goto(fx.server.url + query);
      await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 20000, what: 'the engine to load' });
      return { page, errors, context, close: () => context.close() };
    },
  };
  before(async () => {
    // E2E_DIST serves another build of the page (e.g. one made outside web/dist).
    fx.server = await startServer(process.env.E2E_DIST ? { root: process.env.E2E_DIST } : {});
    fx.browser = watchBrowser(await launchBrowser(), violations);
  });
  afterEach(() => {
    const found = fx.takeCspViolations();
    if (found.length) throw new Error(`Content-Security-Policy violations:\n${describeViolations(found)}`);
  });
  after(async () => {
    await fx.browser?.close();
    await fx.server?.close();
  });
  return fx;
}
