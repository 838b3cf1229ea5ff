// One server and one browser per test file, and `open()` for a fresh page of
// the playground that waits until the engine is ready. Registers the file's
// before/after hooks, so a test file only says what it checks.
import { before, after } from 'node:test';
import { startServer } from './server.mjs';
import { launchBrowser, collectErrors, waitFor } from './browser.mjs';

export function playgroundFixture() {
  const fx = {
    server: null,
    browser: null,
    /** A new context (options merged over a 1280x900 viewport) on server.url + query. */
    async open(query = '', contextOptions = {}) {
      const context = await fx.browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(fx.server.url + query);
      await waitFor(() => page.getByTestId('play').isEnabled(), (v) => v, { timeoutMs: 20000, what: 'the engine to load' });
      return { page, errors, context, close: () => context.close() };
    },
  };
  before(async () => {
    // E2E_DIST serves another build of the page (e.g. one made outside web/dist).
    fx.server = await startServer(process.env.E2E_DIST ? { root: process.env.E2E_DIST } : {});
    fx.browser = await launchBrowser();
  });
  after(async () => {
    await fx.browser?.close();
    await fx.server?.close();
  });
  return fx;
}
