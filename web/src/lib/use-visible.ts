// Reports whether an element is on screen (IntersectionObserver), so work
// for it (thumbnails, weight images) is done only while someone can see it.
// Without IntersectionObserver the element counts as visible; on unmount it
// counts as hidden. The observer is set up on mount and again when `deps`
// change (for an element that appears later).
import { useEffect, useRef } from 'preact/hooks';
import type { RefObject } from 'preact';

export function useVisible(ref: RefObject<Element>, onChange: (visible: boolean) => void, deps: readonly unknown[] = []): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (typeof IntersectionObserver === 'undefined') {
      latest.current(true);
      return () => latest.current(false);
    }
    const io = new IntersectionObserver((entries) => latest.current(entries.some((e) => e.isIntersecting)));
    io.observe(el);
    return () => { io.disconnect(); latest.current(false); };
  }, deps);
}
