// Play/pause, step one batch or one epoch, reset, the speed, and the live counters. Numbers shown in
// data-testid elements are plain numbers (units live outside them), so
// tests and assistive tools can read them.

import type { Snapshot } from '../../labs/playground/protocol';
import { formatAccuracy, formatLoss, formatPerSecond } from '../../lib/format';
import type { Speed } from '../../state/speed';
import { SpeedControl } from '../Speed/SpeedControl';

export interface RunBarProps {
  running: boolean;
  disabled: boolean;
  snapshot: Snapshot | null;
  showAccuracy: boolean;
  showCounters: boolean;
  onToggle(): void;
  onStep(): void;
  onStepBatch(): void;
  onReset(): void;
  speed: Speed;
  onSpeed(speed: Speed): void;
  /** A small frame (embed=1): the compact speed control. */
  compact?: boolean;
}

export function RunBar(p: RunBarProps) {
  const s = p.snapshot;
  return (
    <section class="run-bar" aria-label="training">
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
        <button type="button" class="btn step step-batch" data-testid="step-batch" onClick={p.onStepBatch} disabled={p.disabled}
                aria-label="train one batch" title="Step one batch">
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M7 6l8 6-8 6z" /></svg>
        </button>
        <button type="button" class="btn step" data-testid="step" onClick={p.onStep} disabled={p.disabled}
                aria-label="train one epoch" title="Step one epoch (→)">
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 4l10 8-10 8zM16 4h3v16h-3z" /></svg>
        </button>
        <SpeedControl speed={p.speed} onSpeed={p.onSpeed} compact={p.compact} />
      </div>
      <dl class="metrics" aria-live="off">
        <div><dt>Epoch</dt><dd data-testid="epoch">{s ? s.epoch : 0}</dd></div>
        {(p.speed !== 'max' || (s !== null && s.stepInEpoch > 0)) && (
          <div><dt>Batch</dt><dd><span data-testid="batch">{s ? s.stepInEpoch : 0}</span>/{s ? s.stepsPerEpoch : 0}</dd></div>
        )}
        <div><dt>Train loss</dt><dd data-testid="train-loss">{formatLoss(s?.trainLoss)}</dd></div>
        <div><dt>Test loss</dt><dd data-testid="test-loss">{formatLoss(s?.testLoss)}</dd></div>
        {p.showAccuracy && (
          <div><dt>Test accuracy</dt><dd><span data-testid="test-accuracy">{formatAccuracy(s?.testAccuracy)}</span>%</dd></div>
        )}
        {p.showCounters && (
          <div class="rate"><dt>Examples/s</dt><dd data-testid="examples-per-sec" data-engine-rate={s ? Math.round(s.engineExamplesPerSec) : 0}
                 title={s ? `engine alone: ${formatPerSecond(s.engineExamplesPerSec)} examples/s` : undefined}>{formatPerSecond(s?.running ? s.examplesPerSec : 0)}</dd></div>
        )}
      </dl>
    </section>
  );
}
