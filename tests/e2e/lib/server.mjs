// A real HTTP server over the built page (web/dist) on a free loopback port.
// Plain node:http so the tests need no extra process; files are served as
// stored bytes (never re-encoded), with Content-Length so download progress
// bars see real byte counts.
//
// Every response carries the Content-Security-Policy the build wrote into
// its index.html, as a header: a <meta> policy does not reach workers, a
// header does. The header adds report-uri, so the browser posts every
// violation, from any page, frame or worker, to /__csp-report.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = path.resolve(here, '../../../web/dist');
export const CSP_REPORT_PATH = '/__csp-report';

/** The policy of a build's <meta http-equiv="Content-Security-Policy">, or null. */
export async function builtPolicy(root) {
  const html = await fs.readFile(path.join(root, 'index.html'), 'utf8');
  const tag = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/i.exec(html);
  return tag ? tag[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&') : null;
}

/** Reads a CSP report body: {"csp-report": {...}} (report-uri's format). */
async function readReport(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text)['csp-report'] ?? { unparsed: text };
  } catch {
    return { unparsed: text };
  }
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts a static server over `root` (default web/dist).
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void>,
 *   policy: string | null, cspReports: object[] }>}
 *   `url` ends with a slash, e.g. http://127.0.0.1:41234/; `cspReports`
 *   collects the violation reports received (empty it to take them).
 */
export async function startServer({ root = DIST_DIR } = {}) {
  await fs.access(path.join(root, 'index.html')).catch(() => {
    throw new Error(`${root}/index.html not found: build the page first (bash build.sh web)`);
  });
  const policy = await builtPolicy(root);
  const cspHeader = policy ? { 'Content-Security-Policy': `${policy}; report-uri ${CSP_REPORT_PATH}` } : {};
  const cspReports = [];
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === CSP_REPORT_PATH && req.method === 'POST') {
        cspReports.push(await readReport(req));
        res.writeHead(204).end();
        return;
      }
      let rel = decodeURIComponent(url.pathname);
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(root, '.' + rel);
      if (!file.startsWith(root + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      const body = await fs.readFile(file);
      res.writeHead(200, {
        'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        ...cspHeader,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    policy,
    cspReports,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
