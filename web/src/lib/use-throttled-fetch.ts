// Asks for something (the worker's view of a model) when `trigger` changes,
// while `enabled` (e.g. on screen), never two requests at once and at most
// every `intervalMs`; a change during a request asks again once it is answered.
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Runs `fetch` when `trigger` changes, while `enabled`, never two at once and
 * at most every `intervalMs`; the latest answer is returned.
 */
export function useThrottledFetch<T>(enabled: boolean, trigger: string, fetch: () => Promise<T>, intervalMs: number): T | null {
  const [result, setResult] = useState<T | null>(null);
  const st = useRef({ inFlight: false, pending: false, lastAt: -Infinity, timer: 0 as ReturnType<typeof setTimeout> | 0 });
  const latest = useRef({ enabled, fetch });
  latest.current = { enabled, fetch };
  const schedule = () => {
    const s = st.current;
    if (!latest.current.enabled) return;
    if (s.inFlight) { s.pending = true; return; }
    if (s.timer) return;
    const wait = Math.max(0, s.lastAt + intervalMs - performance.now());
    s.timer = setTimeout(() => {
      s.timer = 0;
      if (!latest.current.enabled) return;
      s.inFlight = true;
      s.lastAt = performance.now();
      latest.current.fetch().then(setResult, () => undefined).finally(() => {
        s.inFlight = false;
        if (s.pending) { s.pending = false; schedule(); }
      });
    }, wait);
  };
  useEffect(schedule, [enabled, trigger]);
  useEffect(() => () => { if (st.current.timer) clearTimeout(st.current.timer); }, []);
  return result;
}
