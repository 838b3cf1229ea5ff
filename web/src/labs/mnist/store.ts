// The MNIST page's one piece of state, and the only code that talks to the
// MNIST lab in the worker host (through the generic LabClient, which brings
// a replacement worker back to the loaded data, the model and its weights).
// It outlives the page component: leaving the tab pauses training but keeps
// the loaded data and the trained model.

import { StepSeries } from '../../lib/series';
import type { CommandResult, WorkerFactory } from '../../engine/client';
import { LabStore, type Notice } from '../store-kit';
import type { CoreRequest, CoreVerdict } from '../../share/coreLayout';
import { DEFAULT_TRAINING } from './trainer.js';
import { DEFAULT_LR_END } from './schedule.js';
import type { ConvFilters, FullEval, Inspection, LayerPlan, MnistCommand, MnistEvent, MnistSnapshot, ModelChoice, Progress, TrainChoice } from './protocol';
import { layersText, MODEL_PRESETS, type ModelPresetId } from './model-layers';
import type { GradientCheck, ParamPreview, TraceResult } from '../../engine/trace.js';
import { FULL_SPEED, type Speed } from '../../state/speed';

export interface EvalPoint { at: number; accuracy: number; loss: number }

export type LoadState =
  | { phase: 'idle' }
  | { phase: 'loading'; loaded: number; total: number }
  | { phase: 'loaded'; nTrain: number; nTest: number; seconds: number }
  | { phase: 'error'; message: string };

export interface MnistState {
  load: LoadState;
  /** The editor's choices (what Reset builds). */
  model: ModelChoice;
  train: TrainChoice;
  /** The model in the worker, once built. */
  built: { sizes: number[]; shapes: [number, number, number][]; paramCount: number; model: ModelChoice; seed: number } | null;
  /** The core's plan of the editor's layers (null until the worker answered). */
  plan: { layers: string; plan: LayerPlan } | null;
  progress: Progress | null;
  losses: StepSeries;
  subsetEvals: EvalPoint[];
  fullEvals: EvalPoint[];
  latest: FullEval | null;
  weights: { units: number; inputs: number; weights: Float32Array } | null;
  /** Why training last stopped by itself, or that the engine was restarted. */
  notice: Notice | null;
  /** Class probabilities for the drawn digit (null: nothing drawn). */
  digitProbs: Float32Array | null;
  /** The drawn digit as the network's input (784 values 0..1; null: nothing drawn). */
  digit: Float32Array | null;
  /** Training speed (steps per second while training; the link's speed=). */
  speed: Speed;
  /** Bumped on every change so components can memoise on it. */
  version: number;
}

export function presetChoice(key: ModelPresetId): ModelChoice {
  return { layers: MODEL_PRESETS[key].layers.map((l) => ({ ...l })) };
}

export function defaultTrain(): TrainChoice {
  const d = DEFAULT_TRAINING;
  return { optimizer: d.optimizer, lr: d.lr, lrSchedule: 'none', lrEnd: DEFAULT_LR_END, momentum: d.momentum, batchSize: d.batchSize, epochs: 3, shift: 0, seed: d.seed };
}

/** Written by web/scripts/make-mnist-asset.mjs; names the data file next to it. */
const MANIFEST = 'generated/mnist.json';

export class MnistStore extends LabStore<MnistState, MnistCommand, MnistSnapshot, MnistEvent> {
  private classifyId = 0;
  private lastDigit: Float32Array | null = null;
  private builtFrom: { model: ModelChoice; seed: number } | null = null;
  /** The last plan request (settled when its answer is in). */
  private planning: Promise<void> = Promise.resolve();

  constructor(factory?: WorkerFactory, start?: { model: ModelChoice; train: TrainChoice }) {
    super({
      lab: 'mnist', restored: 'the data, your settings and the weights',
      // The engine gave up (or cannot load): Retry starts a new one from loading.
      onFatal: (text) => ({ load: { phase: 'error', message: `${text} Retry starts it again.` }, built: null, progress: null }),
    }, factory, {
      load: { phase: 'idle' }, model: start?.model ?? presetChoice('mlp128'), train: start?.train ?? defaultTrain(), built: null, plan: null, progress: null,
      losses: new StepSeries(), subsetEvals: [], fullEvals: [], latest: null, weights: null, notice: null,
      digitProbs: null, digit: null, speed: FULL_SPEED, version: 0,
    });
  }

