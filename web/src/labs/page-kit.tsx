// What every lab page does with its address and its host frame, once: its
// own part of the link, the settings written back to the address while its
// tab shows, autoplay=1, the list of link settings that were not used, and
// the course-page API bridge to the embedding window.
import { useEffect, useRef, type MutableRef } from 'preact/hooks';
import { parseLink, type ParsedLink } from '../state/link';
import type { Rejection } from '../state/codec-types';
import { METRICS_INTERVAL_MS, startLabBridge, type BridgeHost, type LabBridgeApp, type LabEmbedBridge, type LabProtocol } from '../embed/protocol';
import type { Speed } from '../state/speed';
import type { LabId } from './index';

/** The lab's part of the address: the link's when it names this lab, else the defaults. */
export function ownLink<L extends LabId>(link: ParsedLink, lab: L): ParsedLink & { lab: L } {
  return (link.lab === lab ? link : parseLink(`lab=${lab}`)) as ParsedLink & { lab: L };
}

/** The settings are the address: `query` is written on every change while the tab shows. */
export function useAddress(query: string, active: boolean): void {
  useEffect(() => { if (active) writeAddress(query); }, [query, active]);
}

/** Puts a lab's link query in the address bar, without a history entry. */
export function writeAddress(query: string): void {
  try {
    history.replaceState(history.state, '', `?${query}`);
  } catch {
    // Sandboxed frames may forbid history; the page still works.
  }
}

/** autoplay=1: `play` once, as soon as the first model is `ready`. */
export function useAutoplayOnce(autoplay: boolean, ready: boolean, play: () => void): void {
  const done = useRef(false);
  useEffect(() => {
    if (autoplay && ready && !done.current) {
      done.current = true;
      play();
    }
  }, [ready]);
}

/** The link's settings that were not used, each with its reason; `prefix` is the lab's class prefix (mn, sq). */
export function LinkNotices({ notices, onDismiss, prefix }: { notices: readonly Rejection[]; onDismiss: () => void; prefix: string }) {
  if (notices.length === 0) return null;
  return (
    <div class={`${prefix}-notice ${prefix}-notice-warning`} role="status" data-testid="rejected">
      <strong>Some settings in the link were not used:</strong>
      <ul>{notices.slice(0, 20).map((r, i) => <li key={i}><code>{r.key}{r.value !== '' ? `=${r.value}` : ''}</code> {r.reason}</li>)}</ul>
      <button type="button" class={`${prefix}-btn`} onClick={onDismiss} aria-label="dismiss">×</button>
    </div>
  );
}

/** This window's messages and its parent, for the bridge. */
export function windowBridgeHost(source: (s: MessageEventSource | null) => unknown = (s) => s, parent: BridgeHost['parent'] = window.parent): BridgeHost {
  return {
    listen: (fn) => {
      const h = (e: MessageEvent) => fn({ data: e.data, origin: e.origin, source: source(e.source) });
      window.addEventListener('message', h);
      return () => window.removeEventListener('message', h);
    },
    parent,
    now: () => performance.now(),
  };
}

/** Calls `resize` with the content height whenever the page's size changes (the host may size the frame to it); returns the stop. */
export function watchFrameHeight(resize: (height: number) => void): () => void {
  const ro = typeof ResizeObserver !== 'undefined'
    ? new ResizeObserver(() => resize(document.documentElement.scrollHeight))
    : null;
  ro?.observe(document.body);
  return () => ro?.disconnect();
}

type Status = { running: boolean; epoch: number };

/**
 * The course-page API for a lab page in a frame: commands from the embedding
 * page, each answered with the state after it took effect. `status` is the
 * page's run status now; `makeApp` gets `after`, which makes a command's
 * answer wait for the worker's confirmed status. Started once per `key` (the
 * lab's store); nothing happens outside a frame.
 */
