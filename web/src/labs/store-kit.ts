// What every training lab's store does with its worker, once: the state and
// its throttled subscribers, the LabClient started on first use with the
// same notices (diverged, error, fatal, restarted), the page's pace and the
// wanted views replayed into a replacement worker, pause and speed.
import { ThrottledNotifier, type Store } from '../lib/use-store';
import { LabClient, type WorkerFactory } from '../engine/client';
import { FULL_SPEED, stepsPerSecond, type Speed } from '../state/speed';
import type { LabId } from './index';

export type Notice = { kind: 'info' | 'warning'; text: string };

/** The part of a lab's state the kit reads and writes. */
export interface LabStoreState {
  notice: Notice | null;
  speed: Speed;
  /** Bumped on every change so components can memoise on it. */
  version: number;
}

export interface LabStoreOptions<S> {
  lab: LabId;
  /** What a restarted worker was given back, for its notice ("your settings and the weights"). */
  restored: string;
  /** The rest of the state after a failed command (the warning is set in any case). */
  onError?: Partial<S>;
  /** The state once the engine gave up for good, given its message. */
  onFatal(text: string): Partial<S>;
}

const NOTIFY_MS = 80;

export abstract class LabStore<S extends LabStoreState, Cmd, Snap, Ev> implements Store<S> {
  state: S;
  protected client: LabClient<Cmd, Snap, Ev> | null = null;
  private readonly notifier = new ThrottledNotifier<S>(() => this.state, NOTIFY_MS);

  constructor(private readonly options: LabStoreOptions<S>, protected readonly factory: WorkerFactory | undefined, initial: S) {
    this.state = initial;
  }

  subscribe(fn: (s: S) => void): () => void {
    return this.notifier.subscribe(fn);
  }

  protected set(patch: Partial<S>): void {
    this.state = { ...this.state, ...patch, version: this.state.version + 1 };
    this.notifier.notify();
  }

  protected abstract receiveSnapshot(snap: Snap): void;
  protected abstract receive(event: Ev): void;

  /** The views the page wants, sent first to every worker (null: the lab has none). */
  protected wantCommand(): Cmd | null {
    return null;
  }

  /** The lab's client, started on first use (and again after a fatal error). */
  protected lab(): LabClient<Cmd, Snap, Ev> {
    if (this.client) return this.client;
    const o = this.options;
    const client = new LabClient<Cmd, Snap, Ev>(o.lab, {
      ready: () => undefined,
      snapshot: (snap) => this.receiveSnapshot(snap),
      event: (e) => this.receive(e),
      diverged: (text) => this.set({ notice: { kind: 'warning', text } } as Partial<S>),
      error: (text) => this.set({ notice: { kind: 'warning', text }, ...o.onError } as Partial<S>),
      fatal: (text) => {
        this.client?.dispose();
        this.client = null;
        this.set(o.onFatal(text));
      },
      restarted: (why) => this.set({ notice: { kind: 'info', text: `The training engine was restarted (${why}); ${o.restored} were brought back.` } } as Partial<S>),
    }, this.factory);
    client.start();
    this.client = client;
    if (this.state.speed !== FULL_SPEED) client.setPace(stepsPerSecond(this.state.speed));
    const want = this.wantCommand();
    if (want) client.send(want, { replay: 'want' });
    return client;
  }

  pause(): void {
    this.client?.setRunning(false);
  }

  setSpeed(speed: Speed): void {
    if (speed === this.state.speed) return;
    this.set({ speed } as Partial<S>);
    this.client?.setPace(stepsPerSecond(speed));
  }
}
