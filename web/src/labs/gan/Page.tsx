// The GAN lab's page: a generator G and a discriminator D trained against
// each other on a 2-D distribution (ring, 8 Gaussians, line, two moons,
// spiral, or one you draw), in the worker. It shows the real and generated
// samples over D's heatmap, G's image of a noise grid, the gradient arrows
// on G's samples, both losses, the sliced Wasserstein distance (and
// histogram KL/JS) over time, and says in words when G collapses or D wins.
// Its settings live in the address (lab=gan&...; a drawing as pts=); the
// link's view options (embed=1, hide=, lock=, autoplay=1, speed=) shape it,
// and a host page drives it through the course-page API.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LabPageProps } from '../types';
import { writeLink } from '../../state/link';
import { LinkNotices, ownLink, useAddress, useAutoplayOnce, useTrainingBridge } from '../page-kit';
import type { LabViewOptions } from '../../state/view';
import { embedSnippet, labShareUrl } from '../../embed/snippet';
import { copyText } from '../../app/ShareBar';
import { useStore } from '../../lib/use-store';
import { useVisible } from '../../lib/use-visible';
import { formatLoss, formatPerSecond } from '../../lib/format';
import { SpeedControl } from '../../components/Speed/SpeedControl';
import { Chart, type ChartLine } from '../../widgets/chart/Chart';
import { SeriesFeed } from '../../widgets/chart/lod-series';
import { CLASS_COLORS, css } from '../../components/palette';
import { encodePoints, MAX_SHARED_POINTS, quantisePoint } from '../../share/points';
import type { Speed } from '../../state/speed';
import type { Activation, Theme } from '../../state/config';
import { ACTIVATIONS, OPTIMIZERS } from '../../state/schema';
import { labEntry } from '../index';
import {
  DISTRIBUTIONS, EXTENT, GAN_LOSSES, ganProtocol, MAX_GAN_BATCH, MAX_GAN_LAYERS, MAX_GAN_STEPS, MAX_GAN_WIDTH, NOISE_KINDS,
  type GanConfig, type GanPanel,
} from './config';
import { ganStore, type GanState, type GanStore } from './store';
import { download } from '../../app/modelIO';
import { ganFileName, ganFileText, readGanFile } from '../../share/ganFile';
import { ganPytorchScript, ganScriptFileName } from '../../share/ganExport';
import { useFileDrop } from '../../lib/use-file-drop';
import { checkGanModel, fileConfig, readFileConfig } from './gan-file';
import { GanMap, type Layers } from './GanMap';
import './gan.css';

type GanViewOptions = LabViewOptions<GanPanel, keyof GanConfig>;

/** What embed=1 shows: the run bar with the charts, and the map. */
const EMBED_PANELS: readonly GanPanel[] = ['training', 'map', 'health'];

const DIST_NAMES: Record<GanConfig['dist'], string> = { ring: 'Ring', gaussians: '8 Gaussians', line: 'Line', moons: 'Two moons', spiral: 'Spiral', custom: 'Draw your own' };
const LOSS_NAMES: Record<GanConfig['loss'], string> = { bce: 'Log loss (non-saturating)', least_squares: 'Least squares' };
const OPT_NAMES: Record<GanConfig['gOptimizer'], string> = { sgd: 'SGD', momentum: 'Momentum', adam: 'Adam' };

