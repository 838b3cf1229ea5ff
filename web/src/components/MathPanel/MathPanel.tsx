// "Show the math": one training example's forward and backward pass with the
// numbers substituted, for one neuron at a time, stepped layer by layer
// (forward, the loss, backward, the update). Every value shown comes from
// the engine's trace (engine/trace.js: nn_explain, nn_compute_gradients,
// nn_optimizer_preview, nn_finite_difference); this component only writes
// them into formulas. Sums written out for reading (Σ W·δ) add numbers the
// core gave; the results displayed as z, a, δ, ∂L/∂w are the core's.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { GradientCheck, ParamPreview, Trace, TraceResult } from '../../engine/trace.js';
import { isSequenceLayer, SequenceMath } from './SequenceMath';

export interface MathFocus {
  /** Network column: 1 = first layer after the input … last = outputs. */
  col: number;
  /** The neuron: its flat index in the layer's output ([C][H][W] row-major for a feature map). */
  unit: number;
}

export interface MathPanelProps {
  /** The page's control that chooses the example (a training point, a test digit, the drawn digit). */
  picker: ComponentChildren;
  /** What to do to pick an example and a neuron, in the page's words. */
  hint: string;
  /** Names of a flat input's values (the playground's features); image inputs are named by position. */
  inputNames?: string[];
  /** Names of the outputs (MNIST's digits); "output 1", "output 2", … without. */
  outputNames?: string[];
  /** What is traced (a new value traces again), or null for nothing yet. */
  target: string | null;
  /** A neuron clicked in the network view (seq tells two clicks on one neuron apart). */
  pick: (MathFocus & { seq: number }) | null;
  running: boolean;
  /** Changes when the network or the data changes: the trace is taken again. */
  modelKey: string;
  /** Draws the traced input (MNIST: the 28×28 digit); nothing without. */
  renderInput?(x: number[]): ComponentChildren;
  /** Shows the trace's layers as a strip to step through (pages without a network view of their own). */
  layerStrip?: boolean;
  /** The neuron shown, to highlight in the network view. */
  onHighlight(focus: MathFocus): void;
  onTrace(): Promise<TraceResult>;
  onCheck(param: number): Promise<GradientCheck>;
  /** One parameter's optimizer preview, for labs whose trace leaves the preview out (a large model). */
  onPreview?(param: number): Promise<ParamPreview>;
  /** Saves the trace JSON (the page adds its link's configuration). */
  onDownload(trace: Trace): void;
  onClose(): void;
}

const PREVIEW = 7; // Limits.PREVIEW_FLOATS
const MAX_TERMS = 8;
/** Inputs listed in full up to this many values; an image is summarised. */
const MAX_LISTED = 16;

/** A number for reading: 4 significant digits, a real minus sign. */
export function num(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return String(v);
  const s = Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
  return s.replace('-', '−');
}
/** In brackets when negative, for a product. */
export const par = (v: number | undefined) => (v !== undefined && v < 0 ? `(${num(v)})` : num(v));

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flat(Infinity) as number[] : v === undefined ? [] : [v as number]);

/** One term of a written-out sum: its text and its size (what "largest" means). */
interface Term { text: string; size: number }

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

const ACT_FORMULA: Record<string, (z: string, a: string) => string> = {
  linear: (z) => `a = z = ${z}`,
  relu: (z, a) => `a = max(0, z) = max(0, ${z}) = ${a}`,
  leaky_relu: (_z, a) => `a = z > 0 ? z : 0.01·z = ${a}`,
  tanh: (z, a) => `a = tanh(z) = tanh(${z}) = ${a}`,
  sigmoid: (z, a) => `a = σ(z) = 1 / (1 + e^−z) = 1 / (1 + e^${z.startsWith('−') ? z.slice(1) : '−' + z}) = ${a}`,
  softmax: (z, a) => `a = e^z / Σₖ e^zₖ = e^${z} / Σₖ e^zₖ = ${a}`,
};
/** f′(z) as the activation defines it, from z or a. */
const DERIVATIVE: Record<string, (z: number, a: number) => [string, number]> = {
  linear: () => ['f′(z) = 1', 1],
  relu: (z) => [`f′(z) = z > 0 ? 1 : 0 = ${z > 0 ? 1 : 0}`, z > 0 ? 1 : 0],
  leaky_relu: (z) => [`f′(z) = z > 0 ? 1 : 0.01 = ${z > 0 ? 1 : 0.01}`, z > 0 ? 1 : 0.01],
  tanh: (_z, a) => [`f′(z) = 1 − a² = 1 − ${par(a)}² = ${num(1 - a * a)}`, 1 - a * a],
  sigmoid: (_z, a) => [`f′(z) = a·(1 − a) = ${num(a)}·(1 − ${num(a)}) = ${num(a * (1 - a))}`, a * (1 - a)],
};

