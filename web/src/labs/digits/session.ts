// The digits GAN's session in the worker: streams MNIST into the heap with
// the MNIST lab's loader (once), builds the pair with engine/gan.js's
// GanPair, trains it in ~30 ms chunks (one iteration = dSteps D steps on real
// batches, then gSteps G steps), and sends what the page shows: every
// iteration's losses and D's means, and a few times a second the samples of
// the fixed noise (the grid) and of the interpolation between two noise
// vectors, computed only while their panels are on screen.
import type { Engine } from '../../engine/nn-wasm.js';
import type { LabContext, LabSession, LabSessionFactory } from '../../engine/lab-session';
import { GanPair, fillNoise } from '../../engine/gan.js';
import { ganSnapshot, type GanSnapshot } from '../../share/ganFile';
import { createRng, type Rng } from '../../lib/rng.js';
import { streamAsset } from '../mnist/load-asset';
import type { MnistHeapData } from '../mnist/data.js';
import type { GanDigitsConfig } from './config';
import { DIGIT_PIXELS, digitsGanSpec, inkToInput, RealBatches, toInk } from './digits.js';
import { GRID, INTERPOLATION_STEPS, type GanDigitsCommand, type GanDigitsEvent, type GanDigitsSnapshot, type Judgement, type Wanted } from './protocol';

const CHUNK_MS = 30;
const RATE_WINDOW_MS = 1000;
/** Wall time between redrawn sample views while training. */
const VIEWS_EVERY_MS = 250;
/** The fixed grid's and the interpolation ends' noise streams, apart from training's. */
const GRID_SEED = 0x6a09e667;
const ENDS_SEED = 0xbb67ae85;

class GanDigitsSession implements LabSession {
  readonly chunkMs = CHUNK_MS;
  private data: MnistHeapData | null = null;
  private loading: Promise<MnistHeapData> | null = null;
  private config: GanDigitsConfig | null = null;
  private pair: GanPair | null = null;
  private real: RealBatches | null = null;
  private running = false;
  private which: 'both' | 'd' | 'g' = 'both';
  private wanted: Wanted = { samples: false, interpolate: false };
  private gridNoise = new Float32Array(0);
  private endsRng: Rng = createRng(ENDS_SEED);
  private endA = new Float32Array(0);
  private endB = new Float32Array(0);
  private lastViews = -Infinity;
  private viewsDirty = true;
  private unsent = { dLoss: [] as number[], gLoss: [] as number[], dReal: [] as number[], dFake: [] as number[], at: [] as number[] };
  private last = { dLoss: NaN, gLoss: NaN, dReal: NaN, dFake: NaN };
  private readonly rate: { t: number; steps: number }[] = [];

  constructor(private readonly ctx: LabContext) {}

  private get engine(): Engine { return this.ctx.engine; }
  private emit(e: GanDigitsEvent): void { this.ctx.emit(e); }

  status() { return { running: this.running, epoch: this.pair?.iterations ?? 0 }; }

  setRunning(running: boolean): void {
    this.running = running && this.pair !== null;
    this.rate.length = 0;
  }

  async handle(raw: unknown): Promise<unknown> {
    const msg = raw as GanDigitsCommand;
    switch (msg.type) {
      case 'load': await this.load(msg.manifestUrl); return undefined;
      case 'build': this.build(msg.config); return undefined;
      case 'settings': this.settings(msg.config); return undefined;
      case 'want':
        this.wanted = msg.wanted;
        this.viewsDirty = true;
        return undefined;
      case 'reroll': this.reroll(msg.end); return undefined;
      case 'which': this.which = msg.which; return undefined;
      case 'judge': return this.judge(msg.pixels);
      case 'snapshot':
        if (!this.pair) throw new Error('the networks are not built yet');
        return ganSnapshot(this.pair);
      case 'restore': this.restore(msg.config, msg.snapshot); return undefined;
      case 'get-params': return this.params() ?? new Float32Array(0);
      case 'load-params': this.loadParams(msg.params); return undefined;
    }
  }

  private async load(manifestUrl: string): Promise<void> {
    if (this.data) { this.emit({ type: 'loaded', nTrain: this.data.header.nTrain }); return; }
    this.loading ??= streamAsset(this.engine, manifestUrl, (loaded, total) => this.emit({ type: 'progress', loaded, total }));
    try {
      const data = await this.loading;
      this.data = data;
      this.emit({ type: 'loaded', nTrain: data.header.nTrain });
      if (this.config && !this.pair) this.build(this.config);
    } catch (err) {
      this.loading = null;
      const message = err instanceof Error ? err.message : String(err);
      this.emit({ type: 'load-error', message });
      throw new Error(`The MNIST digits could not be loaded: ${message}`);
    }
  }

