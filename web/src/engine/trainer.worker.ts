// The training worker: loads the WASM engine, owns one Session and streams
// snapshots to the UI. Training runs in chunks of CHUNK_MS; between chunks the
// worker yields to its message queue, so play/pause/step/reset and setting
// changes are seen within one chunk. A snapshot is sent only after the UI
// acknowledged the previous one (it acks after drawing, once per animation
// frame), so the worker never floods the UI and never waits for it.

import { loadCore } from './wasm-core';
import { Session } from './session';
import type { FromWorker, ToWorker } from './protocol';

interface WorkerScope {
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

let session: Session | null = null;
const queue: ToWorker[] = [];
let awaitingAck = false;
let dirty = false;
let tickScheduled = false;

// A zero-delay macrotask: setTimeout(0) is clamped to 4 ms once nested.
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  tickScheduled = false;
  tick();
};
function scheduleTick(delayMs = 0): void {
  if (tickScheduled) return;
  tickScheduled = true;
  if (delayMs > 0) setTimeout(() => channel.port2.postMessage(0), delayMs);
  else channel.port2.postMessage(0);
}

function trySendSnapshot(): void {
  if (!session || !dirty || awaitingAck) return;
  const snap = session.snapshot();
  if (!snap) return;
  dirty = false;
  awaitingAck = true;
  const transfer: Transferable[] = [snap.outputGrid.buffer, snap.params.buffer];
  if (snap.neuronGrids) transfer.push(snap.neuronGrids.buffer);
  if (snap.curve) transfer.push(snap.curve.buffer);
  post({ type: 'snapshot', snap }, transfer);
}

function tick(): void {
  if (!session) return;
  if (session.running && session.ready && session.consistent()) {
    session.chunk();
    dirty = true;
  }
  trySendSnapshot();
  if (!session.running) return;
  // Playing with nothing to train on (an empty drawing): poll gently
  // instead of spinning until points arrive.
  scheduleTick(session.trainCount === 0 ? 50 : 0);
}

function handle(msg: ToWorker, s: Session): void {
  switch (msg.type) {
    case 'build': {
      const info = s.build(msg.net);
      post({ type: 'built', paramCount: info.paramCount, sizes: info.sizes });
      break;
    }
    case 'data':
      s.setData(msg.data);
      break;
    case 'hyper':
      s.applyHyper(msg.hyper);
      break;
    case 'view':
      s.setView(msg.view);
      break;
    case 'play':
      s.running = true;
      break;
    case 'pause':
      s.running = false;
      break;
    case 'step':
      s.running = false;
      if (s.ready && s.consistent()) s.step(msg.epochs);
      break;
    case 'reset':
      s.running = false;
      s.reset();
      break;
    case 'setParam':
      s.setParam(msg.layer, msg.which, msg.row, msg.col, msg.value);
      break;
    case 'getParams': {
      const params = s.params();
      post({ type: 'params', params, requestId: msg.requestId }, [params.buffer]);
      return;
    }
    case 'loadParams':
      s.loadParams(msg.params);
      post({ type: 'loaded', requestId: msg.requestId });
      break;
    case 'predict': {
      const values = s.predict(msg.points);
      post({ type: 'predictions', values, requestId: msg.requestId }, [values.buffer]);
      return;
    }
    case 'ack':
      awaitingAck = false;
      break;
    case 'ping':
      post({ type: 'pong', id: msg.id });
      return;
  }
  if (msg.type !== 'ack') dirty = true;
}

function dispatch(msg: ToWorker): void {
  if (!session) {
    if (msg.type === 'ping') post({ type: 'pong', id: msg.id });
    else queue.push(msg);
    return;
  }
  try {
    handle(msg, session);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const requestId = 'requestId' in msg ? msg.requestId : undefined;
    post(requestId === undefined ? { type: 'error', message } : { type: 'error', message, requestId });
  }
  trySendSnapshot();
  if (session.running) scheduleTick();
}

scope.onmessage = (e) => dispatch(e.data);

loadCore()
  .then((core) => {
    session = new Session(core, {
      diverged: (epoch, message) => post({ type: 'diverged', epoch, message }),
    });
    post({ type: 'ready', abiVersion: core.abiVersion });
    for (const msg of queue.splice(0)) dispatch(msg);
  })
  .catch((err: unknown) => {
    post({ type: 'fatal', message: `The WebAssembly engine could not be loaded: ${err instanceof Error ? err.message : String(err)}` });
  });
