// The digits GAN page's state, and the only code that talks to its worker
// session (through the generic LabClient, which brings a replacement worker
// back to the data, the last build, settings and weights). It outlives the
// page component: leaving the tab pauses training and keeps the networks.
import { StepSeries } from '../../lib/series';
import type { CommandResult, WorkerFactory } from '../../engine/client';
import { FULL_SPEED, type Speed } from '../../state/speed';
import { LabStore, type Notice } from '../store-kit';
import { ganDigitsCodec, type GanDigitsConfig } from './config';
import type { CoreRequest, CoreVerdict } from '../../share/coreLayout';
import type { GanSnapshot } from '../../share/ganFile';
import type { GanDigitsCommand, GanDigitsEvent, GanDigitsSnapshot, Judgement, Wanted } from './protocol';

/** Settings a pair takes as it is; every other key builds new networks (Reset). */
export const LIVE_KEYS: readonly (keyof GanDigitsConfig)[] = ['loss', 'gOptimizer', 'gLearningRate', 'dOptimizer', 'dLearningRate', 'beta1', 'batch', 'dSteps', 'gSteps'];

export function needsRebuild(a: GanDigitsConfig, b: GanDigitsConfig): boolean {
  return (Object.keys(a) as (keyof GanDigitsConfig)[]).some((k) => !LIVE_KEYS.includes(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export type LoadState =
  | { phase: 'idle' }
  | { phase: 'loading'; loaded: number; total: number }
  | { phase: 'loaded' }
  | { phase: 'error'; message: string };

export interface Progress { running: boolean; iteration: number; iterationsPerSec: number }

export interface GanDigitsState {
  config: GanDigitsConfig;
  load: LoadState;
  built: { config: GanDigitsConfig; gParams: number; dParams: number } | null;
  progress: Progress | null;
  /** Per iteration, smoothed: both losses and D's means. */
  dLoss: StepSeries;
  gLoss: StepSeries;
  dReal: StepSeries;
  dFake: StepSeries;
  /** The last iteration's raw values (the read-out). */
  last: { dLoss: number; gLoss: number; dReal: number; dFake: number };
  samples: Float32Array | null;
  strip: Float32Array | null;
  which: 'both' | 'd' | 'g';
  notice: Notice | null;
  speed: Speed;
  version: number;
}

const MANIFEST = 'generated/mnist.json';
const SMOOTHING = 0.95;
const noLast = () => ({ dLoss: NaN, gLoss: NaN, dReal: NaN, dFake: NaN });

export class GanDigitsStore extends LabStore<GanDigitsState, GanDigitsCommand, GanDigitsSnapshot, GanDigitsEvent> {
  private buildingFrom: GanDigitsConfig | null = null;
  private wanted: Wanted = { samples: false, interpolate: false };

  constructor(factory?: WorkerFactory, start?: GanDigitsConfig) {
    super({
      lab: 'digits', restored: 'the data, your settings and the weights',
      onFatal: (text) => ({ load: { phase: 'error', message: `${text} Retry starts it again.` }, built: null, progress: null }),
    }, factory, {
      config: start ?? ganDigitsCodec.defaults(), load: { phase: 'idle' }, built: null, progress: null,
      dLoss: new StepSeries(SMOOTHING), gLoss: new StepSeries(SMOOTHING), dReal: new StepSeries(SMOOTHING), dFake: new StepSeries(SMOOTHING),
      last: noLast(), samples: null, strip: null, which: 'both', notice: null, speed: FULL_SPEED, version: 0,
    });
  }

  protected override wantCommand(): GanDigitsCommand {
    return { type: 'want', wanted: this.wanted };
  }

  protected receiveSnapshot(snap: GanDigitsSnapshot): void {
    const s = this.state;
    s.dLoss.pushAll(snap.dLoss, snap.at);
    s.gLoss.pushAll(snap.gLoss, snap.at);
    s.dReal.pushAll(snap.dReal, snap.at);
    s.dFake.pushAll(snap.dFake, snap.at);
    const n = snap.at.length;
    const patch: Partial<GanDigitsState> = {
      progress: { running: snap.running, iteration: snap.iteration, iterationsPerSec: snap.iterationsPerSec },
    };
    if (n > 0) patch.last = { dLoss: snap.dLoss[n - 1]!, gLoss: snap.gLoss[n - 1]!, dReal: snap.dReal[n - 1]!, dFake: snap.dFake[n - 1]! };
    if (snap.samples) patch.samples = snap.samples;
    if (snap.strip) patch.strip = snap.strip;
    this.set(patch);
  }

  protected receive(e: GanDigitsEvent): void {
    switch (e.type) {
      case 'progress': this.set({ load: { phase: 'loading', loaded: e.loaded, total: e.total } }); break;
      case 'loaded': this.set({ load: { phase: 'loaded' } }); break;
      case 'load-error': this.set({ load: { phase: 'error', message: e.message } }); break;
      case 'built': this.set({ built: { config: this.buildingFrom ?? this.state.config, gParams: e.gParams, dParams: e.dParams } }); break;
    }
  }

  /** Loads the digits (once; also Retry after an error) and builds the first pair. */
  start(): void {
    const phase = this.state.load.phase;
    if (phase === 'loading' || phase === 'loaded') return;
    this.set({ load: { phase: 'loading', loaded: 0, total: 0 }, notice: null });
    this.lab().send({ type: 'load', manifestUrl: new URL(MANIFEST, document.baseURI).href }, { replay: 'load' });
    this.build();
  }

  /** New networks from the settings (Reset, and any setting a pair cannot take as it is). */
  build(): void {
    const config = this.state.config;
    this.buildingFrom = config;
    this.lab().send({ type: 'build', config }, { replay: 'build', dropsWeights: true });
    this.set({
      built: null, progress: null, dLoss: new StepSeries(SMOOTHING), gLoss: new StepSeries(SMOOTHING), dReal: new StepSeries(SMOOTHING),
      dFake: new StepSeries(SMOOTHING), last: noLast(), samples: null, strip: null, notice: null,
    });
  }

  /** New settings: live ones go to the running pair, the rest build a new one. */
  setConfig(config: GanDigitsConfig): void {
    const before = this.state.built?.config ?? null;
    this.set({ config });
    if (!before || needsRebuild(before, config)) {
      if (before) this.build();
      else if (this.client) this.build();
      return;
    }
    this.buildingFrom = { ...before, ...Object.fromEntries(LIVE_KEYS.map((k) => [k, config[k]])) };
    this.set({ built: { ...this.state.built!, config: this.buildingFrom } });
    this.lab().send({ type: 'settings', config }, { replay: 'settings' });
  }

  want(w: Partial<Wanted>): void {
    const next = { ...this.wanted, ...w };
    if (next.samples === this.wanted.samples && next.interpolate === this.wanted.interpolate) return;
    this.wanted = next;
    if (this.client) this.client.send({ type: 'want', wanted: next }, { replay: 'want' });
  }

  /** New interpolation ends. */
  reroll(end: 'a' | 'b' | 'both'): void {
    if (this.client) this.client.send({ type: 'reroll', end });
  }

  /** Which networks an iteration trains. */
  setWhich(which: 'both' | 'd' | 'g'): void {
    this.set({ which });
    this.lab().send({ type: 'which', which }, { replay: 'which' });
  }

  play(): void {
    if (!this.state.built) return;
    this.set({ notice: null });
    this.lab().setRunning(true);
  }

  async run(running: boolean): Promise<CommandResult> {
    if (running && !this.state.built && this.state.load.phase !== 'loading') throw new Error('the networks are not built yet');
    return this.lab().run(running);
  }

  async step(count: { batches: number } | { epochs: number }): Promise<CommandResult> {
    if (!this.state.built && this.state.load.phase !== 'loading') throw new Error('the networks are not built yet');
    return this.lab().step(count);
  }

  /** Both networks as a GAN file holds them. */
  async snapshot(): Promise<GanSnapshot> {
    if (!this.state.built) throw new Error('the networks are not built yet');
    return (await this.lab().request<GanSnapshot>({ type: 'snapshot' })).result;
  }

  /** A checked GAN file: its settings, new networks with its weights (paused). */
  async restore(config: GanDigitsConfig, snapshot: GanSnapshot): Promise<void> {
    if (this.client) await this.client.run(false);
    this.buildingFrom = config;
    this.set({
      config, built: null, progress: null, dLoss: new StepSeries(SMOOTHING), gLoss: new StepSeries(SMOOTHING), dReal: new StepSeries(SMOOTHING),
      dFake: new StepSeries(SMOOTHING), last: noLast(), samples: null, strip: null, notice: null,
    });
    await this.lab().request({ type: 'restore', config, snapshot }, { replay: 'build', dropsWeights: true });
  }

  /** The core's plan of a layer list (file checks). */
  askCore(request: CoreRequest): Promise<CoreVerdict> {
    return this.lab().askCore(request);
  }

  /** D's verdict on a drawn digit (ink 0..1). */
  async judge(pixels: Float32Array): Promise<Judgement | null> {
    if (!this.state.built) return null;
    const copy = pixels.slice();
    return (await this.lab().request<Judgement>({ type: 'judge', pixels: copy }, { transfer: [copy.buffer] })).result;
  }
}

let shared: GanDigitsStore | null = null;
/** The page's store, created when the tab first opens, with the link's settings. */
export function ganDigitsStore(start?: GanDigitsConfig): GanDigitsStore {
  shared ??= new GanDigitsStore(undefined, start);
  return shared;
}
