// Space plays or pauses, → steps — except while the user types or works a
// control that uses those keys itself.

import { useEffect } from 'preact/hooks';

const KEY_OWNERS = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A']);

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  return KEY_OWNERS.has(el.tagName) || el.isContentEditable;
}

export function useRunKeys(enabled: boolean, onToggle: () => void, onStep: () => void): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTypingTarget(e.target)) return;
      if (e.key === ' ' || e.code === 'Space') {
        e.preventDefault();
        if (!e.repeat) onToggle();
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        onStep();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, onToggle, onStep]);
}
