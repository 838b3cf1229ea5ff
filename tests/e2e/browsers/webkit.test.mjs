// The course's core paths in WebKit, Safari's engine (WebKitGTK's MiniBrowser
// through WebKitWebDriver, on a private Xvfb display).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DIST_DIR } from '../lib/server.mjs';
import { coreCourseTests, launchWebKit } from './lib.mjs';

// WebKit (2.50) runs a module worker's main module a second time when a
// module it imports lazily imports the main module back; the second copy of
// the worker host took the page's messages while the first trained unheard.
// The build keeps the worker's entry out of every other chunk's imports.
test('no chunk of the build imports the training worker\'s entry', async () => {
  const assets = path.join(process.env.E2E_DIST ?? DIST_DIR, 'assets');
  const files = (await fs.readdir(assets)).filter((f) => f.endsWith('.js'));
  const entry = files.find((f) => /^host\.worker-[\w-]+\.js$/.test(f));
  assert.ok(entry, 'the worker entry chunk host.worker-*.js is in web/dist/assets');
  const importers = [];
  for (const f of files) {
    const code = await fs.readFile(path.join(assets, f), 'utf8');
    if (new RegExp(`(?:from|import)\\s*\\(?\\s*["'\`]\\./${entry.replace(/[.-]/g, '\\$&')}["'\`]`).test(code)) importers.push(f);
  }
  assert.deepEqual(importers, [], `chunks importing ${entry}`);
});

coreCourseTests(launchWebKit);
