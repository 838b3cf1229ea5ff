// The digits GAN lab's page: an MLP generator and discriminator trained
// against each other on MNIST in the worker. Views: a live 10 x 10 grid of
// samples from fixed noise, the interpolation between two noise vectors,
// D's score for a digit you draw, both losses and D's means over time. Its
// settings live in the address (lab=digits&...); the link's view options
// (embed=1, hide=, lock=, autoplay=1, speed=) shape it, and a host page
// drives it through the course-page API.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LabPageProps } from '../types';
import { writeLink } from '../../state/link';
import { LinkNotices, ownLink, useAddress, useAutoplayOnce, useTrainingBridge } from '../page-kit';
import type { LabViewOptions, Theme as ViewTheme } from '../../state/view';
import { embedSnippet, labShareUrl } from '../../embed/snippet';
import { copyText } from '../../app/ShareBar';
import { download } from '../../app/modelIO';
import { ganFileName, ganFileText, readGanFile } from '../../share/ganFile';
import { ganPytorchScript, ganScriptFileName } from '../../share/ganExport';
import { readConfig } from '../../share/modelFile';
import { labEntry } from '../index';
import { useStore } from '../../lib/use-store';
import { useVisible } from '../../lib/use-visible';
import { formatPerSecond } from '../../lib/format';
import { SpeedControl } from '../../components/Speed/SpeedControl';
import type { Speed } from '../../state/speed';
import type { Theme } from '../../state/config';
import { Chart, type ChartLine } from '../../widgets/chart/Chart';
import { SeriesFeed } from '../../widgets/chart/lod-series';
import { CLASS_COLORS, css } from '../../components/palette';
import { DrawPanel } from '../mnist/components/DrawPanel';
import { paintDigit } from '../mnist/digit-image';
import { OPTIMIZERS } from '../../state/schema';
import {
  GAN_DIGITS_LAB, ganDigitsCodec, GAN_LOSSES, HIDDEN_ACTIVATIONS, MAX_BATCH, MAX_HIDDEN_LAYERS, MAX_NOISE_DIM, MAX_STEPS, MAX_WIDTH, NOISE_KINDS,
  ganDigitsProtocol, type GanDigitsConfig, type GanDigitsPanel, type HiddenActivation,
} from './config';
import { ganDigitsStore, type GanDigitsState, type GanDigitsStore } from './store';
import { GRID_SIDE, INTERPOLATION_STEPS, type Judgement } from './protocol';
import { checkGanNetworks } from './model-file';
import '../mnist/mnist.css';
import './gan-digits.css';

type View = LabViewOptions<GanDigitsPanel, keyof GanDigitsConfig>;

/** What embed=1 shows: the run bar with the losses, and the samples. */
const EMBED_PANELS: readonly GanDigitsPanel[] = ['training', 'samples'];
const COLORS = CLASS_COLORS.map((c) => css(c));

