// The sequence lab's page: pick a task (waves, a memory task, names, Moby
// Dick), train an RNN or an LSTM on it in the worker, and watch inside it:
// the loss in nats per symbol, the task's output (prediction and free run,
// accuracy per step, sampled names or text), the hidden state unrolled over
// time, per-step gradient norms (RNN and LSTM side by side with compare=1)
// and the LSTM's gates. Its settings live in the address (lab=sequence&...);
// the link's view options (embed=1, hide=, lock=, autoplay=1, speed=) shape
// it, and a host page drives it through the course-page API.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LabPageProps } from '../types';
import { writeLink } from '../../state/link';
import { LinkNotices, ownLink, useAddress, useAutoplayOnce, useTrainingBridge } from '../page-kit';
import type { LabViewOptions } from '../../state/view';
import { useStore } from '../../lib/use-store';
import { useVisible } from '../../lib/use-visible';
import { formatLoss, formatPerSecond } from '../../lib/format';
import { SpeedControl } from '../../components/Speed/SpeedControl';
import type { Speed } from '../../state/speed';
import type { Theme } from '../../state/config';
import { isCharTask, sequenceProtocol, type SequenceConfig, type SequencePanel } from './config';
import { LIVE_KEYS, sequenceStore, type SequenceState, type SequenceStore } from './store';
import { sequenceLayers, taskLoss } from './model-file';
import { download, withCoreBlocks } from '../../app/modelIO';
import { MathPanel } from '../../components/MathPanel/MathPanel';
import type { Trace } from '../../engine/trace.js';
import type { AskCore } from '../../share/coreLayout';
import type { LabModel } from '../../share/modelFile';
import { LabSharePanel } from '../../components/LabShare/LabSharePanel';
import { Settings } from './components/Settings';
import { COLORS, fixedLine, LossChart, StepChart } from './components/charts';
import { Heatmap } from './components/Heatmap';
import type { StepView } from './protocol';
import './sequence.css';

type SequenceView = LabViewOptions<SequencePanel, keyof SequenceConfig>;

/** What embed=1 shows: the run controls with the loss, the task's output, the gradients. */
const EMBED_PANELS: readonly SequencePanel[] = ['training', 'output'];

export default function SequencePage({ theme, active, link }: LabPageProps) {
  const [own] = useState(() => ownLink(link, 'sequence'));
  const view: SequenceView = own.view;
  const [notices, setNotices] = useState(own.notices);
  const store = sequenceStore(own.config);
  const state = useStore(store);
  const config = state.config;
  const shown = (p: SequencePanel) => !view.hide.includes(p) && (!view.embed || EMBED_PANELS.includes(p));
  const locked = (k: keyof SequenceConfig) => (view.lock as string[]).includes(k);
  const on = useMemo(() => ({
    play: () => store.play(),
    pause: () => store.pause(),
    reset: () => store.build(),
    stepBatch: () => { void store.step({ batches: 1 }).catch(() => undefined); },
    stepEpoch: () => { void store.step({ epochs: 1 }).catch(() => undefined); },
    speed: (s: Speed) => store.setSpeed(s),
    config: (patch: Partial<SequenceConfig>) => store.setConfig({ ...store.state.config, ...patch }),
  }), [store]);

  useEffect(() => { if (view.speed !== undefined) store.setSpeed(view.speed); }, [store]);
  useEffect(() => {
    if (!store.state.built && !store.state.building) store.build();
    return () => store.pause();
  }, [store]);

  // The settings are the address while the tab shows.
  useAddress(writeLink('sequence', config, { view: { ...view, speed: state.speed } }), active);
  useAutoplayOnce(view.autoplay, state.built !== null, () => store.play());

  useSequenceBridge(store, view);

  const run = shown('training') && <RunPanel state={state} theme={theme} on={on} disabled={view.lock.length > 0} compact={view.embed} />;
  const output = shown('output') && <OutputPanel state={state} store={store} theme={theme} compact={view.embed} />;
  const notice = state.notice && (
    <p class={`sq-notice sq-notice-${state.notice.kind}`} role={state.notice.kind === 'warning' ? 'alert' : 'status'} data-testid="sequence-notice">{state.notice.text}</p>
  );

  if (view.embed) {
    return (
      <main class="sequence sq-embed" data-theme={theme} aria-labelledby="sq-title">
        <h1 id="sq-title" class="visually-hidden">Sequences: RNN and LSTM</h1>
        {notice}
        {run}
        {output}
      </main>
    );
  }

  return (
    <main class="sequence" data-theme={theme} aria-labelledby="sq-title">
      {/* Without the header the page still has its title, for screen readers
          and for main's aria-labelledby. */}
      {shown('header') ? (
        <header class="sq-head">
          <h1 id="sq-title">Sequences: RNN and LSTM, trained in this tab</h1>
          <p>The C engine unrolls the network over every step of a sequence and backpropagates through time. Train an Elman RNN or an LSTM on waves, a memory task, first names or Moby Dick, then look at its hidden state step by step and at how far back the gradient reaches.</p>
        </header>
      ) : <h1 id="sq-title" class="visually-hidden">Sequences: RNN and LSTM, trained in this tab</h1>}
      <LinkNotices notices={notices} onDismiss={() => setNotices([])} prefix="sq" />
      {notice}
      <div class="sq-top">
        {shown('settings') && <Settings config={config} locked={locked} onChange={on.config} onReset={on.reset} paramCount={state.built?.paramCount ?? null} />}
        <div class="sq-main">
          {run}
          {output}
        </div>
      </div>
      <Views state={state} store={store} theme={theme} shown={shown} />
      {shown('share') && <SharePanel theme={view.theme} store={store} busy={state.built === null} />}
    </main>
  );
}

