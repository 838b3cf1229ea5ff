// A value that follows `value` once it has held still for `delayMs`: the
// builder's preview reloads when the author pauses, not on every keystroke.
import { useEffect, useState } from 'preact/hooks';

export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}
