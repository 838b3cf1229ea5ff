export { startServer, builtPolicy, DIST_DIR, CSP_REPORT_PATH } from './server.mjs';
export { launchBrowser, launchPersistentContext, collectErrors, waitFor, readNumber, saveModel, assertEpochHolds } from './browser.mjs';
export { playgroundFixture } from './fixture.mjs';
export { watchBrowser, watchContext, describeViolations } from './csp.mjs';
export { startHostServer } from './host.mjs';
export { mnist, mnistNumber, accuracyAfterLoad } from './mnist.mjs';
export { expectNoAxeViolations, describeAxeViolations } from './axe.mjs';
