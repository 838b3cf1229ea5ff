// The host page's script (embed-example.html). A file, not an inline
// <script>: the page's Content-Security-Policy allows no inline script.
'use strict';
// The playground lives next to this page (web/dist/index.html).
const NS = 'nn-playground';
const VERSION = 1;
const frame = document.getElementById('frame');
const playgroundUrl = new URL('./index.html', location.href);
const query = new URLSearchParams({
  v: '1', data: 'xor', hidden: '4,2', act: 'tanh', embed: '1', lock: 'data,hidden,act,feat', origins: location.origin,
});
playgroundUrl.search = query.toString();
const playgroundOrigin = playgroundUrl.origin;
frame.src = playgroundUrl.href;

const logBox = document.getElementById('log');
function log(text, isError) {
  const line = document.createElement('div');
  line.textContent = `${new Date().toISOString().slice(11, 23)}  ${text}`; // text, never HTML
  if (isError) line.className = 'error';
  logBox.prepend(line);
}

let nextId = 1;
function send(type, extra) {
  const msg = { ns: NS, v: VERSION, type, id: `host-${nextId++}`, ...extra };
  // Address the playground's origin only, never "*": commands are not for anyone else.
  frame.contentWindow.postMessage(msg, playgroundOrigin);
  log(`→ ${JSON.stringify(msg)}`);
}

const fmt = (v) => (typeof v === 'number' && Number.isFinite(v) ? String(+v.toFixed(4)) : '–');
window.addEventListener('message', (event) => {
  // Accept events only from our iframe and its origin, and only of this protocol.
  if (event.source !== frame.contentWindow || event.origin !== playgroundOrigin) return;
  const m = event.data;
  if (!m || m.ns !== NS || m.v !== VERSION) return;
  switch (m.type) {
    case 'ready':
      document.getElementById('ready').textContent = 'yes';
      log(`← ready (learning rate ${m.config.learningRate})`);
      break;
    case 'metrics':
      document.getElementById('epoch').textContent = String(m.epoch);
      document.getElementById('train-loss').textContent = fmt(m.trainLoss);
      document.getElementById('test-loss').textContent = fmt(m.testLoss);
      document.getElementById('accuracy').textContent = m.accuracy === null ? 'n/a' : fmt(m.accuracy);
      break;
    case 'state':
      log(`← state: ${m.running ? 'running' : 'paused'}, epoch ${m.epoch}, lr ${m.config.learningRate}`);
      break;
    case 'resize':
      // Fit the iframe to the playground's content.
      if (Number.isFinite(m.height) && m.height > 100 && m.height < 5000) frame.style.height = `${Math.ceil(m.height)}px`;
      break;
    case 'error':
      log(`← error (${m.command}): ${m.message} ${m.rejected.map((r) => `${r.key}: ${r.reason}`).join('; ')}`, true);
      break;
    default:
      log(`← ${m.type}`);
  }
});

document.getElementById('play').addEventListener('click', () => send('play'));
document.getElementById('pause').addEventListener('click', () => send('pause'));
document.getElementById('step').addEventListener('click', () => send('step', { steps: 10 }));
document.getElementById('reset').addEventListener('click', () => send('reset'));
document.getElementById('get-state').addEventListener('click', () => send('getState'));
document.getElementById('lr').addEventListener('change', (e) => {
  send('setConfig', { config: { learningRate: parseFloat(e.target.value) } });
});
