// The one worker host: loads the WASM engine once, runs one lab's session
// (chosen by the first command, `open`) and owns everything around it:
// - commands run one at a time, in order, even when a lab awaits inside one
//   (MNIST's download); each may be answered with the status right after it;
// - the chunked training loop: chunks of the session's chunkMs, then a yield
//   to the message queue, so controls are seen within one chunk;
// - the speed: a pacer limits steps (batches) per second, from slow motion to
//   full speed, for every lab; at a slow rate every step is its own snapshot;
// - stepping: one batch or one epoch's worth, through the same loop (an
//   epoch of a CNN takes longer than one synchronous command may);
// - snapshot pacing: the next snapshot goes out only after the UI acked the
//   last one, so the worker never floods the page and never waits for it;
// - the heartbeat (ping/pong, answered even while a command awaits);
// - errors (`error` for a command, `fatal` when the engine cannot load);
// - weight checkpoints, at most once a second while training and after each
//   command, which the client replays into a replacement worker.

import { createEngine, type Engine } from './nn-wasm.js';
import { SESSIONS } from '../labs/sessions';
import type { LabSession } from './lab-session';
import { Pacer } from './pacer';
import { coreVerdict } from '../share/coreLayout';
import type { FromHost, HostCommand, LabStatus, ToHost } from './protocol';

