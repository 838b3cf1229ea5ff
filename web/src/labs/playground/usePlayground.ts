// The playground's state in one place: the configuration (mirrored in the
// URL), drawn points, view options, and the run state streamed from the
// engine. Components receive slices of it as props and report changes
// through the actions returned here. Only this hook talks to the engine.

import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Config, Task } from '../../state/config';
import type { Rejection } from '../../state/codec';
import { parseLink, writeLink, type ParsedLink } from '../../state/link';
import { useAutoplayOnce, writeAddress } from '../page-kit';
import type { ViewOptions } from '../../state/schema';
import { encodePoints, quantisePoint, type DrawnPoint } from '../../share/points';
import {
  datasetFromPoints, datasetInfo, generateDataset, outputSize, regressionTruth, splitTrainTest,
  type Dataset, type DatasetInfo, type GeneratedId,
} from '../../data/datasets';
import { DOMAIN } from '../../data/types';
import { PlaygroundClient } from './client';
import type { SavedModel } from './saved-model';
import type { CoreRequest } from '../../share/coreLayout';
import { networkSpec } from '../../share/network';
import type { DataSpec, HyperParams, NetSpec, Snapshot, ViewSpec } from './protocol';
import { LossHistory } from './loss-history';
import { FULL_SPEED, stepsPerSecond, type Speed } from '../../state/speed';
import { blendSnapshot, canBlend } from './tween';
import { ease, tweenMs } from '../../lib/tween';

export type EngineStatus = 'loading' | 'ready' | 'fatal';

export interface Message {
  kind: 'diverged' | 'error' | 'info';
  text: string;
}

export interface RunState {
  status: EngineStatus;
  running: boolean;
  snapshot: Snapshot | null;
  message: Message | null;
  fatal: string | null;
}

/** Thumbnails are useless below ~10 px; past this many units per layer the
 *  network view draws plain nodes and the worker skips the per-neuron grids. */
const MAX_UNITS_WITH_THUMBNAILS = 29;
export const OUTPUT_GRID = 64;
const NEURON_GRID = 24;
const MAX_DRAWN_POINTS = 2000;

/** The playground's start from the parsed address: its settings when the
 *  link is a playground link, else the defaults. */
export function initialStateOf(link: ParsedLink) {
  const own = link.lab === 'playground' ? link : (parseLink('') as ParsedLink & { lab: 'playground' });
  const points = (own.points ?? []).map(quantisePoint);
  return { config: own.config, view: own.view as ViewOptions, points, rejected: own.notices };
}

export type InitialState = ReturnType<typeof initialStateOf>;

