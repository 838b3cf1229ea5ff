// The playground page: run bar, data, network and output, wired to the
// state hook. Layout is a CSS grid that stacks into one column on phones.

import { memo } from 'preact/compat';
import { useCallback, useState } from 'preact/hooks';
import type { Theme } from '../../state/config';
import type { Panel } from '../../state/schema';
import { MAX_HIDDEN_LAYERS, MAX_LAYER_WIDTH } from '../../state/schema';
import { DOMAIN } from '../../data/types';
import { OutputMap } from '../../components/OutputMap/OutputMap';
import { NetworkView } from '../../components/NetworkView/NetworkView';
import { LossChart } from '../../components/LossChart/LossChart';
import { RunBar } from '../../components/RunBar/RunBar';
import { Notices } from '../../components/Notices/Notices';
import { DataPanel } from '../../components/Settings/DataPanel';
import { FeaturesPanel } from '../../components/Settings/FeaturesPanel';
import { HyperPanel } from '../../components/Settings/HyperPanel';
import { useRunKeys } from '../../lib/use-run-keys';
import { MathPanel, num, type MathFocus } from '../../components/MathPanel/MathPanel';
import { featureInfo } from '../../data/features';
import { formatAccuracy, formatLoss } from '../../lib/format';
import { writeLink } from '../../state/link';
import { download } from '../../app/modelIO';
import type { Trace } from '../../engine/trace.js';
import type { Playground as PlaygroundState } from './usePlayground';
import type { ReactNode } from 'preact/compat';

// Settings panels skip re-rendering when their props did not change: the
// page re-renders on every snapshot, up to once per frame.
const DataPanelM = memo(DataPanel);
const HyperPanelM = memo(HyperPanel);
const FeaturesPanelM = memo(FeaturesPanel);
const NoticesM = memo(Notices);

export interface PlaygroundProps {
  pg: PlaygroundState;
  theme: Theme;
  /** The page is on screen (keyboard shortcuts apply). */
  active: boolean;
  /** Extra controls (share, save, export) shown under the output. */
  shareBar?: ReactNode;
}