interface RunOn { play(): void; pause(): void; reset(): void; stepBatch(): void; stepEpoch(): void; speed(s: Speed): void }

function RunPanel({ state, theme, on, disabled, compact }: { state: SequenceState; theme: Theme; on: RunOn; disabled: boolean; compact: boolean }) {
  const pr = state.progress;
  const running = pr?.running ?? false;
  const ready = state.built !== null;
  const nats = isCharTask(state.config.task) || state.config.task === 'memory';
  const lastVal = state.val.loss[state.val.loss.length - 1];
  const lastAcc = state.val.accuracy[state.val.accuracy.length - 1];
  const twin = state.built?.config.compare ? (state.built.config.cell === 'lstm' ? 'rnn' : 'lstm') : null;
  return (
    <section class="sq-panel sq-run" aria-label="training">
      <div class="sq-buttons">
        <button type="button" class="sq-btn" data-testid="reset" disabled={!ready || disabled} onClick={on.reset} title="New weights from the seed">Reset</button>
        <button type="button" class="sq-btn sq-btn-primary" data-testid="play" disabled={!ready} aria-pressed={running}
                onClick={running ? on.pause : on.play}>{running ? 'Pause' : 'Train'}</button>
        <button type="button" class="sq-btn" data-testid="step-batch" disabled={!ready} onClick={on.stepBatch} title="Pause and train one batch">Step</button>
        <button type="button" class="sq-btn" data-testid="step" disabled={!ready} onClick={on.stepEpoch} title="Pause and train one epoch">Epoch</button>
        <SpeedControl speed={state.speed} onSpeed={on.speed} compact={compact} class="sq-select" />
      </div>
      <dl class="sq-metrics" aria-live="off">
        <div><dt>Epoch</dt><dd data-testid="epoch">{(pr?.epoch ?? 0).toFixed(2)}</dd></div>
        <div><dt>Train loss</dt><dd data-testid="train-loss">{formatLoss(state.losses.ema)}</dd></div>
        <div><dt>Validation loss</dt><dd data-testid="val-loss">{formatLoss(lastVal)}</dd></div>
        {nats && <div><dt>Perplexity</dt><dd data-testid="perplexity">{lastVal !== undefined && Number.isFinite(lastVal) ? Math.exp(lastVal).toFixed(2) : '–'}</dd></div>}
        {state.config.task === 'memory' && <div><dt>Accuracy (t ≥ k)</dt><dd><span data-testid="accuracy">{lastAcc !== undefined && Number.isFinite(lastAcc) ? (100 * lastAcc).toFixed(1) : '–'}</span>%</dd></div>}
        <div><dt>Steps/s</dt><dd data-testid="steps-per-sec">{formatPerSecond(running ? pr?.stepsPerSec : 0)}</dd></div>
        {!compact && <div><dt>Symbols/s</dt><dd data-testid="symbols-per-sec">{formatPerSecond(running ? pr?.symbolsPerSec : 0)}</dd></div>}
        {!compact && <div><dt>Gradient norm</dt><dd data-testid="grad-norm">{pr ? pr.gradNorm.toPrecision(3) : '–'}</dd></div>}
      </dl>
      <LossChart losses={state.losses} twinLosses={twin ? state.twinLosses : null} val={state.val} cell={state.built?.config.cell ?? state.config.cell}
                 twinCell={twin} nats={nats} theme={theme} version={state.version} height={compact ? 120 : 170} />
    </section>
  );
}

