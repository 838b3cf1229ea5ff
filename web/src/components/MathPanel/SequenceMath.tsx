// Show the math for a layer that runs over time steps (RNN, LSTM, a per-step
// dense): one step t and one unit j. Every result shown comes from the trace
// (engine/trace.js: nn_explain, nn_compute_gradients, nn_sequence_inspect,
// nn_sequence_math); sums written out for reading add numbers the core gave.

import { useEffect, useState } from 'preact/hooks';
import type { GradientCheck, Trace, TraceResult } from '../../engine/trace.js';
import { num, par, relDiff, sub, terms } from './format';
import { UpdateView } from './UpdateView';

const PREVIEW = 7; // Limits.PREVIEW_FLOATS
const GATES = ['i', 'f', 'g', 'o'] as const;
const GATE_NAME: Record<string, string> = { i: 'input gate', f: 'forget gate', g: 'candidate', o: 'output gate' };

type Rows = number[][];
const rows = (v: unknown): Rows => (Array.isArray(v) ? (v as Rows) : []);

/** Is this layer one the sequence view shows (a recurrent layer or a per-step dense)? */
export function isSequenceLayer(t: Trace, l: number): boolean {
  const k = t.layers[l];
  return k !== undefined && (k.kind === 'rnn' || k.kind === 'lstm' || k.per_step === true);
}

interface Props {
  result: TraceResult;
  layer: number;
  stage: 'forward' | 'backward' | 'update';
  onCheck(param: number): Promise<GradientCheck>;
}

