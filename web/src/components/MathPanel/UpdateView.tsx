// "Show the math" for the update: one parameter's optimizer step (SGD,
// momentum, Adam) with the numbers of the engine's preview.

import type { Trace } from '../../engine/trace.js';
import { num, par } from './format';

export function UpdateView({ info, pv, name, isWeight, moved = false }: {
  info: Trace['optimizer']; pv: Float32Array; name: string; isWeight: boolean;
  /** Training went on since the trace: the weight and the optimizer's state are today's, the gradient the trace's. */
  moved?: boolean;
}) {
  const [w, g, s1, s2, s1n, s2n, wn] = Array.from(pv);
  if (!info) return null;
  const lr = num(info.lr);
  const reg = isWeight && info.regularization !== 'none' && info.rate > 0;
  return (
    <>
      <p>If this example alone were the batch, the {info.kind === 'sgd' ? 'SGD' : info.kind === 'momentum' ? 'momentum' : 'Adam'} update of {name} would be:</p>
      {moved && <p class="math-note">Training went on since the trace: w and the optimizer's state are those of now (step {info.step}); g is the traced example's.</p>}
      <p class="math-eq">g = ∂L/∂w{reg ? (info.regularization === 'l2' ? ' + λ·w' : ' + λ·sign(w)') : ''} = {num(g)}{reg ? ` (λ = ${num(info.rate)})` : ''}</p>
      {info.kind === 'sgd' && <p class="math-eq">w ← w − η·g = {num(w)} − {lr}·{par(g)} = <b data-testid="math-new-w">{num(wn)}</b></p>}
      {info.kind === 'momentum' && (
        <>
          <p class="math-eq">{info.step === 0 ? `v ← g = ${num(s1n)} (the first step)` : `v ← μ·v + g = ${num(info.beta1)}·${par(s1)} + ${par(g)} = ${num(s1n)}`}</p>
          <p class="math-eq">w ← w − η·v = {num(w)} − {lr}·{par(s1n)} = <b data-testid="math-new-w">{num(wn)}</b></p>
        </>
      )}
      {info.kind === 'adam' && (
        <>
          <p class="math-eq">m ← β₁·m + (1 − β₁)·g = {num(info.beta1)}·{par(s1)} + {num(1 - info.beta1)}·{par(g)} = {num(s1n)}</p>
          <p class="math-eq">v ← β₂·v + (1 − β₂)·g² = {num(info.beta2)}·{par(s2)} + {num(1 - info.beta2)}·{par(g)}² = {num(s2n)}</p>
          <p class="math-eq">w ← w − η·m̂ / (√v̂ + ε), m̂ = m / (1 − β₁^{info.step + 1}), v̂ = v / (1 − β₂^{info.step + 1}) (step t = {info.step + 1})</p>
          <p class="math-eq">= {num(w)} − {lr}·m̂ / (√v̂ + {num(info.eps)}) = <b data-testid="math-new-w">{num(wn)}</b></p>
        </>
      )}
    </>
  );
}