export default function GanDigitsPage({ theme, active, link }: LabPageProps) {
  const [own] = useState(() => ownLink(link, 'digits'));
  const view: View = own.view;
  const [notices, setNotices] = useState(own.notices);
  const store = ganDigitsStore(own.config);
  const state = useStore(store);
  const config = state.config;
  const shown = (p: GanDigitsPanel) => !view.hide.includes(p) && (!view.embed || EMBED_PANELS.includes(p));
  const locked = (k: keyof GanDigitsConfig) => (view.lock as string[]).includes(k);

  useEffect(() => { if (view.speed !== undefined) store.setSpeed(view.speed); }, [store]);
  useEffect(() => {
    store.start();
    return () => store.pause();
  }, [store]);
  useEffect(() => { if (!active) store.pause(); }, [active]);

  useAddress(writeLink('digits', config, { view: { ...view, speed: state.speed } }), active);
  useAutoplayOnce(view.autoplay, state.built !== null, () => store.play());
  useGanDigitsBridge(store, view);

  const notice = state.notice && (
    <p class={`gd-notice gd-notice-${state.notice.kind}`} role={state.notice.kind === 'warning' ? 'alert' : 'status'} data-testid="gan-digits-notice">{state.notice.text}</p>
  );
  const load = <LoadLine state={state} store={store} />;
  const run = shown('training') && <RunPanel state={state} store={store} theme={theme} disabled={view.lock.length > 0} compact={view.embed} />;
  const samples = shown('samples') && <SamplesPanel state={state} store={store} theme={theme} />;

  if (view.embed) {
    return (
      <main class="gan-digits gd-embed" data-theme={theme} aria-labelledby="gd-title">
        <h1 id="gd-title" class="visually-hidden">GAN digits</h1>
        {load}
        {notice}
        {run}
        {samples}
      </main>
    );
  }
  return (
    <main class="gan-digits" data-theme={theme} aria-labelledby="gd-title">
      {/* Without the header the page still has its title, for screen readers
          and for main's aria-labelledby. */}
      {shown('header') ? (
        <header class="gd-head">
          <h1 id="gd-title">GAN digits: a generator learns to write, a discriminator learns to tell</h1>
          <p>Two networks train against each other on MNIST in this tab. The generator G turns 64 random numbers into a 28×28 image; the discriminator D sees real digits and G's images and learns to tell them apart, and G learns from D's gradient to fool it. Recognisable digits appear within a few minutes.</p>
        </header>
      ) : <h1 id="gd-title" class="visually-hidden">GAN digits: a generator learns to write, a discriminator learns to tell</h1>}
      <LinkNotices notices={notices} onDismiss={() => setNotices([])} prefix="gd" />
      {load}
      {notice}
      <div class="gd-top">
        {shown('settings') && <SettingsPanel config={config} locked={locked} onChange={(patch) => store.setConfig({ ...store.state.config, ...patch })} state={state} />}
        <div class="gd-main">
          {run}
          {samples}
        </div>
      </div>
      <div class="gd-views">
        {shown('interpolate') && <InterpolationPanel state={state} store={store} theme={theme} />}
        {shown('draw') && <DrawScore state={state} store={store} theme={theme} />}
      </div>
      {shown('share') && <SharePanel theme={view.theme} store={store} busy={state.built === null} />}
    </main>
  );
}

function LoadLine({ state, store }: { state: GanDigitsState; store: GanDigitsStore }) {
  const l = state.load;
  if (l.phase === 'loading') {
    const pct = l.total > 0 ? Math.round((100 * l.loaded) / l.total) : 0;
    return <p class="gd-hint" data-testid="gan-digits-loading">Loading the MNIST digits… {pct}%</p>;
  }
  if (l.phase === 'error') {
    return (
      <p class="gd-notice gd-notice-warning" role="alert" data-testid="gan-digits-load-error">
        The digits could not be loaded: {l.message}{' '}
        <button type="button" class="gd-btn" onClick={() => store.start()}>Retry</button>
      </p>
    );
  }
  return null;
}

function num(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '–';
}

