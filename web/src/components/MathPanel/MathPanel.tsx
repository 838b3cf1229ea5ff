// "Show the math": one training example's forward and backward pass with the
// numbers substituted, for one neuron at a time, stepped layer by layer
// (forward, the loss, backward, the update). Every value shown comes from
// the engine's trace (engine/trace.js: nn_explain, nn_compute_gradients,
// nn_optimizer_preview, nn_finite_difference); this component only writes
// them into formulas. Sums written out for reading (Σ W·δ) add numbers the
// core gave; the results displayed as z, a, δ, ∂L/∂w are the core's.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { GradientCheck, TraceResult } from '../../labs/playground/protocol';
import type { Trace } from '../../engine/trace.js';

export interface MathFocus {
  /** Network column: 1 = first hidden layer … last = outputs. */
  col: number;
  unit: number;
}

export interface MathPanelProps {
  /** Training points [n x 2] and labels, in the engine's order. */
  points: Float32Array;
  labels: Float32Array;
  /** Names of the network's inputs (the features). */
  inputNames: string[];
  /** The example traced (index into the training set), or null for none yet. */
  index: number | null;
  /** A neuron clicked in the network view (seq tells two clicks on one neuron apart). */
  pick: (MathFocus & { seq: number }) | null;
  running: boolean;
  /** Changes when the network or the data changes: the trace is taken again. */
  modelKey: string;
  onIndex(index: number): void;
  /** The neuron shown, to highlight in the network view. */
  onHighlight(focus: MathFocus): void;
  onTrace(index: number): Promise<TraceResult>;
  onCheck(param: number): Promise<GradientCheck>;
  /** Saves the trace JSON (the page adds its link's configuration). */
  onDownload(trace: Trace): void;
  onClose(): void;
}

const PREVIEW = 7; // Limits.PREVIEW_FLOATS
const MAX_TERMS = 8;

/** A number for reading: 4 significant digits, a real minus sign. */
export function num(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return String(v);
  const s = Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
  return s.replace('-', '−');
}
/** In brackets when negative, for a product. */
const par = (v: number | undefined) => (v !== undefined && v < 0 ? `(${num(v)})` : num(v));

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flat(Infinity) as number[] : [v as number]);