export default function GanPage({ theme, active, link }: LabPageProps) {
  const [own] = useState(() => ownLink(link, 'gan'));
  const view: GanViewOptions = own.view;
  const [notices, setNotices] = useState(own.notices);
  const store = ganStore(own.config, (own.points ?? []).map(quantisePoint));
  const state = useStore(store);
  const config = state.config;
  const shown = (p: GanPanel) => !view.hide.includes(p) && (!view.embed || EMBED_PANELS.includes(p));
  const locked = (k: keyof GanConfig) => (view.lock as string[]).includes(k);
  const on = useMemo(() => ({
    play: () => store.play(),
    pause: () => store.pause(),
    reset: () => store.build(),
    iterate: (which: 'd' | 'g' | 'both') => { void store.iterate(which).catch(() => undefined); },
    speed: (s: Speed) => store.setSpeed(s),
    config: (patch: Partial<GanConfig>) => store.setConfig({ ...store.state.config, ...patch }),
  }), [store]);

  useEffect(() => { if (view.speed !== undefined) store.setSpeed(view.speed); }, [store]);
  useEffect(() => {
    if (!store.state.built && !store.state.building) store.build();
    return () => store.pause();
  }, [store]);

  // The settings (and a drawing) are the address while the tab shows; a drawing too big for a link is left out, with a notice.
  const pointsFit = encodePoints(state.points).ok;
  const points = config.dist === 'custom' && pointsFit ? state.points : undefined;
  useAddress(writeLink('gan', config, { view: { ...view, speed: state.speed }, ...(points ? { points } : {}) }), active);
  useAutoplayOnce(view.autoplay, state.built !== null, () => store.play());
  useGanBridge(store, view);

  const notice = state.notice && (
    <p class={`gn-notice gn-notice-${state.notice.kind}`} role={state.notice.kind === 'warning' ? 'alert' : 'status'} data-testid="gan-notice">{state.notice.text}</p>
  );
  const run = shown('training') && <RunPanel state={state} theme={theme} on={on} compact={view.embed} />;
  const map = shown('map') && <MapPanel state={state} store={store} theme={theme} drawingLocked={locked('dist')} compact={view.embed} />;
  const health = shown('health') && <HealthPanel state={state} />;

  if (view.embed) {
    return (
      <main class="gan gn-embed" data-theme={theme} aria-labelledby="gn-title">
        <h1 id="gn-title" class="visually-hidden">A GAN in two dimensions</h1>
        <LinkNotices notices={notices} onDismiss={() => setNotices([])} prefix="gn" />
        {notice}
        {map}
        {health}
        {run}
      </main>
    );
  }
  return (
    <main class="gan" data-theme={theme} aria-labelledby="gn-title">
      {/* Without the header the page still has its title, for screen readers
          and for main's aria-labelledby. */}
      {shown('header') ? (
        <header class="gn-head">
          <h1 id="gn-title">A GAN in two dimensions</h1>
          <p>A generator G turns random noise into points; a discriminator D learns to tell them from the real data. D's gradient is G's only teacher: it pushes G's points towards where D believes real data lives. Watch the purple points move onto the green ones, D's map (blue: "real", orange: "generated") flatten out, and the distance fall.</p>
        </header>
      ) : <h1 id="gn-title" class="visually-hidden">A GAN in two dimensions</h1>}
      <LinkNotices notices={notices} onDismiss={() => setNotices([])} prefix="gn" />
      {notice}
      <div class={`gn-top${shown('settings') ? '' : ' gn-top-wide'}`}>
        {shown('settings') && <Settings config={config} state={state} locked={locked} onChange={on.config} />}
        <div class="gn-main">
          {map}
          {health}
        </div>
      </div>
      {run}
      {shown('share') && <SharePanel state={state} store={store} theme={theme} />}
    </main>
  );
}

type On = { play(): void; pause(): void; reset(): void; iterate(which: 'd' | 'g' | 'both'): void; speed(s: Speed): void; config(p: Partial<GanConfig>): void };

/** The map's state now, for its text alternative: the numbers the run panel shows. */
function mapNow(state: GanState): string {
  const it = state.progress?.iteration ?? 0;
  if (it === 0) return '; not trained yet.';
  const sw = state.dist.sw[state.dist.sw.length - 1];
  return `; after ${it} iterations, distance between real and generated ${num(sw)}, D(real) ${num(state.progress?.dReal, 2)}, D(fake) ${num(state.progress?.dFake, 2)}.`;
}