function RunPanel({ state, store, theme, disabled, compact }: { state: GanDigitsState; store: GanDigitsStore; theme: Theme; disabled: boolean; compact: boolean }) {
  const pr = state.progress;
  const running = pr?.running ?? false;
  const ready = state.built !== null;
  const bce = (state.built?.config ?? state.config).loss === 'bce';
  return (
    <section class="gd-panel gd-run" aria-label="training">
      <div class="gd-buttons">
        <button type="button" class="gd-btn" data-testid="reset" disabled={!ready || disabled} onClick={() => store.build()} title="New weights from the seed">Reset</button>
        <button type="button" class="gd-btn gd-btn-primary" data-testid="play" disabled={!ready} aria-pressed={running}
                onClick={running ? () => store.pause() : () => store.play()}>{running ? 'Pause' : 'Train'}</button>
        <button type="button" class="gd-btn" data-testid="step" disabled={!ready} onClick={() => { void store.step({ batches: 1 }).catch(() => undefined); }} title="Pause and run one iteration">Step</button>
        <label class="gd-inline" title="Which networks an iteration trains">
          <span>Train</span>
          <select data-testid="which" value={state.which} disabled={disabled} onChange={(e) => store.setWhich((e.currentTarget as HTMLSelectElement).value as 'both' | 'd' | 'g')}>
            <option value="both">D and G</option>
            <option value="d">D only</option>
            <option value="g">G only</option>
          </select>
        </label>
        <SpeedControl speed={state.speed} onSpeed={(s: Speed) => store.setSpeed(s)} compact={compact} class="gd-select" />
      </div>
      <dl class="gd-metrics" aria-live="off">
        <div><dt>Iteration</dt><dd data-testid="iteration">{pr?.iteration ?? 0}</dd></div>
        <div><dt>D loss</dt><dd data-testid="d-loss">{num(state.last.dLoss)}</dd></div>
        <div><dt>G loss</dt><dd data-testid="g-loss">{num(state.last.gLoss)}</dd></div>
        <div><dt>{bce ? 'D(real)' : 'D score, real'}</dt><dd data-testid="d-real">{num(state.last.dReal)}</dd></div>
        <div><dt>{bce ? 'D(fake)' : 'D score, fake'}</dt><dd data-testid="d-fake">{num(state.last.dFake)}</dd></div>
        <div><dt>Iterations/s</dt><dd data-testid="iterations-per-sec">{formatPerSecond(running ? pr?.iterationsPerSec : 0)}</dd></div>
      </dl>
      <LossChart state={state} theme={theme} bce={bce} height={compact ? 100 : 170} />
      {!compact && <p class="gd-hint">{bce
        ? 'D(real) and D(fake): D\'s mean probability that real digits and G\'s images are real. At the balance G aims for both are near 0.5 and D\'s loss near 2 ln 2 ≈ 1.39; D(fake) near 0 means D wins easily, G learns little.'
        : 'Least squares: D\'s raw scores, 1 for real and 0 for fake as its targets; G pushes its scores towards 1.'}</p>}
    </section>
  );
}

function LossChart({ state, theme, bce, height }: { state: GanDigitsState; theme: Theme; bce: boolean; height: number }) {
  const feeds = useRef(new Map<string, SeriesFeed>());
  const line = (label: string, color: string, s: GanDigitsState['dLoss'], axis: 'left' | 'right', style: ChartLine['style']): ChartLine => {
    let feed = feeds.current.get(label);
    if (!feed) feeds.current.set(label, (feed = new SeriesFeed()));
    feed.sync(s.length, (i) => s.x[i]!, (i) => s.smooth[i]!);
    return { label, color, data: feed.series, axis, style };
  };
  const lines = [
    line('D loss', COLORS[0]!, state.dLoss, 'left', 'line'),
    line('G loss', COLORS[1]!, state.gLoss, 'left', 'line'),
    line(bce ? 'D(real)' : 'D score real', COLORS[2]!, state.dReal, 'right', 'dashed'),
    line(bce ? 'D(fake)' : 'D score fake', COLORS[3]!, state.dFake, 'right', 'dashed'),
  ];
  return (
    <Chart className="gd-chart" testId="gan-loss-chart" title="Losses and D's means" lines={lines} version={state.version} theme={theme}
           xLabel="iterations" yLabel="loss" rightLabel={bce ? 'D (probability real)' : 'D score'} rightRange={bce ? [0, 1] : undefined}
           yFromZero xFromZero height={height} />
  );
}

/** Paints n 28x28 ink images side by side (cols per row) at 1 canvas pixel per image pixel. */
function paintTiles(canvas: HTMLCanvasElement, inks: Float32Array, cols: number, theme: Theme): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const n = inks.length / 784;
  const tile = document.createElement('canvas');
  tile.width = 28;
  tile.height = 28;
  const tctx = tile.getContext('2d')!;
  for (let i = 0; i < n; i++) {
    paintDigit(tctx, inks.subarray(i * 784, (i + 1) * 784), theme);
    ctx.drawImage(tile, (i % cols) * 28, Math.floor(i / cols) * 28);
  }
}

