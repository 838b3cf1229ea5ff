// The shared bits of "show the math": numbers and written-out sums as text,
// positions in a feature map, the activations' formulas. Pure functions, no
// numbers of their own: what they write comes from the engine's trace.

/** Terms of a written-out sum shown in full up to this many. */
const MAX_TERMS = 8;

/** A number for reading: 4 significant digits, a real minus sign. */
export function num(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return String(v);
  const s = Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
  return s.replace('-', '−');
}
/** In brackets when negative, for a product. */
export const par = (v: number | undefined) => (v !== undefined && v < 0 ? `(${num(v)})` : num(v));

/** A trace value (a number or nested arrays of them) as one flat list. */
export const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flat(Infinity) as number[] : v === undefined ? [] : [v as number]);

/** One term of a written-out sum: its text and its size (what "largest" means). */
export interface Term { text: string; size: number }

/** Terms of a sum, written out: all of them up to MAX_TERMS, else the largest
 *  (by |size|, in their order) and how many more there are. */
export function terms(parts: Term[] | string[], sep = ' + '): string {
  const list: Term[] = parts.map((t) => (typeof t === 'string' ? { text: t, size: 0 } : t));
  if (list.length <= MAX_TERMS) return list.map((t) => t.text).join(sep);
  const keep = new Set(list.map((t, i) => [Math.abs(t.size), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, MAX_TERMS - 1).map(([, i]) => i));
  const shown = list.filter((_, i) => keep.has(i)).map((t) => t.text);
  return `${shown.join(sep)}${sep}… (the ${MAX_TERMS - 1} largest of ${list.length} terms; ${list.length - shown.length} more)`;
}

/** |a − b| / max(|a|, |b|), with a floor so two zeros agree. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

const SUB = '₀₁₂₃₄₅₆₇₈₉';
export function sub(n: number): string {
  return String(n).split('').map((d) => SUB[Number(d)] ?? d).join('');
}

/** [c, row, col] of flat index i in a [C][H][W] shape. */
export function position(shape: number[], i: number): [number, number, number] {
  const h = shape[1] ?? 1, w = shape[2] ?? 1;
  return [Math.floor(i / (h * w)), Math.floor((i % (h * w)) / w), i % w];
}
export const isMap = (shape: number[] | undefined) => (shape?.length ?? 0) === 3;
/** A value's name by its position: x[row, col] (one channel) or x[c, row, col]. */
export function posName(prefix: string, shape: number[], i: number): string {
  const [c, r, k] = position(shape, i);
  return (shape[0] ?? 1) === 1 ? `${prefix}[${r},${k}]` : `${prefix}[${c},${r},${k}]`;
}

export const KIND_NAME: Record<string, string> = { dense: 'dense', conv2d: 'convolution', maxpool: 'max-pool', flatten: 'flatten', rnn: 'RNN', lstm: 'LSTM' };

const ACT_FORMULA: Record<string, (z: string, a: string) => string> = {
  linear: (z) => `a = z = ${z}`,
  relu: (z, a) => `a = max(0, z) = max(0, ${z}) = ${a}`,
  leaky_relu: (_z, a) => `a = z > 0 ? z : 0.01·z = ${a}`,
  tanh: (z, a) => `a = tanh(z) = tanh(${z}) = ${a}`,
  sigmoid: (z, a) => `a = σ(z) = 1 / (1 + e^−z) = 1 / (1 + e^${z.startsWith('−') ? z.slice(1) : '−' + z}) = ${a}`,
  softmax: (z, a) => `a = e^z / Σₖ e^zₖ = e^${z} / Σₖ e^zₖ = ${a}`,
};
/** The activation a = f(z) written out (linear for an unknown name). */
export const activationText = (act: string, z: number, a: number) => (ACT_FORMULA[act] ?? ACT_FORMULA.linear!)(num(z), num(a));

const DERIVATIVE: Record<string, (z: number, a: number) => [string, number]> = {
  linear: () => ['f′(z) = 1', 1],
  relu: (z) => [`f′(z) = z > 0 ? 1 : 0 = ${z > 0 ? 1 : 0}`, z > 0 ? 1 : 0],
  leaky_relu: (z) => [`f′(z) = z > 0 ? 1 : 0.01 = ${z > 0 ? 1 : 0.01}`, z > 0 ? 1 : 0.01],
  tanh: (_z, a) => [`f′(z) = 1 − a² = 1 − ${par(a)}² = ${num(1 - a * a)}`, 1 - a * a],
  sigmoid: (_z, a) => [`f′(z) = a·(1 − a) = ${num(a)}·(1 − ${num(a)}) = ${num(a * (1 - a))}`, a * (1 - a)],
};
/** f′(z) as the activation defines it, from z or a: its text and value (linear for an unknown name). */
export const derivative = (act: string, z: number, a: number) => (DERIVATIVE[act] ?? DERIVATIVE.linear!)(z, a);
