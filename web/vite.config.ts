/// <reference types="vitest/config" />
// One config for `vite build`, `vite preview` and `vitest run --root web`.
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ICON_BACKGROUND, ICONS, iconPng } from './scripts/app-icons.mjs';
import { HASHED_NAME_SHAPE } from './scripts/asset-build.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Other origins whose lesson files this build may load (?lesson=https://…):
 * the site owner's explicit opt-in, LESSON_ORIGINS=https://a.org,https://b.org
 * at build time. They are added to the policy's connect-src too; a link alone
 * can never make the page fetch from anywhere else.
 */
function lessonOrigins(raw: string | undefined): string[] {
  const list = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const o of list) {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(o)) throw new Error(`LESSON_ORIGINS: "${o}" is not an origin such as https://lessons.example.org`);
  }
  return list.map((o) => o.toLowerCase());
}
const LESSON_ORIGINS = lessonOrigins(process.env.LESSON_ORIGINS);

// The one Content-Security-Policy of every built page. Nothing inline, nothing
// from another origin; WebAssembly may compile ('wasm-unsafe-eval', not
// 'unsafe-eval'). No frame-ancestors: being framed is what embedding is for
// (and a <meta> policy cannot set it anyway).
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'", // the training workers
  `connect-src 'self'${LESSON_ORIGINS.map((o) => ` ${o}`).join('')}`, // the .wasm, the data assets, lesson files (LESSON_ORIGINS)
  "style-src 'self'",
  "img-src 'self' data:", // data: the empty favicon
  "frame-src 'self'", // embed-example.html frames the page
  "manifest-src 'self'", // the web app manifest (installing)
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * Writes the policy as a <meta http-equiv> into every HTML file of the build,
 * public/ pages included (Vite copies those verbatim, so transformIndexHtml
 * would miss them). The tag goes right after <meta charset>, before anything
 * it governs. Static hosts cannot be relied on for headers; `vite preview`
 * also sends the policy as a header, which, unlike the tag, covers workers.
 */
function contentSecurityPolicy(policy: string): Plugin {
  const tag = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy)}">`;
  let outDir = '';
  let failed = false;
  return {
    name: 'content-security-policy',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    buildEnd(error) {
      failed = Boolean(error); // closeBundle runs after a failed build too: keep its error the one reported
    },
    closeBundle() {
      if (failed) return;
      const pages = readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
      for (const page of pages) {
        const file = path.join(outDir, page);
        const html = readFileSync(file, 'utf8');
        if (html.includes(tag)) continue; // closeBundle can run once per environment
        if (/http-equiv=["']?content-security-policy/i.test(html)) throw new Error(`${page} carries its own Content-Security-Policy`);
        const anchor = /<meta charset=[^>]*>/i.exec(html) ?? /<head[^>]*>/i.exec(html);
        if (!anchor) throw new Error(`${page}: no <head> to put the Content-Security-Policy in`);
        const at = anchor.index + anchor[0].length;
        if (/<(script|link|style)\b/i.test(html.slice(0, at))) throw new Error(`${page}: a script or style precedes the policy`);
        const indent = /[ \t]*$/.exec(html.slice(0, anchor.index))?.[0] ?? '';
        writeFileSync(file, `${html.slice(0, at)}\n${indent}${tag}${html.slice(at)}`);
      }
    },
  };
}

/** The icons (web/scripts/app-icons.mjs) as files of the build, under icons/. */
function appIcons(): Plugin {
  return {
    name: 'app-icons',
    apply: 'build',
    generateBundle() {
      for (const icon of ICONS) this.emitFile({ type: 'asset', fileName: `icons/${icon.file}`, source: iconPng(icon) });
    },
  };
}

const hex = (rgb: number[]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

// Offline use (README "Offline and installing"). Workbox's generateSW writes
// sw.js: it precaches the app shell, every page, script, style, the worker and
// the .wasm, and the data manifests (a few hundred bytes each). The large data
// files (MNIST, the sequence texts) carry a content hash in their names
// (name.<16 hex>.ext, web/scripts/asset-build.mjs): they are left out of the
// precache and cached the first time a lab fetches them, for good, since a
// new content is a new name. Updates wait for the user (registerType prompt,
// web/src/pwa/): a reload must never cut a training short.
const offline = VitePWA({
  registerType: 'prompt',
  injectRegister: false, // web/src/pwa/register.tsx, bundled: no inline script under the policy
  manifest: {
    name: 'Neural network playground',
    short_name: 'NN playground',
    description: 'A neural-network course whose labs train a real C engine, compiled to WebAssembly, in your browser.',
    start_url: './',
    scope: './',
    display: 'standalone',
    theme_color: hex(ICON_BACKGROUND),
    background_color: '#f6f7f9', // --bg of the light theme
    icons: ICONS.map((icon) => ({ src: `icons/${icon.file}`, sizes: `${icon.size}x${icon.size}`, type: 'image/png', purpose: icon.purpose })),
  },
  workbox: {
    globPatterns: ['**/*.{html,js,css,wasm,json,webmanifest,png,svg}'],
    globIgnores: ['generated/*.*.*'], // the hashed data files: cached on use (below)
    // Links carry their settings in the query (?lesson=, ?embed=1, …); every
    // precached file is the same whatever the query says.
    ignoreURLParametersMatching: [/./],
    // Every page is a real file; an unknown address is the server's to answer.
    navigateFallback: null,
    // The first visit is controlled as soon as the worker is active, so a lab
    // opened then already caches its data. No skipWaiting: an update waits.
    clientsClaim: true,
    // The page itself needs ES2022 (build.target): no point transpiling its worker for older browsers.
    babelPresetEnvTargets: ['chrome >= 94', 'firefox >= 93', 'safari >= 16.4'],
    runtimeCaching: [{
      // A RegExp, not a function: sw.js gets a copy of it, without this file's scope.
      // Workbox matches another origin's URL only from its start: same origin only.
      urlPattern: new RegExp(`/generated/${HASHED_NAME_SHAPE}$`),
      handler: 'CacheFirst',
      options: {
        cacheName: 'data-files',
        // A few versions at most: a rebuilt asset has a new name, the old one ages out.
        expiration: { maxEntries: 6 },
        cacheableResponse: { statuses: [200] },
      },
    }],
  },
});

export default defineConfig({
  root,
  // Relative asset URLs: the page works under any path and inside an iframe.
  base: './',
  // The policy before the service worker: its precache revisions hash the final pages.
  plugins: [preact(), appIcons(), contentSecurityPolicy(CONTENT_SECURITY_POLICY), offline],
  worker: {
    format: 'es',
    // No chunk may import the worker's entry: WebKit (Safari's engine) runs a
    // worker's main module a second time when a lazily loaded lab session
    // imports it, and that second host took the page's messages while the
    // first trained unheard. What the entry shares with the sessions goes
    // into a chunk of its own; the entry chunk is host.worker.ts alone.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'host-shared', tags: ['$initial'], test: (id: string) => !/[\\/]engine[\\/]host\.worker\.ts$/.test(id) }],
        },
      },
    },
  },
  define: { __LESSON_ORIGINS__: JSON.stringify(LESSON_ORIGINS) },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The worker and the WASM module are separate files anyway; keep the
    // warning for genuinely large chunks only.
    chunkSizeWarningLimit: 800,
    // Two pages: the labs and lessons, and the embed builder for course authors
    // (rolldownOptions: Vite 8's name for rollupOptions, which it deprecates).
    rolldownOptions: {
      input: { main: path.join(root, 'index.html'), builder: path.join(root, 'builder.html') },
    },
  },
  preview: { host: '127.0.0.1', headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
