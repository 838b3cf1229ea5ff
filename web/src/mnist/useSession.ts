import { useEffect, useState } from 'preact/hooks';
import type { MnistSession, MnistState } from './session';

/** Re-renders the caller whenever the session's state changes (at most once per frame). */
export function useSessionState(session: MnistSession): MnistState {
  const [state, setState] = useState(session.state);
  useEffect(() => {
    setState(session.state);
    return session.subscribe(setState);
  }, [session]);
  return state;
}
