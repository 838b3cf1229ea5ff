// The GAN page's state, and the only code that talks to the GAN session in
// the worker host (through the generic LabClient, which brings a replacement
// worker back to the last build, settings and weights). It outlives the page
// component: leaving the tab pauses training and keeps the pair.
import { StepSeries } from '../../lib/series';
import type { CommandResult, WorkerFactory } from '../../engine/client';
import { FULL_SPEED, type Speed } from '../../state/speed';
import { LabStore, type Notice } from '../store-kit';
import type { DrawnPoint } from '../../share/points';
import { ganCodec, type GanConfig } from './config';
import type { Diagnosis } from './metrics';
import type { GanCommand, GanEvent, GanFileSnapshot, GanSnapshot, MapView, Wanted } from './protocol';
import type { CoreRequest, CoreVerdict } from '../../share/coreLayout';

/** Settings a running pair takes as they are; every other key builds a new pair (Reset). */
export const LIVE_KEYS: readonly (keyof GanConfig)[] = ['gOptimizer', 'gLearningRate', 'dOptimizer', 'dLearningRate', 'loss', 'dSteps', 'gSteps'];

export function needsRebuild(a: GanConfig, b: GanConfig): boolean {
  return (Object.keys(a) as (keyof GanConfig)[]).some((k) => !LIVE_KEYS.includes(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export interface Progress { running: boolean; iteration: number; iterationsPerSec: number; dReal: number; dFake: number }

export interface GanState {
  config: GanConfig;
  /** The drawn distribution (data=custom), in the lab's square. */
  points: DrawnPoint[];
  built: { config: GanConfig; gParams: number; dParams: number } | null;
  building: boolean;
  progress: Progress | null;
  dLosses: StepSeries;
  gLosses: StepSeries;
  /** Distance points: x (iterations), sliced Wasserstein, KL and JS (bits). */
  dist: { at: number[]; sw: number[]; kl: number[]; js: number[] };
  diagnosis: Diagnosis | null;
  map: MapView | null;
  notice: Notice | null;
  speed: Speed;
  version: number;
}

const emptyDist = () => ({ at: [], sw: [], kl: [], js: [] });

const flatPoints = (points: readonly DrawnPoint[]): Float32Array => {
  const out = new Float32Array(2 * points.length);
  points.forEach((p, i) => { out[2 * i] = p.x; out[2 * i + 1] = p.y; });
  return out;
};

export class GanStore extends LabStore<GanState, GanCommand, GanSnapshot, GanEvent> {
  private buildingFrom: GanConfig | null = null;
  private wanted: Wanted = { map: false };

  constructor(factory?: WorkerFactory, start?: GanConfig, points: DrawnPoint[] = []) {
    super({
      lab: 'gan', restored: 'your settings and the weights', onError: { building: false },
      onFatal: (text) => ({ notice: { kind: 'warning', text: `${text} Reset starts it again.` }, built: null, progress: null, building: false }),
    }, factory, {
      config: start ?? ganCodec.defaults(), points, built: null, building: false, progress: null,
      dLosses: new StepSeries(0.95), gLosses: new StepSeries(0.95), dist: emptyDist(), diagnosis: null, map: null,
      notice: null, speed: FULL_SPEED, version: 0,
    });
  }

  protected override wantCommand(): GanCommand {
    return { type: 'want', wanted: this.wanted };
  }

  protected receiveSnapshot(snap: GanSnapshot): void {
    const s = this.state;
    for (let i = 0; i < snap.at.length; i++) {
      const x = snap.at[i]!;
      if (Number.isFinite(snap.dLosses[i]!)) s.dLosses.push(snap.dLosses[i]!, x);
      if (Number.isFinite(snap.gLosses[i]!)) s.gLosses.push(snap.gLosses[i]!, x);
    }
    const patch: Partial<GanState> = {
      progress: { running: snap.running, iteration: snap.iteration, iterationsPerSec: snap.iterationsPerSec, dReal: snap.dReal, dFake: snap.dFake },
      diagnosis: snap.diagnosis,
    };
    if (snap.distances.length > 0) {
      const d = s.dist;
      for (const p of snap.distances) { d.at.push(p.at); d.sw.push(p.distance); d.kl.push(p.kl); d.js.push(p.js); }
      patch.dist = { ...d };
    }
    if (snap.map) patch.map = snap.map;
    this.set(patch);
  }

  protected receive(e: GanEvent): void {
    if (e.type === 'built') this.set({ built: { config: this.buildingFrom ?? this.state.config, gParams: e.gParams, dParams: e.dParams }, building: false });
  }

  /** Builds a fresh pair from the settings (Reset, and any setting a pair cannot take as it is);
   *  from a GAN file's networks when `snapshot` is given. */
  build(snapshot?: GanFileSnapshot): void {
    const config = this.state.config;
    if (config.dist === 'custom' && this.state.points.length === 0) {
      this.set({ built: null, building: false, progress: null, map: null, notice: { kind: 'info', text: 'Draw the real distribution on the map (click or drag), then press "Train on this drawing".' } });
      return;
    }
    this.buildingFrom = config;
    const points = config.dist === 'custom' ? flatPoints(this.state.points) : null;
    this.lab().send({ type: 'build', config, points, ...(snapshot ? { snapshot } : {}) }, { replay: 'build', dropsWeights: true });
    this.set({
      built: null, building: true, progress: null, dLosses: new StepSeries(0.95), gLosses: new StepSeries(0.95), dist: emptyDist(),
      diagnosis: null, map: null, notice: null,
    });
  }

  /** New settings: live ones go to the running pair, the rest build a new one. */
  setConfig(config: GanConfig): void {
    const before = this.state.built?.config ?? null;
    this.set({ config });
    if (!before || needsRebuild(before, config)) {
      if (this.client || before || config.dist !== 'custom') this.build();
      return;
    }
    this.lab().send({ type: 'settings', config }, { replay: 'settings' });
  }

  /** The drawn distribution changed; a custom pair is rebuilt on it. */
  setPoints(points: DrawnPoint[]): void {
    this.set({ points });
  }

  want(w: Partial<Wanted>): void {
    const next = { ...this.wanted, ...w };
    if (next.map === this.wanted.map) return;
    this.wanted = next;
    if (this.client) this.client.send({ type: 'want', wanted: next }, { replay: 'want' });
  }

  play(): void {
    if (!this.state.built) return;
    this.set({ notice: null });
    this.lab().setRunning(true);
  }

  async run(running: boolean): Promise<CommandResult> {
    if (running && !this.state.built && !this.state.building) throw new Error('the GAN is not built yet');
    return this.lab().run(running);
  }

  /** `count` whole iterations (pauses first). */
  async step(count: number): Promise<CommandResult> {
    if (!this.state.built && !this.state.building) throw new Error('the GAN is not built yet');
    return this.lab().step({ batches: count });
  }

  /** One iteration of D only, G only, or both (pauses). */
  async iterate(which: 'd' | 'g' | 'both'): Promise<void> {
    if (!this.state.built) return;
    this.client?.setRunning(false);
    await this.lab().request({ type: 'iterate', which });
  }

  /** Both networks as a GAN file holds them. */
  async snapshot(): Promise<GanFileSnapshot> {
    if (!this.state.built) throw new Error('the GAN is not built yet');
    return (await this.lab().request<GanFileSnapshot>({ type: 'snapshot' })).result;
  }

  /** A checked GAN file: its settings, drawing and both networks (training paused). */
  async loadGan(config: GanConfig, points: DrawnPoint[], snapshot: GanFileSnapshot): Promise<void> {
    if (this.client) await this.client.run(false);
    this.set({ config, points });
    this.build(snapshot);
  }

  /** The core's plan of a layer list (reading GAN files). */
  askCore(request: CoreRequest): Promise<CoreVerdict> {
    return this.lab().askCore(request);
  }

  /** G's weights then D's. */
  async getParams(): Promise<Float32Array> {
    if (!this.state.built) throw new Error('the GAN is not built yet');
    return (await this.lab().request<Float32Array>({ type: 'get-params' })).result;
  }
}

let shared: GanStore | null = null;
/** The page's store, created when the tab first opens, with the link's settings and drawn points. */
export function ganStore(start?: GanConfig, points?: DrawnPoint[]): GanStore {
  shared ??= new GanStore(undefined, start, points ?? []);
  return shared;
}
