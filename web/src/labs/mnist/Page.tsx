// The MNIST page: load the data set, train an MLP or a CNN in the worker,
// look inside the model (feature maps, filters), and test it with a digit
// drawn by hand. Its settings live in the address (lab=mnist&layers=…); the
// link's view options (embed=1, hide=, lock=, autoplay=1, origins=) shape it,
// and a host page drives it through the course-page API (embed/protocol.ts
// startLabBridge, mnistProtocol).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ModelChoice, TrainChoice } from './protocol';
import { mnistStore, type MnistState, type MnistStore } from './store';
import type { LabPageProps } from '../types';
import { writeLink } from '../../state/link';
import { LinkNotices, ownLink, useAddress, useAutoplayOnce, useBridgeUpdates, useLabFrameBridge } from '../page-kit';
import { mnistChoices, mnistConfigOf, mnistProtocol, type MnistConfig, type MnistPanel } from './config';
import type { LabViewOptions } from '../../state/view';
import type { LabModel } from '../../share/modelFile';
import type { AskCore } from '../../share/coreLayout';
import { withCoreBlocks } from '../../app/modelIO';
import { fileLayers, isSpatial, layersText, sameLayers } from './model-layers';
import { formatAccuracy } from '../../lib/format';
import { LabSharePanel } from '../../components/LabShare/LabSharePanel';
import { useStore } from '../../lib/use-store';
import { LoadStatus } from './components/LoadStatus';
import { ModelPanel, sameModel } from './components/ModelPanel';
import { TrainPanel } from './components/TrainPanel';
import { DrawPanel } from './components/DrawPanel';
import { ClassAccuracy, ConfusionMatrix } from './components/ConfusionMatrix';
import { Misclassified } from './components/Misclassified';
import { WeightGrid } from './components/WeightGrid';
import { FilterView, LayerView } from './components/LayerViews';
import { useVisible } from '../../lib/use-visible';
import type { Speed } from '../../state/speed';
import { MathSection, type MathChoice } from './components/MathSection';
import type { MathFocus } from '../../components/MathPanel/MathPanel';
import { SpeedControl } from '../../components/Speed/SpeedControl';
import { tweenMs } from '../../lib/tween';
import type { ComponentChildren } from 'preact';
import type { Trace } from '../../engine/trace.js';
import { download } from '../../app/modelIO';
import './mnist.css';

type MnistView = LabViewOptions<MnistPanel, keyof MnistConfig>;

