// What the MNIST lab's e2e tests share: its scope on the page, reading its
// numbers, and loading a saved model file to read the loaded weights' accuracy.
import { waitFor } from './browser.mjs';

/** The MNIST lab's part of the page. */
export const mnist = (page) => page.locator('.mnist');

/** The number a data-testid shows (NaN for "—"). */
export const mnistNumber = async (scope, id) => Number(((await scope.getByTestId(id).textContent()) ?? '').trim());

/**
 * Loads a saved model file ({ text, name }) through the Load control and
 * returns the test accuracy of its weights. A page evaluates its own first
 * weights first, and that evaluation may still be on its way (events arrive
 * on animation frames, the load's reply at once): it is waited for, so it is
 * not read as the loaded weights' accuracy.
 */
export async function accuracyAfterLoad(page, saved) {
  const scope = mnist(page);
  await waitFor(() => mnistNumber(scope, 'test-accuracy'), Number.isFinite, { timeoutMs: 30_000, what: 'the first evaluation' });
  const before = await scope.getByTestId('test-accuracy').textContent();
  await scope.getByTestId('model-file').setInputFiles({ name: saved.name, mimeType: 'application/json', buffer: Buffer.from(saved.text) });
  await waitFor(() => scope.getByTestId('share-status').textContent().catch(() => ''), (t) => /Loaded/.test(t), { timeoutMs: 30_000, what: 'loaded' });
  // The loaded weights are evaluated on the 10k test set; when they score
  // exactly what the page showed before, nothing changes and that is the answer.
  return waitFor(() => mnistNumber(scope, 'test-accuracy'), (v) => Number.isFinite(v) && String(v) !== before, { timeoutMs: 30_000, what: 'the loaded weights evaluated' })
    .catch(() => mnistNumber(scope, 'test-accuracy'));
}
