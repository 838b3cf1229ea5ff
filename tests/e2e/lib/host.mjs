// A course author's page on ANOTHER origin (its own server on another port)
// framing a lab: every message from the frame is kept in window.received, and
// window.send(msg) posts a command in the protocol's envelope. It is the
// host's page, not ours, so it carries no Content-Security-Policy.
import http from 'node:http';

/** The host page's HTML: `labUrl` (the lab's server) with `query` in an iframe. */
function hostPageHtml({ labUrl, query, width, height }) {
  return `<!doctype html><meta charset="utf-8"><title>host</title><style>body{margin:0}</style>
<iframe id="frame" width="${width}" height="${height}" style="border:0;max-width:100%"></iframe>
<script>
const frame = document.getElementById('frame');
const url = new URL(${JSON.stringify(labUrl)});
url.search = ${JSON.stringify(query)} + '&origins=' + encodeURIComponent(location.origin);
frame.src = url.href;
window.received = [];
window.send = (msg) => frame.contentWindow.postMessage({ ns: 'nn-playground', v: 1, ...msg }, url.origin);
window.addEventListener('message', (e) => {
  if (e.source === frame.contentWindow && e.origin === url.origin && e.data && e.data.ns === 'nn-playground') window.received.push(e.data);
});
</script>`;
}

/**
 * Serves that page on a free loopback port. `page` is called per request, so
 * it may read a lab server that starts after this one (node:test does not
 * order a file's top-level before hooks).
 * @param {() => { labUrl: string, query: string, width: number, height: number }} page
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startHostServer(page) {
  const server = http.createServer((req, res) => {
    const body = hostPageHtml(page());
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
