// "Show the math" for the layers of feature maps: a convolution's filter
// over its receptive field, a max-pool's window and winner, flatten's index;
// forward and backward, for one position of one map.

import { activationText, flat, num, par, posName, position, sub, terms, type Term } from './format';
import type { Neuron } from './neuron';

/** Conv: the receptive field of the neuron's position (what its filter sees), with the padding's zeros left out. */
function field(n: Neuron): { terms: Term[]; padded: number; rows: string; cols: string } {
  const { info, inShape, kh, kw, ur, uk, Wrow, xin } = n;
  const s = info?.stride ?? 1, pad = info?.padding ?? 0;
  const [ci0, hi, wi] = [inShape[0] ?? 1, inShape[1] ?? 1, inShape[2] ?? 1];
  const list: Term[] = [];
  let padded = 0;
  for (let ci = 0; ci < ci0; ci++) {
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const iy = ur * s - pad + ki, ix = uk * s - pad + kj;
        if (iy < 0 || iy >= hi || ix < 0 || ix >= wi) { padded++; continue; }
        const w = Wrow[(ci * kh + ki) * kw + kj] ?? NaN, x = xin[(ci * hi + iy) * wi + ix] ?? NaN;
        list.push({ text: `${par(w)}·${par(x)}`, size: w * x });
      }
    }
  }
  const r0 = ur * s - pad, c0 = uk * s - pad;
  return { terms: list, padded, rows: `${Math.max(0, r0)}–${Math.min(hi - 1, r0 + kh - 1)}`, cols: `${Math.max(0, c0)}–${Math.min(wi - 1, c0 + kw - 1)}` };
}

/** Max-pool: the window of position (oy, ox) of channel c in the input `values` of `shape`,
 *  and its winner (the first maximum, as the core picks it). */
export function poolWindow(c: number, oy: number, ox: number, shape: number[], values: number[], k: number, s: number) {
  const [hi, wi] = [shape[1] ?? 1, shape[2] ?? 1];
  let best = (c * hi + oy * s) * wi + ox * s, m = values[best] ?? NaN;
  const cells: number[] = [];
  for (let ky = 0; ky < k; ky++) {
    for (let kx = 0; kx < k; kx++) {
      const i = (c * hi + oy * s + ky) * wi + ox * s + kx;
      cells.push(i);
      if ((values[i] ?? NaN) > m) { m = values[i]!; best = i; }
    }
  }
  return { cells, best };
}

/** The name of flatten's value i in its input maps. */
const flattenedName = (n: Neuron, i: number) =>
  posName(n.layer === 0 ? 'x' : `a${sub(n.layer)}`, [n.inShape[0] ?? 1, n.inShape[1] ?? 1, n.inShape[2] ?? 1], i);

export function ConvForward({ n }: { n: Neuron }) {
  const { uc, ur, uk, kh, kw, inShape, b, z, a, act } = n;
  const f = field(n);
  return (
    <>
      <p>Filter {uc + 1} at position (row {ur}, column {uk}): z = Σ w·x + b over its {kh}×{kw}{(inShape[0] ?? 1) > 1 ? `×${inShape[0]}` : ''} receptive field,
        input rows {f.rows}, columns {f.cols}{f.padded > 0 ? ` (${f.padded} of its cells fall on the zero padding and add nothing)` : ''}</p>
      <p class="math-eq" data-testid="math-field">= {terms([...f.terms, { text: par(b), size: Infinity }])}</p>
      <p class="math-eq">= <b data-testid="math-z">{num(z)}</b></p>
      <p class="math-eq">{activationText(act, z, a)}</p>
    </>
  );
}

export function PoolForward({ n }: { n: Neuron }) {
  const { info, uc, ur, uk, inShape, xin, a } = n;
  const k = info?.kernel?.[0] ?? 1;
  const { cells, best } = poolWindow(uc, ur, uk, inShape, xin, k, info?.stride ?? 1);
  return (
    <>
      <p>Max-pool at (row {ur}, column {uk}) of channel {uc + 1}: a = the largest of its {k}×{k} input window</p>
      <p class="math-eq">a = max({cells.map((i) => num(xin[i])).join(', ')}) = <b data-testid="math-z">{num(a)}</b></p>
      <p class="math-eq" data-testid="math-winner">the winner: {n.inputName(best)} (the first maximum); backward, only it gets the gradient</p>
    </>
  );
}

export function FlattenForward({ n }: { n: Neuron }) {
  const { inShape, unit, a } = n;
  return (
    <>
      <p>Flatten: the {inShape.join('×')} maps in one row, a[i] = x[c, row, col] with i = c·{(inShape[1] ?? 1) * (inShape[2] ?? 1)} + row·{inShape[2] ?? 1} + col</p>
      <p class="math-eq">a[{unit}] = {flattenedName(n, unit)} = <b data-testid="math-z">{num(a)}</b></p>
    </>
  );
}

/** A conv filter's gradients: the selected weight's share at this position, its sum over the map, the bias's. */
export function ConvBackward({ n, wSel }: { n: Neuron; wSel: number }) {
  const { inShape, outShape, kh, kw, nIn, info, ur, uk, uc, xin, bwd, delta, dWrow, db } = n;
  const [ci, ki, kj] = position([inShape[0] ?? 1, kh, kw], Math.min(wSel, nIn - 1));
  const s = info?.stride ?? 1, pad = info?.padding ?? 0;
  const iy = ur * s - pad + ki, ix = uk * s - pad + kj;
  const inside = iy >= 0 && iy < (inShape[1] ?? 0) && ix >= 0 && ix < (inShape[2] ?? 0);
  const xv = inside ? xin[(ci * (inShape[1] ?? 1) + iy) * (inShape[2] ?? 1) + ix] ?? NaN : 0;
  const map = flat(bwd?.delta).slice(uc * (outShape[1] ?? 1) * (outShape[2] ?? 1), (uc + 1) * (outShape[1] ?? 1) * (outShape[2] ?? 1));
  return (
    <>
      <p>Filter {uc + 1} is shared by every position of its map: ∂L/∂w = Σ over the {map.length} positions of δ · (the input under w there); ∂L/∂b = Σ δ over the map</p>
      <p class="math-eq">{n.weightName(Math.min(wSel, nIn - 1))}, this position's share: δ · x = {par(delta)}·{par(xv)}{inside ? '' : ' (padding)'} = {num(delta * xv)}</p>
      <p class="math-eq">over all positions: ∂L/∂w = <b>{num(dWrow[Math.min(wSel, nIn - 1)])}</b></p>
      <p class="math-eq">∂L/∂b = Σ δ = {terms(map.map((d) => ({ text: par(d), size: d })))} = {num(db)}</p>
    </>
  );
}

export function PoolBackward({ n }: { n: Neuron }) {
  const { uc, ur, uk, inShape, xin, info } = n;
  const { best } = poolWindow(uc, ur, uk, inShape, xin, info?.kernel?.[0] ?? 1, info?.stride ?? 1);
  return <p>No weights. δ goes back to the window's winner {n.inputName(best)}; the other values of the window get 0.</p>;
}

export function FlattenBackward({ n }: { n: Neuron }) {
  return <p>No weights. δ[{n.unit}] goes back to {flattenedName(n, n.unit)} of the maps.</p>;
}