  protected receiveSnapshot(snap: MnistSnapshot): void {
    this.state.losses.pushAll(snap.losses, snap.at);
    this.set({ progress: snap.progress });
    // Slow motion: the drawn digit's probabilities follow every step (one forward pass each).
    if (this.state.speed !== FULL_SPEED && snap.losses.length > 0) this.reclassify();
  }

  /** Starts loading the data set (once); also the Retry after an error. */
  load(): void {
    const phase = this.state.load.phase;
    if (phase === 'loading' || phase === 'loaded') return;
    this.set({ load: { phase: 'loading', loaded: 0, total: 0 } });
    this.lab().send({ type: 'load', manifestUrl: new URL(MANIFEST, document.baseURI).href }, { replay: 'load' });
    this.planModel();
  }

  setModel(model: ModelChoice): void {
    this.set({ model });
    this.planModel();
  }

  /** Asks the core for the plan of the editor's layers (shapes, parameters, or the refused layer). */
  planModel(): void {
    const layers = this.state.model.layers;
    const text = layersText(layers);
    if (this.state.plan?.layers === text) return;
    this.planning = this.lab().request<LayerPlan>({ type: 'plan', layers })
      .then(({ result }) => {
        if (layersText(this.state.model.layers) === text) this.set({ plan: { layers: text, plan: result } });
      })
      .catch(() => undefined); // lost with a replaced worker: the next edit asks again
  }

  /** The first model, once the plan of the link's layers is known (a refused list is not built). */
  private async buildWhenPlanned(): Promise<void> {
    await this.planning;
    if (!this.state.built) this.build();
  }

  /** Every layer's output for a test digit or drawn pixels (empty before a model exists). */
  async inspect(what: { testIndex: number } | { pixels: Float32Array }): Promise<Inspection> {
    if (!this.state.built) return { input: new Float32Array(0), layers: [] };
    const msg: MnistCommand = 'pixels' in what ? { type: 'inspect', pixels: what.pixels.slice() } : { type: 'inspect', testIndex: what.testIndex };
    return (await this.lab().request<Inspection>(msg)).result;
  }

  /** Show the math: one digit's forward and backward pass with the weights of this moment. */
  async trace(what: { testIndex: number } | { pixels: Float32Array; label: number }): Promise<TraceResult> {
    if (!this.state.built) throw new Error('the model is not built yet');
    const msg: MnistCommand = 'pixels' in what ? { type: 'trace', pixels: what.pixels.slice(), label: what.label } : { type: 'trace', testIndex: what.testIndex };
    return (await this.lab().request<TraceResult>(msg)).result;
  }

  /** The engine's finite difference for a parameter of the last trace. */
  async checkGradient(param: number): Promise<GradientCheck> {
    return (await this.lab().request<GradientCheck>({ type: 'check-gradient', param })).result;
  }

  /** The optimizer's next update of one parameter with the last trace's gradient. */
  async previewParam(param: number): Promise<ParamPreview> {
    return (await this.lab().request<ParamPreview>({ type: 'preview', param })).result;
  }

  /** The conv layers' filters (empty for an MLP or before a model exists). */
  async filters(): Promise<ConvFilters[]> {
    if (!this.state.built) return [];
    return (await this.lab().request<ConvFilters[]>({ type: 'filters' })).result;
  }

  setTrain(train: TrainChoice): void {
    this.set({ train });
    if (this.state.built) this.lab().send({ type: 'train-settings', train }, { replay: 'train-settings' });
  }

  /** Builds a fresh model from the editor's choices (the Reset button). */
  build(): void {
    if (this.state.load.phase !== 'loaded') return;
    // A list the core refuses is not sent (the editor says which layer and why).
    const plan = this.state.plan;
    if (plan && plan.layers === layersText(this.state.model.layers) && !plan.plan.ok) return;
    this.builtFrom = { model: this.state.model, seed: this.state.train.seed };
    this.lab().send({ type: 'build', model: this.state.model, train: this.state.train }, { replay: 'build', dropsWeights: true });
    this.set({
      progress: null, losses: new StepSeries(), subsetEvals: [], fullEvals: [], latest: null, notice: null,
      built: null, digitProbs: this.state.digitProbs,
    });
  }

  play(): void {
    if (!this.state.built) return;
    this.set({ notice: null });
    this.lab().setRunning(true);
  }

  /** Play or pause, resolved with the status once the worker has done it
   *  (after a pause its epoch is the one that stays). */
  async run(running: boolean): Promise<CommandResult> {
    if (running && !this.state.built) throw new Error('the model is not built yet');
    if (running) this.set({ notice: null });
    return this.lab().run(running);
  }

