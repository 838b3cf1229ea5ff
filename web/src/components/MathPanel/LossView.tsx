// "Show the math" for the loss: the output, the target and the loss written out.

import type { Trace } from '../../engine/trace.js';
import { num, par, terms } from './format';

/** The loss written out; `steps` > 1: a sequence output [steps][a.length / steps] (CE: the mean over its steps). */
function lossFormula(loss: string, a: number[], y: number[], steps = 1): string {
  if (loss === 'ce' && steps > 1) {
    const v = a.length / steps;
    const parts = Array.from({ length: steps }, (_, s) => {
      const ys = y.slice(s * v, (s + 1) * v), k = ys.indexOf(1);
      const p2 = k >= 0 && ys.every((q) => q === 0 || q === 1) ? `log ${num(a[s * v + k])}` : `Σ y·log a (step ${s})`;
      return { text: `−${p2}`, size: 0 };
    });
    return `L = (1/T)·Σₜ −log a_t[target_t] (the mean over T = ${steps} steps) = (1/${steps})·(${terms(parts, ' ')})`;
  }
  if (loss === 'bce') {
    const av = a[0] ?? NaN, yv = y[0] ?? NaN;
    return `L = −[y·log a + (1 − y)·log(1 − a)] = −[${num(yv)}·log ${num(av)} + ${num(1 - yv)}·log ${num(1 - av)}]`;
  }
  if (loss === 'ce') {
    const k = y.filter((v) => v !== 0).length === 1 && y.every((v) => v === 0 || v === 1) ? y.indexOf(1) : -1;
    // one-hot: every other term is 0·log aⱼ
    if (k >= 0) return `L = −Σⱼ yⱼ·log aⱼ = −log a[${k}] (the target class ${k}; the other yⱼ are 0) = −log ${num(a[k])}`;
    return `L = −Σⱼ yⱼ·log aⱼ = ${terms(a.map((v, j) => `−${num(y[j])}·log ${num(v)}`)).replaceAll('+ −', '− ')}`;
  }
  return `L = (1/n)·Σⱼ (aⱼ − yⱼ)² = (1/${a.length})·(${terms(a.map((v, j) => `(${num(v)} − ${par(y[j])})²`))})`;
}

/** out: the network's output, y: the target (flat); targetText: the target in words. */
export function LossView({ t, out, y, targetText }: { t: Trace; out: number[]; y: number[]; targetText: string }) {
  const outShape = t.layers[t.layers.length - 1]?.output_shape ?? [];
  return (
    <>
      <p>Output a = ({out.map(num).join(', ')}), {targetText}</p>
      <p class="math-eq">{lossFormula(t.loss, out, y, outShape.length === 2 ? (outShape[0] ?? 1) : 1)}</p>
      <p class="math-eq">L = <b data-testid="math-loss">{num(t.loss_value)}</b></p>
      {outShape.length === 2 && t.loss !== 'ce' && <p class="math-note">A sequence output: L is the mean over every value of its {outShape[0]} steps.</p>}
    </>
  );
}
