// The example course platform: frames a lesson of the site it is served
// from, sends the learner as the statements' actor, and logs every event.
// A real platform would POST each event's `statement` to its learning
// record store (with its own actor and registration in the context).
const LESSONS = ['perceptron', 'layer', 'activations', 'losses', 'backprop', 'sgd', 'spiral', 'functions', 'init',
  'overfitting', 'mnist', 'convolutions', 'recurrent', 'gans', 'pytorch'];
const frame = document.getElementById('frame');
const select = document.getElementById('lesson');
const learner = document.getElementById('learner');
const log = document.getElementById('log');
const count = document.getElementById('count');
const lessonState = document.getElementById('lesson-state');
const appUrl = new URL('./', location.href);
const received = [];
window.received = received; // for tests and for the curious in the console

for (const id of LESSONS) select.add(new Option(id, id));
const wanted = new URLSearchParams(location.search).get('lesson');
if (wanted && LESSONS.includes(wanted)) select.value = wanted;

function open() {
  const url = new URL(appUrl);
  url.search = new URLSearchParams({ lesson: select.value, origins: location.origin }).toString();
  frame.src = url.href;
  count.textContent = '0';
  lessonState.textContent = 'in progress';
}

function send(message) {
  frame.contentWindow.postMessage({ ns: 'nn-playground', v: 1, ...message }, appUrl.origin);
}

function write(text) {
  const li = document.createElement('li');
  li.textContent = text;
  log.prepend(li);
}

window.addEventListener('message', (e) => {
  if (e.source !== frame.contentWindow || e.origin !== appUrl.origin) return;
  const d = e.data;
  if (!d || d.ns !== 'nn-playground') return;
  received.push(d);
  if (d.type === 'lessonReady') {
    send({
      type: 'setContext',
      actor: { objectType: 'Agent', mbox: `mailto:${learner.value}` },
      context: { platform: 'Example course platform', language: 'en' },
    });
  }
  if (d.type === 'taskCompleted') count.textContent = String(Number(count.textContent) + 1);
  if (d.type === 'lessonCompleted') lessonState.textContent = `passed, score ${d.score.scaled}`;
  write(`${d.type}${d.task ? ` ${d.task.number}. ${d.task.title}` : ''}${d.statement ? `\n${JSON.stringify(d.statement, null, 1)}` : ''}`);
});

select.addEventListener('change', open);
learner.addEventListener('change', open);
open();