function num(v: number | undefined | null, digits = 3): string {
  return v === undefined || v === null || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

function RunPanel({ state, theme, on, compact }: { state: GanState; theme: Theme; on: On; compact: boolean }) {
  const pr = state.progress;
  const running = pr?.running ?? false;
  // After a divergence only Reset helps: the weights hold NaN.
  const ready = state.built !== null && state.diagnosis?.kind !== 'diverged';
  const d = state.dist;
  const last = (a: number[]) => a[a.length - 1];
  return (
    <section class="gn-panel gn-run" aria-labelledby="gn-run-h">
      <h2 id="gn-run-h" class={compact ? 'visually-hidden' : undefined}>Training</h2>
      <div class="gn-buttons" role="group" aria-label="training controls">
        <button type="button" class="gn-btn gn-btn-primary" data-testid="play" disabled={!ready} aria-pressed={running} onClick={running ? on.pause : on.play}>{running ? 'Pause' : 'Train'}</button>
        <button type="button" class="gn-btn" data-testid="step-both" disabled={!ready} onClick={() => on.iterate('both')} title="Pause and run one iteration: D steps, then G steps">Step</button>
        <button type="button" class="gn-btn" data-testid="step-d" disabled={!ready} onClick={() => on.iterate('d')} title="Pause and train D only (G stays as it is)">Step D</button>
        <button type="button" class="gn-btn" data-testid="step-g" disabled={!ready} onClick={() => on.iterate('g')} title="Pause and train G only (D stays as it is)">Step G</button>
        <button type="button" class="gn-btn" data-testid="reset" onClick={on.reset} title="New weights from the seed">Reset</button>
        <SpeedControl speed={state.speed} onSpeed={on.speed} compact={compact} class="gn-select" />
      </div>
      <dl class="gn-metrics" aria-live="off">
        <div><dt>Iteration</dt><dd data-testid="iteration">{pr?.iteration ?? 0}</dd></div>
        <div><dt>D loss</dt><dd data-testid="d-loss">{formatLoss(state.dLosses.ema)}</dd></div>
        <div><dt>G loss</dt><dd data-testid="g-loss">{formatLoss(state.gLosses.ema)}</dd></div>
        <div><dt>Distance</dt><dd data-testid="distance">{num(last(d.sw))}</dd></div>
        {!compact && <div><dt>JS (bits)</dt><dd data-testid="js">{num(last(d.js))}</dd></div>}
        {!compact && <div><dt>KL (bits)</dt><dd data-testid="kl">{num(last(d.kl), 2)}</dd></div>}
        {!compact && <div><dt>{state.built?.config.loss === 'least_squares' ? 'D score real / fake' : 'D(real) / D(fake)'}</dt><dd data-testid="d-outputs">{num(pr?.dReal, 2)} / {num(pr?.dFake, 2)}</dd></div>}
        <div><dt>Iter./s</dt><dd data-testid="iterations-per-sec">{formatPerSecond(running ? pr?.iterationsPerSec : 0)}</dd></div>
      </dl>
      {/* A narrow embed keeps the distance chart (the losses stay as numbers above). */}
      <div class="gn-charts">
        {!compact && <LossesChart state={state} theme={theme} height={150} />}
        <DistanceChart state={state} theme={theme} height={compact ? 100 : 150} />
      </div>
      {!compact && (
        <p class="gn-hint">
          <strong>Distance</strong> is the sliced Wasserstein distance between 500 real and 500 generated points: project both sets on 64 directions, sort each projection, and average the gaps between matching points (the 1-D earth mover's distance), then average over the directions. Unlike KL or JS on a histogram it stays meaningful when the two sets do not overlap at all (JS is stuck at 1 bit there, KL is infinite), it needs no density estimate, and it costs a sort. KL(real ‖ generated) and JS on a 20 × 20 histogram are shown as GAN Lab shows them.
        </p>
      )}
    </section>
  );
}

function useFeed(): (label: string, n: number, x: (i: number) => number, y: (i: number) => number) => SeriesFeed {
  const feeds = useRef(new Map<string, SeriesFeed>());
  return (label, n, x, y) => {
    let f = feeds.current.get(label);
    if (!f) feeds.current.set(label, (f = new SeriesFeed()));
    f.sync(n, x, y);
    return f;
  };
}

function LossesChart({ state, theme, height }: { state: GanState; theme: Theme; height: number }) {
  const feed = useFeed();
  const { dLosses: dl, gLosses: gl } = state;
  const lines: ChartLine[] = [
    { label: 'D loss', color: css(CLASS_COLORS[0]!), data: feed('d', dl.length, (i) => dl.x[i]!, (i) => dl.smooth[i]!).series },
    { label: 'G loss', color: css(CLASS_COLORS[3]!), data: feed('g', gl.length, (i) => gl.x[i]!, (i) => gl.smooth[i]!).series },
  ];
  return <Chart className="gn-chart" testId="loss-chart" title="Losses" lines={lines} version={state.version} theme={theme}
                xLabel="iteration" yLabel="loss" yFromZero xFromZero height={height} emptyText="Press Train: both losses appear here." />;
}

function DistanceChart({ state, theme, height }: { state: GanState; theme: Theme; height: number }) {
  const feed = useFeed();
  const d = state.dist;
  const lines: ChartLine[] = [
    { label: 'sliced Wasserstein', color: css(CLASS_COLORS[2]!), data: feed('sw', d.at.length, (i) => d.at[i]!, (i) => d.sw[i]!).series },
    { label: 'JS (bits)', color: css(CLASS_COLORS[1]!), data: feed('js', d.at.length, (i) => d.at[i]!, (i) => d.js[i]!).series, style: 'dashed', axis: 'right' },
  ];
  return <Chart className="gn-chart" testId="distance-chart" title="Distance to the real data" lines={lines} version={state.version} theme={theme}
                xLabel="iteration" yLabel="distance" rightLabel="JS" rightRange={[0, 1]} yFromZero xFromZero height={height} />;
}

function MapPanel({ state, store, theme, drawingLocked, compact }: { state: GanState; store: GanStore; theme: Theme; drawingLocked: boolean; compact: boolean }) {
  const ref = useRef<HTMLElement>(null);
  useVisible(ref, (v) => store.want({ map: v }), [store]);
  const [layers, setLayers] = useState<Layers>({ heatmap: true, real: true, fake: true, manifold: true, arrows: true });
  const [erase, setErase] = useState(false);
  const [drawNote, setDrawNote] = useState<string | null>(null);
  const custom = state.config.dist === 'custom';
  const drawing = custom && !drawingLocked;
  const add = (x: number, y: number) => {
    const pts = store.state.points;
    if (pts.length >= MAX_SHARED_POINTS) { setDrawNote(`At most ${MAX_SHARED_POINTS} points (a link carries no more): erase some first.`); return; }
    setDrawNote(null);
    store.setPoints([...pts, quantisePoint({ x, y, cls: 0 })]);
  };
  const eraseAt = (x: number, y: number, r: number) => store.setPoints(store.state.points.filter((q) => Math.hypot(q.x - x, q.y - y) > r));
  const bce = (state.built?.config.loss ?? state.config.loss) === 'bce';
  const toggles: [keyof Layers, string][] = [['real', 'real'], ['fake', 'generated'], ['heatmap', bce ? 'D\'s probability' : 'D\'s score'], ['manifold', 'G\'s manifold'], ['arrows', 'gradients']];
  return (
    <section ref={ref} class="gn-panel gn-mapbox" aria-labelledby="gn-map-h">
      <h2 id="gn-map-h" class={compact ? 'visually-hidden' : undefined}>Real and generated samples</h2>
      <GanMap map={custom && !state.built ? null : state.map} layers={layers} drawn={state.points} drawing={drawing} erase={erase}
              onAdd={add} onErase={eraseAt} theme={theme}
              label={`Real samples (green), generated samples (purple) over D's ${bce ? 'probability that a point is real' : 'score'} (blue real, orange generated), ${state.config.noiseDim === 2 ? 'G\'s image of a noise grid' : 'G\'s image of the noise line'}, and arrows where D's gradient pushes G's samples` + mapNow(state)} />
      <div class="gn-toggles" role="group" aria-label="layers of the map">
        {toggles.map(([k, label]) => (
          <label key={k} class="gn-check"><input type="checkbox" data-testid={`show-${k}`} checked={layers[k]} onChange={(e) => setLayers({ ...layers, [k]: (e.currentTarget as HTMLInputElement).checked })} />{label}</label>
        ))}
      </div>
      {custom && !drawingLocked && (
        <div class="gn-draw" role="group" aria-label="drawing tools">
          <span class="gn-hint">Click or drag on the map to draw the real data ({state.points.length} / {MAX_SHARED_POINTS} points), then train on it.</span>
          <button type="button" class="gn-btn gn-small" aria-pressed={erase} data-testid="draw-erase" onClick={() => setErase(!erase)}>{erase ? 'Erasing' : 'Erase'}</button>
          <button type="button" class="gn-btn gn-small" data-testid="draw-clear" onClick={() => store.setPoints([])}>Clear</button>
          <button type="button" class="gn-btn gn-small" data-testid="draw-train" disabled={state.points.length === 0} onClick={() => store.build()}>Train on this drawing</button>
        </div>
      )}
      {drawNote && <p class="gn-hint" role="status" data-testid="draw-note">{drawNote}</p>}
      {!compact && <p class="gn-hint">The square spans ±{EXTENT}. The purple grid is G applied to an evenly spaced grid of noise (a line for 1-D noise): where it folds or bunches up, G squeezes noise into few places. Arrows point where D's gradient moves each generated point (their lengths are relative).</p>}
    </section>
  );
}

function HealthPanel({ state }: { state: GanState }) {
  const d = state.diagnosis;
  return (
    <section class={`gn-panel gn-health gn-health-${d?.kind ?? 'early'}`} aria-labelledby="gn-health-h" aria-live="polite">
      <h2 id="gn-health-h">How training is going</h2>
      <p data-testid="diagnosis" data-kind={d?.kind ?? 'early'}>{d?.text ?? 'Waiting for the first measurement.'}</p>
    </section>
  );
}

function NumberField({ label, value, min, max, integer, testId, disabled, onCommit }:
  { label: string; value: number; min: number; max: number; integer: boolean; testId: string; disabled: boolean; onCommit(v: number): void }) {
  return (
    <label class="gn-field"><span>{label}</span>
      <input type="number" data-testid={testId} min={min} max={max} step={integer ? 1 : 'any'} value={value} disabled={disabled}
             onChange={(e) => {
               const el = e.currentTarget as HTMLInputElement;
               const v = Number(el.value);
               if (el.value.trim() === '' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) { el.value = String(value); return; }
               onCommit(v);
             }} />
    </label>
  );
}

function Select<T extends string>({ label, value, options, names, testId, disabled, onChange }:
  { label: string; value: T; options: readonly T[]; names?: Record<string, string>; testId: string; disabled: boolean; onChange(v: T): void }) {
  return (
    <label class="gn-field"><span>{label}</span>
      <select data-testid={testId} value={value} disabled={disabled} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as T)}>
        {options.map((o) => <option key={o} value={o}>{names?.[o] ?? o}</option>)}
      </select>
    </label>
  );
}

/** One network's hidden layers: widths and activations, 0–5 layers. */
function NetEditor({ name, id, hidden, acts, disabled, onChange }: { name: string; id: 'g' | 'd'; hidden: number[]; acts: Activation[]; disabled: boolean; onChange(h: number[], a: Activation[]): void }) {
  return (
    <fieldset class="gn-net" data-testid={`${id}-editor`}>
      <legend>{name}: {hidden.length} hidden layer{hidden.length === 1 ? '' : 's'}</legend>
      {hidden.map((w, i) => (
        <div class="gn-row" key={i}>
          <NumberField label={`Layer ${i + 1} width`} value={w} min={1} max={MAX_GAN_WIDTH} integer testId={`${id}-width-${i}`} disabled={disabled}
                       onCommit={(v) => onChange(hidden.map((x, j) => (j === i ? v : x)), acts)} />
          <Select label="activation" value={acts[i] ?? 'relu'} options={ACTIVATIONS} testId={`${id}-act-${i}`} disabled={disabled}
                  onChange={(v) => onChange(hidden, acts.map((x, j) => (j === i ? v : x)))} />
        </div>
      ))}
      <div class="gn-buttons">
        <button type="button" class="gn-btn gn-small" data-testid={`${id}-add-layer`} disabled={disabled || hidden.length >= MAX_GAN_LAYERS}
                onClick={() => onChange([...hidden, hidden[hidden.length - 1] ?? 8], [...acts, acts[acts.length - 1] ?? 'relu'])}>+ layer</button>
        <button type="button" class="gn-btn gn-small" data-testid={`${id}-remove-layer`} disabled={disabled || hidden.length === 0}
                onClick={() => onChange(hidden.slice(0, -1), acts.slice(0, -1))}>− layer</button>
      </div>
    </fieldset>
  );
}

function Settings({ config: c, state, locked, onChange }: { config: GanConfig; state: GanState; locked: (k: keyof GanConfig) => boolean; onChange(p: Partial<GanConfig>): void }) {
  return (
    <section class="gn-panel gn-settings" aria-labelledby="gn-settings-h">
      <h2 id="gn-settings-h">Settings</h2>
      <h3>Data and noise</h3>
      <div class="gn-row">
        <Select label="Real data" value={c.dist} options={DISTRIBUTIONS} names={DIST_NAMES} testId="gan-dist" disabled={locked('dist')} onChange={(dist) => onChange({ dist })} />
      </div>
      <div class="gn-row">
        <Select label="Noise" value={c.noise} options={NOISE_KINDS} names={{ uniform: 'Uniform', gaussian: 'Gaussian' }} testId="gan-noise" disabled={locked('noise')} onChange={(noise) => onChange({ noise })} />
        <Select label="Noise dims" value={String(c.noiseDim) as '1' | '2'} options={['1', '2'] as const} testId="gan-zdim" disabled={locked('noiseDim')} onChange={(v) => onChange({ noiseDim: Number(v) })} />
      </div>
      <h3>Networks</h3>
      <NetEditor name="Generator G" id="g" hidden={c.gHidden} acts={c.gActivations} disabled={locked('gHidden') || locked('gActivations')}
                 onChange={(gHidden, gActivations) => onChange({ gHidden, gActivations })} />
      <NetEditor name="Discriminator D" id="d" hidden={c.dHidden} acts={c.dActivations} disabled={locked('dHidden') || locked('dActivations')}
                 onChange={(dHidden, dActivations) => onChange({ dHidden, dActivations })} />
      <p class="gn-hint">G maps {c.noiseDim} noise value{c.noiseDim === 1 ? '' : 's'} to a point (2 linear outputs); D maps a point to one logit.{state.built ? ` ${state.built.gParams} + ${state.built.dParams} parameters.` : ''}</p>
      <h3>Training</h3>
      <div class="gn-row">
        <Select label="Loss" value={c.loss} options={GAN_LOSSES} names={LOSS_NAMES} testId="gan-loss" disabled={locked('loss')} onChange={(loss) => onChange({ loss })} />
      </div>
      <div class="gn-row">
        <Select label="G optimizer" value={c.gOptimizer} options={OPTIMIZERS} names={OPT_NAMES} testId="gan-gopt" disabled={locked('gOptimizer')} onChange={(gOptimizer) => onChange({ gOptimizer })} />
        <NumberField label="G learning rate" value={c.gLearningRate} min={1e-6} max={10} integer={false} testId="gan-glr" disabled={locked('gLearningRate')} onCommit={(gLearningRate) => onChange({ gLearningRate })} />
      </div>
      <div class="gn-row">
        <Select label="D optimizer" value={c.dOptimizer} options={OPTIMIZERS} names={OPT_NAMES} testId="gan-dopt" disabled={locked('dOptimizer')} onChange={(dOptimizer) => onChange({ dOptimizer })} />
        <NumberField label="D learning rate" value={c.dLearningRate} min={1e-6} max={10} integer={false} testId="gan-dlr" disabled={locked('dLearningRate')} onCommit={(dLearningRate) => onChange({ dLearningRate })} />
      </div>
      <div class="gn-row">
        <NumberField label="D steps / iteration" value={c.dSteps} min={0} max={MAX_GAN_STEPS} integer testId="gan-dsteps" disabled={locked('dSteps')} onCommit={(dSteps) => { if (dSteps + c.gSteps > 0) onChange({ dSteps }); }} />
        <NumberField label="G steps / iteration" value={c.gSteps} min={0} max={MAX_GAN_STEPS} integer testId="gan-gsteps" disabled={locked('gSteps')} onCommit={(gSteps) => { if (gSteps + c.dSteps > 0) onChange({ gSteps }); }} />
      </div>
      <div class="gn-row">
        <NumberField label="Batch" value={c.batch} min={1} max={MAX_GAN_BATCH} integer testId="gan-batch" disabled={locked('batch')} onCommit={(batch) => onChange({ batch })} />
        <NumberField label="Seed" value={c.seed} min={0} max={2147483647} integer testId="gan-seed" disabled={locked('seed')} onCommit={(seed) => onChange({ seed })} />
      </div>
    </section>
  );
}

function SharePanel({ state, store, theme }: { state: GanState; store: GanStore; theme: Theme | null }) {
  const [text, setText] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const busy = state.built === null;
  /** Both networks as they are now, with the settings and drawing the page shows. */
  const model = async () => {
    const snapshot = await store.snapshot();
    const s = store.state;
    return { lab: 'gan', config: fileConfig(s.config, s.points), snapshot };
  };
  const act = async (fn: () => Promise<string>) => {
    setError(null);
    try { setStatus(await fn()); } catch (err) { setError(err instanceof Error ? err.message : String(err)); }
  };
  const save = () => act(async () => {
    const m = await model();
    const name = ganFileName('gan', m.snapshot);
    download(name, ganFileText(m), 'application/json');
    return `Saved ${name} (both networks, their optimizers' settings, the config${m.config.points ? ' and the drawing' : ''}).`;
  });
  const exportScript = () => act(async () => {
    const m = await model();
    const name = ganScriptFileName('gan');
    download(name, ganPytorchScript({ ...m.snapshot, lab: 'gan', config: m.config, description: 'A 2-D GAN trained in the browser (GAN lab)' }), 'text/x-python');
    return `Exported ${name}: python3 ${name} generate | judge FILE | train --real REAL.`;
  });
  const load = async (file: File) => {
    setError(null);
    setStatus('Reading the file…');
    const r = await readGanFile(await file.text(), 'gan', (req) => store.askCore(req), readFileConfig);
    const wrong = r.ok ? checkGanModel(r.model) : r.error;
    if (!r.ok || wrong) { setStatus(''); setError(wrong); return; }
    await store.loadGan(r.model.config.config, r.model.config.points, r.model);
    setStatus(`Loaded ${file.name}: both networks at iteration ${r.model.iterations}.`);
  };
  useFileDrop((f) => { void load(f); });
  const copy = async (what: 'link' | 'embed') => {
    const view = { ...(what === 'embed' ? { embed: true } : {}), ...(theme ? { theme } : {}) };
    // The store's state, not this render's: a setting changed a moment ago is
    // in the store before the throttled redraw brings it here.
    const now = store.state;
    const points = now.config.dist === 'custom' ? now.points : undefined;
    const { url, note } = labShareUrl('gan', now.config, { base: `${location.origin}${location.pathname}`, view, ...(points ? { points } : {}) });
    const out = what === 'link' ? url : embedSnippet({ url, title: 'A GAN trained in the browser', ...labEntry('gan').embedSize });
    const ok = await copyText(out);
    setText(out);
    setStatus(`${ok ? (what === 'link' ? 'Link copied.' : 'Embed code copied.') : 'Copy it from the box below.'}${note ? ` ${note}` : ''}`);
  };
  return (
    <section class="gn-panel" aria-labelledby="gn-share-h">
      <h2 id="gn-share-h">Share</h2>
      <div class="gn-buttons">
        <button type="button" class="gn-btn" data-testid="copy-link" onClick={() => void copy('link')}>Copy link</button>
        <button type="button" class="gn-btn" data-testid="copy-embed" onClick={() => void copy('embed')}>Copy embed code</button>
        <button type="button" class="gn-btn" data-testid="save-model" disabled={busy} onClick={() => void save()}>Save GAN</button>
        <button type="button" class="gn-btn" data-testid="load-model" onClick={() => fileRef.current?.click()}>Load GAN…</button>
        <input ref={fileRef} type="file" accept=".json,application/json" hidden data-testid="load-model-input"
               onChange={(e) => { const el = e.currentTarget as HTMLInputElement; const f = el.files?.[0]; el.value = ''; if (f) void load(f); }} />
        <button type="button" class="gn-btn" data-testid="export-pytorch" disabled={busy} onClick={() => void exportScript()}>Export to PyTorch</button>
      </div>
      {error && <p class="gn-notice gn-notice-warning" role="alert" data-testid="share-error">{error}</p>}
      {status && <p class="gn-hint" role="status" data-testid="share-status">{status}</p>}
      {text !== null && <input class="gn-share-text" readOnly value={text} data-testid="share-text" aria-label="link or embed code" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />}
      <p class="gn-hint">The link holds every setting{state.config.dist === 'custom' ? ` and the drawing (up to ${MAX_SHARED_POINTS} points)` : ''}; the weights are trained again from the seed. A GAN file holds both networks (drop one anywhere on the page to load it); the PyTorch script holds both as torch.nn.Sequential and can generate, judge and go on training.</p>
    </section>
  );
}

/** The course-page API: commands from the embedding page, answered with the state after them; one "epoch" is one iteration. */
function useGanBridge(store: GanStore, view: GanViewOptions): void {
  const state = store.state;
  const status = { running: state.progress?.running ?? false, epoch: state.progress?.iteration ?? 0 };
  useTrainingBridge<GanConfig>(store, status, (steps) => store.step(steps), () => {
    if (!state.progress) return null;
    const d = state.dist;
    const fin = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : null);
    return {
      iteration: state.progress.iteration, dLoss: fin(state.dLosses.ema), gLoss: fin(state.gLosses.ema),
      distance: fin(d.sw[d.sw.length - 1]), js: fin(d.js[d.js.length - 1]), dReal: fin(state.progress.dReal), dFake: fin(state.progress.dFake),
      iterationsPerSec: state.progress.iterationsPerSec,
    };
  }, view.origins, ganProtocol);
}