/** `active`: the playground's tab is showing; only then does it own the address. */
export function usePlayground(initial: InitialState, active = true) {
  const [config, setConfig] = useState<Config>(initial.config);
  const [view] = useState<ViewOptions>(initial.view);
  /** Training speed: starts as the link's speed=, then follows the control (and the link follows it). */
  const [speed, setSpeed] = useState<Speed>(initial.view.speed ?? FULL_SPEED);
  const [points, setPoints] = useState<DrawnPoint[]>(initial.points);
  const [rejected, setRejected] = useState<Rejection[]>(initial.rejected);
  const [erase, setErase] = useState(false);
  const [run, setRun] = useState<RunState>({ status: 'loading', running: false, snapshot: null, message: null, fatal: null });
  const [networkVisible, setNetworkVisible] = useState(true);
  const [urlNote, setUrlNote] = useState<string | null>(null);
  const lossHistory = useRef(new LossHistory());
  const [historyVersion, setHistoryVersion] = useState(0);
  const clientRef = useRef<PlaygroundClient | null>(null);
  const speedRef = useRef(speed);
  speedRef.current = speed;
  /** The snapshot on screen (mid-animation: a blend) and the animation frame running. */
  const displayed = useRef<Snapshot | null>(null);
  const tweenFrame = useRef(0);
  const runningRef = useRef(false);
  /** Weights from a model file, loaded once the network they fit is built. */
  const pendingParams = useRef<{ key: string; params: Float32Array } | null>(null);
  const [modelNote, setModelNote] = useState<Message | null>(null);
  /** Show the math's gradient checks done on this page (a lesson's goal: "check a gradient"). */
  const [gradientChecks, setGradientChecks] = useState(0);
  runningRef.current = run.running;

  // ------------------------------------------------------------ derived data
  const info: DatasetInfo = datasetInfo(config.dataset);
  const dataset: Dataset = useMemo(() => {
    if (config.dataset === 'custom') return datasetFromPoints(points);
    return generateDataset(config.dataset as GeneratedId, { n: info.defaultCount, noise: config.noise, seed: config.dataSeed });
  }, [config.dataset, config.noise, config.dataSeed, points]);
  const split = useMemo(() => splitTrainTest(dataset, config.trainRatio, config.dataSeed), [dataset, config.trainRatio, config.dataSeed]);
  const task = dataset.task;
  const outputs = outputSize(task, dataset.nClasses);
  const range: readonly [number, number] = info.task === 'regression' ? info.range : [0, Math.max(1, dataset.nClasses - 1)];

  const net: NetSpec = useMemo(() => netSpecOf(config, task, outputs),
    [config.features, config.hidden, config.activations, outputs, task, config.seed, config.init]);
  const netKey = JSON.stringify(net);
  const dataKey = dataKeyOf(config);

  const data: DataSpec = useMemo(() => ({
    train: split.train, test: split.test, task, nClasses: dataset.nClasses, features: config.features, dims: dataset.dims,
  }), [split, task, dataset, config.features]);

  const hyper: HyperParams = useMemo(() => ({
    optimizer: config.optimizer, learningRate: config.learningRate, momentum: config.momentum,
    regularization: config.regularization, regRate: config.regRate, batchSize: config.batchSize,
  }), [config.optimizer, config.learningRate, config.momentum, config.regularization, config.regRate, config.batchSize]);

  const maxUnits = Math.max(config.features.length, outputs, ...config.hidden);
  const thumbnailsWanted = !view.hide.includes('neurons') && networkVisible && maxUnits <= MAX_UNITS_WITH_THUMBNAILS;
  const viewSpec: ViewSpec = useMemo(() => ({
    gridSize: OUTPUT_GRID, neuronGrids: thumbnailsWanted, neuronGridSize: NEURON_GRID, extent: DOMAIN,
  }), [thumbnailsWanted]);

  // ------------------------------------------------------------ engine
  useEffect(() => {
    const client = new PlaygroundClient({
      ready: () => setRun((r) => ({ ...r, status: 'ready' })),
      snapshot: (snap) => {
        lossHistory.current.add(snap);
        setHistoryVersion((v) => v + 1);
        const show = (s: Snapshot) => {
          displayed.current = s;
          setRun((r) => ({ ...r, snapshot: s, running: snap.running }));
        };
        cancelAnimationFrame(tweenFrame.current);
        // Slow motion: the step's change is animated from what is on screen.
        const ms = tweenMs(speedRef.current);
        const from = displayed.current;
        if (ms === 0 || !from || !canBlend(from, snap) || document.visibilityState !== 'visible') { show(snap); return; }
        const t0 = performance.now();
        const frame = () => {
          const k = ease((performance.now() - t0) / ms);
          show(blendSnapshot(from, snap, k));
          if (k < 1) tweenFrame.current = requestAnimationFrame(frame);
        };
        frame();
      },
      diverged: (text) => setRun((r) => ({ ...r, running: false, message: { kind: 'diverged', text } })),
      error: (text) => setRun((r) => ({ ...r, message: { kind: 'error', text } })),
      fatal: (text) => setRun((r) => ({ ...r, status: 'fatal', running: false, fatal: text })),
      restarted: (why) => setRun((r) => ({
        ...r, message: { kind: 'info', text: `The training engine was restarted (${why}); your settings were kept.` },
      })),
    });
    clientRef.current = client;
    client.start();
    return () => { cancelAnimationFrame(tweenFrame.current); client.dispose(); };
  }, []);

  useEffect(() => { clientRef.current?.setView(viewSpec); }, [viewSpec]);
  useEffect(() => { clientRef.current?.setPace(stepsPerSecond(speed)); }, [speed]);
  useEffect(() => { clientRef.current?.setHyper(hyper); }, [hyper]);
  useEffect(() => {
    lossHistory.current.clear();
    setHistoryVersion((v) => v + 1);
    setRun((r) => (r.message?.kind === 'diverged' ? { ...r, message: null } : r));
    clientRef.current?.build(net);
    const pending = pendingParams.current;
    pendingParams.current = null;
    if (pending && pending.key === netKey) void loadIntoEngine(pending.params);
  }, [netKey, dataKey]);
  useEffect(() => { clientRef.current?.setData(data); }, [data]);

  useAutoplayOnce(view.autoplay, run.status === 'ready', () => {
    clientRef.current?.play();
    setRun((r) => ({ ...r, running: true }));
  });

  // ------------------------------------------------------------ URL
  useEffect(() => {
    let extrasPoints: DrawnPoint[] | undefined;
    if (config.dataset === 'custom') {
      const enc = encodePoints(points);
      if (enc.ok) { extrasPoints = points; setUrlNote(null); }
      else setUrlNote(`${enc.error} The link keeps your settings but not the points.`);
    } else setUrlNote(null);
    if (!active) return;
    // The fragment is dropped: a lab name or TensorFlow Playground's keys in
    // it were read on load and are now in the query.
    const query = writeLink('playground', config, { view: { ...view, speed }, ...(extrasPoints ? { points: extrasPoints } : {}) });
    writeAddress(query);
  }, [config, points, view, speed, active]);

  // ------------------------------------------------------------ model files
  const loadIntoEngine = async (params: Float32Array) => {
    try {
      await clientRef.current?.loadParams(params);
      setModelNote({ kind: 'info', text: 'Model loaded: its weights are in the network now.' });
    } catch (err) {
      setModelNote({ kind: 'error', text: `The model could not be loaded: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  /** Applies a parsed model file: its configuration, then its weights.
   *  Nothing changes when the file does not fit what this page can build. */
  const loadModel = (model: SavedModel): void => {
    const c = model.config;
    let nClasses: number;
    let t: Task;
    if (c.dataset === 'custom') {
      const drawn = datasetFromPoints(points);
      nClasses = drawn.nClasses; t = drawn.task;
    } else {
      const i = datasetInfo(c.dataset);
      nClasses = i.nClasses; t = i.task;
    }
    const spec = networkSpec(c, t, nClasses);
    if (spec.sizes.join(',') !== model.sizes.join(',') || spec.loss !== model.loss) {
      setModelNote({ kind: 'error', text: `The model has layers ${model.sizes.join('-')}, but with the current drawing this page would build ${spec.sizes.join('-')}. Draw points of ${model.sizes[model.sizes.length - 1] === 1 ? '2' : model.sizes[model.sizes.length - 1]} classes first, then load the file again. Nothing was changed.` });
      return;
    }
    runningRef.current = false;
    clientRef.current?.pause();
    setRun((r) => ({ ...r, running: false }));
    const nextKey = JSON.stringify(netSpecOf(c, t, outputSize(t, nClasses)));
    const sameNetwork = nextKey === netKey && dataKeyOf(c) === dataKey;
    if (sameNetwork) void loadIntoEngine(model.params);
    else pendingParams.current = { key: nextKey, params: model.params };
    setConfig(c);
  };

  // ------------------------------------------------------------ actions
  const locked = useCallback((key: keyof Config) => view.lock.includes(key), [view]);
  const update = useCallback((patch: Partial<Config>) => {
    setConfig((c) => {
      const next = { ...c };
      for (const [k, v] of Object.entries(patch) as [keyof Config, never][]) {
        if (!view.lock.includes(k)) next[k] = v;
      }
      return next;
    });
  }, [view]);

  const actions = useMemo(() => ({
    update,
    /** Replaces the configuration wholesale (postMessage setConfig). */
    replaceConfig: (c: Config) => setConfig(c),
    // play, pause, reset and stepN resolve with the engine's status once it has done them.
    play: () => { runningRef.current = true; setRun((r) => ({ ...r, running: true, message: r.message?.kind === 'diverged' ? null : r.message })); return clientRef.current?.play(); },
    pause: () => { runningRef.current = false; setRun((r) => ({ ...r, running: false })); return clientRef.current?.pause(); },
    toggle: () => {
      const running = !runningRef.current;
      runningRef.current = running;
      if (running) clientRef.current?.play(); else clientRef.current?.pause();
      setRun((r) => ({ ...r, running, message: running && r.message?.kind === 'diverged' ? null : r.message }));
    },
    step: () => { runningRef.current = false; clientRef.current?.step(1); setRun((r) => ({ ...r, running: false })); },
    stepBatch: () => { runningRef.current = false; clientRef.current?.stepBatches(1); setRun((r) => ({ ...r, running: false })); },
    setSpeed,
    reset: () => {
      lossHistory.current.clear();
      setHistoryVersion((v) => v + 1);
      setRun((r) => ({ ...r, running: false, message: null }));
      return clientRef.current?.reset();
    },
    setParam: (layer: number, which: 0 | 1, row: number, col: number, value: number) =>
      clientRef.current?.setParam(layer, which, row, col, value),
    addPoint: (x: number, y: number) => setPoints((ps) => ps.length >= MAX_DRAWN_POINTS ? ps
      : [...ps, quantisePoint({ x, y, cls: config.drawClass })]),
    erasePoints: (x: number, y: number, radius: number) =>
      setPoints((ps) => { const kept = ps.filter((p) => Math.hypot(p.x - x, p.y - y) > radius); return kept.length === ps.length ? ps : kept; }),
    clearPoints: () => setPoints([]),
    /** Copies the current generated set into the drawing and switches to it. */
    drawFromCurrent: () => {
      if (config.dataset === 'custom' || task === 'regression') return;
      const pts: DrawnPoint[] = [];
      for (const set of [split.train, split.test]) {
        for (let i = 0; i < set.labels.length && pts.length < MAX_DRAWN_POINTS; i++) {
          pts.push(quantisePoint({ x: set.points[2 * i]!, y: set.points[2 * i + 1]!, cls: set.labels[i]! }));
        }
      }
      setPoints(pts);
      update({ dataset: 'custom' });
    },
    setErase,
    dismissRejected: () => setRejected([]),
    loadModel,
    setModelNote,
    /** `n` epochs' worth of batches, or `n` batches. */
    stepN: (n: number, unit: 'epochs' | 'batches' = 'epochs') => {
      runningRef.current = false;
      setRun((r) => ({ ...r, running: false }));
      return unit === 'epochs' ? clientRef.current?.step(n) : clientRef.current?.stepBatches(n);
    },
    /** The engine's status as last reported (by a snapshot or an answer). */
    engineStatus: () => clientRef.current?.status ?? { running: false, epoch: 0 },
    dismissMessage: () => setRun((r) => ({ ...r, message: null })),
    setNetworkVisible,
    getParams: () => clientRef.current?.getParams() ?? Promise.reject(new Error('engine not started')),
    /** The core's verdict on a layer list (layouts of files and of the model to save or export). */
    askCore: (request: CoreRequest) => clientRef.current?.askCore(request) ?? Promise.reject(new Error('engine not started')),
    loadParams: (p: Float32Array) => clientRef.current?.loadParams(p) ?? Promise.reject(new Error('engine not started')),
    predict: (p: Float32Array) => clientRef.current?.predict(p) ?? Promise.reject(new Error('engine not started')),
    // show the math: trace a training example now; the engine's finite difference on it
    trace: (index: number) => clientRef.current?.trace(index) ?? Promise.reject(new Error('engine not started')),
    checkGradient: (param: number) => {
      const done = clientRef.current?.checkGradient(param) ?? Promise.reject(new Error('engine not started'));
      return done.then((r) => { setGradientChecks((n) => n + 1); return r; });
    },
  }), [update, config.drawClass, config.dataset, split, task, points, netKey, dataKey]);

  return {
    config, view, speed, points, rejected, erase, run, info, dataset, split, task, outputs, range, net,
    history: lossHistory.current, historyVersion, thumbnailsWanted, urlNote, modelNote,
    truth: regressionTruth(config.dataset), locked, actions, gradientChecks,
  };
}

export type Playground = ReturnType<typeof usePlayground>;

/** The network a configuration builds for a task with `outputs` units. */
function netSpecOf(c: Config, task: Task, outputs: number): NetSpec {
  return { inputs: c.features.length, hidden: c.hidden, activations: c.activations, outputs, task, seed: c.seed, init: c.init };
}

/** Changing the data set, its noise, seed or split starts training over
 *  (as in TensorFlow Playground); editing drawn points does not. */
function dataKeyOf(c: Config): string {
  return `${c.dataset}|${c.noise}|${c.dataSeed}|${c.trainRatio}`;
}