function OutputPanel({ state, store, theme, compact }: { state: SequenceState; store: SequenceStore; theme: Theme; compact: boolean }) {
  const chartHeight = compact ? 120 : 160;
  const ref = useRef<HTMLElement>(null);
  useVisible(ref, (v) => store.want({ output: v }), [store]);
  const out = state.output;
  const task = state.config.task;
  const title = task === 'waves' ? 'Prediction and free run' : task === 'memory' ? 'Accuracy per step' : task === 'names' ? 'Sampled names' : 'Sampled text';
  const lines = useMemo(() => {
    if (!out) return null;
    if (out.kind === 'waves') {
      const ts = Array.from(out.truth, (_, t) => t);
      return [
        fixedLine('truth (next value)', COLORS[2]!, ts, out.truth, 'dashed'),
        fixedLine('prediction', COLORS[0]!, ts, out.pred),
        fixedLine(`free run (own output after t = ${out.warmup})`, COLORS[1]!, ts, out.free),
      ];
    }
    if (out.kind === 'memory') {
      const ts = Array.from(out.accuracy, (_, t) => t);
      const mask = (a: Float64Array) => Array.from(a, (v, t) => (t >= out.delay ? 100 * v : NaN));
      const cell = (state.built?.config.cell ?? 'lstm').toUpperCase();
      const l = [fixedLine(cell, COLORS[0]!, ts, mask(out.accuracy))];
      if (out.twinAccuracy) l.push(fixedLine(cell === 'LSTM' ? 'RNN' : 'LSTM', COLORS[1]!, ts, mask(out.twinAccuracy)));
      return l;
    }
    return null;
  }, [out]);
  return (
    <section ref={ref} class="sq-panel sq-output" aria-labelledby="sq-output-h">
      <h2 id="sq-output-h">{title}</h2>
      {!out && <p class="sq-hint">Appears once the model exists.</p>}
      {out?.kind === 'waves' && lines && <StepChart lines={lines} title="Waves" yLabel="value" theme={theme} testId="wave-chart" height={chartHeight} />}
      {out?.kind === 'memory' && lines && (
        <>
          <StepChart lines={lines} title="Accuracy per step" yLabel="accuracy %" yRange={[0, 100]} theme={theme} testId="memory-chart" height={chartHeight} />
          <p class="sq-hint">Each step's target is the bit k = {out.delay} steps earlier (50 % is chance). An RNN holds a few steps; an LSTM's cell keeps longer delays.</p>
        </>
      )}
      {out?.kind === 'samples' && (
        <>
          <ul class={`sq-samples${task === 'text' ? ' sq-text' : ''}`} data-testid="samples">
            {out.samples.map((s, i) => <li key={i}>{s === '' ? '(empty)' : s}</li>)}
          </ul>
          <p class="sq-hint">Drawn one character at a time from the model at temperature {out.temperature} (the state carried from step to step).{' '}
            <button type="button" class="sq-btn sq-small" data-testid="resample" onClick={() => store.refresh()}>More</button></p>
        </>
      )}
    </section>
  );
}

function gradLines(view: StepView | null, twin: StepView | null): ReturnType<typeof fixedLine>[] {
  const l: ReturnType<typeof fixedLine>[] = [];
  for (const [v, i] of [[view, 0], [twin, 1]] as const) {
    if (!v) continue;
    const ts = Array.from(v.gradNorm, (_, t) => t);
    l.push(fixedLine(v.cell.toUpperCase(), COLORS[i]!, ts, Array.from(v.gradNorm, (g) => (g > 0 ? Math.log10(g) : NaN))));
  }
  return l;
}

