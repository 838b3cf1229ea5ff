// The GAN lab's session in the worker: one GanPair (engine/gan.js, the one
// GAN trainer) on a seeded real-data stream, trained one iteration (D steps,
// then G steps) per host step. The losses go out with every snapshot; the
// distance (sliced Wasserstein, with histogram KL/JS) and the diagnosis are
// measured on fixed real and generated sets a few times a second of
// training; the map (samples, D's heatmap, G's manifold, arrows) is
// computed only while the page shows it, at most every MAP_EVERY_MS.
import type { LabContext, LabSession, LabSessionFactory } from '../../engine/lab-session';
import { GanPair, fillNoise } from '../../engine/gan.js';
import { createRng } from '../../lib/rng.js';
import { formatLearningRate } from '../../lib/format';
import { EXTENT, ganLayers, type GanConfig } from './config';
import { RealSampler, needsPoints, realSeed } from './data';
import { coverage, diagnose, histogramDivergences, realRegions, slicedWasserstein, spread, type Diagnosis } from './metrics';
import type { DistancePoint, GanCommand, GanEvent, GanFileSnapshot, GanSnapshot, MapView, Wanted } from './protocol';
import { ganSnapshot, restoreGanPair } from '../../share/ganFile';

const CHUNK_MS = 25;
/** Training time between distance measurements. */
const DISTANCE_EVERY_MS = 250;
const MAP_EVERY_MS = 100;
/** Points in the fixed real and generated sets the views and the distance use. */
export const VIEW_POINTS = 500;
const GRID = 48;
const MANIFOLD_2D = 13;
const MANIFOLD_1D = 80;
const RATE_WINDOW_MS = 1000;
/** How far back "G's loss is rising" looks (iterations). */
const RISE_WINDOW = 500;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

class GanSession implements LabSession {
  readonly chunkMs = CHUNK_MS;
  private config: GanConfig | null = null;
  private pair: GanPair | null = null;
  private sampler: RealSampler | null = null;
  private viewReal: Float32Array = new Float32Array(0);
  private viewNoise: Float32Array = new Float32Array(0);
  private regions: ReturnType<typeof realRegions> | null = null;
  private running = false;
  private iteration = 0;
  private trainMs = 0;
  private lastDistanceAt = -Infinity;
  private lastMap = -Infinity;
  private mapDirty = true;
  private at: number[] = [];
  private dLosses: number[] = [];
  private gLosses: number[] = [];
  private dReal = NaN;
  private dFake = NaN;
  private gEma = NaN;
  /** G's smoothed loss every 100 iterations, for "rising". */
  private gHistory: { at: number; loss: number }[] = [];
  private distances: DistancePoint[] = [];
  private diagnosis: Diagnosis = { kind: 'early', text: 'Press Train: G starts from noise.' };
  private diverged = false;
  private wanted: Wanted = { map: false };
  private readonly rate: { t: number; steps: number }[] = [];

  constructor(private readonly ctx: LabContext) {}

  private emit(e: GanEvent): void { this.ctx.emit(e); }

  status() { return { running: this.running, epoch: this.iteration }; }

  setRunning(running: boolean): void {
    const was = this.running;
    this.running = running && this.pair !== null && !this.diverged;
    this.rate.length = 0;
    // A pause measures where training stopped (the charts end at the iteration shown).
    if (was && !this.running) this.measure();
  }

  handle(raw: unknown): unknown {
    const msg = raw as GanCommand;
    switch (msg.type) {
      case 'build': this.build(msg.config, msg.points, msg.snapshot); return undefined;
      case 'snapshot':
        if (!this.pair) throw new Error('the GAN is not built yet');
        return ganSnapshot(this.pair, this.iteration);
      case 'settings': this.settings(msg.config); return undefined;
      case 'want':
        this.wanted = msg.wanted;
        this.mapDirty = true;
        return undefined;
      case 'iterate': {
        this.running = false;
        this.train(1, Infinity, msg.which);
        this.measure();
        return undefined;
      }
      case 'get-params': return this.params() ?? new Float32Array(0);
      case 'load-params': this.loadParams(msg.params); return undefined;
    }
  }