type Stage = { kind: 'forward' | 'backward'; layer: number } | { kind: 'loss' } | { kind: 'update' };

function stagesOf(layers: number): Stage[] {
  const s: Stage[] = [];
  for (let l = 0; l < layers; l++) s.push({ kind: 'forward', layer: l });
  s.push({ kind: 'loss' });
  for (let l = layers - 1; l >= 0; l--) s.push({ kind: 'backward', layer: l });
  s.push({ kind: 'update' });
  return s;
}

const KIND_NAME: Record<string, string> = { dense: 'dense', conv2d: 'convolution', maxpool: 'max-pool', flatten: 'flatten', rnn: 'RNN', lstm: 'LSTM' };

/** A layer's name: "hidden layer 2" in an all-dense network, else its number and kind. */
function layerName(t: Trace, l: number): string {
  if (l === t.layers.length - 1) return 'output layer';
  if (t.layers.every((x) => x.kind === 'dense')) return `hidden layer ${l + 1}`;
  return `layer ${l + 1} (${KIND_NAME[t.layers[l]?.kind ?? ''] ?? t.layers[l]?.kind})`;
}

function stageTitle(t: Trace, st: Stage): string {
  if (st.kind === 'forward') return `Forward: ${layerName(t, st.layer)}`;
  if (st.kind === 'backward') return `Backward: ${layerName(t, st.layer)}`;
  if (st.kind === 'loss') return 'The loss';
  return 'The update';
}

/** [c, row, col] of flat index i in a [C][H][W] shape. */
function position(shape: number[], i: number): [number, number, number] {
  const h = shape[1] ?? 1, w = shape[2] ?? 1;
  return [Math.floor(i / (h * w)), Math.floor((i % (h * w)) / w), i % w];
}
const isMap = (shape: number[] | undefined) => (shape?.length ?? 0) === 3;
/** A value's name by its position: x[row, col] (one channel) or x[c, row, col]. */
function posName(prefix: string, shape: number[], i: number): string {
  const [c, r, k] = position(shape, i);
  return (shape[0] ?? 1) === 1 ? `${prefix}[${r},${k}]` : `${prefix}[${c},${r},${k}]`;
}

