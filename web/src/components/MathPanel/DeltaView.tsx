// "Show the math" for a neuron's δ = ∂L/∂z: at the output from the loss, in
// a hidden layer by the chain rule from the next layer's deltas (whatever
// that layer's kind: dense, flatten, max-pool, convolution).

import type { Trace } from '../../engine/trace.js';
import { derivative, flat, num, par, terms, type Term } from './format';
import { poolWindow } from './MapViews';
import type { Neuron } from './neuron';

function outputDelta(loss: string, act: string, a: number, y: number, outputs: number, z: number): string {
  if (loss === 'bce') return `sigmoid + cross-entropy: δ = ∂L/∂z = a − y = ${num(a)} − ${par(y)}`;
  if (loss === 'ce') return `softmax + cross-entropy: δⱼ = ∂L/∂zⱼ = aⱼ − yⱼ = ${num(a)} − ${par(y)}`;
  const [, f] = derivative(act, z, a);
  return `MSE: δ = ∂L/∂a · f′(z) = (2/${outputs})·(a − y)·f′(z) = (2/${outputs})·(${num(a)} − ${par(y)})·${num(f)}`;
}

/** ∂L/∂a of the shown neuron from the next layer's deltas, written out. */
function fromNext(t: Trace, n: Neuron): { text: string; value: number } {
  const { layer, unit, uc, ur, uk, outShape, fwd } = n;
  const next = t.layers[layer + 1];
  const nd = flat(t.backward[layer + 1]?.delta);
  if (!next) return { text: '', value: NaN };
  if (next.kind === 'dense') {
    const W = t.forward[layer + 1]?.W as number[][] | undefined;
    const col = W ? W.map((row) => row[unit] ?? NaN) : [];
    const value = col.reduce((s2, w, k) => s2 + w * (nd[k] ?? NaN), 0);
    return { text: `∂L/∂a = Σₖ Wₖⱼ·δₖ (the next layer's deltas) = ${terms(col.map((w, k) => ({ text: `${par(w)}·${par(nd[k])}`, size: w * (nd[k] ?? 0) })))} = ${num(value)}`, value };
  }
  if (next.kind === 'flatten') {
    return { text: `∂L/∂a = δ of the flatten's value ${unit} (flatten passes it back unchanged) = ${num(nd[unit])}`, value: nd[unit] ?? NaN };
  }
  if (next.kind === 'maxpool') {
    const k = next.kernel?.[0] ?? 1, s = next.stride ?? 1, [, ph, pw] = next.output_shape;
    const wins: Term[] = [];
    for (let oy = 0; oy < (ph ?? 0); oy++) {
      for (let ox = 0; ox < (pw ?? 0); ox++) {
        const { best } = poolWindow(uc, oy, ox, outShape, flat(fwd?.a), k, s);
        if (best === unit) { const d = nd[(uc * (ph ?? 0) + oy) * (pw ?? 0) + ox] ?? NaN; wins.push({ text: par(d), size: d }); }
      }
    }
    const value = wins.reduce((s2, w) => s2 + w.size, 0);
    return wins.length === 0
      ? { text: '∂L/∂a = 0: this value won no window of the next max-pool, so no gradient comes back to it', value: 0 }
      : { text: `∂L/∂a = the δ of the max-pool window${wins.length > 1 ? 's' : ''} it won = ${terms(wins)} = ${num(value)}`, value };
  }
  if (next.kind === 'conv2d') {
    const W = flat(t.forward[layer + 1]?.W);
    const nkh = next.kernel?.[0] ?? 1, nkw = next.kernel?.[1] ?? 1, s = next.stride ?? 1, pad = next.padding ?? 0;
    const [co0, oh, ow] = next.output_shape as [number, number, number];
    const ci0 = outShape[0] ?? 1;
    const list: Term[] = [];
    for (let co = 0; co < co0; co++) {
      for (let oy = 0; oy < oh; oy++) {
        const ki = ur - oy * s + pad;
        if (ki < 0 || ki >= nkh) continue;
        for (let ox = 0; ox < ow; ox++) {
          const kj = uk - ox * s + pad;
          if (kj < 0 || kj >= nkw) continue;
          const w = W[((co * ci0 + uc) * nkh + ki) * nkw + kj] ?? NaN, d = nd[(co * oh + oy) * ow + ox] ?? NaN;
          list.push({ text: `${par(w)}·${par(d)}`, size: w * d });
        }
      }
    }
    const value = list.reduce((s2, x) => s2 + x.size, 0);
    return { text: `∂L/∂a = Σ w·δ over the next convolution's positions that read this value = ${terms(list)} = ${num(value)}`, value };
  }
  return { text: '', value: NaN };
}

/** The neuron's δ; y, out: the target and the output (flat). */
export function DeltaView({ t, n, y, out }: { t: Trace; n: Neuron; y: number[]; out: number[] }) {
  const { isOutput, kind, act, z, a, delta, unit } = n;
  if (isOutput) {
    return <p class="math-eq">{outputDelta(t.loss, act, a, y[unit] ?? NaN, out.length, z)} = <b data-testid="math-delta">{num(delta)}</b></p>;
  }
  const from = fromNext(t, n);
  const hasActivation = kind === 'dense' || kind === 'conv2d';
  const [fText] = derivative(act, z, a);
  return hasActivation ? (
    <>
      <p>δ = ∂L/∂z = ∂L/∂a · f′(z) (the chain rule)</p>
      <p class="math-eq">{from.text}</p>
      <p class="math-eq">{fText}</p>
      <p class="math-eq">δ = {num(from.value)} · f′(z) = <b data-testid="math-delta">{num(delta)}</b></p>
    </>
  ) : (
    <>
      <p>{kind === 'maxpool' ? 'Max-pool' : 'Flatten'} has no activation: δ = ∂L/∂a</p>
      <p class="math-eq">{from.text}</p>
      <p class="math-eq">δ = <b data-testid="math-delta">{num(delta)}</b></p>
    </>
  );
}
