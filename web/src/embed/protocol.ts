// The course-page API: a namespaced, versioned postMessage protocol between
// the playground in an iframe and its host page. Pure: no window access, so
// the app (C2's wiring) decides where messages go and this module decides
// what is valid.
//
// Every message is an object { ns: "nn-playground", v: 1, type, ... }.
// To the host:  ready, state, metrics (rate-limited), resize, error.
// From the host: setConfig, play, pause, reset, step, getState.
// The training speed (state/speed.ts) rides along: setConfig takes
// `speed` among the settings, and `state` reports it. `step` trains
// `batches` or `epochs` (or `steps`: epochs in the playground, batches in
// MNIST, as before) and answers once they ran.
// Commands are accepted only from the parent window, and, when the page URL
// has origins=..., only from those origins.
//
// One protocol for every lab (LabProtocol): ready and state carry the lab's
// id and its config, setConfig is checked by that lab's schema, metrics
// carry that lab's fields. A command may name the lab it is meant for
// ("lab": "mnist"); one meant for another lab is refused. The playground's
// functions below (parseIncoming, startEmbedBridge) are its instance.

import type { Config } from '../state/config';
import type { Rejection } from '../state/codec-types';
import { parseOrigin } from '../state/view';
import { playgroundCodec, PLAYGROUND_LAB, PLAYGROUND_METRICS } from '../labs/playground/config';
import { parseSpeed, SPEEDS, type Speed } from '../state/speed';

export const PROTOCOL_NAMESPACE = 'nn-playground';
export const PROTOCOL_VERSION = 1;
/** Default minimum gap between two metrics messages: at most 4 per second. */
export const METRICS_INTERVAL_MS = 250;
/** Most steps one step command may ask for. */
export const MAX_STEPS_PER_COMMAND = 1000;
const MAX_ID_LENGTH = 64;

interface Envelope {
  ns: typeof PROTOCOL_NAMESPACE;
  v: typeof PROTOCOL_VERSION;
  /** Echo of the command's id, when the event answers one. */
  id?: string;
}

/** The playground's metrics. */
export interface Metrics {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** Test accuracy 0..1 for classification, null for regression. */
  accuracy: number | null;
  /** Weights and biases set by hand since the network was built, reset or loaded. */
  handSet: number;
  /** Show the math's gradient checks (backprop against the finite difference) done on the page. */
  gradientChecks: number;
}

/** A lab's metrics: its own fields, numbers (null where not applicable). */
export type LabMetrics = Readonly<Record<string, number | null>>;

/** What the protocol needs of a lab. */
export interface LabProtocol<C> {
  lab: string;
  /** Checks setConfig's object on top of the current config (a LabCodec has it). */
  fromObject(obj: unknown, base: C): { config: C; rejected: Rejection[]; ignored: string[] };
  /** The fields of its metrics messages, e.g. epoch, trainLoss, testLoss, accuracy. */
  metrics: readonly string[];
}

export { PLAYGROUND_METRICS };

export const playgroundProtocol: LabProtocol<Config> = {
  lab: PLAYGROUND_LAB,
  fromObject: (obj, base) => playgroundCodec.fromObject(obj, base),
  metrics: PLAYGROUND_METRICS,
};

/** What a lab's page tells its host (without the envelope). */
export type LabOutgoingPayload<C, M = LabMetrics> =
  | { type: 'ready'; lab?: string; config: C }
  /** The state after the command it answers took effect. */
  | { type: 'state'; lab?: string; config: C; running: boolean; epoch: number; speed?: Speed }
  | ({ type: 'metrics' } & M)
  | { type: 'resize'; height: number }
  /** A command was refused; nothing changed. */
  | { type: 'error'; command: string; message: string; rejected: Rejection[] };

/** What the playground tells its host (without the envelope). */
export type OutgoingPayload = LabOutgoingPayload<Config, Metrics>;

/** Messages a page sends to its host. */
export type OutgoingMessage<C = Config, M = Metrics> = Envelope & LabOutgoingPayload<C, M>;

