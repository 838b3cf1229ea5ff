// The sequence page's state, and the only code that talks to the sequence
// session in the worker host (through the generic LabClient, which brings a
// replacement worker back to the last build, settings and weights). It
// outlives the page component: leaving the tab pauses training and keeps
// the model.
import { StepSeries } from '../../lib/series';
import type { CommandResult, WorkerFactory } from '../../engine/client';
import { FULL_SPEED, type Speed } from '../../state/speed';
import { LabStore, type Notice } from '../store-kit';
import { sequenceCodec, type SequenceConfig } from './config';
import type { CoreRequest, CoreVerdict } from '../../share/coreLayout';
import type { GradientCheck, ParamPreview, TraceResult } from '../../engine/trace.js';
import type { AssetUrls, OutputView, SequenceCommand, SequenceEvent, SequenceSnapshot, StepView, Wanted } from './protocol';

/** Settings a running model takes as they are; every other key builds a new model (Reset). */
export const LIVE_KEYS: readonly (keyof SequenceConfig)[] = ['optimizer', 'learningRate', 'clipNorm', 'batchSize', 'temperature'];

export function needsRebuild(a: SequenceConfig, b: SequenceConfig): boolean {
  return (Object.keys(a) as (keyof SequenceConfig)[]).some((k) => !LIVE_KEYS.includes(k) && a[k] !== b[k]);
}

export interface Progress { running: boolean; step: number; epoch: number; stepsPerSec: number; symbolsPerSec: number; gradNorm: number }

export interface SequenceState {
  config: SequenceConfig;
  built: { config: SequenceConfig; paramCount: number; twinParamCount: number; vocab: string | null; stepsPerEpoch: number; valRows: number } | null;
  building: boolean;
  progress: Progress | null;
  losses: StepSeries;
  twinLosses: StepSeries;
  /** Validation points: x (epochs), loss, twin loss, accuracy (memory). */
  val: { at: number[]; loss: number[]; twin: number[]; accuracy: number[] };
  output: OutputView | null;
  view: StepView | null;
  twinView: StepView | null;
  notice: Notice | null;
  speed: Speed;
  version: number;
}

/** Written by web/scripts/make-sequence-assets.mjs; names the two corpus files next to it. */
const ASSET_MANIFEST = 'generated/seq.json';

const emptyVal = () => ({ at: [], loss: [], twin: [], accuracy: [] });

export class SequenceStore extends LabStore<SequenceState, SequenceCommand, SequenceSnapshot, SequenceEvent> {
  /** The settings of the last build sent (what the model in the worker is, once built). */
  private buildingFrom: SequenceConfig | null = null;
  private wanted: Wanted = { output: false, unrolled: false, gradients: false, gates: false, example: 0, layer: 0 };

  constructor(factory?: WorkerFactory, start?: SequenceConfig) {
    super({
      lab: 'sequence', restored: 'your settings and the weights', onError: { building: false },
      onFatal: (text) => ({ notice: { kind: 'warning', text: `${text} Reset starts it again.` }, built: null, progress: null, building: false }),
    }, factory, {
      config: start ?? sequenceCodec.defaults(), built: null, building: false, progress: null,
      losses: new StepSeries(), twinLosses: new StepSeries(), val: emptyVal(), output: null, view: null, twinView: null,
      notice: null, speed: FULL_SPEED, version: 0,
    });
  }

  protected override wantCommand(): SequenceCommand {
    return { type: 'want', wanted: this.wanted };
  }

  protected receiveSnapshot(snap: SequenceSnapshot): void {
    const s = this.state;
    s.losses.pushAll(snap.losses, snap.at);
    if (s.built?.twinParamCount) s.twinLosses.pushAll(snap.twinLosses, snap.at);
    const patch: Partial<SequenceState> = {
      progress: { running: snap.running, step: snap.step, epoch: snap.epoch, stepsPerSec: snap.stepsPerSec, symbolsPerSec: snap.symbolsPerSec, gradNorm: snap.gradNorm },
    };
    if (snap.vals.length > 0) {
      const v = s.val;
      for (const p of snap.vals) {
        v.at.push(p.at);
        v.loss.push(p.loss);
        v.twin.push(p.twinLoss ?? NaN);
        v.accuracy.push(p.accuracy ?? NaN);
      }
      patch.val = { ...v };
    }
    if (snap.output) patch.output = snap.output;
    if (snap.view) patch.view = snap.view;
    if (snap.twinView || snap.view) patch.twinView = snap.twinView;
    this.set(patch);
  }

