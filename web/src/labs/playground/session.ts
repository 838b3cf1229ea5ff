// The playground's session in the worker: one model, its data kept in the
// WASM heap, and its training loop. It knows nothing about postMessage: the
// worker host (engine/host.worker.ts) drives it through createSession below.

import { featurize, outputSize, targetsFor } from '../../data/datasets';
import { createRng, permutation, shuffleSeed, type Rng } from '../../lib/rng.js';
import type { Dataset } from '../../data/types';
import { OUTPUT_HEAD } from '../../share/network';
import { Status, type Engine, type HeapBuffer, type Model } from '../../engine/nn-wasm.js';
import { divergenceAdvice } from '../../engine/divergence';
import type { LabSession, LabSessionFactory } from '../../engine/lab-session';
import type { DataSpec, GradientCheck, HyperParams, NetSpec, PlaygroundCommand, Snapshot, TraceResult, ViewSpec } from './protocol';
import { ExampleTracer } from '../../engine/trace.js';
import { ViewProbes } from './view-probes';

/** Work per chunk before the worker looks at its message queue again:
 *  short enough that a control or a frame's ack waits at most this long,
 *  long enough that yielding (~50 µs) costs little. */
export const CHUNK_MS = 4;
/** Largest batch the model is built for: the link schema's batch limit
 *  (state/schema.ts, 1..256). MNIST's models take 512. */
const MAX_BATCH = 256;
/** Per-epoch train losses kept between two snapshots. Snapshots wait for the
 *  page's ack (one per frame), so a hidden tab takes none while training goes
 *  on: past this many, every other epoch is dropped, bounding the memory. */
export const MAX_PENDING_LOSSES = 1 << 14;

type F32 = HeapBuffer<Float32Array>;
type I32 = HeapBuffer<Int32Array>;

interface HeapData {
  n: number;
  x: F32;
  y: F32;
  /** Floats per row of x and of y. */
  xDim: number;
  yDim: number;
  order: I32 | null;
}

function freeData(d: HeapData | null): void {
  if (!d) return;
  d.x.free();
  d.y.free();
  d.order?.free();
}

export interface SessionEvents {
  diverged(epoch: number, message: string): void;
}

export class Session {
  private model: Model | null = null;
  private net: NetSpec | null = null;
  private hyper: HyperParams | null = null;
  private data: DataSpec | null = null;
  private train: HeapData | null = null;
  private test: HeapData | null = null;
  /** The output map, thumbnails and curve each snapshot computes. */
  private readonly probes: ViewProbes;
  private shuffle: Rng = createRng(1);
  /** Each epoch's train loss since the last snapshot, and its epoch. */
  private pendingLosses: number[] = [];
  private pendingEpochs: number[] = [];

  epoch = 0;
  running = false;
  /** Training rows of the current epoch already used: batches trained one at
   *  a time (a paced speed, a step) may end between epochs. */
  private position = 0;
  /** The current epoch's order and its steps so far, while it runs batch by batch. */
  private epochOrder: Int32Array | null = null;
  private epochLossSum = 0;
  private epochSteps = 0;
  private batchX = new Float32Array(0);
  private batchY = new Float32Array(0);
  /** Throughput bookkeeping since the last snapshot. */
  private examples = 0;
  private trainMs = 0;
  private epochsSince = 0;
  private since = performance.now();
  private rate = { examples: 0, engineExamples: 0, epochs: 0 };

  constructor(private readonly engine: Engine, private readonly events: SessionEvents) {
    this.probes = new ViewProbes(engine);
    this.tracer = new ExampleTracer(engine);
  }

  /** Training examples available (0 before the user draws any points). */
  get trainCount(): number {
    return this.train?.n ?? 0;
  }

  get ready(): boolean {
    return this.model !== null && this.data !== null && this.train !== null;
  }

  /** Builds a new model (new shape or seed). Epoch and optimizer state restart. */
  build(net: NetSpec): { paramCount: number; sizes: number[] } {
    const sizes = [net.inputs, ...net.hidden, net.outputs];
    const head = OUTPUT_HEAD[net.task];
    const model = this.engine.createModel({
      sizes,
      activations: [...net.activations, head.activation],
      loss: head.loss,
      seed: net.seed,
      maxBatch: MAX_BATCH,
    });
    this.model?.destroy();
    this.model = model;
    this.net = net;
    this.startWeights();
    this.restart(net.seed);
    this.probes.setNetwork(net.outputs);
    return { paramCount: model.paramCount, sizes };
  }

