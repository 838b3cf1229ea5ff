// Calls back with the element when it is first laid out and whenever its
// size changes (ResizeObserver); the callback may change between renders.
// The element is the one in `ref` when the component mounts.
import { useEffect, useRef } from 'preact/hooks';
import type { RefObject } from 'preact';

export function useResize<T extends Element>(ref: RefObject<T>, onResize: (el: T) => void): void {
  const latest = useRef(onResize);
  latest.current = onResize;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    latest.current(el);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => latest.current(el));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
}