export default function MnistPage({ theme, active, link }: LabPageProps) {
  const [own] = useState(() => ownLink(link, 'mnist'));
  const view: MnistView = own.view;
  const [notices, setNotices] = useState(own.notices);
  const session = mnistStore(mnistChoices(own.config));
  const state = useStore(session);
  const config = mnistConfigOf(state.model, state.train);
  const shown = (p: MnistPanel) => !view.hide.includes(p) && (!view.embed || EMBED_PANELS.includes(p));
  const locked = view.lock.length > 0;
  const weightsRef = useRef<HTMLElement>(null);
  // Stable callbacks, so memoised panels skip the ~12 redraws a second of training.
  const on = useMemo(() => ({
    retry: () => session.load(),
    model: (m: ModelChoice) => session.setModel(m),
    train: (t: TrainChoice) => session.setTrain(t),
    reset: () => session.build(),
    play: () => session.play(),
    pause: () => session.pause(),
    stepBatch: () => { void session.step({ batches: 1 }).catch(() => undefined); },
    stepEpoch: () => { void session.step({ epochs: 1 }).catch(() => undefined); },
    speed: (s: Speed) => session.setSpeed(s),
    input: (p: Float32Array | null) => session.classify(p),
  }), [session]);

  // speed= from the link, once (the store outlives the page; later the control sets it).
  useEffect(() => { if (view.speed !== undefined) session.setSpeed(view.speed); }, [session]);

  useEffect(() => {
    session.load();
    // Leaving the page pauses training (one job at a time on small machines);
    // the data and the model stay in the worker for when it comes back.
    return () => session.pause();
  }, [session]);

  useVisible(weightsRef, (visible) => session.wantWeights(visible), [session, state.built !== null]);

  // Show the math: closed until asked for (also in an embed).
  const [mathOpen, setMathOpen] = useState(false);
  const [mathChoice, setMathChoice] = useState<MathChoice>({ source: 'test', index: 0, label: 0 });
  const [mathFocus, setMathFocus] = useState<MathFocus | null>(null);
  const mathRef = useRef<HTMLDivElement>(null);
  const traceDigit = useMemo(() => (index: number, source: 'test' | 'drawn' = 'test') => {
    setMathChoice((c) => (source === 'test' ? { ...c, source, index } : { ...c, source }));
    setMathOpen(true);
    requestAnimationFrame(() => mathRef.current?.scrollIntoView?.({ block: 'nearest' }));
  }, []);

  // The settings are the address: written on every change while the tab shows.
  const linkQuery = writeLink('mnist', config, { view: { ...view, speed: state.speed } });
  useAddress(linkQuery, active);
  // autoplay=1: train as soon as the first model exists.
  useAutoplayOnce(view.autoplay, state.built !== null, () => session.play());

  useMnistBridge(session, view);

  const built = state.built;
  // Slow motion: the views that change per step animate between steps.
  const tween = tweenMs(state.speed);
  const pending = built !== null && (!sameModel(state.model, built.model) || state.train.seed !== built.seed);
  const latest = state.latest;
  // The core's plan of the editor's layers, once it answered for these very layers.
  // Three significant digits: the panel re-renders only when the shown rate changes.
  const rateNow = state.progress && state.progress.lr > 0 ? Number(state.progress.lr.toPrecision(3)).toString() : null;
  const planNow = state.plan && state.plan.layers === layersText(state.model.layers) ? state.plan.plan : null;
  const builtSpatial = built !== null && isSpatial(built.model.layers);
  const currentModel = async (): Promise<LabModel> => {
    const b = session.state.built;
    if (!b) throw new Error('the model is not built yet');
    const params = await session.getParams();
    const cfg = mnistConfigOf(b.model, session.state.train);
    const content = { lab: 'mnist' as const, config: { ...cfg, seed: b.seed }, layers: fileLayers(b.model.layers, b.shapes), loss: 'ce' as const, epoch: session.state.progress?.epoch ?? 0, params };
    return withCoreBlocks(content, askCore);
  };
  const askCore: AskCore = (request) => session.askCore(request);
  const loadModel = async (m: LabModel & { lab: 'mnist' }): Promise<void> => {
    const { model, train } = mnistChoices(m.config);
    await session.loadModel(model, train, m.params);
  };

  const downloadTrace = (trace: Trace) => {
    const linkConfig = Object.fromEntries(new URLSearchParams(linkQuery));
    const file = { ...trace, config: linkConfig };
    download(`trace-mnist-${trace.example.index >= 0 ? `test-${trace.example.index}` : 'drawn'}.json`, JSON.stringify(file), 'application/json');
  };
  const math = mathOpen && built ? (
    <div ref={mathRef}>
      <MathSection store={session} theme={theme} state={state} choice={mathChoice} onChoice={setMathChoice} onHighlight={setMathFocus}
                   onDownload={downloadTrace} onClose={() => setMathOpen(false)} />
    </div>
  ) : null;
  const mathToggle = !mathOpen && (
    <button type="button" class="mn-btn" data-testid="math-toggle" disabled={built === null} onClick={() => setMathOpen(true)}>Show the math</button>
  );

  if (view.embed) {
    return (
      <main class="mnist mn-embed" data-theme={theme} aria-labelledby="mn-title">
        <h1 id="mn-title" class="visually-hidden">MNIST digits</h1>
        <LoadStatus load={state.load} onRetry={on.retry} />
        {state.notice && <p class={`mn-notice mn-notice-${state.notice.kind}`} role="status" data-testid="mnist-notice">{state.notice.text}</p>}
        {shown('training') && <EmbedRun state={state} disabled={locked} on={on} extra={mathToggle} />}
        {math}
        {shown('draw') && <DrawPanel theme={theme} probs={state.digitProbs} tweenMs={tween} modelReady={built !== null} onInput={on.input} />}
        {shown('weights') && builtSpatial && <section class="mn-panel mn-embed-weights"><FilterView store={session} state={state} theme={theme} /></section>}
        {shown('weights') && !builtSpatial && (
          <section ref={weightsRef} class="mn-panel mn-embed-weights" aria-label="first-layer weights">
            {state.weights
              ? <WeightGrid {...state.weights} theme={theme} tweenMs={tween} isOutput={built !== null && built.sizes.length === 2} />
              : <p class="mn-hint">The first-layer weights appear once the model exists.</p>}
          </section>
        )}
      </main>
    );
  }

  return (
    <main class="mnist" data-theme={theme} aria-labelledby="mn-title">
      {shown('header') ? (
        <header class="mn-head">
          <h1 id="mn-title">MNIST: train on 60,000 handwritten digits, in this tab</h1>
          <p>The C engine, compiled to WebAssembly, trains in a worker on the full data set and reports test accuracy on all 10,000 test digits as it goes. Then look inside the model and try it on your own handwriting.</p>
        </header>
      ) : <h1 id="mn-title" class="visually-hidden">MNIST: train on 60,000 handwritten digits, in this tab</h1>}
      <LinkNotices notices={notices} onDismiss={() => setNotices([])} prefix="mn" />
      <LoadStatus load={state.load} onRetry={on.retry} />
      {state.notice && (
        <p class={`mn-notice mn-notice-${state.notice.kind}`} role={state.notice.kind === 'warning' ? 'alert' : 'status'} data-testid="mnist-notice">
          {state.notice.text}
        </p>
      )}
      <div class="mn-top">
        {shown('model') && (
          <ModelPanel model={state.model} train={state.train} plan={planNow} pending={pending} rateNow={rateNow} disabled={state.load.phase !== 'loaded' || locked}
                      focusLayer={math && !pending && mathFocus ? mathFocus.col - 1 : null}
                      onModel={on.model} onTrain={on.train} onReset={on.reset} />
        )}
        {shown('training') && <TrainPanel state={state} theme={theme} blocked={planNow !== null && !planNow.ok} onPlay={on.play} onPause={on.pause}
                                          onStepBatch={on.stepBatch} onStepEpoch={on.stepEpoch} onSpeed={on.speed} />}
        {shown('draw') && <DrawPanel theme={theme} probs={state.digitProbs} tweenMs={tween} modelReady={built !== null} onInput={on.input} />}
      </div>
      {math ?? <p class="mn-math-open">{mathToggle}</p>}
      {shown('share') && (
        <LabSharePanel lab="mnist" config={() => mnistConfigOf(session.state.model, session.state.train)} theme={view.theme} prefix="mn" buttonsClass="mn-run" title="MNIST digits, trained in the browser"
                       hint="Drop a saved model file anywhere on the page to load it." numpy loadNeedsModel
                       model={currentModel} askCore={askCore} load={loadModel} busy={built === null} />
      )}
      {shown('inside') && (
      <section class="mn-panel mn-inside" aria-labelledby="mn-inside-h">
        <h2 id="mn-inside-h">Inside the model{latest ? ` (test set, after ${latest.at.toFixed(2)} epochs)` : ''}</h2>
        {latest ? (
          <div class="mn-inside-grid">
            <div>
              <h3>Confusion matrix</h3>
              <ConfusionMatrix confusion={latest.confusion} theme={theme} />
            </div>
            <div>
              <h3>Accuracy per digit</h3>
              <ClassAccuracy confusion={latest.confusion} />
            </div>
            <div class="mn-wide">
              <h3>Misclassified test digits: prediction (true label) confidence</h3>
              <Misclassified wrong={latest.misclassified} theme={theme} onTrace={traceDigit} />
            </div>
          </div>
        ) : <p class="mn-hint">Appears once the model has been evaluated.</p>}
        {shown('weights') && (builtSpatial ? <FilterView store={session} state={state} theme={theme} /> : (
          <section ref={weightsRef} class="mn-wide" aria-label="first-layer weights">
            <h3>First-layer weights</h3>
            {state.weights
              ? <WeightGrid {...state.weights} theme={theme} tweenMs={tween} isOutput={built !== null && built.sizes.length === 2} />
              : <p class="mn-hint">{built ? "Sent by the worker while this part of the page is on screen." : "Appear once the model exists."}</p>}
          </section>
        ))}
        {shown('layers') && <LayerView store={session} state={state} theme={theme} onTrace={(w) => traceDigit(w.index, w.source)} />}
      </section>
      )}
    </main>
  );
}