  /** Replaces the data; the model keeps its weights. */
  setData(data: DataSpec): void {
    const upload = (set: Dataset, withOrder: boolean): HeapData => {
      const n = set.labels.length;
      const xs = featurize(set.points, data.features);
      const ys = targetsFor(set, data.task);
      const x = this.engine.allocF32(Math.max(1, xs.length));
      const y = this.engine.allocF32(Math.max(1, ys.length));
      x.view().set(xs);
      y.view().set(ys);
      const order = withOrder ? this.engine.allocI32(Math.max(1, n)) : null;
      return { n, x, y, xDim: n > 0 ? xs.length / n : 0, yDim: n > 0 ? ys.length / n : 0, order };
    };
    const asSet = (p: DataSpec['train']): Dataset => ({
      points: p.points, labels: p.labels, task: data.task, nClasses: data.nClasses, dims: data.dims,
    });
    freeData(this.train);
    freeData(this.test);
    this.train = upload(asSet(data.train), true);
    this.endPartialEpoch(); // its order indexes the old rows
    this.test = upload(asSet(data.test), false);
    this.data = data;
    this.probes.setFeatures(data.features);
  }

  setView(view: ViewSpec): void {
    this.probes.setView(view);
  }

  applyHyper(h: HyperParams): void {
    this.hyper = h;
    if (!this.model) return;
    // Adam uses torch's defaults for beta2 and eps; beta1 is the momentum setting.
    const beta1 = h.optimizer === 'sgd' ? 0 : h.momentum;
    this.model.setOptimizer(h.optimizer, { lr: h.learningRate, beta1, beta2: 0.999, eps: 1e-8 });
    this.model.setRegularization(h.regularization, h.regularization === 'none' ? 0 : h.regRate);
  }

  reset(): void {
    if (!this.model || !this.net) return;
    this.model.reset(this.net.seed);
    this.startWeights();
    this.restart(this.net.seed);
  }

  /** Weights and biases set by hand since the last build, reset or load. */
  private handSet = 0;

  /** The core's seeded weights, or zeros when the network asks for them. */
  private startWeights(): void {
    this.handSet = 0;
    if (this.model && this.net?.init === 'zeros') this.model.loadParams(new Float32Array(this.model.paramCount));
  }

  /** Epoch 0 of a new or reset model: the shuffle starts over from the
   *  seed and the settings are applied (a new model starts with the core's
   *  defaults; nn_reset keeps them, so there it only restates them). */
  private restart(seed: number): void {
    this.epoch = 0;
    this.endPartialEpoch();
    this.pendingLosses = [];
    this.pendingEpochs = [];
    this.shuffle = createRng(shuffleSeed(seed));
    if (this.hyper) this.applyHyper(this.hyper);
  }

  setParam(layer: number, which: 0 | 1, row: number, col: number, value: number): void {
    if (!this.model) return;
    this.model.setParam(layer, which, row, col, value);
    this.handSet++;
  }

  params(): Float32Array {
    return this.model ? this.model.params() : new Float32Array(0);
  }

  loadParams(values: Float32Array): void {
    if (!this.model) throw new Error('no model to load parameters into');
    this.model.loadParams(values);
    this.handSet = 0;
  }

  /** Network outputs for arbitrary raw points [n x 2]. */
  predict(points: Float32Array): Float32Array {
    if (!this.model || !this.data || !this.net) throw new Error('no model yet');
    const n = points.length >> 1;
    const xs = featurize(points, this.data.features);
    const x = this.engine.allocF32(Math.max(1, xs.length));
    const out = this.engine.allocF32(Math.max(1, n * this.net.outputs));
    try {
      x.view().set(xs);
      if (n > 0) this.model.forward(x, n, out);
      return out.view().slice(0, n * this.net.outputs);
    } finally {
      x.free();
      out.free();
    }
  }

  /** Epochs trained, as a fraction inside an epoch. */
  get progress(): number {
    const n = this.train?.n ?? 0;
    return n > 0 ? this.epoch + this.position / n : this.epoch;
  }

  /** Batches in one epoch at the current batch size (0 without training data). */
  stepsPerEpoch(): number {
    const n = this.train?.n ?? 0;
    return n > 0 && this.hyper ? Math.ceil(n / Math.min(this.hyper.batchSize, MAX_BATCH)) : 0;
  }

  private endPartialEpoch(): void {
    this.position = 0;
    this.epochOrder = null;
    this.epochLossSum = 0;
    this.epochSteps = 0;
  }

  private diverge(): false {
    this.running = false;
    this.events.diverged(this.epoch, divergenceAdvice(this.hyper!, this.epoch));
    return false;
  }