  /** A new pair from the config, or from a GAN file's snapshot (its weights and iteration count; the page checked it against the config). */
  private build(config: GanConfig, points: Float32Array | null, snapshot?: GanFileSnapshot): void {
    this.running = false;
    if (needsPoints(config.dist, points)) throw new Error('Draw some points first: the custom distribution has none.');
    const maxRows = Math.max(VIEW_POINTS, GRID * GRID, MANIFOLD_2D * MANIFOLD_2D, MANIFOLD_1D);
    const layers = ganLayers(config);
    const pair = snapshot ? restoreGanPair(this.ctx.engine, snapshot, { maxRows }) : new GanPair(this.ctx.engine, {
      noiseDim: config.noiseDim, noise: config.noise, sampleShape: 2,
      generator: layers.generator, discriminator: layers.discriminator, loss: config.loss,
      optG: { kind: config.gOptimizer, lr: config.gLearningRate }, optD: { kind: config.dOptimizer, lr: config.dLearningRate },
      batch: config.batch, dSteps: config.dSteps, gSteps: config.gSteps, seed: config.seed, maxRows,
    });
    this.pair?.destroy();
    this.pair = pair;
    this.config = config;
    const seed = realSeed(config.seed);
    this.sampler = new RealSampler(config.dist, seed, points);
    this.viewReal = new RealSampler(config.dist, (seed + 1) >>> 0, points).take(VIEW_POINTS);
    this.viewNoise = fillNoise(createRng((seed + 2) >>> 0), config.noise, new Float32Array(VIEW_POINTS * config.noiseDim));
    this.regions = realRegions(this.viewReal);
    this.iteration = snapshot?.iterations ?? 0;
    this.trainMs = 0;
    this.at = []; this.dLosses = []; this.gLosses = [];
    this.dReal = NaN; this.dFake = NaN; this.gEma = NaN;
    this.gHistory = [];
    this.distances = [];
    this.diverged = false;
    this.mapDirty = true;
    this.lastDistanceAt = -Infinity;
    this.measure();
    this.emit({ type: 'built', gParams: pair.g.paramCount, dParams: pair.d.paramCount });
  }

  /** Optimizers, learning rates, the loss and the steps per iteration take effect on the running pair. */
  private settings(config: GanConfig): void {
    const pair = this.pair;
    if (!pair || !this.config) { this.config = config; return; }
    this.config = { ...this.config, gOptimizer: config.gOptimizer, gLearningRate: config.gLearningRate, dOptimizer: config.dOptimizer,
      dLearningRate: config.dLearningRate, loss: config.loss, dSteps: config.dSteps, gSteps: config.gSteps };
    pair.setOptimizers({ kind: config.gOptimizer, lr: config.gLearningRate }, { kind: config.dOptimizer, lr: config.dLearningRate });
    pair.setTraining({ loss: config.loss, dSteps: config.dSteps, gSteps: config.gSteps });
    this.mapDirty = true;
  }

  stepsPerEpoch(): number {
    // An "epoch" of this lab is one iteration: the host's step and the API's epoch count iterations.
    return this.pair ? 1 : 0;
  }