  /** A new pair from the config (before the data is in: built as soon as it is). */
  private build(config: GanDigitsConfig): void {
    this.running = false;
    this.config = config;
    if (!this.data) return;
    const pair = new GanPair(this.engine, digitsGanSpec(config));
    this.pair?.destroy();
    this.pair = pair;
    this.real = this.realBatches(config.batch, config.seed);
    this.gridNoise = new Float32Array(GRID * config.noiseDim);
    fillNoise(createRng(GRID_SEED), config.noise, this.gridNoise);
    this.endsRng = createRng(ENDS_SEED);
    this.endA = new Float32Array(config.noiseDim);
    this.endB = new Float32Array(config.noiseDim);
    this.reroll('both');
    this.unsent = { dLoss: [], gLoss: [], dReal: [], dFake: [], at: [] };
    this.last = { dLoss: NaN, gLoss: NaN, dReal: NaN, dFake: NaN };
    this.viewsDirty = true;
    this.lastViews = -Infinity;
    this.emit({ type: 'built', gParams: pair.g.paramCount, dParams: pair.d.paramCount });
  }

  /** A checked GAN file's networks (the page compared its layers with the config's). */
  private restore(config: GanDigitsConfig, snapshot: GanSnapshot): void {
    if (!this.data) throw new Error('the digits are not loaded yet');
    this.build(config);
    const g = snapshot.generator.params, d = snapshot.discriminator.params;
    const params = new Float32Array(g.length + d.length);
    params.set(g);
    params.set(d, g.length);
    this.loadParams(params);
    this.pair!.iterations = snapshot.iterations;
  }

  /** Settings a pair takes as it is; a larger batch gets a new pair with the same weights. */
  private settings(config: GanDigitsConfig): void {
    const pair = this.pair;
    this.config = config;
    if (!pair || !this.data) return;
    if (config.batch > pair.spec.batch) {
      // The networks were sized for the old batch: new ones with the same weights and count
      // (the optimizers' moments start again).
      const params = this.params()!, iterations = pair.iterations;
      this.build(config);
      this.loadParams(params);
      this.pair!.iterations = iterations;
      return;
    }
    const spec = digitsGanSpec(config);
    pair.spec = { ...pair.spec, loss: spec.loss, batch: spec.batch, dSteps: spec.dSteps, gSteps: spec.gSteps };
    pair.setOptimizers(spec.optG, spec.optD);
    this.real = this.realBatches(config.batch, config.seed + pair.iterations);
  }

  /** Real batches from the training pixels, viewed afresh each batch (the heap may grow). */
  private realBatches(batch: number, seed: number): RealBatches {
    const data = this.data!;
    const start = data.layout.trainPixels, end = start + data.header.nTrain * DIGIT_PIXELS;
    return new RealBatches(() => data.raw.view().subarray(start, end), data.header.nTrain, batch, seed);
  }

  private reroll(end: 'a' | 'b' | 'both'): void {
    const kind = this.config?.noise ?? 'gaussian';
    if (end !== 'b') fillNoise(this.endsRng, kind, this.endA);
    if (end !== 'a') fillNoise(this.endsRng, kind, this.endB);
    this.viewsDirty = true;
  }

  private judge(pixels: Float32Array): Judgement {
    if (!this.pair) throw new Error('the networks are not built yet');
    if (pixels.length !== DIGIT_PIXELS) throw new Error(`a drawn digit has ${DIGIT_PIXELS} pixels, not ${pixels.length}`);
    const score = this.pair.judge(inkToInput(pixels), 1)[0] ?? NaN;
    return { score, probability: this.pair.spec.loss === 'bce' ? 1 / (1 + Math.exp(-score)) : null };
  }

  stepsPerEpoch(): number {
    return this.pair ? 1000 : 0;
  }

