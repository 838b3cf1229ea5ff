// A number input that only reports values inside its range; anything else
// shows what is wrong and keeps the last good value.
import { useEffect, useState } from 'preact/hooks';

interface Props {
  label: string;
  value: number;
  min: number;
  max: number;
  integer?: boolean;
  step?: number | 'any';
  testId?: string;
  onChange: (v: number) => void;
}

export function NumberField({ label, value, min, max, integer = false, step = 'any', testId, onChange }: Props) {
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (Number(text) !== value) setText(String(value));
  }, [value]);
  const input = (raw: string) => {
    setText(raw);
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v)) setError('not a number');
    else if (integer && !Number.isInteger(v)) setError('a whole number, please');
    else if (v < min || v > max) setError(`${min}…${max}`);
    else {
      setError(null);
      if (v !== value) onChange(v);
    }
  };
  return (
    <label class="mn-field">
      <span>{label}</span>
      <input type="number" inputMode="decimal" min={min} max={max} step={step} value={text} data-testid={testId}
             aria-invalid={error ? 'true' : undefined} onInput={(e) => input((e.target as HTMLInputElement).value)} />
      {error && <small class="mn-field-error" role="alert">{error}</small>}
    </label>
  );
}
