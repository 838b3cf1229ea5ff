import { memo } from 'preact/compat';
// The test digits the model gets wrong, most confident mistakes first.
// Click (or Enter) one to see it large with all ten probabilities.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Theme } from '../../../state/config';
import type { Misclassified as Wrong } from '../protocol';
import { MNIST_CLASSES } from '../asset-format.js';
import { MNIST_PIXELS } from '../preprocess';
import { DigitCanvas } from './DigitCanvas';
import { ProbBars } from './ProbBars';

const SHOWN = 48;

/** One opened digit, copied out of the list so later evaluations leave it alone. */
interface Opened {
  index: number;
  pred: number;
  label: number;
  confidence: number;
  probs: Float32Array;
  pixels: Uint8Array;
}

function pick(wrong: Wrong, k: number): Opened {
  return {
    index: wrong.index[k]!, pred: wrong.pred[k]!, label: wrong.label[k]!, confidence: wrong.confidence[k]!,
    probs: wrong.probs.slice(k * MNIST_CLASSES, (k + 1) * MNIST_CLASSES), pixels: wrong.pixels.slice(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS),
  };
}

export const Misclassified = memo(function Misclassified({ wrong, theme, onTrace }: {
  wrong: Wrong; theme: Theme;
  /** Show the math for a test digit (the opened one). */
  onTrace?: (index: number) => void;
}) {
  // The opened digit is a copy: evaluations arriving while training runs
  // replace the list but must not close (or swap) what the learner looks at.
  const [open, setOpen] = useState<Opened | null>(null);
  const close = useRef<HTMLButtonElement>(null);
  const n = Math.min(SHOWN, wrong.index.length);
  const digit = (k: number) => wrong.pixels.subarray(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS);
  // Layout effect: listening from the same task that shows the dialog, so an
  // Escape pressed right after it appears is never missed.
  useLayoutEffect(() => {
    if (open === null) return;
    close.current?.focus();
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
            <button type="button" onClick={() => setOpen(pick(wrong, k))}
                    title={`test #${wrong.index[k]}: true ${wrong.label[k]}, predicted ${wrong.pred[k]}`}>
              <DigitCanvas pixels={digit(k)} theme={theme} label={`true ${wrong.label[k]}, predicted ${wrong.pred[k]}`} />
              <span><b>{wrong.pred[k]}</b> (true {wrong.label[k]}) {(wrong.confidence[k]! * 100).toFixed(0)}%</span>
            </button>
          </li>
        ))}
      </ul>
      {open !== null && (
        <div class="mn-dialog-backdrop" onClick={() => setOpen(null)}>
          <div class="mn-dialog" role="dialog" aria-modal="true" aria-label="misclassified digit" data-testid="misclassified-detail"
               onClick={(e) => e.stopPropagation()}>
            <DigitCanvas pixels={open.pixels} theme={theme} label={`test digit ${open.index}`} />
            <div>
              <p>Test digit #{open.index}: true <b>{open.label}</b>, predicted <b>{open.pred}</b> with {(open.confidence * 100).toFixed(1)}%.</p>
              <ProbBars probs={open.probs} highlight={open.pred} />
              {onTrace && (
                <button type="button" class="mn-btn" data-testid="math-trace-digit"
                        onClick={() => { onTrace(open.index); setOpen(null); }}>Show the math for this digit</button>
              )}
              <button type="button" class="mn-btn" ref={close} onClick={() => setOpen(null)}>Close</button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
});
