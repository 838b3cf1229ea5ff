// Show the math on MNIST: one digit (a test digit by number, or the one drawn
// on the pad with the label chosen for it) through the model, layer by layer,
// with the engine's numbers (the shared MathPanel; the worker's 'trace' and
// 'check-gradient' commands). Conv layers are shown per feature-map position.
import { useMemo, useRef } from 'preact/hooks';
import type { Theme } from '../../../state/config';
import { DigitCanvas } from './DigitCanvas';
import { MathPanel, type MathFocus } from '../../../components/MathPanel/MathPanel';
import type { Trace } from '../../../engine/trace.js';
import type { MnistState, MnistStore } from '../store';
import { NumberField } from './NumberField';

/** What is traced: a test digit, or the drawn digit with its label. */
export interface MathChoice { source: 'test' | 'drawn'; index: number; label: number }

const DIGITS = Array.from({ length: 10 }, (_, d) => `digit ${d}`);

/** The traced input as the digit it is (pixels 0..1 back to bytes). */
function TracedDigit({ x, theme }: { x: number[]; theme: Theme }) {
  const pixels = useMemo(() => Uint8Array.from(x, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)), [x]);
  return <DigitCanvas pixels={pixels} theme={theme} label="the traced digit" />;
}

interface Props {
  store: MnistStore;
  theme: Theme;
  state: MnistState;
  choice: MathChoice;
  onChoice(c: MathChoice): void;
  onHighlight(f: MathFocus): void;
  onDownload(trace: Trace): void;
  onClose(): void;
}

/** A number per distinct object, so a new drawing traces again. */
function useIdentity(value: object | null): number {
  const ref = useRef<{ value: object | null; id: number }>({ value: null, id: 0 });
  if (ref.current.value !== value) ref.current = { value, id: ref.current.id + 1 };
  return ref.current.id;
}

export function MathSection({ store, theme, state, choice, onChoice, onHighlight, onDownload, onClose }: Props) {
  const drawn = state.digit;
  const drawnId = useIdentity(drawn);
  const built = state.built;
  const nTest = state.load.phase === 'loaded' ? state.load.nTest : 10000;
  const target = !built ? null
    : choice.source === 'test' ? `test:${choice.index}`
    : drawn ? `drawn:${choice.label}:${drawnId}` : null;
  const modelKey = built ? `${built.paramCount}:${built.seed}:${built.shapes.map((s) => s.join('x')).join(',')}` : 'none';
  const trace = () => {
    if (choice.source === 'drawn') {
      if (!drawn) return Promise.reject(new Error('Draw a digit on the pad first.'));
      return store.trace({ pixels: drawn, label: choice.label });
    }
    return store.trace({ testIndex: choice.index });
  };
  const picker = (
    <div class="mn-math-source" role="group" aria-label="the digit to trace">
      <label><input type="radio" name="mn-math-source" checked={choice.source === 'test'} data-testid="math-source-test"
                    onChange={() => onChoice({ ...choice, source: 'test' })} /> test digit</label>
      <NumberField label="number" value={choice.index} min={0} max={Math.max(0, nTest - 1)} integer step={1} testId="math-test-index"
                   onChange={(index) => onChoice({ ...choice, source: 'test', index })} />
      <label><input type="radio" name="mn-math-source" checked={choice.source === 'drawn'} data-testid="math-source-drawn"
                    onChange={() => onChoice({ ...choice, source: 'drawn' })} /> the drawn digit, as a</label>
      <label class="mn-field"><span>label</span>
        <select data-testid="math-drawn-label" aria-label="label of the drawn digit" value={choice.label}
                onChange={(e) => onChoice({ ...choice, source: 'drawn', label: Number((e.target as HTMLSelectElement).value) })}>
          {DIGITS.map((_, d) => <option key={d} value={d}>{d}</option>)}
        </select>
      </label>
    </div>
  );
  return (
    <section class="mn-panel mn-math" aria-label="show the math on a digit">
      {choice.source === 'drawn' && !drawn && <p class="mn-hint">Draw a digit on the pad, then choose its label.</p>}
      <MathPanel picker={picker} hint="Pick a test digit (or “Show the math” on a misclassified one) or the digit you drew, then a layer and a neuron (a conv layer: a filter and a position)."
                 outputNames={DIGITS} renderInput={(x) => <TracedDigit x={x} theme={theme} />} target={target} pick={null} running={state.progress?.running ?? false} modelKey={modelKey} layerStrip
                 onHighlight={onHighlight} onTrace={trace} onCheck={(param) => store.checkGradient(param)} onPreview={(param) => store.previewParam(param)} onDownload={onDownload} onClose={onClose} />
    </section>
  );
}
