export { startServer, DIST_DIR } from './server.mjs';
export { launchBrowser, collectErrors, waitFor, readNumber, saveModel, assertEpochHolds } from './browser.mjs';
export { playgroundFixture } from './fixture.mjs';