export function useLabFrameBridge<C>(status: Status, makeApp: (after: (p: Promise<{ status: Status }>) => Promise<void>) => Omit<LabBridgeApp<C>, 'getStatus'>,
  origins: readonly string[] | null, protocol: LabProtocol<C>, ready: boolean, key: unknown): MutableRef<LabEmbedBridge | null> {
  const statusNow = useRef(status);
  statusNow.current = status;
  const bridge = useRef<LabEmbedBridge | null>(null);
  useEffect(() => {
    if (typeof window === 'undefined' || window.parent === window) return;
    const after = (p: Promise<{ status: Status }>) => p.then((r) => { statusNow.current = { running: r.status.running, epoch: r.status.epoch }; });
    bridge.current = startLabBridge<C>(windowBridgeHost(), { ...makeApp(after), getStatus: () => statusNow.current }, origins, protocol);
    const unwatch = watchFrameHeight((h) => bridge.current?.resize(h));
    return () => { unwatch(); bridge.current?.stop(); bridge.current = null; };
  }, [key]);
  useEffect(() => { if (ready) bridge.current?.ready(); }, [ready]);
  return bridge;
}

/** What the course-page API drives in a training lab's store. */
export interface BridgedStore<C> {
  readonly state: { config: C; speed: Speed; built: unknown; version: number };
  setConfig(config: C): void;
  setSpeed(speed: Speed): void;
  build(): void;
  run(running: boolean): Promise<{ status: Status }>;
}

/**
 * A training lab's course-page API over useLabFrameBridge: setConfig (and
 * its speed), play, pause, reset (a new build, paused), step (`step` runs
 * `steps` of `unit`, absent: the lab's own unit) and getState. `metrics`
 * reads the page's metrics now (null: none yet); they go out after every
 * change, and the last of a burst the bridge held back is sent once its
 * interval is over, not dropped.
 */
export function useTrainingBridge<C>(store: BridgedStore<C>, status: Status, step: (steps: number, unit: 'batches' | 'epochs' | undefined) => Promise<{ status: Status }>,
  metrics: () => Record<string, number | null> | null, origins: readonly string[] | null, protocol: LabProtocol<C>): void {
  const bridge = useLabFrameBridge<C>(status, (after) => ({
    getConfig: () => store.state.config,
    getSpeed: () => store.state.speed,
    run: (command) => {
      switch (command.type) {
        case 'setConfig':
          store.setConfig(command.config);
          if (command.speed !== undefined) store.setSpeed(command.speed);
          return undefined;
        case 'play': return after(store.run(true));
        case 'pause': return after(store.run(false));
        case 'reset': store.build(); return after(store.run(false));
        case 'step': return after(step(command.steps, command.unit));
        case 'getState': return undefined;
      }
    },
  }), origins, protocol, store.state.built !== null, store);
  useBridgeUpdates(bridge, store.state.built !== null, store.state.config, metrics, store.state.version);
}

/**
 * What a lab in a frame tells its host as it changes: its state when a
 * setting changes (a lesson checks its goals on it), and its metrics after
 * every change (`version`), throttled by the bridge; the last of a burst the
 * bridge held back is sent once its interval is over, never dropped (a
 * lesson's goal may be the final evaluation of a run).
 */
export function useBridgeUpdates(bridge: MutableRef<LabEmbedBridge | null>, ready: boolean, config: unknown,
  metrics: () => Record<string, number | null> | null, version: unknown): void {
  useEffect(() => { if (ready) bridge.current?.state(); }, [config]);
  useMetricsToHost(bridge, metrics, [version]);
}

/**
 * A lab's metrics to its host after every change of `deps`. The bridge
 * throttles them; what it held back is retried until it is sent (one retry
 * could lose the last numbers when a send had just taken the slot again).
 */
export function useMetricsToHost<M>(bridge: MutableRef<{ metrics(m: M): boolean } | null>, metrics: () => M | null, deps: readonly unknown[]): void {
  const latest = useRef<M | null>(null);
  const unsent = useRef(false);
  const trailing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const send = (): void => {
    const b = bridge.current;
    if (!unsent.current || latest.current === null || !b) return;
    if (b.metrics(latest.current)) { unsent.current = false; return; }
    trailing.current ??= setTimeout(() => { trailing.current = null; send(); }, METRICS_INTERVAL_MS + 10);
  };
  useEffect(() => {
    if (!bridge.current) return;
    const m = metrics();
    if (m === null) return;
    latest.current = m;
    unsent.current = true;
    send();
  }, deps);
  useEffect(() => () => { if (trailing.current !== null) clearTimeout(trailing.current); }, []);
}
