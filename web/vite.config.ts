/// <reference types="vitest/config" />
// One config for `vite build`, `vite preview` and `vitest run --root web`.
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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

export default defineConfig({
  root,
  // Relative asset URLs: the page works under any path and inside an iframe.
  base: './',
  plugins: [preact(), contentSecurityPolicy(CONTENT_SECURITY_POLICY)],
  worker: { format: 'es' },
  define: { __LESSON_ORIGINS__: JSON.stringify(LESSON_ORIGINS) },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The worker and the WASM module are separate files anyway; keep the
    // warning for genuinely large chunks only.
    chunkSizeWarningLimit: 800,
  },
  preview: { host: '127.0.0.1', headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