export function Playground({ pg, theme, active, shareBar }: PlaygroundProps) {
  const { config, view, run, actions } = pg;
  const embed = view.embed;
  const shows = (panel: Panel) => !view.hide.includes(panel) && !embed;
  const ready = run.status === 'ready';
  const snap = run.snapshot;
  const classification = pg.task !== 'regression';
  useRunKeys(ready && active, actions.toggle, actions.step);

  const onHidden = useCallback((hidden: number[], activations: typeof config.activations) => {
    actions.update({ hidden, activations });
  }, [actions]);

  const onFeatures = useCallback((features: typeof config.features) => actions.update({ features }), [actions]);

  // Show the math: closed until asked for (also in an embed); a click on the
  // map then picks the nearest training point, a click on a neuron focuses it.
  const [mathOpen, setMathOpen] = useState(false);
  const [mathIndex, setMathIndex] = useState<number | null>(null);
  const [mathFocus, setMathFocus] = useState<MathFocus | null>(null);
  const [mathPick, setMathPick] = useState<(MathFocus & { seq: number }) | null>(null);
  const train = pg.split.train;
  const pickPoint = useCallback((x: number, y: number) => {
    let best = -1, bestD = Infinity;
    for (let i = 0; i < train.labels.length; i++) {
      const d = Math.hypot(train.points[2 * i]! - x, train.points[2 * i + 1]! - y);
      if (d < bestD) { bestD = d; best = i; }
    }
    if (best >= 0) setMathIndex(best);
  }, [train]);
  const downloadTrace = useCallback((trace: Trace) => {
    const linkConfig = Object.fromEntries(new URLSearchParams(writeLink('playground', config, { view })));
    const file = { ...trace, config: linkConfig };
    download(`trace-playground-${trace.example.index}.json`, JSON.stringify(file, null, 1), 'application/json');
  }, [config, view]);
  const mathAvailable = ready && train.labels.length > 0;

  const snapFits = snap !== null && snap.outputs === pg.outputs;
  // The output map's text alternative: what it shows now, with the numbers the run bar shows.
  const mapLabel = `Output map of ${pg.info.label} (${classification ? 'decision boundary' : 'regression surface'}): ` +
    `${pg.split.train.labels.length} training and ${pg.split.test.labels.length} test points` +
    (snap && snapFits
      ? (classification && Number.isFinite(snap.testAccuracy) ? `; test accuracy ${formatAccuracy(snap.testAccuracy)} %` : '') +
        `; test loss ${formatLoss(snap.testLoss)}, train loss ${formatLoss(snap.trainLoss)} after ${snap.epoch} epoch${snap.epoch === 1 ? '' : 's'}`
      : '; not trained yet');

  return (
    <div class={`playground${embed ? ' embed' : ''}`}>
      <NoticesM rejected={pg.rejected} message={run.message} fatal={run.fatal} note={pg.urlNote}
               onDismissRejected={actions.dismissRejected} onDismissMessage={actions.dismissMessage} />
      <RunBar running={run.running} disabled={!ready} snapshot={snap} showAccuracy={classification}
              showCounters={!view.hide.includes('counters')}
              onToggle={actions.toggle} onStep={actions.step} onStepBatch={actions.stepBatch} onReset={actions.reset}
              speed={pg.speed} onSpeed={actions.setSpeed} compact={embed} />
      {!ready && run.status === 'loading' && <p class="loading" role="status">Loading the WebAssembly engine…</p>}
      <div class="pg-grid">
        {(shows('datasets') || shows('data-settings') || shows('hyperparams') || (embed && config.dataset === 'custom')) && (
          <aside class="col-data">
            <DataPanelM config={config} locked={pg.locked} pointCount={pg.points.length} erase={pg.erase}
                       showDatasets={shows('datasets')} showDataSettings={shows('data-settings')}
                       showDrawTools={!view.hide.includes('draw-tools')}
                       canDrawFromCurrent={!embed && pg.task !== 'regression'}
                       onUpdate={actions.update} onErase={actions.setErase} onClear={actions.clearPoints}
                       onDrawFromCurrent={actions.drawFromCurrent} />
            {shows('hyperparams') && <HyperPanelM config={config} locked={pg.locked} onUpdate={actions.update} />}
          </aside>
        )}
        <main class="col-network">
          {/* The app header's title is not shown in an embed: the page keeps one for screen readers. */}
          {(embed || view.hide.includes('header')) && <h1 class="visually-hidden">Neural network playground</h1>}
          {shows('features') && (
            <FeaturesPanelM features={config.features} disabled={pg.locked('features')} oneD={pg.dataset.dims === 1}
                            onChange={onFeatures} />
          )}
          <NetworkView theme={theme} features={config.features} hidden={config.hidden} activations={config.activations}
                       outputs={pg.outputs} task={pg.task} range={pg.range}
                       params={snapFits ? snap.params : null} neuronGrids={snapFits ? snap.neuronGrids : null}
                       neuronGridSize={snap?.neuronGridSize ?? 24} extent={DOMAIN}
                       showThumbnails={pg.thumbnailsWanted}
                       editable={!embed && !view.hide.includes('network-editor') && !pg.locked('hidden') && !pg.locked('activations')}
                       paramsEditable={!embed || view.lock.length === 0}
                       maxLayers={MAX_HIDDEN_LAYERS} maxWidth={MAX_LAYER_WIDTH}
                       onHidden={onHidden} onSetParam={actions.setParam} onVisible={actions.setNetworkVisible}
                       compact={embed} mathFocus={mathOpen ? mathFocus : null}
                       onPickNode={mathOpen ? (col, unit) => setMathPick((p) => ({ col, unit, seq: (p?.seq ?? 0) + 1 })) : undefined} />
        </main>
        <section class="col-output" aria-label="output">
          <OutputMap
            data={{
              task: pg.task, nClasses: pg.dataset.nClasses, dims: pg.dataset.dims, extent: DOMAIN, range: pg.range,
              grid: snapFits ? snap.outputGrid : null, gridSize: snap?.gridSize ?? 0, outputs: pg.outputs,
              curve: snapFits ? snap.curve : null, truth: pg.truth,
              train: pg.split.train, test: pg.split.test, showTest: config.showTestData,
              discretize: config.discretize, theme, mark: mathOpen ? mathIndex : null,
            }}
            drawing={config.dataset === 'custom' && !pg.locked('dataset')} erase={pg.erase}
            onAddPoint={actions.addPoint} onErase={actions.erasePoints} label={mapLabel}
            onPick={mathOpen ? pickPoint : undefined} />
          {mathOpen ? (
            <MathPanel hint="Click a training point on the output map (or pick one), and a neuron in the network."
                       picker={<ExampleSelect train={train} index={mathIndex} onIndex={setMathIndex} />}
                       inputNames={config.features.map((f) => featureInfo(f).label)}
                       target={mathIndex !== null && mathIndex < train.labels.length ? String(mathIndex) : null}
                       pick={mathPick} running={run.running}
                       modelKey={`${JSON.stringify(pg.net)}|${config.dataset}|${config.noise}|${config.dataSeed}|${config.trainRatio}|${pg.points.length}`}
                       onHighlight={setMathFocus} onTrace={() => (mathIndex === null ? Promise.reject(new Error('pick a training point')) : actions.trace(mathIndex))}
                       onCheck={actions.checkGradient}
                       onDownload={downloadTrace} onClose={() => setMathOpen(false)} />
          ) : (
            <button type="button" class="math-open" data-testid="math-toggle" disabled={!mathAvailable}
                    onClick={() => { setMathOpen(true); if (mathIndex === null && train.labels.length > 0) setMathIndex(0); }}>
              Show the math
            </button>
          )}
          {shows('loss-chart') && (
            <LossChart points={pg.history.evaluations.points} trainLoss={pg.history.trainLoss} version={pg.historyVersion} showAccuracy={classification} theme={theme}
                       paced={pg.speed !== 'max'} />
          )}
          {shows('share') && shareBar}
        </section>
      </div>
    </div>
  );
}

/** Show the math's example picker: the training points by number, position and label. */
function ExampleSelect({ train, index, onIndex }: { train: { points: Float32Array; labels: Float32Array }; index: number | null; onIndex(i: number): void }) {
  const name = (i: number) => `#${i}: (${num(train.points[2 * i])}, ${num(train.points[2 * i + 1])}) → ${num(train.labels[i])}`;
  const valid = index !== null && index < train.labels.length;
  return (
    <label>Example{' '}
      <select data-testid="math-example" aria-label="example to trace" value={valid ? index : ''} onChange={(e) => onIndex(Number((e.target as HTMLSelectElement).value))}>
        {!valid && <option value="">choose…</option>}
        {Array.from({ length: Math.min(train.labels.length, 1000) }, (_, i) => <option value={i} key={i}>{name(i)}</option>)}
      </select>
    </label>
  );
}