export function MathPanel(p: MathPanelProps) {
  const [result, setResult] = useState<TraceResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stage, setStage] = useState(0);
  const [weight, setWeight] = useState(0);
  const [check, setCheck] = useState<GradientCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [chosenUnit, setUnit] = useState(0);
  /** The update stage shows the layer last stepped through (or clicked). */
  const [updateLayer, setUpdateLayer] = useState(0);
  const appliedPick = useRef(-1);

  const trace = () => {
    setBusy(true);
    setCheck(null);
    p.onTrace().then((r) => { setResult(r); setError(null); }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  useEffect(() => {
    if (p.target === null) return undefined;
    // after the page's own effects, which send a new network or data first
    const timer = setTimeout(() => { if (p.target !== null) trace(); }, 0);
    return () => clearTimeout(timer);
  }, [p.target, p.modelKey]);

  const t = result?.trace;
  const nLayers = t?.layers.length ?? 0;
  const stages = stagesOf(nLayers);
  const st = stages[Math.min(stage, stages.length - 1)] ?? { kind: 'loss' };
  const layer = Math.max(0, Math.min(nLayers - 1,
    st.kind === 'forward' || st.kind === 'backward' ? st.layer : st.kind === 'update' ? updateLayer : nLayers - 1));
  const width = t ? flat(t.forward[layer]?.a).length : 0;
  const unit = Math.min(chosenUnit, Math.max(0, width - 1));

  // A neuron clicked in the network: show its layer (forward, or backward
  // when stepping backward) once the trace is there.
  const showLayer = (l: number) => {
    setUpdateLayer(l);
    if (st.kind === 'update') return;
    const kind = st.kind === 'backward' ? 'backward' : 'forward';
    const at = stages.findIndex((s2) => s2.kind === kind && s2.layer === l);
    if (at >= 0) setStage(at);
  };
  useEffect(() => {
    const pick = p.pick;
    if (!t || !pick || pick.seq === appliedPick.current) return;
    appliedPick.current = pick.seq;
    setUnit(pick.unit);
    showLayer(Math.min(Math.max(pick.col - 1, 0), nLayers - 1));
  }, [p.pick, t]);
  useEffect(() => { if (st.kind === 'forward' || st.kind === 'backward') setUpdateLayer(st.layer); }, [stage, t]);
  // The network view highlights the neuron shown.
  useEffect(() => { if (t) p.onHighlight({ col: layer + 1, unit }); }, [t, layer, unit]);

  const go = (to: number) => setStage(Math.max(0, Math.min(stages.length - 1, to)));

  // the layer shown: its kind, shapes, inputs, and the neuron's numbers
  const info = t?.layers[layer];
  const kind = info?.kind ?? 'dense';
  const outShape = info?.output_shape ?? [];
  const inShape = layer === 0 ? (t?.input_shape ?? []) : (t?.layers[layer - 1]?.output_shape ?? []);
  const inputName = (i: number) => (layer === 0
    ? (isMap(inShape) ? posName('x', inShape, i) : (p.inputNames?.[i] ?? `x${sub(i + 1)}`))
    : (isMap(inShape) ? posName(`a${sub(layer)}`, inShape, i) : `a${sub(layer)}${sub(i + 1)}`));
  const xin = !t ? [] : layer === 0 ? flat(t.example.x) : flat(t.forward[layer - 1]?.a);
  const fwd = t?.forward[layer];
  const bwd = t?.backward[layer];
  const z = flat(fwd?.z)[unit] ?? NaN;
  const a = flat(fwd?.a)[unit] ?? NaN;
  const delta = flat(bwd?.delta)[unit] ?? NaN;
  const act = info?.activation ?? 'linear';
  const isOutput = layer === nLayers - 1;
  const seqLayer = t !== undefined && isSequenceLayer(t, layer);
  const [uc, ur, uk] = isMap(outShape) ? position(outShape, unit) : [unit, 0, 0];

  // The layer's parameters for this neuron: a dense unit's row, a conv filter (shared by its map).
  const filter = kind === 'dense' ? unit : kind === 'conv2d' ? uc : -1;
  const Wrow = filter >= 0 && fwd?.W ? flat((fwd.W as unknown[])[filter]) : [];
  const dWrow = filter >= 0 && bwd?.dW ? flat((bwd.dW as unknown[])[filter]) : [];
  const b = filter >= 0 ? fwd?.b?.[filter] : undefined;
  const db = filter >= 0 ? bwd?.db?.[filter] : undefined;
  const nIn = Wrow.length;
  const kh = info?.kernel?.[0] ?? 1, kw = info?.kernel?.[1] ?? 1;
  const weightName = (i: number) => {
    if (kind === 'dense') return `w from ${inputName(i)}`;
    const [ci, ki, kj] = position([inShape[0] ?? 1, kh, kw], i);
    return (inShape[0] ?? 1) === 1 ? `w[${ki},${kj}]` : `w[${ci},${ki},${kj}]`;
  };

  // Stepping between two feature maps of as many channels (conv -> pool) keeps
  // the position in view: the same channel, the row and column scaled.
  const lastShown = useRef<{ layer: number; shape: number[]; unit: number } | null>(null);
  useEffect(() => {
    const prev = lastShown.current;
    let next = unit;
    if (prev && prev.layer !== layer && isMap(prev.shape) && isMap(outShape) && prev.shape[0] === outShape[0]) {
      const [c, r, k] = position(prev.shape, prev.unit);
      const [, h = 1, w = 1] = outShape, [, ph = 1, pw = 1] = prev.shape;
      next = (c * h + Math.min(h - 1, Math.floor((r * h) / ph))) * w + Math.min(w - 1, Math.floor((k * w) / pw));
      setUnit(next);
    }
    lastShown.current = { layer, shape: outShape, unit: next };
  }, [layer, unit, t]);

  // The weight selected (or the bias when weight === nIn); by default the one with the largest gradient.
  useEffect(() => {
    let best = 0;
    dWrow.forEach((g, i) => { if (Math.abs(g) > Math.abs(dWrow[best] ?? 0)) best = i; });
    setWeight(best);
  }, [t, layer, filter]);
  useEffect(() => { setCheck(null); }, [layer, unit, weight]);
  const wSel = Math.min(weight, nIn);
  const block = nIn > 0 ? result?.layout.find((bl) => bl.layer === layer && bl.block === (wSel < nIn ? 0 : 1)) : undefined;
  const param = block ? block.offset + (wSel < nIn ? filter * nIn + wSel : filter) : -1;
  // The update's numbers: from the trace's preview of every parameter, or asked for this one.
  const [asked, setAsked] = useState<{ result: TraceResult; preview: ParamPreview } | null>(null);
  const whole = result !== null && result.preview.length > 0;
  useEffect(() => {
    if (!result || whole || param < 0 || st.kind !== 'update' || !p.onPreview) return;
    if (asked && asked.result === result && asked.preview.param === param) return;
    p.onPreview(param).then((preview) => setAsked({ result, preview }), (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [result, param, st.kind]);
  const own = asked && asked.result === result && asked.preview.param === param ? asked.preview : null;
  const pv = !result || param < 0 ? null : whole ? result.preview.subarray(param * PREVIEW, param * PREVIEW + PREVIEW) : own?.values ?? null;
  const optimizerInfo = whole ? t?.optimizer : own?.optimizer;
  const backprop = wSel < nIn ? dWrow[wSel] : db;
  const paramName = wSel < nIn ? (kind === 'dense' ? `w(${inputName(wSel)} → this neuron)` : `${weightName(wSel)} of filter ${uc + 1}`) : 'b (bias)';

  const runCheck = () => {
    if (param < 0) return;
    setChecking(true);
    p.onCheck(param).then(setCheck, (e: unknown) => setError(e instanceof Error ? e.message : String(e))).finally(() => setChecking(false));
  };

  const y = t ? flat(t.example.y) : [];
  const out = t ? flat(t.output) : [];
  const x0 = useMemo(() => (t ? flat(t.example.x) : []), [t]);
  const target = y.length > 2 && y.every((v) => v === 0 || v === 1) && y.filter((v) => v === 1).length === 1 ? y.indexOf(1) : -1;
  const inputText = x0.length <= MAX_LISTED ? `Input x = (${x0.map(num).join(', ')})`
    : `Input x: ${t?.input_shape.join('×')} = ${x0.length} values, ${x0.filter((v) => v !== 0).length} of them non-zero`;
  const targetText = target >= 0 ? `target: class ${target} (y one-hot)` : `target y = (${y.map(num).join(', ')})`;

  // Conv: the receptive field of the neuron's position (what its filter sees), with the padding's zeros left out.
  const field = (): { terms: Term[]; padded: number; rows: string; cols: string } => {
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
  };
  // Max-pool: the window of the neuron's position and its winner (the first maximum, as the core picks it).
  const poolWindow = (c: number, oy: number, ox: number, shape: number[], values: number[], k: number, s: number) => {
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
  };

  /** ∂L/∂a of the shown neuron from the next layer's deltas, written out. */
  const fromNext = (): { text: string; value: number } => {
    if (!t) return { text: '', value: NaN };
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
  };

  const paramRow = nIn > 0 && (st.kind === 'backward' || st.kind === 'update');
  const mapLabel = (c: number) => `${kind === 'conv2d' ? 'filter' : 'channel'} ${c + 1}`;
  const setPos = (c: number, r: number, k: number) => setUnit((c * (outShape[1] ?? 1) + r) * (outShape[2] ?? 1) + k);

  return (
    <section class="math-panel" aria-label="the math of one example" data-testid="math-panel">
      <header class="math-head">
        <h3>Show the math</h3>
        <button type="button" class="icon" onClick={p.onClose} aria-label="close the math panel">×</button>
      </header>
      <p class="math-hint">{p.hint}</p>
      <div class="math-row">
        {p.picker}
        <button type="button" disabled={p.target === null || busy} onClick={() => p.target !== null && trace()}
                data-testid="math-retrace">Trace again</button>
      </div>
      {error && <p class="math-error" role="alert">{error}</p>}
      {t && (
        <>
          <div class="math-example">
          {p.renderInput?.(x0)}
          <p class="math-note" data-testid="math-epoch">The weights of epoch {Number((result?.epoch ?? 0).toFixed(2))}, when traced{p.running ? ' (training goes on; Trace again to follow it)' : ''}.{' '}
            {inputText}, {targetText}.</p>
          </div>
          {p.layerStrip && (
            <ol class="math-layers" aria-label="layers (the one shown is marked)">
              {t.layers.map((l, i) => (
                <li key={i}>
                  <button type="button" aria-current={i === layer ? 'step' : undefined} data-testid={`math-layer-${i + 1}`} onClick={() => showLayer(i)}>
                    {i + 1}. {KIND_NAME[l.kind] ?? l.kind} {l.output_shape.join('×')}
                  </button>
                </li>
              ))}
            </ol>
          )}
          <div class="math-row math-nav">
            <button type="button" onClick={() => go(stage - 1)} disabled={stage === 0} aria-label="previous step">◀</button>
            <b aria-live="polite" data-testid="math-stage">{stageTitle(t, st)}</b>
            <button type="button" onClick={() => go(stage + 1)} disabled={stage >= stages.length - 1} aria-label="next step">▶</button>
          </div>
          {seqLayer && st.kind !== 'loss' && result && (
            <SequenceMath result={result} layer={layer} stage={st.kind} onCheck={p.onCheck} />
          )}
          {!(seqLayer && st.kind !== 'loss') && (<>
          <div class="math-row">
            {isMap(outShape) ? (
              <>
                <label>{kind === 'conv2d' ? 'Filter' : 'Channel'}{' '}
                  <select data-testid="math-channel" aria-label="feature map to show" value={uc} onChange={(e) => setPos(Number((e.target as HTMLSelectElement).value), ur, uk)}>
                    {Array.from({ length: outShape[0] ?? 0 }, (_, j) => <option value={j} key={j}>{mapLabel(j)}</option>)}
                  </select>
                </label>
                <label>Row{' '}
                  <select data-testid="math-pos-row" aria-label="feature map row" value={ur} onChange={(e) => setPos(uc, Number((e.target as HTMLSelectElement).value), uk)}>
                    {Array.from({ length: outShape[1] ?? 0 }, (_, j) => <option value={j} key={j}>{j}</option>)}
                  </select>
                </label>
                <label>Column{' '}
                  <select data-testid="math-pos-col" aria-label="feature map column" value={uk} onChange={(e) => setPos(uc, ur, Number((e.target as HTMLSelectElement).value))}>
                    {Array.from({ length: outShape[2] ?? 0 }, (_, j) => <option value={j} key={j}>{j}</option>)}
                  </select>
                </label>
              </>
            ) : (
              <label>{kind === 'flatten' ? 'Value' : 'Neuron'}{' '}
                <select data-testid="math-neuron" aria-label="neuron to show" value={unit} onChange={(e) => setUnit(Number((e.target as HTMLSelectElement).value))}>
                  {Array.from({ length: width }, (_, j) => <option value={j} key={j}>{isOutput ? (p.outputNames?.[j] ?? `output ${j + 1}`) : kind === 'flatten' ? `value ${j}` : `neuron ${j + 1}`}</option>)}
                </select>
              </label>
            )}
          </div>
          <div class="math-body" data-testid="math-body">
            {st.kind === 'forward' && kind === 'dense' && (
              <>
                <p>z = Σᵢ wᵢ·xᵢ + b</p>
                <p class="math-eq">= {terms([...Wrow.map((w, i) => ({ text: `${par(w)}·${par(xin[i])}`, size: w * (xin[i] ?? 0) })), { text: par(b), size: Infinity }])}</p>
                <p class="math-eq">= <b data-testid="math-z">{num(z)}</b></p>
                <p class="math-eq">{(ACT_FORMULA[act] ?? ACT_FORMULA.linear!)(num(z), num(a))}</p>
              </>
            )}
            {st.kind === 'forward' && kind === 'conv2d' && (() => {
              const f = field();
              return (
                <>
                  <p>Filter {uc + 1} at position (row {ur}, column {uk}): z = Σ w·x + b over its {kh}×{kw}{(inShape[0] ?? 1) > 1 ? `×${inShape[0]}` : ''} receptive field,
                    input rows {f.rows}, columns {f.cols}{f.padded > 0 ? ` (${f.padded} of its cells fall on the zero padding and add nothing)` : ''}</p>
                  <p class="math-eq" data-testid="math-field">= {terms([...f.terms, { text: par(b), size: Infinity }])}</p>
                  <p class="math-eq">= <b data-testid="math-z">{num(z)}</b></p>
                  <p class="math-eq">{(ACT_FORMULA[act] ?? ACT_FORMULA.linear!)(num(z), num(a))}</p>
                </>
              );
            })()}
            {st.kind === 'forward' && kind === 'maxpool' && (() => {
              const k = info?.kernel?.[0] ?? 1;
              const { cells, best } = poolWindow(uc, ur, uk, inShape, xin, k, info?.stride ?? 1);
              return (
                <>
                  <p>Max-pool at (row {ur}, column {uk}) of channel {uc + 1}: a = the largest of its {k}×{k} input window</p>
                  <p class="math-eq">a = max({cells.map((i) => num(xin[i])).join(', ')}) = <b data-testid="math-z">{num(a)}</b></p>
                  <p class="math-eq" data-testid="math-winner">the winner: {inputName(best)} (the first maximum); backward, only it gets the gradient</p>
                </>
              );
            })()}
            {st.kind === 'forward' && kind === 'flatten' && (
              <>
                <p>Flatten: the {inShape.join('×')} maps in one row, a[i] = x[c, row, col] with i = c·{(inShape[1] ?? 1) * (inShape[2] ?? 1)} + row·{inShape[2] ?? 1} + col</p>
                <p class="math-eq">a[{unit}] = {posName(layer === 0 ? 'x' : `a${sub(layer)}`, [inShape[0] ?? 1, inShape[1] ?? 1, inShape[2] ?? 1], unit)} = <b data-testid="math-z">{num(a)}</b></p>
              </>
            )}
            {st.kind === 'forward' && isOutput && <p>The output: ({out.map(num).join(', ')})</p>}
            {st.kind === 'loss' && (
              <>
                <p>Output a = ({out.map(num).join(', ')}), {targetText}</p>
                <p class="math-eq">{lossFormula(t.loss, out, y, (t.layers[nLayers - 1]?.output_shape.length ?? 1) === 2 ? (t.layers[nLayers - 1]?.output_shape[0] ?? 1) : 1)}</p>
                <p class="math-eq">L = <b data-testid="math-loss">{num(t.loss_value)}</b></p>
                {outShape.length === 2 && t.loss !== 'ce' && <p class="math-note">A sequence output: L is the mean over every value of its {outShape[0]} steps.</p>}
              </>
            )}
            {st.kind === 'backward' && (
              <>
                {isOutput ? (
                  <p class="math-eq">{outputDelta(t.loss, act, a, y[unit] ?? NaN, out.length, z)} = <b data-testid="math-delta">{num(delta)}</b></p>
                ) : (() => {
                  const from = fromNext();
                  const hasActivation = kind === 'dense' || kind === 'conv2d';
                  const [fText] = (DERIVATIVE[act] ?? DERIVATIVE.linear!)(z, a);
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
                })()}
                {kind === 'dense' && (
                  <>
                    <p>∂L/∂wᵢ = δ · xᵢ (the weight's input), ∂L/∂b = δ</p>
                    <p class="math-eq">{terms(dWrow.map((g, i) => ({ text: `∂L/∂w${sub(i + 1)} = ${par(delta)}·${par(xin[i])} = ${num(g)}`, size: g })), '; ')}</p>
                    <p class="math-eq">∂L/∂b = {num(db)}</p>
                  </>
                )}
                {kind === 'conv2d' && (() => {
                  const [ci, ki, kj] = position([inShape[0] ?? 1, kh, kw], Math.min(wSel, nIn - 1));
                  const s = info?.stride ?? 1, pad = info?.padding ?? 0;
                  const iy = ur * s - pad + ki, ix = uk * s - pad + kj;
                  const inside = iy >= 0 && iy < (inShape[1] ?? 0) && ix >= 0 && ix < (inShape[2] ?? 0);
                  const xv = inside ? xin[(ci * (inShape[1] ?? 1) + iy) * (inShape[2] ?? 1) + ix] ?? NaN : 0;
                  const map = flat(bwd?.delta).slice(uc * (outShape[1] ?? 1) * (outShape[2] ?? 1), (uc + 1) * (outShape[1] ?? 1) * (outShape[2] ?? 1));
                  return (
                    <>
                      <p>Filter {uc + 1} is shared by every position of its map: ∂L/∂w = Σ over the {map.length} positions of δ · (the input under w there); ∂L/∂b = Σ δ over the map</p>
                      <p class="math-eq">{weightName(Math.min(wSel, nIn - 1))}, this position's share: δ · x = {par(delta)}·{par(xv)}{inside ? '' : ' (padding)'} = {num(delta * xv)}</p>
                      <p class="math-eq">over all positions: ∂L/∂w = <b>{num(dWrow[Math.min(wSel, nIn - 1)])}</b></p>
                      <p class="math-eq">∂L/∂b = Σ δ = {terms(map.map((d) => ({ text: par(d), size: d })))} = {num(db)}</p>
                    </>
                  );
                })()}
                {kind === 'maxpool' && (() => {
                  const { best } = poolWindow(uc, ur, uk, inShape, xin, info?.kernel?.[0] ?? 1, info?.stride ?? 1);
                  return <p>No weights. δ goes back to the window's winner {inputName(best)}; the other values of the window get 0.</p>;
                })()}
                {kind === 'flatten' && <p>No weights. δ[{unit}] goes back to {posName(layer === 0 ? 'x' : `a${sub(layer)}`, [inShape[0] ?? 1, inShape[1] ?? 1, inShape[2] ?? 1], unit)} of the maps.</p>}
              </>
            )}
            {st.kind === 'update' && nIn === 0 && <p>Layer {layer + 1} ({KIND_NAME[kind] ?? kind}) has no parameters: step back to a dense or convolution layer.</p>}
            {st.kind === 'update' && pv && result && (
              <UpdateView info={optimizerInfo} pv={pv} name={paramName} isWeight={wSel < nIn}
                          moved={!whole && optimizerInfo !== undefined && t.optimizer !== undefined && optimizerInfo.step !== t.optimizer.step} />
            )}
          </div>
          {paramRow && (
            <div class="math-row math-check">
              <label>Parameter{' '}
                <select data-testid="math-param" aria-label="parameter to update and check" value={wSel} onChange={(e) => setWeight(Number((e.target as HTMLSelectElement).value))}>
                  {Wrow.map((_, i) => <option value={i} key={i}>{weightName(i)}</option>)}
                  <option value={nIn}>bias b</option>
                </select>
              </label>
              <span>backprop ∂L/∂{wSel < nIn ? 'w' : 'b'} = <b data-testid="math-backprop">{num(backprop)}</b></span>
              <button type="button" onClick={runCheck} disabled={checking || param < 0} data-testid="check-gradient">Check this gradient</button>
              {check && check.param === param && (
                <span role="status" data-testid="gradient-check" data-fd={check.finiteDifference} data-bp={check.backprop}
                      data-rel={relDiff(check.finiteDifference, check.backprop)}>
                  finite difference (L(w+h) − L(w−h)) / 2h, h = {num(check.h)}: <b>{num(check.finiteDifference)}</b>;
                  relative difference {num(relDiff(check.finiteDifference, check.backprop))}
                </span>
              )}
            </div>
          )}
          </>)}
          <div class="math-row">
            <button type="button" data-testid="download-trace" onClick={() => p.onDownload(t)}>Download these numbers</button>
          </div>
        </>
      )}
    </section>
  );
}

/** |a − b| / max(|a|, |b|), with a floor so two zeros agree. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

const SUB = '₀₁₂₃₄₅₆₇₈₉';
export function sub(n: number): string {
  return String(n).split('').map((d) => SUB[Number(d)] ?? d).join('');
}

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

function outputDelta(loss: string, act: string, a: number, y: number, outputs: number, z: number): string {
  if (loss === 'bce') return `sigmoid + cross-entropy: δ = ∂L/∂z = a − y = ${num(a)} − ${par(y)}`;
  if (loss === 'ce') return `softmax + cross-entropy: δⱼ = ∂L/∂zⱼ = aⱼ − yⱼ = ${num(a)} − ${par(y)}`;
  const [, f] = (DERIVATIVE[act] ?? DERIVATIVE.linear!)(z, a);
  return `MSE: δ = ∂L/∂a · f′(z) = (2/${outputs})·(a − y)·f′(z) = (2/${outputs})·(${num(a)} − ${par(y)})·${num(f)}`;
}

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