  chunk(budgetMs: number, maxSteps: number): number | false {
    const { pair, real } = this;
    if (!pair || !real) return false;
    const t0 = performance.now();
    let steps = 0;
    const nextReal = () => real.next();
    while (steps < maxSteps && performance.now() - t0 < budgetMs) {
      const r = pair.iterate(nextReal, this.which);
      steps++;
      if (r.diverged || (r.d && !Number.isFinite(r.d.loss)) || (r.g && !Number.isFinite(r.g.loss))) {
        this.running = false;
        this.ctx.diverged(`The GAN diverged at iteration ${pair.iterations} (a loss or a weight stopped being a finite number). Lower the learning rates (now G ${this.config?.gLearningRate}, D ${this.config?.dLearningRate}) and press Reset.`);
        break;
      }
      if (r.d) this.last = { ...this.last, dLoss: r.d.loss, dReal: r.d.real, dFake: r.d.fake };
      if (r.g) this.last = { ...this.last, gLoss: r.g.loss };
      const p = this.unsent;
      p.dLoss.push(this.last.dLoss);
      p.gLoss.push(this.last.gLoss);
      p.dReal.push(this.last.dReal);
      p.dFake.push(this.last.dFake);
      p.at.push(pair.iterations);
    }
    if (steps > 0) {
      this.viewsDirty = true;
      const now = performance.now();
      this.rate.push({ t: now, steps });
      while (this.rate.length > 1 && now - this.rate[0]!.t > RATE_WINDOW_MS) this.rate.shift();
    }
    return steps;
  }

  private speed(): number {
    const r = this.rate;
    if (r.length < 2) return 0;
    const steps = r.slice(1).reduce((s, x) => s + x.steps, 0);
    return (steps * 1000) / Math.max(1, r[r.length - 1]!.t - r[0]!.t);
  }

  /** G's samples of `noise` (n rows) as ink 0..1. */
  private inks(noise: Float32Array, n: number): Float32Array {
    return toInk(Float32Array.from(this.pair!.generate(noise, n)));
  }

  private stripNoise(): Float32Array {
    const z = this.config!.noiseDim;
    const out = new Float32Array(INTERPOLATION_STEPS * z);
    for (let s = 0; s < INTERPOLATION_STEPS; s++) {
      const t = s / (INTERPOLATION_STEPS - 1);
      for (let i = 0; i < z; i++) out[s * z + i] = (1 - t) * this.endA[i]! + t * this.endB[i]!;
    }
    return out;
  }

  snapshot(): [GanDigitsSnapshot, Transferable[]] | null {
    const pair = this.pair;
    if (!pair) return null;
    const now = performance.now();
    let samples: Float32Array | null = null;
    let strip: Float32Array | null = null;
    if ((this.wanted.samples || this.wanted.interpolate) && this.viewsDirty && now - this.lastViews >= (this.running ? VIEWS_EVERY_MS : 0)) {
      this.lastViews = now;
      this.viewsDirty = false;
      if (this.wanted.samples) samples = this.inks(this.gridNoise, GRID);
      if (this.wanted.interpolate) strip = this.inks(this.stripNoise(), INTERPOLATION_STEPS);
    }
    const p = this.unsent;
    const snap: GanDigitsSnapshot = {
      iteration: pair.iterations, running: this.running, iterationsPerSec: this.running ? this.speed() : 0,
      dLoss: Float32Array.from(p.dLoss), gLoss: Float32Array.from(p.gLoss), dReal: Float32Array.from(p.dReal), dFake: Float32Array.from(p.dFake),
      at: Float32Array.from(p.at), samples, strip,
    };
    this.unsent = { dLoss: [], gLoss: [], dReal: [], dFake: [], at: [] };
    const transfer: Transferable[] = [snap.dLoss.buffer, snap.gLoss.buffer, snap.dReal.buffer, snap.dFake.buffer, snap.at.buffer];
    if (samples) transfer.push(samples.buffer);
    if (strip) transfer.push(strip.buffer);
    return [snap, transfer];
  }

  /** G's parameters then D's (restarts, the page's files). */
  params(): Float32Array | null {
    const pair = this.pair;
    if (!pair) return null;
    const g = pair.g.params(), d = pair.d.params();
    const out = new Float32Array(g.length + d.length);
    out.set(g);
    out.set(d, g.length);
    return out;
  }

  loadParams(params: Float32Array): void {
    const pair = this.pair;
    if (!pair) throw new Error('no GAN to load weights into');
    const nG = pair.g.paramCount, nD = pair.d.paramCount;
    if (params.length !== nG + nD) throw new Error(`the weights have ${params.length} values; this GAN has ${nG} + ${nD}`);
    pair.g.loadParams(params.subarray(0, nG));
    pair.d.loadParams(params.subarray(nG));
    this.viewsDirty = true;
  }

  dispose(): void {
    this.pair?.destroy();
    this.data?.free();
  }
}

export const createSession: LabSessionFactory = (ctx) => new GanDigitsSession(ctx);
