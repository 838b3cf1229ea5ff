// The parameter row of "show the math" (backward and update steps): choose
// one of the neuron's weights or its bias, see its backprop gradient, and
// check it against a finite difference the engine computes.

import type { GradientCheck } from '../../engine/trace.js';
import { num, relDiff } from './format';
import type { Neuron } from './neuron';

interface Props {
  n: Neuron;
  /** The weight selected (the bias when wSel === n.nIn). */
  wSel: number;
  onSelect(w: number): void;
  /** The selected parameter's backprop gradient. */
  backprop: number | undefined;
  /** The selected parameter's flat index in the model, or -1. */
  param: number;
  checking: boolean;
  check: GradientCheck | null;
  onCheck(): void;
}

export function ParamRow({ n, wSel, onSelect, backprop, param, checking, check, onCheck }: Props) {
  const { Wrow, nIn } = n;
  return (
    <div class="math-row math-check">
      <label>Parameter{' '}
        <select data-testid="math-param" aria-label="parameter to update and check" value={wSel} onChange={(e) => onSelect(Number((e.target as HTMLSelectElement).value))}>
          {Wrow.map((_, i) => <option value={i} key={i}>{n.weightName(i)}</option>)}
          <option value={nIn}>bias b</option>
        </select>
      </label>
      <span>backprop ∂L/∂{wSel < nIn ? 'w' : 'b'} = <b data-testid="math-backprop">{num(backprop)}</b></span>
      <button type="button" onClick={onCheck} disabled={checking || param < 0} data-testid="check-gradient">Check this gradient</button>
      {check && check.param === param && (
        <span role="status" data-testid="gradient-check" data-fd={check.finiteDifference} data-bp={check.backprop}
              data-rel={relDiff(check.finiteDifference, check.backprop)}>
          finite difference (L(w+h) − L(w−h)) / 2h, h = {num(check.h)}: <b>{num(check.finiteDifference)}</b>;
          relative difference {num(relDiff(check.finiteDifference, check.backprop))}
        </span>
      )}
    </div>
  );
}
