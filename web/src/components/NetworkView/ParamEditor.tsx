// A small popover showing one weight or bias, editable. It opens on hover
// (read-only preview) and stays open on click or tap, so it works on touch.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

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
  /** Width of what was picked, left of x (a node; 0 for a point on a link):
   *  an editor opened on the left keeps it visible. */
  span: number;
}

export interface ParamEditorProps {
  target: ParamTarget;
  value: number;
  pinned: boolean;
  disabled: boolean;
  /** No weights yet (the engine is loading, or a new network is not built yet): nothing to edit. */
  waiting?: boolean;
  onSet(value: number): void;
  onClose(): void;
  /** The drawing's size: the editor stays inside it (beside the target,
   *  on the left near the right edge), so an embed never scrolls to show it. */
  bounds: { width: number; height: number };
  /** The neuron's other parameters: each input's weight and its bias, each opening the editor on it (the keyboard's way to weights). */
  inputs?: { label: string; pick(): void }[];
}

/** Gap between the target and the editor, px. */
const EDITOR_GAP = 8;

export function ParamEditor({ target, value, pinned, disabled, waiting = false, onSet, onClose, bounds, inputs = [] }: ParamEditorProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [text, setText] = useState(() => formatParam(value));
  const [error, setError] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setText(formatParam(value));
  }, [value]);
  // Another weight or bias (the editor stays mounted): an edit left unfinished on the last one ends.
  useLayoutEffect(() => {
    editing.current = false;
    setText(formatParam(value));
    setError('');
  }, [target.offset, target.which]);
  // Placed after measuring itself, before paint.
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const w = box.offsetWidth;
    const h = box.offsetHeight;
    const right = target.x + EDITOR_GAP;
    const left = right + w <= bounds.width ? right : Math.max(0, target.x - target.span - EDITOR_GAP - w);
    const top = Math.max(0, Math.min(target.y - h / 2, bounds.height - h));
    box.style.left = `${left}px`;
    box.style.top = `${top}px`;
  });
  // In the commit that shows the new target: focus never lands on the removed Edit button's place.
  // (And when the weights arrive under an editor opened before them.)
  useLayoutEffect(() => {
    if (pinned && !disabled && !waiting) inputRef.current?.focus();
  }, [pinned, target.offset, target.which, waiting]);

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
    <div class="param-editor" role="dialog" aria-label={target.label} ref={boxRef}
         onPointerDown={(e) => e.stopPropagation()}>
      <div class="param-label">{target.label}</div>
      {pinned && !disabled && !waiting ? (
        <form onSubmit={(e) => { e.preventDefault(); commit(); }}>
          <input ref={inputRef} type="text" inputMode="decimal" value={text} aria-label="value" data-testid="param-input"
                 onInput={(e) => { editing.current = true; setText((e.target as HTMLInputElement).value); }}
                 onKeyDown={(e) => {
                   if (e.key === 'Escape') onClose();
                   // A key in the field (select all, a caret move) starts an edit: a value arriving from training keeps out of it.
                   else if (e.key !== 'Enter' && e.key !== 'Tab') editing.current = true;
                 }} />
          <button type="submit">Set</button>
          <button type="button" onClick={onClose} aria-label="close">×</button>
          {error && <div class="param-error" role="alert">{error}</div>}
          {inputs.length > 0 && (
            <div class="param-inputs" role="group" aria-label="this neuron's weights and bias">
              <span>Edit</span>
              {inputs.map((i) => <button type="button" key={i.label} class="btn-text" onClick={i.pick}>{i.label}</button>)}
            </div>
          )}
        </form>
      ) : (
        <div class="param-value">{waiting ? 'no weights yet: the network is being built' : formatParam(value)}{pinned && disabled ? ' (locked)' : ''}</div>
      )}
    </div>
  );
}

export function formatParam(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}
