// "Show the math": one training example's forward and backward pass with the
// numbers substituted, for one neuron at a time, stepped layer by layer
// (forward, the loss, backward, the update). Every value shown comes from
// the engine's trace (engine/trace.js: nn_explain, nn_compute_gradients,
// nn_optimizer_preview, nn_finite_difference); this component only writes
// them into formulas. Sums written out for reading (Σ W·δ) add numbers the
// core gave; the results displayed as z, a, δ, ∂L/∂w are the core's.
//
// This file is the switchboard: the trace, the step and the neuron shown, and
// which view writes the step out (DenseView, MapViews for convolution,
// max-pool and flatten, LossView, DeltaView, UpdateView, SequenceMath for
// recurrent layers; format.ts and neuron.ts are what they share).

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { GradientCheck, ParamPreview, Trace, TraceResult } from '../../engine/trace.js';
import { DeltaView } from './DeltaView';
import { DenseBackward, DenseForward } from './DenseView';
import { flat, isMap, KIND_NAME, num, position } from './format';
import { LossView } from './LossView';
import { ConvBackward, ConvForward, FlattenBackward, FlattenForward, PoolBackward, PoolForward } from './MapViews';
import { neuronOf } from './neuron';
import { ParamRow } from './ParamRow';
import { isSequenceLayer, SequenceMath } from './SequenceMath';
import { UnitPicker } from './UnitPicker';
import { UpdateView } from './UpdateView';

export { num } from './format';

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
/** Inputs listed in full up to this many values; an image is summarised. */
const MAX_LISTED = 16;

type Stage = { kind: 'forward' | 'backward'; layer: number } | { kind: 'loss' } | { kind: 'update' };

function stagesOf(layers: number): Stage[] {
  const s: Stage[] = [];
  for (let l = 0; l < layers; l++) s.push({ kind: 'forward', layer: l });
  s.push({ kind: 'loss' });
  for (let l = layers - 1; l >= 0; l--) s.push({ kind: 'backward', layer: l });
  s.push({ kind: 'update' });
  return s;
}

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
  const n = neuronOf(t, layer, unit, p.inputNames);
  const { kind, outShape, dWrow, db, nIn, filter, uc } = n;
  const seqLayer = t !== undefined && isSequenceLayer(t, layer);

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
  const paramName = wSel < nIn ? (kind === 'dense' ? `w(${n.inputName(wSel)} → this neuron)` : `${n.weightName(wSel)} of filter ${uc + 1}`) : 'b (bias)';

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

  const paramRow = nIn > 0 && (st.kind === 'backward' || st.kind === 'update');

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
          <UnitPicker n={n} width={width} outputNames={p.outputNames} onUnit={setUnit} />
          <div class="math-body" data-testid="math-body">
            {st.kind === 'forward' && kind === 'dense' && <DenseForward n={n} />}
            {st.kind === 'forward' && kind === 'conv2d' && <ConvForward n={n} />}
            {st.kind === 'forward' && kind === 'maxpool' && <PoolForward n={n} />}
            {st.kind === 'forward' && kind === 'flatten' && <FlattenForward n={n} />}
            {st.kind === 'forward' && n.isOutput && <p>The output: ({out.map(num).join(', ')})</p>}
            {st.kind === 'loss' && <LossView t={t} out={out} y={y} targetText={targetText} />}
            {st.kind === 'backward' && (
              <>
                <DeltaView t={t} n={n} y={y} out={out} />
                {kind === 'dense' && <DenseBackward n={n} />}
                {kind === 'conv2d' && <ConvBackward n={n} wSel={wSel} />}
                {kind === 'maxpool' && <PoolBackward n={n} />}
                {kind === 'flatten' && <FlattenBackward n={n} />}
              </>
            )}
            {st.kind === 'update' && nIn === 0 && <p>Layer {layer + 1} ({KIND_NAME[kind] ?? kind}) has no parameters: step back to a dense or convolution layer.</p>}
            {st.kind === 'update' && pv && result && (
              <UpdateView info={optimizerInfo} pv={pv} name={paramName} isWeight={wSel < nIn}
                          moved={!whole && optimizerInfo !== undefined && t.optimizer !== undefined && optimizerInfo.step !== t.optimizer.step} />
            )}
          </div>
          {paramRow && (
            <ParamRow n={n} wSel={wSel} onSelect={setWeight} backprop={backprop} param={param}
                      checking={checking} check={check} onCheck={runCheck} />
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