/** What embed=1 shows: the run controls and read-out, the pad, the model view. */
const EMBED_PANELS: readonly MnistPanel[] = ['training', 'draw', 'weights'];

/** embed=1's run controls: Train/Pause, step a batch or an epoch, the speed, Reset, epochs trained, test accuracy and loss. */
function EmbedRun({ state, disabled, on, extra }: {
  state: MnistState; disabled: boolean;
  on: { play(): void; pause(): void; reset(): void; stepBatch(): void; stepEpoch(): void; speed(s: Speed): void };
  /** More controls at the end of the bar (Show the math). */
  extra?: ComponentChildren;
}) {
  const pr = state.progress;
  const running = pr?.running ?? false;
  const last = state.fullEvals[state.fullEvals.length - 1];
  const epochs = pr ? pr.epoch + pr.position / pr.nTrain : 0;
  const ready = state.built !== null;
  return (
    <section class="mn-panel mn-embed-run" aria-label="training">
      <button type="button" class="mn-btn mn-btn-primary" data-testid="mnist-train" disabled={!ready}
              aria-pressed={running} onClick={running ? on.pause : on.play}>{running ? 'Pause' : 'Train'}</button>
      <button type="button" class="mn-btn" data-testid="mnist-step-batch" disabled={!ready} onClick={on.stepBatch}
              title="Pause and train one batch">+1 batch</button>
      <button type="button" class="mn-btn" data-testid="mnist-step-epoch" disabled={!ready} onClick={on.stepEpoch}
              title="Pause and train one epoch's worth of batches">+1 epoch</button>
      <SpeedControl speed={state.speed} onSpeed={on.speed} class="mn-select" compact />
      <button type="button" class="mn-btn" data-testid="mnist-reset" disabled={state.load.phase !== 'loaded' || disabled} onClick={on.reset}>Reset</button>
      <span>Epochs <b data-testid="epoch">{epochs.toFixed(2)}</b></span>
      <span>Steps <b data-testid="mnist-steps">{pr?.steps ?? 0}</b></span>
      <span>Test accuracy <b data-testid="test-accuracy">{formatAccuracy(last?.accuracy, 2)}</b>%</span>
      <span>Test loss <b data-testid="test-loss">{last ? last.loss.toFixed(3) : '–'}</b></span>
      {extra}
    </section>
  );
}

