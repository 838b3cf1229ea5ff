// The UI thread's handle on the training worker. It keeps the latest
// build/data/hyper/view messages so a replacement worker can be brought back
// to the same configuration (and the last weights) when the worker dies or
// stops answering its heartbeat. Snapshots are handed to the UI in an
// animation frame and acknowledged after it, which paces the worker.

import type { DataSpec, FromWorker, HyperParams, NetSpec, Snapshot, ToWorker, ViewSpec } from './protocol';

export interface EngineEvents {
  snapshot(snap: Snapshot): void;
  diverged(message: string): void;
  /** A recoverable error (bad request); training state is unchanged. */
  error(message: string): void;
  /** The engine cannot run at all (e.g. WASM failed to load). */
  fatal(message: string): void;
  /** The worker was replaced; `why` says what happened. */
  restarted(why: string): void;
  ready(): void;
}

const PING_EVERY_MS = 1000;
/** No pong for this long (once the engine is loaded) means the worker is stuck. */
const STUCK_AFTER_MS = 4000;
/** Loading and compiling the WASM module may take longer than a heartbeat. */
const LOAD_TIMEOUT_MS = 20000;
const MAX_RESTARTS = 3;

type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });

interface Pending<T> {
  resolve(v: T): void;
  reject(e: Error): void;
}

export class EngineClient {
  private worker: Worker | null = null;
  private loaded = false;
  private lastPong = 0;
  private startedAt = 0;
  private pingId = 0;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private restarts = 0;
  private last: { net?: NetSpec; data?: DataSpec; hyper?: HyperParams; view?: ViewSpec } = {};
  private lastParams: Float32Array | null = null;
  private running = false;
  private pendingSnap: Snapshot | null = null;
  private frameRequested = false;
  private nextRequest = 1;
  private requests = new Map<number, Pending<unknown>>();
  private disposed = false;

  constructor(private readonly events: EngineEvents, private readonly factory: WorkerFactory = defaultFactory) {}

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

  build(net: NetSpec): void {
    this.last.net = net;
    this.lastParams = null;
    this.send({ type: 'build', net });
  }
  setData(data: DataSpec): void {
    this.last.data = data;
    this.send({ type: 'data', data });
  }
  setHyper(hyper: HyperParams): void {
    this.last.hyper = hyper;
    this.send({ type: 'hyper', hyper });
  }
  setView(view: ViewSpec): void {
    this.last.view = view;
    this.send({ type: 'view', view });
  }
  play(): void {
    this.running = true;
    this.send({ type: 'play' });
  }
  pause(): void {
    this.running = false;
    this.send({ type: 'pause' });
  }
  step(epochs = 1): void {
    this.running = false;
    this.send({ type: 'step', epochs });
  }
  reset(): void {
    this.running = false;
    this.lastParams = null;
    this.send({ type: 'reset' });
  }
  setParam(layer: number, which: 0 | 1, row: number, col: number, value: number): void {
    this.send({ type: 'setParam', layer, which, row, col, value });
  }

  getParams(): Promise<Float32Array> {
    return this.request<Float32Array>((requestId) => ({ type: 'getParams', requestId }));
  }
  loadParams(params: Float32Array): Promise<void> {
    return this.request<void>((requestId) => ({ type: 'loadParams', params: params.slice(), requestId }));
  }
  predict(points: Float32Array): Promise<Float32Array> {
    return this.request<Float32Array>((requestId) => ({ type: 'predict', points: points.slice(), requestId }));
  }

  private request<T>(make: (id: number) => ToWorker): Promise<T> {
    const id = this.nextRequest++;
    return new Promise<T>((resolve, reject) => {
      this.requests.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send(make(id));
    });
  }

  private send(msg: ToWorker, transfer: Transferable[] = []): void {
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
    this.startedAt = performance.now();
    this.lastPong = this.startedAt;
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.replace(`the training worker crashed (${e.message || 'script error'})`);
    };
    worker.onmessageerror = () => this.replace('a message from the training worker could not be read');
    // Bring a fresh worker to the last known configuration.
    const { net, data, hyper, view } = this.last;
    if (view) this.send({ type: 'view', view });
    if (hyper) this.send({ type: 'hyper', hyper });
    if (net) this.send({ type: 'build', net });
    if (data) this.send({ type: 'data', data });
    if (net && this.lastParams) {
      this.send({ type: 'loadParams', params: this.lastParams.slice(), requestId: 0 });
    }
    if (this.running) this.send({ type: 'play' });
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
    const now = performance.now();
    const limit = this.loaded ? STUCK_AFTER_MS : LOAD_TIMEOUT_MS;
    if (now - this.lastPong > limit) {
      this.replace(this.loaded ? 'the training worker stopped answering' : 'the engine took too long to load');
      return;
    }
    this.send({ type: 'ping', id: ++this.pingId });
  }

  private receive(msg: FromWorker): void {
    this.lastPong = performance.now(); // any message proves the worker is alive
    switch (msg.type) {
      case 'ready':
        this.loaded = true;
        this.events.ready();
        break;
      case 'pong':
      case 'built':
        break;
      case 'snapshot':
        this.lastParams = msg.snap.params;
        this.running = msg.snap.running;
        this.pendingSnap = msg.snap;
        this.requestFrame();
        break;
      case 'diverged':
        this.running = false;
        this.events.diverged(msg.message);
        break;
      case 'error':
        if (msg.requestId !== undefined && this.requests.has(msg.requestId)) {
          this.requests.get(msg.requestId)!.reject(new Error(msg.message));
          this.requests.delete(msg.requestId);
        } else {
          this.events.error(msg.message);
        }
        break;
      case 'fatal':
        this.worker?.terminate();
        this.worker = null;
        this.events.fatal(msg.message);
        break;
      case 'params':
        this.settle(msg.requestId, msg.params);
        break;
      case 'loaded':
        this.settle(msg.requestId, undefined);
        break;
      case 'predictions':
        this.settle(msg.requestId, msg.values);
        break;
    }
  }

  private settle(id: number, value: unknown): void {
    const p = this.requests.get(id);
    if (!p) return;
    this.requests.delete(id);
    p.resolve(value);
  }

  private requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    const deliver = (): void => {
      this.frameRequested = false;
      const snap = this.pendingSnap;
      this.pendingSnap = null;
      if (!snap) return;
      // Ack first: the worker prepares the next snapshot while this one is
      // drawn. Still at most one snapshot in flight and one being drawn.
      this.send({ type: 'ack' });
      this.events.snapshot(snap);
    };
    // Hidden tabs get no animation frames; a timer keeps the UI in step.
    if (typeof document !== 'undefined' && document.visibilityState === 'visible') requestAnimationFrame(deliver);
    else setTimeout(deliver, 100);
  }
}