  /** Trains one batch, the next of the current epoch (in the order a whole
   *  epoch would take them, so an epoch of batches equals trainEpoch); false
   *  when it diverged (training stops). Each batch's loss is a point of the
   *  loss curve, at its fractional epoch. */
  trainBatch(): boolean {
    const model = this.model;
    const train = this.train;
    if (!model || !train || !this.hyper || train.n === 0) return true;
    const n = train.n;
    if (this.position === 0 || !this.epochOrder) {
      this.endPartialEpoch();
      this.epochOrder = permutation(this.shuffle, n);
    }
    const order = this.epochOrder;
    const rows = Math.min(Math.min(this.hyper.batchSize, MAX_BATCH), n - this.position);
    const { xDim, yDim } = train;
    if (this.batchX.length < rows * xDim) this.batchX = new Float32Array(MAX_BATCH * xDim);
    if (this.batchY.length < rows * yDim) this.batchY = new Float32Array(MAX_BATCH * yDim);
    const xs = train.x.view();
    const ys = train.y.view();
    for (let r = 0; r < rows; r++) {
      const src = order[this.position + r]!;
      this.batchX.set(xs.subarray(src * xDim, (src + 1) * xDim), r * xDim);
      this.batchY.set(ys.subarray(src * yDim, (src + 1) * yDim), r * yDim);
    }
    const t0 = performance.now();
    const loss = model.trainStep(this.batchX.subarray(0, rows * xDim), this.batchY.subarray(0, rows * yDim), rows);
    this.trainMs += performance.now() - t0;
    if (model.status === Status.ERR_DIVERGED || !Number.isFinite(loss)) return this.diverge();
    this.position += rows;
    this.examples += rows;
    this.epochLossSum += loss;
    this.epochSteps++;
    this.recordLoss(this.epoch + this.position / n, loss);
    if (this.position >= n) {
      this.endPartialEpoch();
      this.epoch++;
      this.epochsSince++;
    }
    return true;
  }

  /** Trains one epoch; false when it diverged (training stops). */
  trainEpoch(): boolean {
    const model = this.model;
    const train = this.train;
    if (!model || !train || !this.hyper || train.n === 0 || !train.order) return true;
    const t0 = performance.now();
    train.order.view().set(permutation(this.shuffle, train.n));
    const loss = model.trainEpoch(train.x, train.y, train.n, train.order, Math.min(this.hyper.batchSize, MAX_BATCH));
    this.trainMs += performance.now() - t0;
    if (model.status === Status.ERR_DIVERGED || !Number.isFinite(loss)) return this.diverge();
    this.epoch++;
    this.epochsSince++;
    this.examples += train.n;
    this.recordLoss(this.epoch, loss);
    return true;
  }

  private recordLoss(epoch: number, loss: number): void {
    if (this.pendingLosses.length >= MAX_PENDING_LOSSES) {
      const odd = (_: number, i: number) => i % 2 === 1; // keeps the newest epoch
      this.pendingLosses = this.pendingLosses.filter(odd);
      this.pendingEpochs = this.pendingEpochs.filter(odd);
    }
    this.pendingLosses.push(loss);
    this.pendingEpochs.push(epoch);
  }

  /** Trains at most maxSteps batches for about CHUNK_MS; returns the
   *  batches trained. Whole epochs go to the core in one call (full speed,
   *  as before pacing existed); a pace or a step that ends inside an epoch
   *  trains batch by batch. */
  chunk(maxSteps = Infinity, budgetMs = CHUNK_MS): number {
    const t0 = performance.now();
    let steps = 0;
    while (steps < maxSteps && (this.train?.n ?? 0) > 0) {
      const perEpoch = this.stepsPerEpoch();
      if (this.position === 0 && maxSteps - steps >= perEpoch) {
        if (!this.trainEpoch()) break;
        steps += perEpoch;
      } else {
        if (!this.trainBatch()) break;
        steps++;
      }
      if (performance.now() - t0 >= budgetMs) break;
    }
    return steps;
  }

  /** `epochs` epochs' worth of batches now (from inside an epoch, to the same point of a later one). */
  step(epochs: number): void {
    this.chunk(epochs * this.stepsPerEpoch(), Infinity);
  }