/** The course-page API for MNIST: commands from the embedding page, each
 *  answered with the state after it took effect. */
function useMnistBridge(session: MnistStore, view: MnistView): void {
  const state = session.state;
  const pr = state.progress;
  const status = { running: pr?.running ?? false, epoch: pr ? pr.epoch + pr.position / pr.nTrain : 0 };
  const configNow = useRef<MnistConfig>(mnistConfigOf(state.model, state.train));
  configNow.current = mnistConfigOf(state.model, state.train);

  const ready = state.built !== null;
  const bridge = useLabFrameBridge<MnistConfig>(status, (after) => ({
      getConfig: () => configNow.current,
      getSpeed: () => session.state.speed,
      run: (command) => {
        switch (command.type) {
          case 'setConfig': {
            const { model, train } = mnistChoices(command.config);
            configNow.current = command.config;
            const rebuild = !sameLayers(model.layers, session.state.model.layers) || train.seed !== session.state.train.seed;
            session.setModel(model);
            session.setTrain(train);
            if (command.speed !== undefined) session.setSpeed(command.speed);
            if (rebuild) session.build();
            return undefined;
          }
          case 'play': return after(session.run(true));
          case 'pause': return after(session.run(false));
          case 'reset': session.build(); return after(session.run(false));
          // steps without a unit are batches here (the API's MNIST step always was).
          case 'step': return after(session.step(command.unit === 'epochs' ? { epochs: command.steps } : { batches: command.steps }));
          case 'getState': return undefined;
        }
      },
    }),
    view.origins, mnistProtocol, ready, session);
  useBridgeUpdates(bridge, ready, JSON.stringify(configNow.current), () => {
    if (!pr) return null;
    const last = state.fullEvals[state.fullEvals.length - 1];
    return { epoch: status.epoch, trainLoss: state.losses.ema, testLoss: last?.loss ?? null, accuracy: last?.accuracy ?? null, examplesPerSec: pr.examplesPerSec };
  }, state.version);
}
