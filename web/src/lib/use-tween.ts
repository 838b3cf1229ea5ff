// A view's array, animated from what is on screen to each new value over
// `ms` (lib/tween.ts; 0: at once). Returns the array to draw this frame.
import { useEffect, useRef, useState } from 'preact/hooks';
import { blendArrays, ease } from './tween';

export function useTween(value: Float32Array | null, ms: number): Float32Array | null {
  const [shown, setShown] = useState(value);
  const onScreen = useRef(value);
  useEffect(() => {
    const from = onScreen.current;
    const show = (v: Float32Array | null) => { onScreen.current = v; setShown(v); };
    const still = typeof document !== 'undefined' && document.visibilityState !== 'visible';
    if (ms <= 0 || !value || !from || from.length !== value.length || from === value || still) { show(value); return undefined; }
    const t0 = performance.now();
    let frame = 0;
    const step = () => {
      const k = ease((performance.now() - t0) / ms);
      show(k >= 1 ? value : blendArrays(from, value, k));
      if (k < 1) frame = requestAnimationFrame(step);
    };
    step();
    // A newer value starts from the blend on screen.
    return () => cancelAnimationFrame(frame);
  }, [value, ms]);
  // A change of shape or a removal shows at once (never a stale array of another length).
  return shown === null || value === null || shown.length !== value.length ? value : shown;
}