  /** Pauses and trains exactly `batches` batches or `epochs` epochs' worth
   *  (through the worker host's loop: an epoch of a CNN takes a while);
   *  resolved once they ran, or when play/pause ended them. */
  async step(count: { batches: number } | { epochs: number }): Promise<CommandResult> {
    if (!this.state.built) throw new Error('the model is not built yet');
    return this.lab().step(count);
  }

  /** At most this many steps a second while training. */
  /** The core's verdict on a layer list (a file's, or the model's to save or export). */
  askCore(request: CoreRequest): Promise<CoreVerdict> {
    return this.lab().askCore(request);
  }

  /** The model's parameters as the worker holds them now. */
  async getParams(): Promise<Float32Array> {
    if (!this.state.built) throw new Error('the model is not built yet');
    return (await this.lab().request<Float32Array>({ type: 'get-params' })).result;
  }

  /** A model file's settings and weights: rebuilds with its settings, then
   *  loads its weights (the file was checked completely before this). */
  async loadModel(model: ModelChoice, train: TrainChoice, params: Float32Array): Promise<void> {
    if (this.state.load.phase !== 'loaded') throw new Error('the MNIST data is not loaded yet');
    if (this.client) await this.client.run(false);
    this.set({ model, train });
    this.build();
    const copy = params.slice();
    await this.lab().request({ type: 'load-params', params: copy }, { transfer: [copy.buffer] });
  }

  wantWeights(want: boolean): void {
    if (this.client) this.client.send({ type: 'want-weights', want }, { replay: 'want-weights' });
  }

  /** Classifies a 28x28 input now and again whenever the model improves. */
  classify(pixels: Float32Array | null): void {
    this.lastDigit = pixels;
    if (!pixels) {
      this.set({ digitProbs: null, digit: null });
      return;
    }
    if (this.state.digit !== pixels) this.set({ digit: pixels });
    if (!this.state.built) return;
    const id = ++this.classifyId;
    const copy = pixels.slice();
    this.lab().request<Float32Array>({ type: 'classify', pixels: copy }, { transfer: [copy.buffer] })
      .then(({ result }) => {
        if (id === this.classifyId && this.lastDigit && result.length > 0) this.set({ digitProbs: result });
      })
      .catch(() => undefined); // lost with a replaced worker: the next evaluation classifies again
  }

  private reclassify(): void {
    if (this.lastDigit) this.classify(this.lastDigit);
  }

  protected receive(msg: MnistEvent): void {
    const s = this.state;
    switch (msg.type) {
      case 'load-progress':
        this.set({ load: { phase: 'loading', loaded: msg.loaded, total: msg.total } });
        break;
      case 'loaded':
        this.set({ load: { phase: 'loaded', nTrain: msg.nTrain, nTest: msg.nTest, seconds: msg.seconds } });
        if (!s.built) void this.buildWhenPlanned();
        break;
      case 'load-error':
        this.set({ load: { phase: 'error', message: msg.message } });
        break;
      case 'built':
        this.set({ built: { sizes: msg.sizes, shapes: msg.shapes, paramCount: msg.paramCount, model: this.builtFrom?.model ?? s.model, seed: this.builtFrom?.seed ?? s.train.seed } });
        this.reclassify();
        break;
      case 'subset-eval':
        this.set({ subsetEvals: [...s.subsetEvals, { at: msg.at, accuracy: msg.accuracy, loss: msg.loss }] });
        this.reclassify();
        break;
      case 'full-eval': {
        const r = msg.result;
        this.set({ latest: r, fullEvals: [...s.fullEvals, { at: r.at, accuracy: r.accuracy, loss: r.loss }] });
        this.reclassify();
        break;
      }
      case 'weights':
        this.set({ weights: { units: msg.units, inputs: msg.inputs, weights: msg.weights } });
        break;
      case 'epochs-done':
        this.set({ notice: { kind: 'info', text: `Finished ${s.train.epochs} epoch${s.train.epochs === 1 ? '' : 's'}. Train continues for as many more.` } });
        break;
    }
  }
}

let shared: MnistStore | null = null;
/** The page's store, created on first use (when the MNIST tab opens), with
 *  the settings of the link the page was opened with. */
export function mnistStore(start?: { model: ModelChoice; train: TrainChoice }): MnistStore {
  shared ??= new MnistStore(undefined, start);
  return shared;
}
