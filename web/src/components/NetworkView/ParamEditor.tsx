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
  onSet(value: number): void;
  onClose(): void;
  /** The drawing's size: the editor stays inside it (beside the target,
   *  on the left near the right edge), so an embed never scrolls to show it. */
  bounds: { width: number; height: number };
  /** A neuron's incoming weights (its bias shown): pick one to edit it instead. */
  incoming?: readonly ParamTarget[];
  onPick?(target: ParamTarget): void;
}

/** Gap between the target and the editor, px. */
const EDITOR_GAP = 8;

export function ParamEditor({ target, value, pinned, disabled, onSet, onClose, bounds, incoming = [], onPick }: ParamEditorProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [text, setText] = useState(() => formatParam(value));
  const [error, setError] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setText(formatParam(value));
  }, [value]);
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
    <div class="param-editor" role="dialog" aria-label={target.label} ref={boxRef}
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
          {incoming.length > 0 && onPick && (
            <select aria-label="edit a weight into this neuron" data-testid="param-incoming" value=""
                    onChange={(e) => { const t = incoming[Number((e.target as HTMLSelectElement).value)]; if (t) onPick(t); }}>
              <option value="">weights in…</option>
              {incoming.map((t, i) => <option key={t.offset} value={i}>{t.label}</option>)}
            </select>
          )}
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