/** What G's images are now, for their text alternatives: its age and D's verdict on its images. */
function samplesNow(state: GanDigitsState): string {
  const it = state.progress?.iteration ?? 0;
  return it === 0 ? '; G is untrained: noise.' : `; after ${it} iterations, D scores G's images ${num(state.last.dFake)} (real digits ${num(state.last.dReal)}).`;
}

function SamplesPanel({ state, store, theme }: { state: GanDigitsState; store: GanDigitsStore; theme: Theme }) {
  const ref = useRef<HTMLElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  useVisible(ref, (v) => store.want({ samples: v }), [store]);
  useEffect(() => {
    if (canvas.current && state.samples) paintTiles(canvas.current, state.samples, GRID_SIDE, theme);
  }, [state.samples, theme]);
  return (
    <section ref={ref} class="gd-panel gd-samples" aria-labelledby="gd-samples-h">
      <h2 id="gd-samples-h">Samples from fixed noise</h2>
      <canvas ref={canvas} class="gd-grid" width={28 * GRID_SIDE} height={28 * GRID_SIDE} data-testid="sample-grid"
              data-iteration={state.progress?.iteration ?? 0} role="img" aria-label={`${GRID_SIDE * GRID_SIDE} images G makes from the same ${GRID_SIDE * GRID_SIDE} noise vectors, redrawn as it trains` + samplesNow(state)} />
      <p class="gd-hint">The same {GRID_SIDE * GRID_SIDE} noise vectors every time, so each cell shows one noise vector's image changing as G learns.</p>
    </section>
  );
}

function InterpolationPanel({ state, store, theme }: { state: GanDigitsState; store: GanDigitsStore; theme: Theme }) {
  const ref = useRef<HTMLElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  useVisible(ref, (v) => store.want({ interpolate: v }), [store]);
  useEffect(() => {
    if (canvas.current && state.strip) paintTiles(canvas.current, state.strip, INTERPOLATION_STEPS, theme);
  }, [state.strip, theme]);
  return (
    <section ref={ref} class="gd-panel" aria-labelledby="gd-interp-h">
      <h2 id="gd-interp-h">Between two noise vectors</h2>
      <canvas ref={canvas} class="gd-strip" width={28 * INTERPOLATION_STEPS} height={28} data-testid="interpolation-strip" role="img"
              aria-label={`${INTERPOLATION_STEPS} images from noise a to noise b in equal steps` + samplesNow(state)} />
      <div class="gd-buttons">
        <button type="button" class="gd-btn gd-small" data-testid="reroll-a" onClick={() => store.reroll('a')}>New left end</button>
        <button type="button" class="gd-btn gd-small" data-testid="reroll-b" onClick={() => store.reroll('b')}>New right end</button>
      </div>
      <p class="gd-hint">G's images of z = (1 − t)·a + t·b for t from 0 to 1: a smooth morph means G has learnt a continuous map from noise to digits.</p>
    </section>
  );
}

function DrawScore({ state, store, theme }: { state: GanDigitsState; store: GanDigitsStore; theme: Theme }) {
  const [verdict, setVerdict] = useState<Judgement | null>(null);
  const pixels = useRef<Float32Array | null>(null);
  const ask = () => {
    const p = pixels.current;
    if (!p) { setVerdict(null); return; }
    void store.judge(p).then(setVerdict).catch(() => setVerdict(null));
  };
  // D changes as it trains: the score follows it.
  useEffect(() => { ask(); }, [state.progress?.iteration === undefined ? -1 : Math.floor(state.progress.iteration / 50), state.built]);
  const onInput = useMemo(() => (p: Float32Array | null) => { pixels.current = p; ask(); }, [store]);
  const readout = (input: Float32Array | null) => (
    <p class="mn-prediction">
      D's score: <strong data-testid="d-score">{input && verdict ? (verdict.probability !== null ? verdict.probability.toFixed(3) : verdict.score.toFixed(3)) : '—'}</strong>
      {input && verdict && verdict.probability !== null ? <span> (probability real; logit {verdict.score.toFixed(2)})</span> : null}
    </p>
  );
  return (
    <div class="gd-draw">
      <DrawPanel theme={theme} probs={null} modelReady={state.built !== null} onInput={onInput} readout={readout} title="Draw a digit: does D think it is real?" />
    </div>
  );
}