  /** Up to maxSteps iterations in budgetMs; false without a pair. */
  private train(maxSteps: number, budgetMs: number, which: 'd' | 'g' | 'both' = 'both'): number {
    const { pair, sampler, config } = this;
    if (!pair || !sampler || !config || this.diverged) return 0;
    const t0 = performance.now();
    const next = () => sampler.next(config.batch);
    let steps = 0;
    while (steps < maxSteps && performance.now() - t0 < budgetMs) {
      const r = pair.iterate(next, which);
      this.iteration++;
      steps++;
      if (r.diverged || (r.d && !Number.isFinite(r.d.loss)) || (r.g && !Number.isFinite(r.g.loss))) {
        this.diverged = true;
        this.running = false;
        this.diagnosis = diagnose({ iteration: this.iteration, realSpread: 0, fakeSpread: NaN, coverage: { covered: 0, regions: 0, onData: 0, topShare: 0 }, dReal: null, dFake: null, gLoss: NaN, gLossBefore: null, diverged: true });
        const tips = [`lower the learning rates (try G ${formatLearningRate(config.gLearningRate / 10)}, D ${formatLearningRate(config.dLearningRate / 10)})`];
        if (config.gOptimizer !== 'adam' || config.dOptimizer !== 'adam') tips.push('switch to Adam');
        if (config.loss === 'bce') tips.push('try the least-squares loss');
        this.ctx.diverged(`Training diverged at iteration ${this.iteration}: a loss became NaN or infinite. Press Reset, then ${tips.join(', or ')}.`);
        break;
      }
      this.at.push(this.iteration);
      this.dLosses.push(r.d ? r.d.loss : NaN);
      this.gLosses.push(r.g ? r.g.loss : NaN);
      if (r.d) { this.dReal = r.d.real; this.dFake = r.d.fake; }
      if (r.g) {
        this.gEma = Number.isFinite(this.gEma) ? 0.98 * this.gEma + 0.02 * r.g.loss : r.g.loss;
        if (this.iteration % 100 === 0) {
          this.gHistory.push({ at: this.iteration, loss: this.gEma });
          if (this.gHistory.length > 2 * RISE_WINDOW / 100) this.gHistory.shift();
        }
      }
    }
    const ms = performance.now() - t0;
    this.trainMs += ms;
    if (steps > 0) {
      this.mapDirty = true;
      const now = performance.now();
      this.rate.push({ t: now, steps });
      while (this.rate.length > 1 && now - this.rate[0]!.t > RATE_WINDOW_MS) this.rate.shift();
    }
    return steps;
  }

  chunk(budgetMs: number, maxSteps: number): number | false {
    if (!this.pair) return false;
    const steps = this.train(maxSteps, budgetMs);
    if (steps > 0 && (this.trainMs - this.lastDistanceAt >= DISTANCE_EVERY_MS || maxSteps !== Infinity)) this.measure();
    return steps;
  }

  /** G's samples of the fixed noise. */
  private fakes(): Float32Array {
    return (this.pair!.generate(this.viewNoise, VIEW_POINTS) as Float32Array).slice();
  }

  /** The distance on the fixed sets, and the diagnosis. */
  private measure(): void {
    if (!this.pair || !this.regions || this.diverged) return;
    this.lastDistanceAt = this.trainMs;
    const fake = this.fakes();
    const { kl, js } = histogramDivergences(this.viewReal, fake);
    const distance = slicedWasserstein(this.viewReal, fake);
    this.distances.push({ at: this.iteration, distance, kl, js });
    const bce = this.config!.loss === 'bce';
    const before = this.gHistory.find((h) => h.at >= this.iteration - RISE_WINDOW && h.at <= this.iteration - RISE_WINDOW / 2);
    this.diagnosis = diagnose({
      iteration: this.iteration, realSpread: spread(this.viewReal), fakeSpread: spread(fake), coverage: coverage(fake, this.regions),
      dReal: bce && Number.isFinite(this.dReal) ? this.dReal : null, dFake: bce && Number.isFinite(this.dFake) ? this.dFake : null,
      gLoss: this.gEma, gLossBefore: before?.loss ?? null, diverged: !Number.isFinite(distance),
    });
  }

  private speed(): number {
    const r = this.rate;
    if (r.length < 2) return 0;
    const steps = r.slice(1).reduce((s, x) => s + x.steps, 0);
    return (steps * 1000) / Math.max(1, r[r.length - 1]!.t - r[0]!.t);
  }

