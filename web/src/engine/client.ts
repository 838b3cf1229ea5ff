// The UI thread's handle on a lab running in the worker host (one worker per
// open lab). It
// - sends commands with request ids; `request()` resolves once the worker has
//   APPLIED the command, with the lab's status right after it;
// - keeps the lab's configuration commands (those sent with a `replay` key)
//   and the last weights checkpoint, so a replacement worker is brought back
//   to the same configuration and weights when the worker dies or stops
//   answering its heartbeat, and resumes playing if it was;
// - hands snapshots to the UI one per animation frame, acknowledging each as
//   it takes it (the worker prepares the next one while this one is drawn:
//   at most one snapshot in flight and one being drawn).

import type { LabId } from '../labs/sessions';
import type { FromHost, HostCommand, LabStatus, ToHost } from './protocol';
import type { CoreRequest, CoreVerdict } from '../share/coreLayout';

export interface LabEvents<Snap, Event> {
  snapshot(snap: Snap, status: LabStatus): void;
  /** A lab message outside the snapshot stream. */
  event?(event: Event): void;
  diverged(message: string): void;
  /** A recoverable error (bad request); training state is unchanged. */
  error(message: string): void;
  /** The engine cannot run at all (e.g. WASM failed to load). */
  fatal(message: string): void;
  /** The worker was replaced; `why` says what happened. */
  restarted(why: string): void;
  ready(): void;
}

export interface SendOptions {
  /** Replayed into a replacement worker; a later command with the same key
   *  replaces this one (in its original place in the replay order). */
  replay?: string;
  /** The command makes the last weights meaningless (a new model, a reset). */
  dropsWeights?: boolean;
  transfer?: Transferable[];
}

export interface CommandResult<R = unknown> {
  status: LabStatus;
  result: R;
}

const PING_EVERY_MS = 1000;
/** No pong for this long (once the engine is loaded) means the worker is stuck. */
const STUCK_AFTER_MS = 4000;
/** Loading and compiling the WASM module may take longer than a heartbeat. */
const LOAD_TIMEOUT_MS = 20000;
const MAX_RESTARTS = 3;

export type WorkerFactory = () => Worker;

/** The worker host, named after its lab (devtools and tests tell them apart). */
const hostWorker = (lab: LabId): WorkerFactory => () =>
  new Worker(new URL('./host.worker.ts', import.meta.url), { type: 'module', name: `engine-${lab}` });

interface Pending {
  resolve(v: CommandResult): void;
  reject(e: Error): void;
}

export class LabClient<In, Snap = unknown, Event = unknown> {
  private worker: Worker | null = null;
  private loaded = false;
  private lastPong = 0;
  private pingId = 0;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private restarts = 0;
  private readonly replayed = new Map<string, In>();
  private lastParams: Float32Array | null = null;
  /** Checkpoints tagged before this command id belong to an older model. */
  private weightsFrom = 0;
  private wantRunning = false;
  /** The training speed (steps per second, Infinity: full), replayed into a replacement worker. */
  private stepsPerSecond = Infinity;
  /** Snapshots tagged before this command id predate the last play/pause. */
  private runFrom = 0;
  private latestStatus: LabStatus = { running: false, epoch: 0 };
  private pendingSnap: { snap: Snap; status: LabStatus } | null = null;
  private frameRequested = false;
  private nextId = 1;
  private readonly requests = new Map<number, Pending>();
  private disposed = false;

  private readonly factory: WorkerFactory;

  constructor(private readonly lab: LabId, private readonly events: LabEvents<Snap, Event>, factory?: WorkerFactory) {
    this.factory = factory ?? hostWorker(lab);
  }

  /** The lab's status as last reported (by a snapshot or an answer). */
  get status(): LabStatus {
    return this.latestStatus;
  }

  start(): void {
    this.spawn();
    this.heartbeat = setInterval(() => this.checkHeartbeat(), PING_EVERY_MS);
  }