  /** A snapshot of the current state; its arrays are fresh copies for transfer. */
  snapshot(): Snapshot | null {
    const model = this.model;
    const net = this.net;
    if (!model || !net || !this.data || !this.train || !this.test) return null;
    const now = performance.now();
    const elapsed = now - this.since;
    if (elapsed > 0 && (this.epochsSince > 0 || !this.running)) {
      this.rate = {
        examples: (this.examples * 1000) / elapsed,
        engineExamples: this.trainMs > 0 ? (this.examples * 1000) / this.trainMs : 0,
        epochs: (this.epochsSince * 1000) / elapsed,
      };
    }
    this.examples = 0;
    this.trainMs = 0;
    this.epochsSince = 0;
    this.since = now;

    const evalSet = (d: HeapData): { loss: number; acc: number } => {
      if (d.n === 0) return { loss: NaN, acc: NaN };
      const r = model.evaluate(d.x, d.y, d.n);
      return { loss: r.loss, acc: net.task === 'regression' ? NaN : r.correct / d.n };
    };
    const tr = evalSet(this.train);
    const te = evalSet(this.test);
    const epochLosses = Float32Array.from(this.pendingLosses);
    const epochLossEpochs = Float64Array.from(this.pendingEpochs);
    this.pendingLosses = [];
    this.pendingEpochs = [];

    const views = this.probes.render(model, this.unitsAfterInput(), this.data.dims);
    return {
      epoch: this.epoch,
      progress: this.progress,
      stepInEpoch: this.epochSteps,
      stepsPerEpoch: this.stepsPerEpoch(),
      running: this.running,
      trainLoss: tr.loss,
      epochLosses,
      epochLossEpochs,
      testLoss: te.loss,
      handSet: this.handSet,
      trainAccuracy: tr.acc,
      testAccuracy: te.acc,
      examplesPerSec: this.rate.examples,
      engineExamplesPerSec: this.rate.engineExamples,
      epochsPerSec: this.rate.epochs,
      ...views,
      outputs: net.outputs,
      params: model.params(),
    };
  }

  private unitsAfterInput(): number {
    const net = this.net;
    if (!net) return 0;
    return net.hidden.reduce((a, b) => a + b, 0) + net.outputs;
  }

  /** Show the math: the last trace's scratch copy, for the finite difference. */
  private readonly tracer: ExampleTracer;

  /** Traces training example `index` with the weights of this moment. */
  trace(index: number, lab = 'playground'): TraceResult {
    const model = this.model;
    const train = this.train;
    const net = this.net;
    if (!model || !train || !net) throw new Error('no model yet');
    if (!Number.isInteger(index) || index < 0 || index >= train.n) throw new RangeError(`no training example ${index}`);
    const inputs = net.inputs, outputs = net.outputs;
    const x = train.x.view().slice(index * inputs, (index + 1) * inputs);
    const y = train.y.view().slice(index * outputs, (index + 1) * outputs);
    return this.tracer.trace(model, { loss: OUTPUT_HEAD[net.task].loss, x, y, index, lab, epoch: this.epoch });
  }

  /** The engine's finite difference for a parameter of the last trace. */
  checkGradient(param: number): GradientCheck {
    return this.tracer.check(param);
  }

  /** True when the current data fits the current model (inputs, outputs). */
  consistent(): boolean {
    if (!this.net || !this.data) return false;
    return this.net.inputs === this.data.features.length &&
      this.net.outputs === outputSize(this.data.task, this.data.nClasses) && this.net.task === this.data.task;
  }
}


/** The playground's session behind the host's interface. */
export const createSession: LabSessionFactory = (ctx) => {
  const s = new Session(ctx.engine, { diverged: (_epoch, message) => ctx.diverged(message) });
  const session: LabSession = {
    chunkMs: CHUNK_MS,
    status: () => ({ running: s.running, epoch: s.progress }),
    setRunning: (running) => { s.running = running; },
    handle: (raw) => handle(s, raw as PlaygroundCommand),
    chunk: (_budgetMs, maxSteps) => {
      if (!s.ready || !s.consistent() || s.trainCount === 0) return false;
      return s.chunk(maxSteps);
    },
    stepsPerEpoch: () => (s.ready && s.consistent() ? s.stepsPerEpoch() : 0),
    snapshot: () => {
      const snap = s.snapshot();
      if (!snap) return null;
      const transfer: Transferable[] = [snap.outputGrid.buffer, snap.params.buffer, snap.epochLosses.buffer, snap.epochLossEpochs.buffer];
      if (snap.neuronGrids) transfer.push(snap.neuronGrids.buffer);
      if (snap.curve) transfer.push(snap.curve.buffer);
      return [snap, transfer];
    },
    params: () => (s.ready ? s.params() : null),
    loadParams: (p) => s.loadParams(p),
    dispose: () => undefined,
  };
  return session;
};

function handle(s: Session, msg: PlaygroundCommand): unknown {
  switch (msg.type) {
    case 'build': return s.build(msg.net);
    case 'data': s.setData(msg.data); return undefined;
    case 'hyper': s.applyHyper(msg.hyper); return undefined;
    case 'view': s.setView(msg.view); return undefined;
    case 'step':
      s.running = false;
      if (s.ready && s.consistent()) s.step(msg.epochs);
      return undefined;
    case 'reset':
      s.running = false;
      s.reset();
      return undefined;
    case 'setParam': s.setParam(msg.layer, msg.which, msg.row, msg.col, msg.value); return undefined;
    case 'getParams': return s.params();
    case 'loadParams': s.loadParams(msg.params); return undefined;
    case 'predict': return s.predict(msg.points);
    case 'trace': return s.trace(msg.index);
    case 'checkGradient': return s.checkGradient(msg.param);
  }
}