  private mapView(): MapView {
    const pair = this.pair!, config = this.config!;
    const fake = this.fakes();
    const arrows = pair.pushes(fake, VIEW_POINTS).slice();
    const gridIn = new Float32Array(GRID * GRID * 2);
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        gridIn[2 * (r * GRID + c)] = -EXTENT + ((c + 0.5) * 2 * EXTENT) / GRID;
        gridIn[2 * (r * GRID + c) + 1] = EXTENT - ((r + 0.5) * 2 * EXTENT) / GRID;
      }
    }
    const grid = (pair.judge(gridIn, GRID * GRID) as Float32Array).slice();
    if (config.loss === 'bce') for (let i = 0; i < grid.length; i++) grid[i] = sigmoid(grid[i]!);
    // The noise grid spans the uniform noise's square, or ±2 standard deviations.
    const span = config.noise === 'uniform' ? 1 : 2;
    const rows = config.noiseDim === 2 ? MANIFOLD_2D : 1;
    const cols = config.noiseDim === 2 ? MANIFOLD_2D : MANIFOLD_1D;
    const z = new Float32Array(rows * cols * config.noiseDim);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        z[i * config.noiseDim] = -span + (2 * span * c) / (cols - 1);
        if (config.noiseDim === 2) z[i * 2 + 1] = -span + (2 * span * r) / (rows - 1);
      }
    }
    const manifold = (pair.generate(z, rows * cols) as Float32Array).slice();
    return { real: this.viewReal.slice(), fake, arrows, grid, gridSize: GRID, manifold, manifoldRows: rows, manifoldCols: cols };
  }

  snapshot(): [GanSnapshot, Transferable[]] | null {
    if (!this.pair || !this.config) return null;
    const now = performance.now();
    let map: MapView | null = null;
    if (this.wanted.map && this.mapDirty && !this.diverged && now - this.lastMap >= (this.running ? MAP_EVERY_MS : 0)) {
      this.lastMap = now;
      this.mapDirty = false;
      map = this.mapView();
    }
    const snap: GanSnapshot = {
      iteration: this.iteration, running: this.running, iterationsPerSec: this.running ? this.speed() : 0,
      at: Float32Array.from(this.at), dLosses: Float32Array.from(this.dLosses), gLosses: Float32Array.from(this.gLosses),
      dReal: this.dReal, dFake: this.dFake, distances: this.distances, diagnosis: this.diagnosis, map,
    };
    this.at = []; this.dLosses = []; this.gLosses = []; this.distances = [];
    const transfer: Transferable[] = [snap.at.buffer, snap.dLosses.buffer, snap.gLosses.buffer];
    if (map) transfer.push(map.real.buffer, map.fake.buffer, map.arrows.buffer, map.grid.buffer, map.manifold.buffer);
    return [snap, transfer];
  }

  /** G's weights, then D's. */
  params(): Float32Array | null {
    if (!this.pair) return null;
    const g = this.pair.g.params(), d = this.pair.d.params();
    const both = new Float32Array(g.length + d.length);
    both.set(g);
    both.set(d, g.length);
    return both;
  }

  loadParams(params: Float32Array): void {
    const pair = this.pair;
    if (!pair) throw new Error('there is no GAN to load the weights into');
    const ng = pair.g.paramCount, nd = pair.d.paramCount;
    if (params.length !== ng + nd) throw new Error(`these weights have ${params.length} values; G and D have ${ng} + ${nd}`);
    pair.g.loadParams(params.subarray(0, ng));
    pair.d.loadParams(params.subarray(ng));
    this.mapDirty = true;
    this.measure();
  }

  dispose(): void {
    this.pair?.destroy();
    this.pair = null;
  }
}

export const createSession: LabSessionFactory = (ctx: LabContext) => new GanSession(ctx);