function SettingsPanel({ config, locked, onChange, state }: { config: GanDigitsConfig; locked: (k: keyof GanDigitsConfig) => boolean; onChange: (p: Partial<GanDigitsConfig>) => void; state: GanDigitsState }) {
  const numberField = (key: keyof GanDigitsConfig, label: string, min: number, max: number, step: number | 'any') => (
    <label class="gd-field"><span>{label}</span>
      <input type="number" data-testid={`set-${key}`} min={min} max={max} step={step} value={config[key] as number} disabled={locked(key)}
             onChange={(e) => {
               const v = Number((e.currentTarget as HTMLInputElement).value);
               if (Number.isFinite(v) && v >= min && v <= max && (step === 'any' || Number.isInteger(v))) onChange({ [key]: v });
               else (e.currentTarget as HTMLInputElement).value = String(config[key]);
             }} />
    </label>
  );
  const select = (key: keyof GanDigitsConfig, label: string, values: readonly string[]) => (
    <label class="gd-field"><span>{label}</span>
      <select data-testid={`set-${key}`} value={config[key] as string} disabled={locked(key)} onChange={(e) => onChange({ [key]: (e.currentTarget as HTMLSelectElement).value })}>
        {values.map((v) => <option key={v} value={v}>{v}</option>)}
      </select>
    </label>
  );
  const actsKey = (key: 'gHidden' | 'dHidden') => (key === 'gHidden' ? 'gActivations' : 'dActivations');
  const widths = (key: 'gHidden' | 'dHidden', label: string) => (
    <label class="gd-field"><span>{label}</span>
      <input type="text" data-testid={`set-${key}`} value={config[key].join(',') || 'none'} disabled={locked(key) || locked(actsKey(key))} title={`0 to ${MAX_HIDDEN_LAYERS} widths of 1 to ${MAX_WIDTH}, comma-separated ("none" for no hidden layer)`}
             onChange={(e) => {
               const el = e.currentTarget as HTMLInputElement;
               const raw = el.value.trim();
               const list = raw === 'none' || raw === '' ? [] : raw.split(',').map((s) => Number(s.trim()));
               if (list.length <= MAX_HIDDEN_LAYERS && list.every((w) => Number.isInteger(w) && w >= 1 && w <= MAX_WIDTH)) {
                 // One activation per layer: kept where the layer stays, the last one for added layers.
                 const acts = config[actsKey(key)];
                 const fill = acts[acts.length - 1] ?? 'leaky_relu';
                 onChange({ [key]: list, [actsKey(key)]: list.map((_, i) => acts[i] ?? fill) });
               } else el.value = config[key].join(',') || 'none';
             }} />
    </label>
  );
  /** One control per network, like its link key: a comma list (one per hidden layer) or one name for all. */
  const activations = (key: 'gActivations' | 'dActivations', label: string) => {
    const hidden = config[key === 'gActivations' ? 'gHidden' : 'dHidden'];
    const shown = config[key].length > 0 && config[key].every((a) => a === config[key][0]) ? config[key][0]! : config[key].join(',') || 'none';
    return (
      <label class="gd-field"><span>{label}</span>
        <input type="text" data-testid={`set-${key}`} value={shown} disabled={locked(key) || hidden.length === 0} list="gd-activations"
               title={`${HIDDEN_ACTIVATIONS.join(', ')}: one per hidden layer, comma-separated, or one for all`}
               onChange={(e) => {
                 const el = e.currentTarget as HTMLInputElement;
                 const items = el.value.split(',').map((s) => s.trim());
                 const known = items.every((a) => (HIDDEN_ACTIVATIONS as readonly string[]).includes(a));
                 if (known && items.length === 1) onChange({ [key]: hidden.map(() => items[0] as HiddenActivation) });
                 else if (known && items.length === hidden.length) onChange({ [key]: items as HiddenActivation[] });
                 else el.value = shown;
               }} />
      </label>
    );
  };
  const b = state.built;
  return (
    <section class="gd-panel gd-settings" aria-label="settings">
      <h2>Networks</h2>
      <div class="gd-row">{select('noise', 'Noise', NOISE_KINDS)}{numberField('noiseDim', 'Noise size', 1, MAX_NOISE_DIM, 1)}</div>
      <div class="gd-row">{widths('gHidden', 'G hidden widths')}{widths('dHidden', 'D hidden widths')}</div>
      <div class="gd-row">{activations('gActivations', 'G activations')}{activations('dActivations', 'D activations')}</div>
      <datalist id="gd-activations">{HIDDEN_ACTIVATIONS.map((a) => <option key={a} value={a} />)}</datalist>
      <p class="gd-hint">G: noise → hidden → 784 pixels (tanh, real digits scaled to −1…1). D: 784 pixels → hidden → 1 score.{b ? ` ${b.gParams.toLocaleString('en')} + ${b.dParams.toLocaleString('en')} parameters.` : ''}</p>
      <h2>Training</h2>
      <div class="gd-row">{select('loss', 'Loss', GAN_LOSSES)}{numberField('batch', 'Batch', 1, MAX_BATCH, 1)}</div>
      <div class="gd-row">{select('gOptimizer', 'G optimizer', OPTIMIZERS)}{numberField('gLearningRate', 'G learning rate', 1e-6, 1, 'any')}</div>
      <div class="gd-row">{select('dOptimizer', 'D optimizer', OPTIMIZERS)}{numberField('dLearningRate', 'D learning rate', 1e-6, 1, 'any')}</div>
      <div class="gd-row">{numberField('beta1', 'Adam β1', 0, 0.999, 'any')}{numberField('dSteps', 'D steps', 0, MAX_STEPS, 1)}{numberField('gSteps', 'G steps', 0, MAX_STEPS, 1)}</div>
      <div class="gd-row">{numberField('seed', 'Seed', 0, 2147483647, 1)}</div>
      <p class="gd-hint">The loss, optimizers, rates, batch and steps apply to the running networks; the other settings start new ones.</p>
    </section>
  );
}