/** A validated command from the host. */
export type LabCommand<C> =
  /** Complete new configuration (the current one with the given keys changed). */
  /** `speed`: the training speed, when the host set one. */
  | { type: 'setConfig'; config: C; speed?: Speed; id?: string }
  | { type: 'play'; id?: string }
  | { type: 'pause'; id?: string }
  | { type: 'reset'; id?: string }
  /** `unit` absent: the lab's own unit for `steps` (playground: epochs, MNIST: batches). */
  | { type: 'step'; steps: number; unit?: 'batches' | 'epochs'; id?: string }
  | { type: 'getState'; id?: string };

export type Command = LabCommand<Config>;

export type LabIncomingResult<C> =
  /** Not a message of this protocol (other scripts post messages too): ignore it. */
  | { kind: 'foreign' }
  | { kind: 'command'; command: LabCommand<C> }
  /** Ours but invalid: answer with `reply` (an error message) and change nothing. */
  | { kind: 'invalid'; reply: OutgoingMessage<C, LabMetrics> };

export type IncomingResult = LabIncomingResult<Config>;

const COMMANDS = ['setConfig', 'play', 'pause', 'reset', 'step', 'getState'] as const;

/** Wraps a payload in the envelope. */
export function message<C = Config, M = Metrics>(payload: LabOutgoingPayload<C, M>, id?: string): OutgoingMessage<C, M> {
  const m = { ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, ...payload } as OutgoingMessage<C, M>;
  if (id !== undefined) m.id = id;
  return m;
}

function errorReply<C>(command: string, text: string, rejected: Rejection[] = [], id?: string): LabIncomingResult<C> {
  return { kind: 'invalid', reply: message<C, LabMetrics>({ type: 'error', command, message: text, rejected }, id) };
}

/**
 * Checks a message's data and turns it into a command. `current` is the
 * configuration setConfig applies its changes to. setConfig is all or
 * nothing: one invalid setting refuses the whole command (listing every
 * problem), because a host should never end up in a state it did not ask for.
 */
export function parseIncoming(data: unknown, current: Config): IncomingResult {
  return parseLabIncoming(data, current, playgroundProtocol);
}

