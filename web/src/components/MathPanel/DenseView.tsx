// "Show the math" for a dense neuron: its weighted sum and activation
// (forward), its weights' and bias's gradients (backward).

import { activationText, num, par, sub, terms } from './format';
import type { Neuron } from './neuron';

export function DenseForward({ n }: { n: Neuron }) {
  const { Wrow, xin, b, z, a, act } = n;
  return (
    <>
      <p>z = Σᵢ wᵢ·xᵢ + b</p>
      <p class="math-eq">= {terms([...Wrow.map((w, i) => ({ text: `${par(w)}·${par(xin[i])}`, size: w * (xin[i] ?? 0) })), { text: par(b), size: Infinity }])}</p>
      <p class="math-eq">= <b data-testid="math-z">{num(z)}</b></p>
      <p class="math-eq">{activationText(act, z, a)}</p>
    </>
  );
}

export function DenseBackward({ n }: { n: Neuron }) {
  const { dWrow, delta, xin, db } = n;
  return (
    <>
      <p>∂L/∂wᵢ = δ · xᵢ (the weight's input), ∂L/∂b = δ</p>
      <p class="math-eq">{terms(dWrow.map((g, i) => ({ text: `∂L/∂w${sub(i + 1)} = ${par(delta)}·${par(xin[i])} = ${num(g)}`, size: g })), '; ')}</p>
      <p class="math-eq">∂L/∂b = {num(db)}</p>
    </>
  );
}
