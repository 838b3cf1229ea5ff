// Catches Content-Security-Policy violations in every page, frame and worker
// of a browser, three ways (any one suffices; together they leave no gap):
//   - a `securitypolicyviolation` listener installed in every frame before
//     the page's own scripts run, reporting through a Playwright binding;
//   - the same listener in every worker, logging to the console;
//   - console messages about the policy (Chromium logs each violation).
// The test server adds the third net (tests/e2e/lib/server.mjs: report-uri).

const BINDING = '__e2eCspViolation';
const CSP_CONSOLE = /Content[- ]Security[- ]Policy/i;

/** One line per violation, for an assertion message. */
export function describeViolations(violations) {
  return violations.map((v) => `  ${JSON.stringify(v)}`).join('\n');
}

/** Records into `violations` every violation seen in `context` from now on. */
export async function watchContext(context, violations) {
  await context.exposeBinding(BINDING, ({ frame }, v) => violations.push({ via: 'event', frame: frame?.url(), ...v }));
  await context.addInitScript((binding) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window[binding]({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: `${e.sourceFile}:${e.lineNumber}` });
    });
  }, BINDING);
  const watchPage = (page) => {
    page.on('console', (msg) => {
      if (CSP_CONSOLE.test(msg.text())) violations.push({ via: 'console', page: page.url(), text: msg.text() });
    });
    page.on('worker', (worker) => {
      // A worker has no binding; its console reaches the page's listener above.
      worker.evaluate(() => {
        self.addEventListener('securitypolicyviolation', (e) => {
          console.error(`Content Security Policy violation in a worker: ${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
        });
      }).catch(() => {}); // the worker may be gone already
    });
  };
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
}

/**
 * Makes every context of `browser` watched, those made by browser.newPage()
 * included (Playwright's newPage calls this.newContext). Returns the browser.
 */
export function watchBrowser(browser, violations) {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchContext(context, violations);
    return context;
  };
  return browser;
}