function Views({ state, store, theme, shown }: { state: SequenceState; store: SequenceStore; theme: Theme; shown: (p: SequencePanel) => boolean }) {
  const unrolledRef = useRef<HTMLElement>(null);
  const gradRef = useRef<HTMLElement>(null);
  const gatesRef = useRef<HTMLElement>(null);
  useVisible(unrolledRef, (v) => store.want({ unrolled: v }), [store]);
  useVisible(gradRef, (v) => store.want({ gradients: v }), [store]);
  useVisible(gatesRef, (v) => store.want({ gates: v }), [store]);
  const v = state.view;
  const layers = state.built?.config.layers ?? 1;
  const rows = state.built?.valRows ?? 1;
  const grad = useMemo(() => gradLines(v, state.twinView), [v, state.twinView]);
  const [example, setExample] = useState(0);
  const [layer, setLayer] = useState(0);
  const [mathOpen, setMathOpen] = useState(false);
  const pick = (
    <div class="sq-row">
      <label class="sq-field"><span>Validation sequence</span>
        <input type="number" data-testid="seq-example" min={0} max={rows - 1} value={example}
               onChange={(e) => { const x = Math.max(0, Math.min(rows - 1, Math.round(Number((e.currentTarget as HTMLInputElement).value)) || 0)); setExample(x); store.want({ example: x }); }} />
      </label>
      {layers > 1 && (
        <label class="sq-field"><span>Layer</span>
          <select value={layer} onChange={(e) => { const x = Number((e.currentTarget as HTMLSelectElement).value); setLayer(x); store.want({ layer: x }); }}>
            {Array.from({ length: layers }, (_, i) => <option key={i} value={i}>{i + 1}</option>)}
          </select>
        </label>
      )}
    </div>
  );
  return (
    <div class="sq-views">
      {shown('unrolled') && (
        <section ref={unrolledRef} class="sq-panel" aria-labelledby="sq-unrolled-h">
          <h2 id="sq-unrolled-h">The network unrolled over time</h2>
          {pick}
          {v ? <Heatmap values={v.h} T={v.T} H={v.H} theme={theme} label={`h_t: ${v.H} units (rows) × ${v.T} steps (columns); blue +1, orange −1`} testId="hidden-heatmap" />
             : <p class="sq-hint">Computed while this panel is on screen.</p>}
          <button type="button" class="sq-btn" data-testid="math-open" aria-expanded={mathOpen} onClick={() => setMathOpen(!mathOpen)}>
            {mathOpen ? 'Hide the math' : 'Show the math'}
          </button>
        </section>
      )}
      {mathOpen && state.built && <SequenceMathSection state={state} store={store} example={example} onClose={() => setMathOpen(false)} />}
      {shown('gradients') && (
        <section ref={gradRef} class="sq-panel" aria-labelledby="sq-grad-h">
          <h2 id="sq-grad-h">How far back the gradient reaches</h2>
          {grad.length > 0
            ? <StepChart lines={grad} title="Gradient norm per step" yLabel="log10 ‖∂L_T/∂h_t‖" theme={theme} testId="grad-chart" />
            : <p class="sq-hint">Computed while this panel is on screen.</p>}
          <p class="sq-hint">The norm of the gradient of the <em>last</em> step's loss with respect to each earlier hidden state, for the chosen sequence (log scale). In an RNN it shrinks by a roughly constant factor per step back (vanishing gradients); an LSTM's cell path carries it further. {state.config.compare ? '' : 'Tick "Also train" in the settings to see both cells on the same batches.'}</p>
          {v && <p class="sq-hint" data-testid="grad-values">{Array.from(v.gradNorm).slice(-6).map((g) => g.toExponential(2)).join(' · ')} (last 6 steps)</p>}
        </section>
      )}
      {shown('gates') && (
        <section ref={gatesRef} class="sq-panel sq-gates-panel" aria-labelledby="sq-gates-h">
          <h2 id="sq-gates-h">LSTM gates</h2>
          {v?.gates ? (
            <div class="sq-gates">
              <Heatmap values={v.gates.i} T={v.T} H={v.H} theme={theme} label="input gate i_t (0…1)" testId="gate-i" />
              <Heatmap values={v.gates.f} T={v.T} H={v.H} theme={theme} label="forget gate f_t (0…1)" testId="gate-f" />
              <Heatmap values={v.gates.g} T={v.T} H={v.H} theme={theme} label="candidate g_t (−1…1)" testId="gate-g" />
              <Heatmap values={v.gates.o} T={v.T} H={v.H} theme={theme} label="output gate o_t (0…1)" testId="gate-o" />
              <Heatmap values={v.gates.c} T={v.T} H={v.H} theme={theme} label="cell c_t" testId="gate-c" />
            </div>
          ) : <p class="sq-hint">{state.built?.config.cell === 'rnn' ? 'An RNN has no gates: choose the LSTM cell.' : 'Computed while this panel is on screen.'}</p>}
        </section>
      )}
    </div>
  );
}

