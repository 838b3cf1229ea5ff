import { memo } from 'preact/compat';
// The test digits the model gets wrong, most confident mistakes first.
// Click (or Enter) one to see it large with all ten probabilities.
import { useEffect, useState } from 'preact/hooks';
import type { Theme } from '../../state/config';
import type { Misclassified as Wrong } from '../protocol';
import { DigitCanvas } from './DigitCanvas';
import { ProbBars } from './ProbBars';

const SHOWN = 48;

export const Misclassified = memo(function Misclassified({ wrong, theme }: { wrong: Wrong; theme: Theme }) {
  const [open, setOpen] = useState<number | null>(null);
  const n = Math.min(SHOWN, wrong.index.length);
  const digit = (k: number) => wrong.pixels.subarray(k * 784, (k + 1) * 784);
  useEffect(() => setOpen(null), [wrong]);
  useEffect(() => {
    if (open === null) return;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') setOpen(null); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  if (n === 0) return <p class="mn-hint">No misclassified test digits.</p>;
  return (
    <div>
      <ul class="mn-wrong" data-testid="misclassified">
        {Array.from({ length: n }, (_, k) => (
          <li key={wrong.index[k]}>
            <button type="button" onClick={() => setOpen(k)}
                    title={`test #${wrong.index[k]}: true ${wrong.label[k]}, predicted ${wrong.pred[k]}`}>
              <DigitCanvas pixels={digit(k)} theme={theme} label={`true ${wrong.label[k]}, predicted ${wrong.pred[k]}`} />
              <span><b>{wrong.pred[k]}</b> (true {wrong.label[k]}) {(wrong.confidence[k]! * 100).toFixed(0)}%</span>
            </button>
          </li>
        ))}
      </ul>
      {open !== null && open < n && (
        <div class="mn-dialog-backdrop" onClick={() => setOpen(null)}>
          <div class="mn-dialog" role="dialog" aria-modal="true" aria-label="misclassified digit" data-testid="misclassified-detail"
               onClick={(e) => e.stopPropagation()}>
            <DigitCanvas pixels={digit(open)} theme={theme} label={`test digit ${wrong.index[open]}`} />
            <div>
              <p>Test digit #{wrong.index[open]}: true <b>{wrong.label[open]}</b>, predicted <b>{wrong.pred[open]}</b> with {(wrong.confidence[open]! * 100).toFixed(1)}%.</p>
              <ProbBars probs={wrong.probs.subarray(open * 10, open * 10 + 10)} highlight={wrong.pred[open]!} />
              <button type="button" class="mn-btn" autoFocus onClick={() => setOpen(null)}>Close</button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
});