export function SequenceMath({ result, layer, stage, onCheck }: Props) {
  const t = result.trace;
  const info = t.layers[layer]!;
  const fwd = t.forward[layer]!;
  const bwd = t.backward[layer]!;
  const recurrent = info.kind === 'rnn' || info.kind === 'lstm';
  const lstm = info.kind === 'lstm';
  const T = Array.isArray(t.example.x) ? (t.example.x as unknown[]).length : 1;
  const H = recurrent ? (info.hidden ?? 0) : (info.units ?? 0);
  // the layer's input per step: the sequence x_t, or the layer below's outputs [T][..]
  const xs: Rows = layer === 0 ? rows(t.example.x) : rows(t.forward[layer - 1]?.a);
  const F = xs[0]?.length ?? 0;
  const xName = layer === 0 ? 'x' : `a${sub(layer)}`;

  const [step, setStep] = useState(T - 1);
  const [unit, setUnit] = useState(0);
  const [gate, setGate] = useState(0);
  const [which, setWhich] = useState<'ih' | 'hh' | 'b_ih' | 'b_hh'>('ih');
  const [col, setCol] = useState(0);
  const [check, setCheck] = useState<GradientCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setCheck(null), [result, layer, step, unit, gate, which, col]);
  const tt = Math.min(step, T - 1), j = Math.min(unit, Math.max(0, H - 1));
  const r = (lstm ? gate * H : 0) + j; // the row of the weights and pre-activations

  const xt = xs[tt] ?? [];
  const hPrev = tt > 0 ? (rows(fwd.steps?.h)[tt - 1] ?? []) : new Array<number>(H).fill(0);
  const Wih = rows(recurrent ? fwd.W_ih : fwd.W), Whh = rows(fwd.W_hh);
  const dWih = rows(recurrent ? bwd.dW_ih : bwd.dW), dWhh = rows(bwd.dW_hh);
  const pre = rows(fwd.steps?.pre)[tt] ?? [];
  const h = rows(fwd.steps?.h)[tt] ?? [];
  const deltaRow = recurrent ? (rows(bwd.steps?.delta)[tt] ?? []) : (rows(bwd.delta)[tt] ?? []);
  const deltas = recurrent ? rows(bwd.steps?.delta) : rows(bwd.delta);

  // the parameter chosen: its block, row and column, its value's input at this step
  const isBias = which === 'b_ih' || which === 'b_hh' || (!recurrent && which !== 'ih');
  const cols = which === 'hh' ? H : F;
  const k = Math.min(col, Math.max(0, cols - 1));
  const blockIndex = recurrent ? { ih: 0, hh: 1, b_ih: 2, b_hh: 3 }[which] : (isBias ? 1 : 0);
  const block = result.layout.find((b) => b.layer === layer && b.block === blockIndex);
  const param = block ? block.offset + (isBias ? r : r * cols + k) : -1;
  const grad = which === 'ih' ? dWih[r]?.[k] : which === 'hh' ? dWhh[r]?.[k]
    : recurrent ? (which === 'b_ih' ? bwd.db_ih : bwd.db_hh)?.[r] : bwd.db?.[r];
  const inputAt = (s: number) => (isBias ? 1 : which === 'hh' ? (s > 0 ? rows(fwd.steps?.h)[s - 1]?.[k] ?? NaN : 0) : xs[s]?.[k] ?? NaN);
  const pName = isBias ? (recurrent ? `b_${which === 'b_hh' ? 'hh' : 'ih'}[${r}]` : `b[${r}]`)
    : `W_${recurrent ? which : ''}[${r},${k}]`.replace('W_[', 'W[');

  const runCheck = () => {
    if (param < 0) return;
    setChecking(true);
    onCheck(param).then(setCheck, (e: unknown) => setError(e instanceof Error ? e.message : String(e))).finally(() => setChecking(false));
  };

  const selects = (
    <div class="math-row">
      <label>Step t{' '}
        <select data-testid="math-step" aria-label="time step to show" value={tt} onChange={(e) => setStep(Number((e.target as HTMLSelectElement).value))}>
          {Array.from({ length: T }, (_, s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label>Unit{' '}
        <select data-testid="math-unit" aria-label="unit to show" value={j} onChange={(e) => setUnit(Number((e.target as HTMLSelectElement).value))}>
          {Array.from({ length: H }, (_, u) => <option key={u} value={u}>{u + 1}</option>)}
        </select>
      </label>
      {lstm && (
        <label>Gate{' '}
          <select data-testid="math-gate" aria-label="gate whose weights to show" value={gate} onChange={(e) => setGate(Number((e.target as HTMLSelectElement).value))}>
            {GATES.map((g, q) => <option key={g} value={q}>{g} ({GATE_NAME[g]})</option>)}
          </select>
        </label>
      )}
    </div>
  );

  /** The pre-activation of row q's unit j at this step, written out. */
  const preSum = (row: number) => {
    const list = [
      ...(Wih[row] ?? []).map((w, i) => ({ text: `${par(w)}·${par(xt[i])}`, size: w * (xt[i] ?? 0) })),
      { text: par(fwd.b_ih?.[row]), size: Infinity },
      ...(Whh[row] ?? []).map((w, i) => ({ text: `${par(w)}·${par(hPrev[i])}`, size: w * (hPrev[i] ?? 0) })),
      { text: par(fwd.b_hh?.[row]), size: Infinity },
    ];
    return terms(list);
  };

  const forward = () => {
    if (!recurrent) {
      const z = (rows(fwd.z)[tt] ?? [])[j], a = (rows(fwd.a)[tt] ?? [])[j];
      const list = (Wih[j] ?? []).map((w, i) => ({ text: `${par(w)}·${par(xt[i])}`, size: w * (xt[i] ?? 0) }));
      return (
        <>
          <p>The same weights at every step: z_t = Σᵢ wᵢ·{xName}_t,ᵢ + b, at step t = {tt}</p>
          <p class="math-eq">= {terms([...list, { text: par(fwd.b?.[j]), size: Infinity }])}</p>
          <p class="math-eq">= <b data-testid="math-z">{num(z)}</b>; a = {info.activation}(z) = {num(a)}{info.activation === 'softmax' ? ' (softmax over this step’s outputs)' : ''}</p>
        </>
      );
    }
    if (!lstm) {
      return (
        <>
          <p>z_t = Σ W_ih·x_t + b_ih + Σ W_hh·h_t−1 + b_hh (unit {j + 1}, step {tt}; h_−1 = 0)</p>
          <p class="math-eq">= {preSum(j)}</p>
          <p class="math-eq">= <b data-testid="math-z">{num(pre[j])}</b></p>
          <p class="math-eq">h_t = tanh(z_t) = tanh({num(pre[j])}) = <b data-testid="math-h">{num(h[j])}</b></p>
        </>
      );
    }
    const c = rows(fwd.steps?.c), cPrev = tt > 0 ? c[tt - 1]?.[j] ?? NaN : 0;
    const g = (q: string) => rows((fwd.steps as Record<string, unknown> | undefined)?.[q])[tt]?.[j];
    return (
      <>
        <p>Four gates, each z = Σ W_ih·x_t + b_ih + Σ W_hh·h_t−1 + b_hh with its own rows (unit {j + 1}, step {tt}):</p>
        <p class="math-eq">z_{GATES[gate]} = {preSum(r)} = <b data-testid="math-z">{num(pre[r])}</b></p>
        {GATES.map((q, n) => (
          <p class="math-eq" key={q}>{q} = {q === 'g' ? 'tanh' : 'σ'}(z_{q}) = {q === 'g' ? 'tanh' : 'σ'}({num(pre[n * H + j])}) = {num(g(q))}</p>
        ))}
        <p class="math-eq">c_t = f·c_t−1 + i·g = {num(g('f'))}·{par(cPrev)} + {num(g('i'))}·{par(g('g'))} = {num(c[tt]?.[j])}</p>
        <p class="math-eq">h_t = o·tanh(c_t) = {num(g('o'))}·tanh({num(c[tt]?.[j])}) = <b data-testid="math-h">{num(h[j])}</b></p>
      </>
    );
  };

  const backward = () => {
    if (!recurrent) {
      const a = (rows(fwd.a)[tt] ?? [])[j], yv = (t.example.y as number[])[tt * H + j];
      return (
        <>
          <p>At step {tt}: δ_t = ∂L/∂z_t{t.loss === 'ce' ? ' = (a − y) / T (the loss is the mean over the T steps)' : ''}</p>
          {t.loss === 'ce' && <p class="math-eq">= ({num(a)} − {par(yv)}) / {T}</p>}
          <p class="math-eq">δ = <b data-testid="math-delta">{num(deltaRow[j])}</b></p>
        </>
      );
    }
    const dh = rows(bwd.steps?.dh)[tt]?.[j], fromOut = rows(bwd.steps?.dh_from_output)[tt]?.[j];
    const fromNext = rows(bwd.steps?.dh_from_next)[tt]?.[j];
    const next = deltas[tt + 1] ?? [];
    const nextTerms = tt + 1 < T ? terms(Whh.map((w, q) => ({ text: `${par(w[j])}·${par(next[q])}`, size: (w[j] ?? 0) * (next[q] ?? 0) }))) : '0 (the last step)';
    return (
      <>
        <p>∂L/∂h_t = (from the layer's output at t) + (from step t+1, through W_hh)</p>
        <p class="math-eq">from step t+1: Σ W_hh·δ_t+1 = {nextTerms} = {num(fromNext)}</p>
        <p class="math-eq">∂L/∂h_t = {num(fromOut)} + {par(fromNext)} = <b data-testid="math-dh">{num(dh)}</b></p>
        {lstm ? (
          <>
            <p>δ of the four gates (∂L/∂z; the cell carries ∂L/∂c_t back through f):</p>
            {GATES.map((q, n) => <p class="math-eq" key={q}>δ_{q} = {num(deltaRow[n * H + j])}</p>)}
            <p class="math-eq">e.g. δ_o = ∂L/∂h_t · tanh(c_t) · o(1 − o) = {num(dh)}·tanh({num(rows(fwd.steps?.c)[tt]?.[j])})·{num(rows(fwd.steps?.o)[tt]?.[j])}·(1 − {num(rows(fwd.steps?.o)[tt]?.[j])}) = <b data-testid="math-delta">{num(deltaRow[3 * H + j])}</b></p>
          </>
        ) : (
          <p class="math-eq">δ_t = ∂L/∂h_t · (1 − h_t²) = {num(dh)}·(1 − {par(h[j])}²) = <b data-testid="math-delta">{num(deltaRow[j])}</b></p>
        )}
      </>
    );
  };

  const shares = Array.from({ length: T }, (_, s) => ({ d: deltas[s]?.[r] ?? NaN, x: inputAt(s) }));
  const share = shares[tt]!;
  const inName = isBias ? '1' : which === 'hh' ? `h_${tt - 1}[${k}]` : `${xName}_${tt}[${k}]`;
  const pv = param >= 0 && result.preview.length > 0 ? result.preview.subarray(param * PREVIEW, param * PREVIEW + PREVIEW) : null;

  return (
    <div class="math-seq" data-testid="math-seq">
      {selects}
      {error && <p class="math-error" role="alert">{error}</p>}
      <div class="math-body" data-testid="math-body">
        {stage === 'forward' && forward()}
        {stage === 'backward' && backward()}
        {stage === 'backward' && (
          <>
            <p>The same {pName} is used at every step: ∂L/∂w = Σₜ δ_t·(its input at t). This step's share:</p>
            <p class="math-eq" data-testid="math-share">δ_{tt}·{inName} = {par(share.d)}·{par(share.x)} = {num(share.d * share.x)}</p>
            <p class="math-eq">over all {T} steps: {terms(shares.map((s) => ({ text: `${par(s.d)}·${par(s.x)}`, size: s.d * s.x })))} → ∂L/∂w = <b>{num(grad)}</b></p>
          </>
        )}
        {stage === 'update' && pv && (
          <UpdateView info={t.optimizer} pv={pv} name={pName} isWeight={!isBias} />
        )}
      </div>
      {(stage === 'backward' || stage === 'update') && (
        <div class="math-row math-check">
          <label>Parameter{' '}
            <select data-testid="math-seq-block" aria-label="which parameters" value={which} onChange={(e) => setWhich((e.target as HTMLSelectElement).value as typeof which)}>
              <option value="ih">{recurrent ? 'W_ih (input)' : 'W'}</option>
              {recurrent && <option value="hh">W_hh (recurrent)</option>}
              <option value="b_ih">{recurrent ? 'b_ih' : 'b'}</option>
              {recurrent && <option value="b_hh">b_hh</option>}
            </select>
          </label>
          {!isBias && (
            <label>from{' '}
              <select data-testid="math-seq-col" aria-label="the weight's input" value={k} onChange={(e) => setCol(Number((e.target as HTMLSelectElement).value))}>
                {Array.from({ length: cols }, (_, q) => <option key={q} value={q}>{which === 'hh' ? `h[${q}]` : `${xName}[${q}]`}</option>)}
              </select>
            </label>
          )}
          <span>backprop ∂L/∂{pName} = <b data-testid="math-backprop">{num(grad)}</b></span>
          <button type="button" onClick={runCheck} disabled={checking || param < 0} data-testid="check-gradient">Check this gradient</button>
          {check && check.param === param && (
            <span role="status" data-testid="gradient-check" data-fd={check.finiteDifference} data-bp={check.backprop}
                  data-rel={relDiff(check.finiteDifference, check.backprop)}>
              finite difference, h = {num(check.h)}: <b>{num(check.finiteDifference)}</b>; relative difference {num(relDiff(check.finiteDifference, check.backprop))}
            </span>
          )}
        </div>
      )}
    </div>
  );
}