/** parseIncoming for any lab: setConfig is checked by `protocol`'s schema. */
export function parseLabIncoming<C>(data: unknown, current: C, protocol: LabProtocol<C>): LabIncomingResult<C> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { kind: 'foreign' };
  const d = data as Record<string, unknown>;
  if (d.ns !== PROTOCOL_NAMESPACE) return { kind: 'foreign' };
  const type = typeof d.type === 'string' ? d.type.slice(0, 40) : '';
  let id: string | undefined;
  if (d.id !== undefined) {
    if (typeof d.id !== 'string' || d.id.length > MAX_ID_LENGTH) return errorReply(type, `"id" must be a string of at most ${MAX_ID_LENGTH} characters`);
    id = d.id;
  }
  if (d.v !== PROTOCOL_VERSION) return errorReply(type, `unsupported protocol version ${JSON.stringify(d.v) ?? 'undefined'}; this page speaks version ${PROTOCOL_VERSION}`, [], id);
  if (!(COMMANDS as readonly string[]).includes(type)) return errorReply(type, `unknown command "${type}"; commands are: ${COMMANDS.join(', ')}`, [], id);
  if (d.lab !== undefined && d.lab !== protocol.lab) {
    return errorReply(type, `this page runs the ${protocol.lab} lab, not ${JSON.stringify(d.lab)?.slice(0, 40) ?? 'undefined'}; nothing was changed`, [], id);
  }
  const withId = (c: LabCommand<C>): LabIncomingResult<C> => ({ kind: 'command', command: id === undefined ? c : { ...c, id } });
  switch (type) {
    case 'setConfig': {
      // The speed is every lab's, not part of a lab's settings: checked here.
      let settings = d.config;
      let speed: Speed | undefined;
      const speedRejected: Rejection[] = [];
      if (typeof settings === 'object' && settings !== null && !Array.isArray(settings) && Object.hasOwn(settings, 'speed')) {
        const { speed: raw, ...rest } = settings as Record<string, unknown>;
        settings = rest;
        // A number or "max" (a link's text form "10" is not an API value).
        speed = typeof raw === 'number' || raw === 'max' ? parseSpeed(raw) : undefined;
        if (speed === undefined) {
          speedRejected.push({ key: 'speed', value: String(JSON.stringify(raw) ?? '').slice(0, 40), reason: `must be one of ${SPEEDS.map((s) => JSON.stringify(s)).join(', ')}` });
        }
      }
      const r = protocol.fromObject(settings, current);
      const rejected = [...speedRejected, ...r.rejected];
      if (rejected.length > 0) return errorReply(type, 'setConfig refused: some settings are invalid; nothing was changed', rejected, id);
      if (r.ignored.length > 0) {
        return errorReply(type, `setConfig refused: unknown settings ${r.ignored.join(', ')}; nothing was changed`, [], id);
      }
      return withId(speed === undefined ? { type: 'setConfig', config: r.config } : { type: 'setConfig', config: r.config, speed });
    }
    case 'step': {
      const given = (['steps', 'batches', 'epochs'] as const).filter((k) => d[k] !== undefined);
      if (given.length > 1) return errorReply(type, `give one of "steps", "batches" or "epochs", not ${given.join(' and ')}`, [], id);
      const key = given[0] ?? 'steps';
      const steps = d[key] === undefined ? 1 : d[key];
      if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS_PER_COMMAND) {
        return errorReply(type, `"${key}" must be a whole number from 1 to ${MAX_STEPS_PER_COMMAND}`, [], id);
      }
      return withId(key === 'steps' ? { type: 'step', steps } : { type: 'step', steps, unit: key });
    }
    default:
      return withId({ type: type as 'play' | 'pause' | 'reset' | 'getState' });
  }
}

/**
 * Whether a message event may command the page. `allowed` is
 * ViewOptions.origins: null accepts any origin (the parent window only),
 * a list accepts only those origins, [] accepts none.
 */
export function isAllowedSender(origin: string, source: unknown, parent: unknown, allowed: readonly string[] | null): boolean {
  if (source === null || source !== parent) return false;
  if (allowed === null) return true;
  const o = parseOrigin(origin);
  return o !== undefined && allowed.includes(o);
}

/** Where to post events: the allowed origins, or "*" when any origin is allowed. */
export function targetOrigins(allowed: readonly string[] | null): string[] {
  return allowed === null ? ['*'] : [...allowed];
}

