// One store hook for every lab: a store holds a lab's UI state outside the
// component tree (it outlives a page that is switched away from) and tells
// subscribers when the state changed.
import { useEffect, useState } from 'preact/hooks';

export interface Store<S> {
  readonly state: S;
  /** Calls fn with the new state after each change; returns the unsubscribe. */
  subscribe(fn: (state: S) => void): () => void;
}

/** Re-renders the caller whenever the store's state changes. */
export function useStore<S>(store: Store<S>): S {
  const [state, setState] = useState(store.state);
  useEffect(() => {
    setState(store.state);
    return store.subscribe(setState);
  }, [store]);
  return state;
}

/** A store's subscribers, told of changes at most every `intervalMs`, on an
 *  animation frame (or at once in a hidden tab, where frames stop): worker
 *  messages arrive every ~30 ms while training, and the page leaves the CPU
 *  to the worker (two cores are shared by the page, the worker and the rest). */
export class ThrottledNotifier<S> {
  private readonly listeners = new Set<(state: S) => void>();
  private scheduled = false;
  private last = 0;

  /** `current` reads the state to hand out when the notice goes out. */
  constructor(private readonly current: () => S, private readonly intervalMs: number) {}

  subscribe(fn: (state: S) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The state changed: tell the subscribers soon (one notice for a burst of changes). */
  notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.last = performance.now();
      const state = this.current();
      for (const fn of this.listeners) fn(state);
    };
    const frame = () => {
      if (typeof requestAnimationFrame === 'function' && !document.hidden) requestAnimationFrame(run);
      else run();
    };
    const wait = this.intervalMs - (performance.now() - this.last);
    if (wait > 0) setTimeout(frame, wait);
    else frame();
  }
}
