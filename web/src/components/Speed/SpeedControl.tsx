// The training speed control, the same in every lab: a labelled select of
// named stops from slow motion (1 step a second) to full speed. A select
// keeps it keyboard-operable (arrows, type-ahead) without a custom widget.

import { parseSpeed, SPEEDS, speedLabel, type Speed } from '../../state/speed';

export interface SpeedControlProps {
  speed: Speed;
  disabled?: boolean;
  onSpeed(speed: Speed): void;
  /** Class of the select, for each lab's own look. */
  class?: string;
  /** Short stop names and no caption (a narrow embed); the select keeps its accessible name. */
  compact?: boolean;
}

export function SpeedControl({ speed, disabled = false, onSpeed, class: cls, compact = false }: SpeedControlProps) {
  return (
    <label class={`speed-control${compact ? ' compact' : ''}`} title="Training speed: steps (batches) per second">
      <span class={compact ? 'visually-hidden' : undefined}>Speed</span>
      <select class={cls} data-testid="speed" value={String(speed)} disabled={disabled}
              onChange={(e) => { const s = parseSpeed((e.currentTarget as HTMLSelectElement).value); if (s !== undefined) onSpeed(s); }}>
        {SPEEDS.map((s) => <option key={s} value={String(s)}>{speedLabel(s, compact)}</option>)}
      </select>
    </label>
  );
}
