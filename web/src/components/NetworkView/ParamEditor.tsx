// A small popover showing one weight or bias, editable. It opens on hover
// (read-only preview) and stays open on click or tap, so it works on touch.

import { useEffect, useRef, useState } from 'preact/hooks';

export interface ParamTarget {
  which: 0 | 1;
  layer: number;
  row: number;
  col: number;
  offset: number;
  /** Human label, e.g. "weight x₁ → layer 1 neuron 3". */
  label: string;
  x: number;
  y: number;
}

export interface ParamEditorProps {
  target: ParamTarget;
  value: number;
  pinned: boolean;
  disabled: boolean;
  onSet(value: number): void;
  onClose(): void;
}

export function ParamEditor({ target, value, pinned, disabled, onSet, onClose }: ParamEditorProps) {
  const [text, setText] = useState(() => formatParam(value));
  const [error, setError] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setText(formatParam(value));
  }, [value]);
  useEffect(() => {
    if (pinned && !disabled) inputRef.current?.focus();
  }, [pinned, target.offset, target.which]);

  const commit = () => {
    const v = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(v) || Math.abs(v) > 1e6) {
      setError('Enter a finite number between -1000000 and 1000000.');
      return;
    }
    setError('');
    editing.current = false;
    onSet(v);
  };

  return (
    <div class="param-editor" role="dialog" aria-label={target.label}
         style={{ left: `${target.x}px`, top: `${target.y}px` }}
         onPointerDown={(e) => e.stopPropagation()}>
      <div class="param-label">{target.label}</div>
      {pinned && !disabled ? (
        <form onSubmit={(e) => { e.preventDefault(); commit(); }}>
          <input ref={inputRef} type="text" inputMode="decimal" value={text} aria-label="value" data-testid="param-input"
                 onInput={(e) => { editing.current = true; setText((e.target as HTMLInputElement).value); }}
                 onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }} />
          <button type="submit">Set</button>
          <button type="button" onClick={onClose} aria-label="close">×</button>
          {error && <div class="param-error" role="alert">{error}</div>}
        </form>
      ) : (
        <div class="param-value">{formatParam(value)}{pinned && disabled ? ' (locked)' : ''}</div>
      )}
    </div>
  );
}

export function formatParam(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}
