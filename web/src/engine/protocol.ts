// The envelope between the UI thread (client.ts) and the one worker host
// (host.worker.ts), the same for every lab; what a lab says inside it
// (`command.msg`, `snap`, `event`) is that lab's own typed union
// (labs/<id>/protocol.ts).
//
// Why not comlink: training streams snapshots continuously, paced by the UI:
// the worker sends the next snapshot only after the UI acknowledged the last
// one (it acks when it takes a snapshot for drawing, so the next one is
// prepared while this one is drawn). That is a stream with back-pressure,
// not a set of request/response calls, so a small discriminated union of
// messages fits better and keeps every transfer explicit. Commands still
// carry an id, and the answer to one says the state after it was applied.

import type { LabId } from '../labs/sessions';
import type { CoreRequest } from '../share/coreLayout';

/** What every lab reports about its run, in every answer and snapshot. */
export interface LabStatus {
  running: boolean;
  /** Epochs trained, as a fraction inside an epoch (e.g. 1.25 after a
   *  quarter of the second epoch's batches). */
  epoch: number;
}

export type HostCommand =
  /** The first command to a new worker: which lab's session it runs. */
  | { op: 'open'; lab: LabId }
  /** A lab-specific message, handed to the session's handle(). */
  | { op: 'lab'; msg: unknown }
  | { op: 'run'; running: boolean }
  /** Training speed: at most this many steps (batches) a second; Infinity: full speed. */
  | { op: 'pace'; stepsPerSecond: number }
  /** Pauses, then trains exactly this many batches, or epochs' worth of
   *  batches, at full speed; answered once they ran (a play or pause
   *  command meanwhile ends it early). */
  | { op: 'step'; batches: number } | { op: 'step'; epochs: number }
  /** The last weights the UI saw, into a replacement worker's model. */
  | { op: 'restore'; params: Float32Array }
  /** The core's verdict on a layer list (share/coreLayout.ts coreVerdict):
   *  its parameter layout for a file being loaded, saved or exported; no
   *  lab's state changes. Any lab, even before `open` took effect. */
  | { op: 'core'; request: CoreRequest };

export type ToHost =
  /** Commands run one at a time, in order (a lab may await inside one).
   *  `answer`: reply with `done` (or `error` with this id). */
  | { kind: 'command'; id: number; answer: boolean; command: HostCommand }
  /** The UI took the last snapshot: the worker may send the next one. */
  | { kind: 'ack' }
  | { kind: 'ping'; id: number };

export type FromHost =
  | { kind: 'ready'; abiVersion: number }
  /** Command `id` was applied; `status` is the state right after it. */
  | { kind: 'done'; id: number; status: LabStatus; result: unknown }
  /** `seq`: the last command applied before it was taken. */
  | { kind: 'snapshot'; seq: number; status: LabStatus; snap: unknown }
  /** A lab message outside the paced stream (load progress, evaluations …). */
  | { kind: 'event'; event: unknown }
  /** The weights now, for a restart; `seq` is the last command applied. */
  | { kind: 'weights'; seq: number; params: Float32Array }
  /** Training stopped because the loss became NaN/Inf; `message` advises. */
  | { kind: 'diverged'; status: LabStatus; message: string }
  /** A recoverable problem with a command (bad config, bad params …). */
  | { kind: 'error'; id?: number; message: string }
  /** The WASM module could not be loaded or initialised. */
  | { kind: 'fatal'; message: string }
  | { kind: 'pong'; id: number };