/** Show the math on the chosen validation sequence: a layer, a step t and a unit, with the core's numbers. */
function SequenceMathSection({ state, store, example, onClose }: { state: SequenceState; store: SequenceStore; example: number; onClose(): void }) {
  const built = state.built!;
  const c = built.config;
  const modelKey = `${built.paramCount}:${c.task}:${c.cell}:${c.hidden}:${c.layers}:${c.seqLen}`;
  const onDownload = (trace: Trace) => {
    const file = { ...trace, config: Object.fromEntries(new URLSearchParams(writeLink('sequence', state.config, {}))) };
    download(`trace-sequence-${trace.example.index}.json`, JSON.stringify(file), 'application/json');
  };
  return (
    <section class="sq-panel sq-math" aria-label="show the math on a sequence">
      <MathPanel picker={<span>Validation sequence {example} (choose it above)</span>}
                 hint="Step through the layers; on a recurrent layer choose a time step t and a unit, and a weight to check."
                 target={`val:${example}`} pick={null} running={state.progress?.running ?? false} modelKey={modelKey} layerStrip
                 onHighlight={() => undefined} onTrace={() => store.trace(example)} onCheck={(param) => store.checkGradient(param)}
                 onPreview={(param) => store.previewParam(param)} onDownload={onDownload} onClose={onClose} />
    </section>
  );
}

function SharePanel({ theme, store, busy }: { theme: Theme | null; store: SequenceStore; busy: boolean }) {
  const askCore: AskCore = (request) => store.askCore(request);
  /** The model in the worker as a file holds it: the config it was built from, its layers, the core's blocks. */
  const currentModel = async (): Promise<LabModel> => {
    const built = store.state.built;
    if (!built) throw new Error('the model is not built yet');
    const params = await store.getParams();
    const c = { ...built.config, ...pickLive(store.state.config) };
    return withCoreBlocks({ lab: 'sequence', config: c, layers: sequenceLayers(c), loss: taskLoss(c), epoch: store.state.progress?.epoch ?? 0, params }, askCore);
  };
  const load = (m: LabModel & { lab: 'sequence' }) => store.loadModel(m.config, m.params);
  return (
    <LabSharePanel lab="sequence" config={() => store.state.config} theme={theme} prefix="sq" buttonsClass="sq-buttons" title="An RNN or LSTM trained on sequences in the browser"
                   hint="The file and the scripts hold the model, not a compare twin. The PyTorch script (torch.nn.RNN / LSTM, batch_first) predicts, and its train mode continues training on your sequences (x [N, steps, features] and y, from .npy, .npz or .json) with this optimizer and clipping; the NumPy one writes out each cell's forward pass and backprop through time. Drop a saved model file anywhere on the page to load it."
                   numpy model={currentModel} askCore={askCore} load={load} busy={busy} />
  );
}

/** The settings a built model takes without a rebuild, as they are now. */
function pickLive(c: SequenceConfig): Partial<SequenceConfig> {
  return Object.fromEntries(LIVE_KEYS.map((k) => [k, c[k]]));
}

/** The course-page API: commands from the embedding page, answered with the state after them. */
function useSequenceBridge(store: SequenceStore, view: SequenceView): void {
  const state = store.state;
  const status = { running: state.progress?.running ?? false, epoch: state.progress?.epoch ?? 0 };
  useTrainingBridge<SequenceConfig>(store, status, (steps, unit) => store.step(unit === 'epochs' ? { epochs: steps } : { batches: steps }), () => {
    if (!state.progress) return null;
    const v = state.val;
    const last = v.loss[v.loss.length - 1] ?? null;
    const acc = v.accuracy[v.accuracy.length - 1];
    const nats = isCharTask(state.config.task) || state.config.task === 'memory';
    return {
      epoch: state.progress.epoch, trainLoss: Number.isFinite(state.losses.ema) ? state.losses.ema : null, valLoss: last,
      perplexity: nats && last !== null ? Math.exp(last) : null, accuracy: acc !== undefined && Number.isFinite(acc) ? acc : null,
      stepsPerSec: state.progress.stepsPerSec,
    };
  }, view.origins, sequenceProtocol);
}