/** Terms of a sum, written out (at most MAX_TERMS, then how many more). */
function terms(parts: string[]): string {
  if (parts.length <= MAX_TERMS) return parts.join(' + ');
  return `${parts.slice(0, MAX_TERMS - 1).join(' + ')} + … (${parts.length - MAX_TERMS + 1} more)`;
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

function stageTitle(st: Stage, layers: number): string {
  const name = (l: number) => (l === layers - 1 ? 'output layer' : `hidden layer ${l + 1}`);
  if (st.kind === 'forward') return `Forward: ${name(st.layer)}`;
  if (st.kind === 'backward') return `Backward: ${name(st.layer)}`;
  if (st.kind === 'loss') return 'The loss';
  return 'The update';
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

  const trace = (index: number) => {
    setBusy(true);
    setCheck(null);
    p.onTrace(index).then((r) => { setResult(r); setError(null); }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  useEffect(() => {
    if (p.index === null) return undefined;
    // after the page's own effects, which send a new network or data first
    const timer = setTimeout(() => { if (p.index !== null) trace(p.index); }, 0);
    return () => clearTimeout(timer);
  }, [p.index, p.modelKey]);

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
  useEffect(() => {
    const pick = p.pick;
    if (!t || !pick || pick.seq === appliedPick.current) return;
    appliedPick.current = pick.seq;
    const l = Math.min(Math.max(pick.col - 1, 0), nLayers - 1);
    setUnit(pick.unit);
    setUpdateLayer(l);
    if (st.kind === 'update') return;
    const kind = st.kind === 'backward' ? 'backward' : 'forward';
    const at = stages.findIndex((s2) => s2.kind === kind && s2.layer === l);
    if (at >= 0) setStage(at);
  }, [p.pick, t]);
  useEffect(() => { if (st.kind === 'forward' || st.kind === 'backward') setUpdateLayer(st.layer); }, [stage, t]);
  // The network view highlights the neuron shown.
  useEffect(() => { if (t) p.onHighlight({ col: layer + 1, unit }); }, [t, layer, unit]);
  useEffect(() => { setCheck(null); }, [layer, unit, weight]);

  const go = (to: number) => setStage(Math.max(0, Math.min(stages.length - 1, to)));

  const n = p.labels.length;
  const pointName = (i: number) => `#${i}: (${num(p.points[2 * i])}, ${num(p.points[2 * i + 1])}) → ${num(p.labels[i])}`;

  // inputs of the layer shown, their names, its weights row and bias
  const inputsOf = (l: number): number[] => (l === 0 ? flat(t?.example.x) : flat(t?.forward[l - 1]?.a));
  const inputName = (l: number, i: number) => (l === 0 ? (p.inputNames[i] ?? `x${i + 1}`) : `a${sub(l)}${sub(i + 1)}`);
  const xin = t ? inputsOf(layer) : [];
  const fwd = t?.forward[layer];
  const bwd = t?.backward[layer];
  const Wrow = fwd?.W ? flat((fwd.W as number[][])[unit]) : [];
  const dWrow = bwd?.dW ? flat((bwd.dW as number[][])[unit]) : [];
  const b = fwd?.b?.[unit];
  const z = flat(fwd?.z)[unit] ?? NaN;
  const a = flat(fwd?.a)[unit] ?? NaN;
  const delta = flat(bwd?.delta)[unit] ?? NaN;
  const act = t?.layers[layer]?.activation ?? 'linear';
  const isOutput = layer === nLayers - 1;

  // the selected parameter: weight from input `weight` (or the bias when weight === inputs)
  const nIn = Wrow.length;
  const wSel = Math.min(weight, nIn);
  const block = result?.layout.find((bl) => bl.layer === layer && bl.block === (wSel < nIn ? 0 : 1));
  const param = block ? block.offset + (wSel < nIn ? unit * nIn + wSel : unit) : -1;
  const pv = result && param >= 0 ? result.preview.subarray(param * PREVIEW, param * PREVIEW + PREVIEW) : null;
  const backprop = wSel < nIn ? dWrow[wSel] : flat(bwd?.db)[unit];
  const paramName = wSel < nIn ? `w(${inputName(layer, wSel)} → this neuron)` : 'b (bias)';

  const runCheck = () => {
    if (param < 0) return;
    setChecking(true);
    p.onCheck(param).then(setCheck, (e: unknown) => setError(e instanceof Error ? e.message : String(e))).finally(() => setChecking(false));
  };

  const y = t ? flat(t.example.y) : [];
  const out = t ? flat(t.output) : [];

  return (
    <section class="math-panel" aria-label="the math of one example" data-testid="math-panel">
      <header class="math-head">
        <h3>Show the math</h3>
        <button type="button" class="icon" onClick={p.onClose} aria-label="close the math panel">×</button>
      </header>
      <p class="math-hint">Click a training point on the output map (or pick one), and a neuron in the network.</p>
      <div class="math-row">
        <label>Example{' '}
          <select data-testid="math-example" aria-label="example to trace" value={p.index ?? ''} onChange={(e) => p.onIndex(Number((e.target as HTMLSelectElement).value))}>
            {p.index === null && <option value="">choose…</option>}
            {Array.from({ length: Math.min(n, 1000) }, (_, i) => <option value={i} key={i}>{pointName(i)}</option>)}
          </select>
        </label>
        <button type="button" disabled={p.index === null || busy} onClick={() => p.index !== null && trace(p.index)}
                data-testid="math-retrace">Trace again</button>
      </div>
      {error && <p class="math-error" role="alert">{error}</p>}
      {t && (
        <>
          <p class="math-note" data-testid="math-epoch">The weights of epoch {result?.epoch}, when traced{p.running ? ' (training goes on; Trace again to follow it)' : ''}.{' '}
            Input x = ({flat(t.example.x).map(num).join(', ')}), target y = ({y.map(num).join(', ')}).</p>
          <div class="math-row math-nav">
            <button type="button" onClick={() => go(stage - 1)} disabled={stage === 0} aria-label="previous step">◀</button>
            <b aria-live="polite" data-testid="math-stage">{stageTitle(st, nLayers)}</b>
            <button type="button" onClick={() => go(stage + 1)} disabled={stage >= stages.length - 1} aria-label="next step">▶</button>
          </div>
          <div class="math-row">
            <label>Neuron{' '}
              <select data-testid="math-neuron" aria-label="neuron to show" value={unit} onChange={(e) => setUnit(Number((e.target as HTMLSelectElement).value))}>
                {Array.from({ length: width }, (_, j) => <option value={j} key={j}>{isOutput ? `output ${j + 1}` : `neuron ${j + 1}`}</option>)}
              </select>
            </label>
          </div>
          <div class="math-body" data-testid="math-body">
            {st.kind === 'forward' && (
              <>
                <p>z = Σᵢ wᵢ·xᵢ + b</p>
                <p class="math-eq">= {terms([...Wrow.map((w, i) => `${par(w)}·${par(xin[i])}`), par(b)])}</p>
                <p class="math-eq">= <b data-testid="math-z">{num(z)}</b></p>
                <p class="math-eq">{(ACT_FORMULA[act] ?? ACT_FORMULA.linear!)(num(z), num(a))}</p>
                {isOutput && <p>The output: ({out.map(num).join(', ')})</p>}
              </>
            )}
            {st.kind === 'loss' && (
              <>
                <p>Output a = ({out.map(num).join(', ')}), target y = ({y.map(num).join(', ')})</p>
                <p class="math-eq">{lossFormula(t.loss, out, y)}</p>
                <p class="math-eq">L = <b data-testid="math-loss">{num(t.loss_value)}</b></p>
              </>
            )}
            {st.kind === 'backward' && (
              <>
                {isOutput ? (
                  <p class="math-eq">{outputDelta(t.loss, act, a, y[unit] ?? NaN, out.length, z)} = <b data-testid="math-delta">{num(delta)}</b></p>
                ) : (() => {
                  const next = t.forward[layer + 1];
                  const nextDelta = flat(t.backward[layer + 1]?.delta);
                  const col = next?.W ? (next.W as number[][]).map((row) => row[unit] ?? NaN) : [];
                  const dLda = col.reduce((s, w, k) => s + w * (nextDelta[k] ?? NaN), 0);
                  const [fText] = (DERIVATIVE[act] ?? DERIVATIVE.linear!)(z, a);
                  return (
                    <>
                      <p>δ = ∂L/∂z = ∂L/∂a · f′(z), with ∂L/∂a = Σₖ Wₖⱼ·δₖ (the next layer's deltas)</p>
                      <p class="math-eq">∂L/∂a = {terms(col.map((w, k) => `${par(w)}·${par(nextDelta[k])}`))} = {num(dLda)}</p>
                      <p class="math-eq">{fText}</p>
                      <p class="math-eq">δ = {num(dLda)} · f′(z) = <b data-testid="math-delta">{num(delta)}</b></p>
                    </>
                  );
                })()}
                <p>∂L/∂wᵢ = δ · xᵢ (the weight's input), ∂L/∂b = δ</p>
                <p class="math-eq">{terms(dWrow.map((g, i) => `∂L/∂w${sub(i + 1)} = ${par(delta)}·${par(xin[i])} = ${num(g)}`)).replaceAll(' + ', '; ')}</p>
                <p class="math-eq">∂L/∂b = {num(flat(bwd?.db)[unit])}</p>
              </>
            )}
            {st.kind === 'update' && pv && result && (
              <UpdateView info={t.optimizer} pv={pv} name={paramName} isWeight={wSel < nIn} />
            )}
          </div>
          {(st.kind === 'backward' || st.kind === 'update') && (
            <div class="math-row math-check">
              <label>Parameter{' '}
                <select data-testid="math-param" aria-label="parameter to update and check" value={wSel} onChange={(e) => setWeight(Number((e.target as HTMLSelectElement).value))}>
                  {Wrow.map((_, i) => <option value={i} key={i}>{`w from ${inputName(layer, i)}`}</option>)}
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
function sub(n: number): string {
  return String(n).split('').map((d) => SUB[Number(d)] ?? d).join('');
}

function lossFormula(loss: string, a: number[], y: number[]): string {
  if (loss === 'bce') {
    const av = a[0] ?? NaN, yv = y[0] ?? NaN;
    return `L = −[y·log a + (1 − y)·log(1 − a)] = −[${num(yv)}·log ${num(av)} + ${num(1 - yv)}·log ${num(1 - av)}]`;
  }
  if (loss === 'ce') return `L = −Σⱼ yⱼ·log aⱼ = ${terms(a.map((v, j) => `−${num(y[j])}·log ${num(v)}`)).replaceAll('+ −', '− ')}`;
  return `L = (1/n)·Σⱼ (aⱼ − yⱼ)² = (1/${a.length})·(${terms(a.map((v, j) => `(${num(v)} − ${par(y[j])})²`))})`;
}

function outputDelta(loss: string, act: string, a: number, y: number, outputs: number, z: number): string {
  if (loss === 'bce') return `sigmoid + cross-entropy: δ = ∂L/∂z = a − y = ${num(a)} − ${par(y)}`;
  if (loss === 'ce') return `softmax + cross-entropy: δⱼ = ∂L/∂zⱼ = aⱼ − yⱼ = ${num(a)} − ${par(y)}`;
  const [, f] = (DERIVATIVE[act] ?? DERIVATIVE.linear!)(z, a);
  return `MSE: δ = ∂L/∂a · f′(z) = (2/${outputs})·(a − y)·f′(z) = (2/${outputs})·(${num(a)} − ${par(y)})·${num(f)}`;
}

function UpdateView({ info, pv, name, isWeight }: { info: Trace['optimizer']; pv: Float32Array; name: string; isWeight: boolean }) {
  const [w, g, s1, s2, s1n, s2n, wn] = Array.from(pv);
  if (!info) return null;
  const lr = num(info.lr);
  const reg = isWeight && info.regularization !== 'none' && info.rate > 0;
  return (
    <>
      <p>If this example alone were the batch, the {info.kind === 'sgd' ? 'SGD' : info.kind === 'momentum' ? 'momentum' : 'Adam'} update of {name} would be:</p>
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