/** Lets metrics through at most once per interval (time passed in, for tests). */
export class MetricsThrottle {
  private last = -Infinity;
  constructor(private readonly intervalMs: number = METRICS_INTERVAL_MS) {}
  /** True when a metrics message may be sent at time `now` (ms). */
  ready(now: number): boolean {
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}

// ------------------------------------------------------------------ bridge
// Optional glue for the app: it listens, validates, answers and throttles,
// with the window objects passed in so tests can use plain fakes.

export interface MessageEventLike {
  data: unknown;
  origin: string;
  source: unknown;
}

export interface BridgeHost {
  /** Subscribes to message events (window.addEventListener('message')); returns an unsubscribe. */
  listen(fn: (e: MessageEventLike) => void): () => void;
  /** The window that embeds the page (window.parent), never the page itself. */
  parent: { postMessage(message: unknown, targetOrigin: string): void };
  now(): number;
}

export interface LabBridgeApp<C> {
  getConfig(): C;
  getStatus(): { running: boolean; epoch: number };
  /** The training speed, reported in `state`. */
  getSpeed?(): Speed;
  /**
   * Carries out a validated command (setConfig with the complete new
   * config). Return a promise when the command finishes later (a pause the
   * worker must confirm, steps it must run): the state reply waits for it,
   * so it describes the state after the command; a rejection becomes an
   * error reply.
   */
  run(command: LabCommand<C>): void | Promise<void>;
}

export type BridgeApp = LabBridgeApp<Config>;

export interface LabEmbedBridge<M = LabMetrics> {
  /** Call once the page can take commands. */
  ready(): void;
  /** Sends the current state (e.g. after the user changed a setting). */
  state(id?: string): void;
  /** Sends metrics unless one was sent within the throttle interval. Returns whether it was sent. */
  metrics(m: M): boolean;
  /** Sends the content height when it changed by a pixel or more. */
  resize(height: number): void;
  stop(): void;
}

export type EmbedBridge = LabEmbedBridge<Metrics>;

/** Wires the protocol between the playground and its host window. `allowed` is ViewOptions.origins. */
export function startEmbedBridge(host: BridgeHost, app: BridgeApp, allowed: readonly string[] | null,
  intervalMs: number = METRICS_INTERVAL_MS): EmbedBridge {
  return startLabBridge<Config, Metrics>(host, app, allowed, playgroundProtocol, intervalMs);
}

/** Only the lab's declared metrics fields, each a finite number or null. */
function pickMetrics(m: object, fields: readonly string[]): LabMetrics {
  const out: Record<string, number | null> = {};
  for (const f of fields) {
    const v = (m as Record<string, unknown>)[f];
    out[f] = typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return out;
}

/** Wires the protocol between any lab's page and its host window. `allowed` is the view's origins. */
export function startLabBridge<C, M extends object = LabMetrics>(host: BridgeHost, app: LabBridgeApp<C>, allowed: readonly string[] | null,
  protocol: LabProtocol<C>, intervalMs: number = METRICS_INTERVAL_MS): LabEmbedBridge<M> {
  const throttle = new MetricsThrottle(intervalMs);
  const targets = targetOrigins(allowed);
  let lastHeight = -1;
  const post = (m: OutgoingMessage<C, LabMetrics>): void => {
    for (const t of targets) {
      try {
        host.parent.postMessage(m, t);
      } catch {
        // A closed or cross-origin-mismatched parent: nothing to tell.
      }
    }
  };
  const fail = (command: string, err: unknown, id?: string): void => {
    post(message<C, LabMetrics>({ type: 'error', command, message: err instanceof Error ? err.message : String(err), rejected: [] }, id));
  };
  const bridge: LabEmbedBridge<M> = {
    ready: () => post(message<C, LabMetrics>({ type: 'ready', lab: protocol.lab, config: app.getConfig() })),
    state: (id) => post(message<C, LabMetrics>({
      type: 'state', lab: protocol.lab, config: app.getConfig(), ...app.getStatus(), ...(app.getSpeed ? { speed: app.getSpeed() } : {}),
    }, id)),
    metrics: (m) => {
      if (!throttle.ready(host.now())) return false;
      // A type field next to number fields: TypeScript cannot spell that record, hence the cast.
      post(message<C, LabMetrics>({ type: 'metrics', ...pickMetrics(m, protocol.metrics) } as LabOutgoingPayload<C, LabMetrics>));
      return true;
    },
    resize: (height) => {
      if (!Number.isFinite(height) || Math.abs(height - lastHeight) < 1) return;
      lastHeight = height;
      post(message<C, LabMetrics>({ type: 'resize', height: Math.ceil(height) }));
    },
    stop: () => unlisten(),
  };
  const unlisten = host.listen((e) => {
    // Unknown senders get no answer at all.
    if (!isAllowedSender(e.origin, e.source, host.parent, allowed)) return;
    const r = parseLabIncoming(e.data, app.getConfig(), protocol);
    if (r.kind === 'foreign') return;
    if (r.kind === 'invalid') { post(r.reply); return; }
    const { type, id } = r.command;
    let done: void | Promise<void>;
    try {
      done = app.run(r.command);
    } catch (err) {
      fail(type, err, id);
      return;
    }
    if (done instanceof Promise) done.then(() => bridge.state(id), (err: unknown) => fail(type, err, id));
    else bridge.state(id);
  });
  return bridge;
}