interface WorkerScope {
  postMessage(msg: FromHost, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToHost>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (msg: FromHost, transfer: Transferable[] = []): void => scope.postMessage(msg, transfer);
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const CHECKPOINT_EVERY_MS = 1000;
/** Up to this pace every step waits until the page took the last step's
 *  snapshot, so no step's change is merged into the next one's on screen
 *  (above it, steps come faster than frames and may share one). */
const SNAPSHOT_EVERY_STEP_UP_TO = 30;
/** Polling interval while playing with nothing to train on (an empty drawing). */
const IDLE_POLL_MS = 50;

const enginePromise: Promise<Engine> = import('./generated/nn.mjs').then((mod) => createEngine(mod.default));
let session: LabSession | null = null;
const queue: Extract<ToHost, { kind: 'command' }>[] = [];
let busy = false;
let awaitingAck = false;
let dirty = false;
/** The last command applied (weights checkpoints are tagged with it). */
let lastSeq = 0;
let trainedSinceCheckpoint = false;
let lastCheckpoint = 0;
const pacer = new Pacer();
/** Batches a step command still has to train (0: not stepping). */
let stepsLeft = 0;
/** The step command being run, answered when its batches are done. */
let stepCommand: { id: number; answer: boolean } | null = null;

// A zero-delay macrotask: setTimeout(0) is clamped to 4 ms once nested.
const channel = new MessageChannel();
let tickScheduled = false;
/** A tick scheduled later (a slow pace's wait), which an immediate one replaces. */
let delayedTick: ReturnType<typeof setTimeout> | null = null;
channel.port1.onmessage = () => {
  tickScheduled = false;
  tick();
};
function scheduleTick(delayMs = 0): void {
  if (delayedTick !== null && delayMs === 0) {
    clearTimeout(delayedTick);
    delayedTick = null;
    tickScheduled = false;
  }
  if (tickScheduled) return;
  tickScheduled = true;
  if (delayMs > 0) delayedTick = setTimeout(() => { delayedTick = null; channel.port2.postMessage(0); }, delayMs);
  else channel.port2.postMessage(0);
}

const stopped: LabStatus = { running: false, epoch: 0 };
const status = (): LabStatus => session?.status() ?? stopped;

function trySendSnapshot(): void {
  if (!session || !dirty || awaitingAck) return;
  const out = session.snapshot();
  if (!out) return;
  dirty = false;
  awaitingAck = true;
  post({ kind: 'snapshot', seq: lastSeq, status: session.status(), snap: out[0] }, out[1]);
}

let checkpointTimer: ReturnType<typeof setTimeout> | null = null;
/** Sends the weights when they changed, at most once per CHECKPOINT_EVERY_MS;
 *  a change inside the interval goes out when it ends. */
function checkpoint(): void {
  if (!session || !trainedSinceCheckpoint) return;
  const wait = CHECKPOINT_EVERY_MS - (performance.now() - lastCheckpoint);
  if (wait > 0) {
    checkpointTimer ??= setTimeout(() => { checkpointTimer = null; checkpoint(); }, wait);
    return;
  }
  const params = session.params();
  if (!params) return;
  trainedSinceCheckpoint = false;
  lastCheckpoint = performance.now();
  post({ kind: 'weights', seq: lastSeq, params }, [params.buffer]);
}

function tick(): void {
  const s = session;
  if (!s || busy) return; // a command in progress resumes the loop when it ends
  let delay = 0;
  if (hasWork(s)) {
    const now = performance.now();
    const stepping = stepsLeft > 0;
    // Stepping runs at full speed; playing runs at the chosen pace.
    let allowed = stepping ? stepsLeft : s.status().running ? pacer.allowance(now) : 0;
    if (!stepping && pacer.rate <= SNAPSHOT_EVERY_STEP_UP_TO && awaitingAck) {
      // Slow motion shows every step: the next waits for the page (the ack schedules a tick).
      allowed = 0;
      if (!(s.pending?.() ?? false)) { trySendSnapshot(); checkpoint(); return; }
    }
    if (allowed > 0 || (s.pending?.() ?? false)) {
      const steps = s.chunk(s.chunkMs, allowed);
      if (steps === false) {
        delay = IDLE_POLL_MS;
        if (stepping) finishStepping(); // nothing can train (no model or no data)
      } else {
        dirty = true;
        if (steps > 0) trainedSinceCheckpoint = true;
        if (stepping) {
          stepsLeft -= steps;
          if (stepsLeft <= 0) finishStepping();
        } else pacer.took(steps, now);
      }
    } else delay = pacer.waitMs(now);
  }
  trySendSnapshot();
  checkpoint();
  if (stepCommand === null && queue.length > 0) { void drain(); return; }
  if (hasWork(s)) scheduleTick(delay);
}

/** Training, stepping, or work a session does while paused. */
function hasWork(s: LabSession): boolean {
  return s.status().running || stepsLeft > 0 || (s.pending?.() ?? false);
}

/** The step command is over (done, or ended early): answer it; the commands
 *  queued behind it run next. */
function finishStepping(): void {
  stepsLeft = 0;
  const c = stepCommand;
  stepCommand = null;
  if (c?.answer) post({ kind: 'done', id: c.id, status: status(), result: undefined });
}

async function apply(command: HostCommand): Promise<unknown> {
  if (command.op === 'open') {
    const engine = await enginePromise;
    session?.dispose();
    session = null;
    const factory = (await SESSIONS[command.lab]()).createSession;
    session = factory({
      engine,
      emit: (event, transfer = []) => post({ kind: 'event', event }, transfer),
      diverged: (message) => {
        session?.setRunning(false);
        stepsLeft = 0; // the step command is answered by the loop
        post({ kind: 'diverged', status: status(), message });
      },
    });
    return undefined;
  }
  if (command.op === 'core') return coreVerdict(await enginePromise, command.request);
  if (!session) throw new Error('no lab is open in this worker');
  switch (command.op) {
    case 'lab': return session.handle(command.msg);
    case 'run': session.setRunning(command.running); return undefined;
    case 'pace': pacer.setRate(command.stepsPerSecond); return undefined;
    case 'step': {
      session.setRunning(false);
      const n = 'batches' in command ? command.batches : command.epochs * session.stepsPerEpoch();
      stepsLeft = Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
      return undefined;
    }
    case 'restore': session.loadParams(command.params); return undefined;
  }
}

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  // A step command holds the commands behind it until its batches are done.
  while (queue.length > 0 && stepCommand === null) {
    const m = queue.shift()!;
    try {
      const result = await apply(m.command);
      if (m.command.op === 'step' && stepsLeft > 0) stepCommand = { id: m.id, answer: m.answer };
      else if (m.answer) post({ kind: 'done', id: m.id, status: status(), result });
    } catch (err) {
      post(m.answer ? { kind: 'error', id: m.id, message: messageOf(err) } : { kind: 'error', message: messageOf(err) });
    }
    lastSeq = m.id;
    dirty = true;
    // A command may have changed the weights (a step, a new model, a loaded file).
    trainedSinceCheckpoint = true;
    trySendSnapshot();
    checkpoint();
  }
  busy = false;
  if (session && hasWork(session)) scheduleTick();
}

scope.onmessage = (e) => {
  const msg = e.data;
  switch (msg.kind) {
    case 'ping':
      post({ kind: 'pong', id: msg.id });
      return;
    case 'ack':
      awaitingAck = false;
      trySendSnapshot();
      if (session && !busy && hasWork(session)) scheduleTick(pacer.waitMs(performance.now()));
      return;
    case 'command':
      // Play, pause or another step ends a step in progress (an epoch of a
      // CNN may take a minute); what it trained so far stays.
      if (stepCommand && (msg.command.op === 'run' || msg.command.op === 'step' || msg.command.op === 'open')) finishStepping();
      queue.push(msg);
      void drain();
  }
};

enginePromise
  .then((engine) => post({ kind: 'ready', abiVersion: engine.module._nn_abi_version() }))
  .catch((err: unknown) => post({ kind: 'fatal', message: `The WebAssembly engine could not be loaded: ${messageOf(err)}` }));
