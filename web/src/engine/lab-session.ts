// What a lab puts in the worker: a session behind one interface. The host
// (host.worker.ts) owns everything around it: loading the engine, the chunked
// loop and its scheduler, the speed limit (steps per second) and stepping by
// batch or epoch, snapshot pacing, the heartbeat, errors, weight
// checkpoints for restarts and the divergence message.

import type { Engine } from './nn-wasm.js';
import type { LabStatus } from './protocol';

export interface LabContext {
  /** The WASM engine, loaded once per worker. */
  readonly engine: Engine;
  /** Sends a lab message outside the paced snapshot stream. */
  emit(event: unknown, transfer?: Transferable[]): void;
  /** Training diverged: the host stops the run and tells the UI `message`. */
  diverged(message: string): void;
}

export interface LabSession {
  /** Training time per chunk before the host looks at its messages again. */
  readonly chunkMs: number;
  status(): LabStatus;
  /** Play (true) or pause (false). A session may refuse to run (nothing built yet). */
  setRunning(running: boolean): void;
  /** One lab command; its return value is sent back with the status after it. */
  handle(msg: unknown): unknown | Promise<unknown>;
  /** Trains at most maxSteps steps (batches) in about budgetMs, and/or does
   *  pending work; the host calls it while playing, while stepping, and while
   *  work is pending, and it trains whenever called (maxSteps 0: pending work
   *  only). Returns the steps trained, or false when there was nothing to do
   *  (the host then polls slowly instead of spinning). Infinity: as many as
   *  fit (full speed); a finite count comes from the pacer or a step command. */
  chunk(budgetMs: number, maxSteps: number): number | false;
  /** Steps (batches) in one epoch now, 0 when nothing can train yet. */
  stepsPerEpoch(): number;
  /** Work that goes on while paused (e.g. an evaluation run in slices, so
   *  the worker keeps answering): the host calls chunk() until it is done. */
  pending?(): boolean;
  /** The next snapshot and the buffers to transfer, or null when there is none. */
  snapshot(): [unknown, Transferable[]] | null;
  /** A copy of the model's weights (for restarts), or null without a model. */
  params(): Float32Array | null;
  loadParams(params: Float32Array): void;
  dispose(): void;
}

export type LabSessionFactory = (ctx: LabContext) => LabSession;
