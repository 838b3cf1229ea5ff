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