function SharePanel({ theme, store, busy }: { theme: ViewTheme | null; store: GanDigitsStore; busy: boolean }) {
  const [status, setStatus] = useState('');
  const [manual, setManual] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  /** The networks as they are now, with the settings they were built from and the live ones as they are now. */
  const current = async () => {
    const snapshot = await store.snapshot();
    return { snapshot, config: { ...(store.state.built?.config ?? store.state.config), ...store.state.config } };
  };
  const save = async () => {
    try {
      const { snapshot, config: c } = await current();
      download(ganFileName(GAN_DIGITS_LAB, snapshot), ganFileText({ lab: GAN_DIGITS_LAB, config: c, snapshot }), 'application/json');
      setStatus(`Saved both networks after ${snapshot.iterations} iterations.`);
    } catch (err) {
      setStatus(`That did not work: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const exportScript = async () => {
    try {
      const { snapshot, config: c } = await current();
      download(ganScriptFileName(GAN_DIGITS_LAB), ganPytorchScript({ lab: GAN_DIGITS_LAB, config: c, ...snapshot, description: 'A GAN trained on MNIST digits in the browser (lab=digits)' }), 'text/x-python');
      setStatus('Exported both networks as a PyTorch script (python3 nn-digits.py generate | judge | train).');
    } catch (err) {
      setStatus(`That did not work: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const open = async (file: File | undefined) => {
    if (!file) return;
    const r = await readGanFile<GanDigitsConfig>(await file.text(), GAN_DIGITS_LAB, (req) => store.askCore(req), (raw) => readConfig(ganDigitsCodec, raw));
    if (!r.ok) { setError(`${file.name}: ${r.error}`); return; }
    const m = r.model;
    const wrong = checkGanNetworks(m.config, m.generator.layers, m.discriminator.layers);
    if (wrong) { setError(`${file.name}: ${wrong} Nothing was changed.`); return; }
    setError(null);
    try {
      await store.restore(m.config, m);
      setStatus(`Loaded ${file.name}: its settings and both networks (${m.iterations} iterations) are in the page now.`);
    } catch (err) {
      setError(`${file.name} could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const copy = async (what: 'link' | 'embed') => {
    const view = { ...(what === 'embed' ? { embed: true } : {}), ...(theme ? { theme } : {}) };
    // The store's config, not this render's (a change a moment ago is there first).
    const { url } = labShareUrl('digits', store.state.config, { base: `${location.origin}${location.pathname}`, view });
    const text = what === 'link' ? url : embedSnippet({ url, title: 'A GAN learning to write digits in the browser', ...labEntry('digits').embedSize });
    const ok = await copyText(text);
    setManual(text);
    setStatus(ok ? (what === 'link' ? 'Link copied.' : 'Embed code copied.') : 'Copy it from the box below.');
  };
  return (
    <section class="gd-panel" aria-labelledby="gd-share-h">
      <h2 id="gd-share-h">Share</h2>
      <div class="gd-buttons">
        <button type="button" class="gd-btn" data-testid="copy-link" onClick={() => void copy('link')}>Copy link</button>
        <button type="button" class="gd-btn" data-testid="copy-embed" onClick={() => void copy('embed')}>Copy embed code</button>
        <button type="button" class="gd-btn" data-testid="save-model" disabled={busy} onClick={() => void save()}>Save GAN</button>
        <button type="button" class="gd-btn" data-testid="load-model" onClick={() => fileRef.current?.click()}>Load GAN…</button>
        <button type="button" class="gd-btn" data-testid="export-pytorch" disabled={busy} onClick={() => void exportScript()}>Export to PyTorch</button>
        <input ref={fileRef} type="file" accept=".json,application/json" hidden data-testid="model-file"
               onChange={(e) => { const input = e.currentTarget as HTMLInputElement; void open(input.files?.[0]); input.value = ''; }} />
      </div>
      <p class="gd-hint">A GAN file holds both networks, their optimizers' settings and the page's settings; the PyTorch script holds both networks as torch.nn.Sequential and can generate, judge, or go on training.</p>
      {error && <p class="gd-notice gd-notice-warning" role="alert" data-testid="model-error">{error}</p>}
      {status && <p class="gd-hint" role="status" data-testid="share-status">{status}</p>}
      {manual && <textarea class="gd-manual" readOnly rows={3} value={manual} data-testid="share-text" />}
    </section>
  );
}

/** The course-page API: commands from the embedding page, answered with the state after them. */
function useGanDigitsBridge(store: GanDigitsStore, view: View): void {
  const state = store.state;
  const status = { running: state.progress?.running ?? false, epoch: state.progress?.iteration ?? 0 };
  // An epoch of a GAN is 1000 iterations (the session's stepsPerEpoch).
  useTrainingBridge<GanDigitsConfig>(store, status, (steps, unit) => store.step(unit === 'epochs' ? { epochs: steps } : { batches: steps }), () => {
    if (!state.progress) return null;
    const f = (v: number) => (Number.isFinite(v) ? v : null);
    return {
      iteration: state.progress.iteration, dLoss: f(state.last.dLoss), gLoss: f(state.last.gLoss),
      dReal: f(state.last.dReal), dFake: f(state.last.dFake), iterationsPerSec: state.progress.iterationsPerSec,
    };
  }, view.origins, ganDigitsProtocol);
}