  protected receive(e: SequenceEvent): void {
    switch (e.type) {
      case 'built':
        this.set({ built: { config: this.buildingFrom ?? this.state.config, ...e }, building: false });
        break;
      case 'load-error':
        this.set({ notice: { kind: 'warning', text: `The data could not be loaded: ${e.message}` }, building: false });
        break;
    }
  }

  /** Builds a fresh model from the settings (Reset, and any setting a model cannot take as it is). */
  build(): void {
    const config = this.state.config;
    const assets: AssetUrls = { manifest: new URL(ASSET_MANIFEST, document.baseURI).href };
    this.buildingFrom = config;
    this.lab().send({ type: 'build', config, assets }, { replay: 'build', dropsWeights: true });
    this.set({
      built: null, building: true, progress: null, losses: new StepSeries(), twinLosses: new StepSeries(), val: emptyVal(),
      output: null, view: null, twinView: null, notice: null,
    });
  }

  /** New settings: live ones go to the running model, the rest build a new one. */
  setConfig(config: SequenceConfig): void {
    const before = this.state.built?.config ?? null;
    this.set({ config });
    if (!before || needsRebuild(before, config)) {
      if (this.client || before) this.build();
      return;
    }
    this.lab().send({ type: 'settings', config }, { replay: 'settings' });
  }

  want(w: Partial<Wanted>): void {
    const next = { ...this.wanted, ...w };
    if ((Object.keys(next) as (keyof Wanted)[]).every((k) => next[k] === this.wanted[k])) return;
    this.wanted = next;
    if (this.client) this.client.send({ type: 'want', wanted: next }, { replay: 'want' });
  }

  /** The views again now (new samples, say), even while paused. */
  refresh(): void {
    if (this.client) this.client.send({ type: 'want', wanted: this.wanted }, { replay: 'want' });
  }

  play(): void {
    if (!this.state.built) return;
    this.set({ notice: null });
    this.lab().setRunning(true);
  }

  async run(running: boolean): Promise<CommandResult> {
    // A build in flight is ahead of this command in the worker's queue.
    if (running && !this.state.built && !this.state.building) throw new Error('the model is not built yet');
    return this.lab().run(running);
  }

  async step(count: { batches: number } | { epochs: number }): Promise<CommandResult> {
    if (!this.state.built && !this.state.building) throw new Error('the model is not built yet');
    return this.lab().step(count);
  }

  /** New samples now (names, text). */
  async sample(count: number): Promise<string[]> {
    if (!this.state.built) return [];
    return (await this.lab().request<string[]>({ type: 'sample', count })).result;
  }

  /** Show the math: validation sequence `example` through a copy of the model as it is now. */
  async trace(example: number): Promise<TraceResult> {
    if (!this.state.built) throw new Error('the model is not built yet');
    return (await this.lab().request<TraceResult>({ type: 'trace', example })).result;
  }

  /** The engine's finite difference for a parameter of the last trace. */
  async checkGradient(param: number): Promise<GradientCheck> {
    return (await this.lab().request<GradientCheck>({ type: 'check-gradient', param })).result;
  }

  /** The optimizer's next update of one parameter with the last trace's gradient. */
  async previewParam(param: number): Promise<ParamPreview> {
    return (await this.lab().request<ParamPreview>({ type: 'preview', param })).result;
  }

  /** The core's plan of a layer list (model files, exports). */
  askCore(request: CoreRequest): Promise<CoreVerdict> {
    return this.lab().askCore(request);
  }

  /** A model file's settings and weights: builds its model, then loads its weights (the file was checked completely before). */
  async loadModel(config: SequenceConfig, params: Float32Array): Promise<void> {
    if (this.client) await this.client.run(false);
    this.set({ config });
    this.build();
    const copy = params.slice();
    await this.lab().request({ type: 'load-params', params: copy }, { transfer: [copy.buffer] });
  }

  async getParams(): Promise<Float32Array> {
    if (!this.state.built) throw new Error('the model is not built yet');
    return (await this.lab().request<Float32Array>({ type: 'get-params' })).result;
  }
}

let shared: SequenceStore | null = null;
/** The page's store, created when the tab first opens, with the link's settings. */
export function sequenceStore(start?: SequenceConfig): SequenceStore {
  shared ??= new SequenceStore(undefined, start);
  return shared;
}
