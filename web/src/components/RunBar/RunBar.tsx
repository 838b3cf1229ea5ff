// Play/pause, step, reset, and the live counters. Numbers shown in
// data-testid elements are plain numbers (units live outside them), so
// tests and assistive tools can read them.

import type { Snapshot } from '../../engine/protocol';

export interface RunBarProps {
  running: boolean;
  disabled: boolean;
  snapshot: Snapshot | null;
  showAccuracy: boolean;
  showCounters: boolean;
  onToggle(): void;
  onStep(): void;
  onReset(): void;
}

/** A loss as shown: 4 decimals, 3 significant digits below 0.001 (still a
 *  plain number, e.g. 2.41e-5), or "—" when there is none. */
export function formatLoss(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && Math.abs(v) < 0.001) return v.toExponential(2);
  return v < 1000 ? v.toFixed(4) : v.toPrecision(4);
}

/** Accuracy in percent with one decimal (the "%" is outside the number). */
export function formatAccuracy(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return (v * 100).toFixed(1);
}

export function formatRate(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v) || v <= 0) return '0';
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  return v.toFixed(0);
}

export function RunBar(p: RunBarProps) {
  const s = p.snapshot;
  return (
    <div class="run-bar">
      <div class="run-buttons">
        <button type="button" class="btn reset" data-testid="reset" onClick={p.onReset} disabled={p.disabled}
                aria-label="reset the network" title="Reset (new weights from the seed)">
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z" /></svg>
        </button>
        <button type="button" class={`btn play${p.running ? ' running' : ''}`} data-testid="play" onClick={p.onToggle}
                disabled={p.disabled} aria-label={p.running ? 'pause' : 'play'} aria-pressed={p.running}
                title={p.running ? 'Pause (space)' : 'Play (space)'}>
          {p.running
            ? <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5h4v14H6zM14 5h4v14h-4z" /></svg>
            : <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 4l13 8-13 8z" /></svg>}
        </button>
        <button type="button" class="btn step" data-testid="step" onClick={p.onStep} disabled={p.disabled}
                aria-label="train one epoch" title="Step one epoch (→)">
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 4l10 8-10 8zM16 4h3v16h-3z" /></svg>
        </button>
      </div>
      <dl class="metrics" aria-live="off">
        <div><dt>Epoch</dt><dd data-testid="epoch">{s ? s.epoch : 0}</dd></div>
        <div><dt>Train loss</dt><dd data-testid="train-loss">{formatLoss(s?.trainLoss)}</dd></div>
        <div><dt>Test loss</dt><dd data-testid="test-loss">{formatLoss(s?.testLoss)}</dd></div>
        {p.showAccuracy && (
          <div><dt>Test accuracy</dt><dd><span data-testid="test-accuracy">{formatAccuracy(s?.testAccuracy)}</span>%</dd></div>
        )}
        {p.showCounters && (
          <div class="rate"><dt>Examples/s</dt><dd data-testid="examples-per-sec" data-engine-rate={s ? Math.round(s.engineExamplesPerSec) : 0}
                 title={s ? `engine alone: ${formatRate(s.engineExamplesPerSec)} examples/s` : undefined}>{formatRate(s?.running ? s.examplesPerSec : 0)}</dd></div>
        )}
      </dl>
    </div>
  );
}