  dispose(): void {
    this.disposed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.requests.values()) p.reject(new Error('engine stopped'));
    this.requests.clear();
  }

  /** A lab command, not answered (errors go to events.error). */
  send(msg: In, options: SendOptions = {}): void {
    this.remember(msg, options);
    this.post({ op: 'lab', msg }, false, options.transfer);
  }

  /** A lab command; resolves once the worker applied it, with its answer. */
  request<R = unknown>(msg: In, options: SendOptions = {}): Promise<CommandResult<R>> {
    this.remember(msg, options);
    return this.ask({ op: 'lab', msg }, options.transfer) as Promise<CommandResult<R>>;
  }

  /** Play or pause; resolves with the status once the worker has done it
   *  (after a pause, `status.epoch` is the epoch that stays). */
  run(running: boolean): Promise<CommandResult> {
    this.wantRunning = running;
    this.runFrom = this.nextId;
    return this.ask({ op: 'run', running });
  }

  /** Play/pause without waiting for the answer. */
  setRunning(running: boolean): void {
    this.wantRunning = running;
    this.runFrom = this.nextId;
    this.post({ op: 'run', running }, false);
  }

  /** The training speed: at most `stepsPerSecond` steps (batches) a second, Infinity for full speed. */
  setPace(stepsPerSecond: number): void {
    this.stepsPerSecond = stepsPerSecond;
    this.post({ op: 'pace', stepsPerSecond }, false);
  }

  /** Pauses and trains exactly `batches` batches, or `epochs` epochs' worth;
   *  resolves once they ran (or a play/pause ended them), with the status then. */
  step(count: { batches: number } | { epochs: number }): Promise<CommandResult> {
    this.wantRunning = false;
    this.runFrom = this.nextId;
    return this.ask({ op: 'step', ...count });
  }

  /** The core's verdict on a layer list (its layout, the probes' outputs),
   *  from this worker's engine; nothing in the lab changes. */
  async askCore(request: CoreRequest): Promise<CoreVerdict> {
    return (await this.ask({ op: 'core', request })).result as CoreVerdict;
  }

  private remember(msg: In, options: SendOptions): void {
    if (options.replay !== undefined) this.replayed.set(options.replay, msg);
    if (options.dropsWeights) {
      this.lastParams = null;
      this.weightsFrom = this.nextId;
    }
  }

  private ask(command: HostCommand, transfer?: Transferable[]): Promise<CommandResult> {
    return new Promise<CommandResult>((resolve, reject) => {
      const id = this.post(command, true, transfer, { resolve, reject });
      if (id === 0) reject(new Error('the engine is not running'));
    });
  }

  /** Posts a command; returns its id (0 when there is no worker). */
  private post(command: HostCommand, answer: boolean, transfer: Transferable[] = [], pending?: Pending): number {
    if (!this.worker) return 0;
    const id = this.nextId++;
    if (pending) this.requests.set(id, pending);
    this.postRaw({ kind: 'command', id, answer, command }, transfer);
    return id;
  }

  private postRaw(msg: ToHost, transfer: Transferable[] = []): void {
    this.worker?.postMessage(msg, transfer);
  }

  private spawn(): void {
    let worker: Worker;
    try {
      worker = this.factory();
    } catch (err) {
      this.events.fatal(`The training worker could not start: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.worker = worker;
    this.loaded = false;
    this.lastPong = performance.now();
    worker.onmessage = (e: MessageEvent<FromHost>) => this.receive(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.replace(`the training worker crashed (${e.message || 'script error'})`);
    };
    worker.onmessageerror = () => this.replace('a message from the training worker could not be read');
    // Bring a fresh worker to the last known configuration: the lab, its
    // configuration commands in order, the last weights, and the run state.
    this.post({ op: 'open', lab: this.lab }, false);
    if (this.stepsPerSecond !== Infinity) this.post({ op: 'pace', stepsPerSecond: this.stepsPerSecond }, false);
    for (const msg of this.replayed.values()) this.post({ op: 'lab', msg }, false);
    if (this.lastParams) {
      this.post({ op: 'restore', params: this.lastParams.slice() }, false);
    }
    if (this.wantRunning) this.post({ op: 'run', running: true }, false);
  }

  private replace(why: string): void {
    if (this.disposed) return;
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.requests.values()) p.reject(new Error(`request lost: ${why}`));
    this.requests.clear();
    this.pendingSnap = null;
    if (this.restarts >= MAX_RESTARTS) {
      this.events.fatal(`The training engine stopped working: ${why}. Reload the page to try again.`);
      return;
    }
    this.restarts++;
    this.events.restarted(why);
    this.spawn();
  }

  private checkHeartbeat(): void {
    if (!this.worker) return;
    const limit = this.loaded ? STUCK_AFTER_MS : LOAD_TIMEOUT_MS;
    if (performance.now() - this.lastPong > limit) {
      this.replace(this.loaded ? 'the training worker stopped answering' : 'the engine took too long to load');
      return;
    }
    this.postRaw({ kind: 'ping', id: ++this.pingId });
  }

  private receive(msg: FromHost): void {
    this.lastPong = performance.now(); // any message proves the worker is alive
    switch (msg.kind) {
      case 'ready':
        this.loaded = true;
        this.events.ready();
        break;
      case 'pong':
        break;
      case 'done': {
        this.latestStatus = msg.status;
        const p = this.requests.get(msg.id);
        this.requests.delete(msg.id);
        p?.resolve({ status: msg.status, result: msg.result });
        break;
      }
      case 'snapshot':
        this.latestStatus = msg.status;
        // A run that stopped by itself (its epochs done) stays stopped after
        // a restart; a snapshot older than the last play/pause says nothing.
        if (msg.seq >= this.runFrom) this.wantRunning = msg.status.running;
        this.pendingSnap = { snap: msg.snap as Snap, status: msg.status };
        this.requestFrame();
        break;
      case 'event':
        this.events.event?.(msg.event as Event);
        break;
      case 'weights':
        if (msg.seq >= this.weightsFrom) this.lastParams = msg.params;
        break;
      case 'diverged':
        this.wantRunning = false;
        this.latestStatus = msg.status;
        this.events.diverged(msg.message);
        break;
      case 'error':
        if (msg.id !== undefined && this.requests.has(msg.id)) {
          this.requests.get(msg.id)!.reject(new Error(msg.message));
          this.requests.delete(msg.id);
        } else {
          this.events.error(msg.message);
        }
        break;
      case 'fatal':
        this.worker?.terminate();
        this.worker = null;
        this.events.fatal(msg.message);
        break;
    }
  }

  private requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    const deliver = (): void => {
      this.frameRequested = false;
      const pending = this.pendingSnap;
      this.pendingSnap = null;
      if (!pending) return;
      // Ack before drawing: the worker prepares the next snapshot meanwhile.
      this.postRaw({ kind: 'ack' });
      this.events.snapshot(pending.snap, pending.status);
    };
    // Hidden tabs get no animation frames; a timer keeps the UI in step.
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(deliver);
    else setTimeout(deliver, 100);
  }
}
