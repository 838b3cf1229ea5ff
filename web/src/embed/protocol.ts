// The course-page API: a namespaced, versioned postMessage protocol between
// the playground in an iframe and its host page. Pure: no window access, so
// the app (C2's wiring) decides where messages go and this module decides
// what is valid.
//
// Every message is an object { ns: "nn-playground", v: 1, type, ... }.
// To the host:  ready, state, metrics (rate-limited), resize, error.
// From the host: setConfig, play, pause, reset, step, getState.
// Commands are accepted only from the parent window, and, when the page URL
// has origins=..., only from those origins.

import type { Config } from '../state/config';
import { configFromObject, parseOrigin, type Rejection } from '../state/codec';

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

export interface Metrics {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** Test accuracy 0..1 for classification, null for regression. */
  accuracy: number | null;
}

/** What the playground tells its host (without the envelope). */
export type OutgoingPayload =
  | { type: 'ready'; config: Config }
  | { type: 'state'; config: Config; running: boolean; epoch: number }
  | ({ type: 'metrics' } & Metrics)
  | { type: 'resize'; height: number }
  /** A command was refused; nothing changed. */
  | { type: 'error'; command: string; message: string; rejected: Rejection[] };

/** Messages the playground sends to its host. */
export type OutgoingMessage = Envelope & OutgoingPayload;

/** A validated command from the host. */
export type Command =
  /** Complete new configuration (the current one with the given keys changed). */
  | { type: 'setConfig'; config: Config; id?: string }
  | { type: 'play'; id?: string }
  | { type: 'pause'; id?: string }
  | { type: 'reset'; id?: string }
  | { type: 'step'; steps: number; id?: string }
  | { type: 'getState'; id?: string };

export type IncomingResult =
  /** Not a message of this protocol (other scripts post messages too): ignore it. */
  | { kind: 'foreign' }
  | { kind: 'command'; command: Command }
  /** Ours but invalid: answer with `reply` (an error message) and change nothing. */
  | { kind: 'invalid'; reply: OutgoingMessage };

const COMMANDS = ['setConfig', 'play', 'pause', 'reset', 'step', 'getState'] as const;

/** Wraps a payload in the envelope. */
export function message(payload: OutgoingPayload, id?: string): OutgoingMessage {
  const m: OutgoingMessage = { ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, ...payload };
  if (id !== undefined) m.id = id;
  return m;
}

function errorReply(command: string, text: string, rejected: Rejection[] = [], id?: string): IncomingResult {
  return { kind: 'invalid', reply: message({ type: 'error', command, message: text, rejected }, id) };
}

/**
 * Checks a message's data and turns it into a command. `current` is the
 * configuration setConfig applies its changes to. setConfig is all or
 * nothing: one invalid setting refuses the whole command (listing every
 * problem), because a host should never end up in a state it did not ask for.
 */
export function parseIncoming(data: unknown, current: Config): IncomingResult {
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
  const withId = <C extends Command>(c: C): IncomingResult => ({ kind: 'command', command: id === undefined ? c : { ...c, id } });
  switch (type) {
    case 'setConfig': {
      const r = configFromObject(d.config, current);
      if (r.rejected.length > 0) return errorReply(type, 'setConfig refused: some settings are invalid; nothing was changed', r.rejected, id);
      if (r.ignored.length > 0) {
        return errorReply(type, `setConfig refused: unknown settings ${r.ignored.join(', ')}; nothing was changed`, [], id);
      }
      return withId({ type: 'setConfig', config: r.config });
    }
    case 'step': {
      const steps = d.steps === undefined ? 1 : d.steps;
      if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS_PER_COMMAND) {
        return errorReply(type, `"steps" must be a whole number from 1 to ${MAX_STEPS_PER_COMMAND}`, [], id);
      }
      return withId({ type: 'step', steps });
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

export interface BridgeApp {
  getConfig(): Config;
  getStatus(): { running: boolean; epoch: number };
  /** Carries out a validated command (setConfig with the complete new Config). */
  run(command: Command): void;
}

export interface EmbedBridge {
  /** Call once the page can take commands. */
  ready(): void;
  /** Sends the current state (e.g. after the user changed a setting). */
  state(id?: string): void;
  /** Sends metrics unless one was sent within the throttle interval. Returns whether it was sent. */
  metrics(m: Metrics): boolean;
  /** Sends the content height when it changed by a pixel or more. */
  resize(height: number): void;
  stop(): void;
}

/** Wires the protocol between the page and its host window. `allowed` is ViewOptions.origins. */
export function startEmbedBridge(host: BridgeHost, app: BridgeApp, allowed: readonly string[] | null,
  intervalMs: number = METRICS_INTERVAL_MS): EmbedBridge {
  const throttle = new MetricsThrottle(intervalMs);
  const targets = targetOrigins(allowed);
  let lastHeight = -1;
  const post = (m: OutgoingMessage): void => {
    for (const t of targets) {
      try {
        host.parent.postMessage(m, t);
      } catch {
        // A closed or cross-origin-mismatched parent: nothing to tell.
      }
    }
  };
  const bridge: EmbedBridge = {
    ready: () => post(message({ type: 'ready', config: app.getConfig() })),
    state: (id) => post(message({ type: 'state', config: app.getConfig(), ...app.getStatus() }, id)),
    metrics: (m) => {
      if (!throttle.ready(host.now())) return false;
      post(message({ type: 'metrics', ...m }));
      return true;
    },
    resize: (height) => {
      if (!Number.isFinite(height) || Math.abs(height - lastHeight) < 1) return;
      lastHeight = height;
      post(message({ type: 'resize', height: Math.ceil(height) }));
    },
    stop: () => unlisten(),
  };
  const unlisten = host.listen((e) => {
    // Unknown senders get no answer at all.
    if (!isAllowedSender(e.origin, e.source, host.parent, allowed)) return;
    const r = parseIncoming(e.data, app.getConfig());
    if (r.kind === 'foreign') return;
    if (r.kind === 'invalid') { post(r.reply); return; }
    try {
      app.run(r.command);
    } catch (err) {
      post(message({ type: 'error', command: r.command.type, message: err instanceof Error ? err.message : String(err), rejected: [] }, r.command.id));
      return;
    }
    bridge.state(r.command.id);
  });
  return bridge;
}
