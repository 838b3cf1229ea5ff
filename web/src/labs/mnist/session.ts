// The MNIST lab's session in the worker: streams the data set into the WASM
// heap, trains in ~30 ms chunks (the host yields between them, so classify /
// pause / settings are answered while training runs), evaluates the fixed 1k
// test subset every 1/10 epoch and the full 10k test set every quarter epoch,
// both less often when they are slow (eval-plan.js), and the full set always
// when a run stops at its epoch limit.

import type { Engine, LayerSpec as EngineLayer } from '../../engine/nn-wasm.js';
import type { LabContext, LabSession, LabSessionFactory } from '../../engine/lab-session';
import { divergenceAdvice } from '../../engine/divergence';
import { MnistTrainer, type Evaluation, type FullEvalResult } from './trainer.js';
import { EvalPlan } from './eval-plan.js';
import type { MnistHeapData } from './data.js';
import { streamAsset } from './load-asset';
import { MNIST_CLASSES } from './asset-format.js';
import { ExampleTracer, type TraceResult } from '../../engine/trace.js';
import { MNIST_PIXELS } from './preprocess';
import type { ConvFilters, Inspection, LayerPlan, MnistCommand, MnistEvent, MnistSnapshot, ModelChoice, TrainChoice } from './protocol';
import { engineLayer, MNIST_INPUT_SHAPE, refusalText, type MnistLayer } from './model-layers';

const CHUNK_MS = 30;
const RATE_WINDOW_MS = 1000;
/** At most this many steps per chunk count as slow motion (weights sent per step). */
const PACED_STEPS = 10;

class MnistSession implements LabSession {
  readonly chunkMs = CHUNK_MS;
  private data: MnistHeapData | null = null;
  private trainer: MnistTrainer | null = null;
  private train: TrainChoice | null = null;
  private running = false;
  private targetEpochs = 0;
  private evalPlan = new EvalPlan();
  private wantWeights = false;
  /** The host allows a few steps at a time (a slow speed, one batch): the
   *  first-layer weights go with every snapshot that follows a step. */
  private paced = false;
  private weightsAtStep = -1;
  private trainMs = 0;
  private evaluation: { run: Evaluation; at: number; ms: number } | null = null;
  private pendingLosses: number[] = [];
  private pendingAt: number[] = [];
  private readonly rateSamples: { t: number; examples: number }[] = [];
  /** Show the math: the last trace's copy of the model, for the gradient check. */
  private readonly tracer: ExampleTracer;

  constructor(private readonly ctx: LabContext) {
    this.tracer = new ExampleTracer(ctx.engine);
  }

  private get engine(): Engine { return this.ctx.engine; }
  private emit(event: MnistEvent, transfer: Transferable[] = []): void { this.ctx.emit(event, transfer); }

  status() {
    return { running: this.running, epoch: this.trainer?.progress ?? 0 };
  }

  setRunning(running: boolean): void {
    const t = this.trainer;
    if (!running || !t) {
      this.running = false;
      this.rateSamples.length = 0;
      return;
    }
    if (this.running) return;
    // Train continues for as many epochs again once the limit was reached.
    if (t.position === 0 && t.epoch >= this.targetEpochs) this.targetEpochs = t.epoch + (this.train?.epochs ?? 1);
    this.running = true;
    this.rateSamples.length = 0;
  }

  async handle(raw: unknown): Promise<unknown> {
    const msg = raw as MnistCommand;
    switch (msg.type) {
      case 'load':
        await this.load(msg.manifestUrl);
        return undefined;
      case 'build':
        this.build(msg.model, msg.train);
        return undefined;
      case 'train-settings':
        this.trainer?.setTraining(msg.train);
        if (this.train && msg.train.epochs !== this.train.epochs) {
          this.targetEpochs = Math.max(0, this.targetEpochs - this.train.epochs) + msg.train.epochs;
        }
        this.train = msg.train;
        return undefined;
      case 'want-weights':
        this.wantWeights = msg.want;
        if (msg.want) this.sendWeights();
        return undefined;
      case 'classify':
        return this.trainer ? this.trainer.predict(msg.pixels) : new Float32Array(0);
      case 'get-params':
        return this.trainer ? this.trainer.params() : new Float32Array(0);
      case 'load-params':
        this.loadParams(msg.params);
        return undefined;
      case 'step':
        this.steps(msg.steps);
        return undefined;
      case 'plan':
        return planLayers(this.engine, msg.layers);
      case 'inspect': {
        const t = this.trainer;
        if (!t) return { input: new Float32Array(0), layers: [] } satisfies Inspection;
        if (!('pixels' in msg) && (!Number.isInteger(msg.testIndex) || msg.testIndex < 0 || msg.testIndex >= (this.data?.header.nTest ?? 0))) {
          throw new Error(`there is no test digit ${String(msg.testIndex)}`);
        }
        const input = 'pixels' in msg ? msg.pixels : t.testInput(msg.testIndex);
        return { input, layers: t.layerOutputs(input) } satisfies Inspection;
      }
      case 'filters':
        return (this.trainer?.convFilters() ?? []) satisfies ConvFilters[];
      case 'trace':
        return this.trace(msg);
      case 'check-gradient':
        return this.tracer.check(msg.param);
      case 'preview':
        if (!this.trainer) throw new Error('no MNIST model yet');
        return this.tracer.preview(this.trainer.model, msg.param);
    }
  }

  /** Traces a test digit or a drawn one through a copy of the model as it is
   *  now (while training: the weights of this moment). */
  private trace(msg: Extract<MnistCommand, { type: 'trace' }>): TraceResult {
    const t = this.trainer;
    if (!t) throw new Error('no MNIST model to trace yet');
    const y = new Float32Array(MNIST_CLASSES);
    let x: Float32Array, index: number;
    if ('pixels' in msg) {
      if (msg.pixels.length !== MNIST_PIXELS) throw new Error(`a drawn digit has ${MNIST_PIXELS} pixels, not ${msg.pixels.length}`);
      if (!Number.isInteger(msg.label) || msg.label < 0 || msg.label >= MNIST_CLASSES) throw new Error(`the label must be a digit 0-9, not ${String(msg.label)}`);
      x = msg.pixels;
      y[msg.label] = 1;
      index = -1; // not from the data set
    } else {
      const nTest = this.data?.header.nTest ?? 0;
      if (!Number.isInteger(msg.testIndex) || msg.testIndex < 0 || msg.testIndex >= nTest) throw new Error(`there is no test digit ${String(msg.testIndex)}`);
      x = t.testInput(msg.testIndex);
      y[this.data!.testLabels[msg.testIndex]!] = 1;
      index = msg.testIndex;
    }
    // A large MLP has millions of parameters: their optimizer preview comes one at a time ('preview').
    return this.tracer.trace(t.model, { loss: 'ce', x, y, index, lab: 'mnist', epoch: t.progress, preview: false });
  }

  private async load(manifestUrl: string): Promise<void> {
    if (this.data?.ready) {
      this.emit({ type: 'loaded', nTrain: this.data.header.nTrain, nTest: this.data.header.nTest, seconds: 0 });
      return;
    }
    const t0 = performance.now();
    try {
      this.data = await streamAsset(this.engine, manifestUrl, (loaded, total) => this.emit({ type: 'load-progress', loaded, total }));
      this.emit({ type: 'loaded', nTrain: this.data.header.nTrain, nTest: this.data.header.nTest, seconds: (performance.now() - t0) / 1000 });
    } catch (err) {
      this.data = null;
      this.emit({ type: 'load-error', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private build(model: ModelChoice, choice: TrainChoice): void {
    if (!this.data?.ready) throw new Error('the MNIST data is not loaded yet');
    const plan = planLayers(this.engine, model.layers);
    if (!plan.ok) throw new Error(`${refusalText(model.layers, plan)}. Fix it in the model editor.`);
    this.running = false;
    this.trainer?.destroy();
    this.trainer = null;
    this.evaluation = null;
    const trainer = new MnistTrainer(this.engine, this.data, { layers: model.layers.map(engineLayer) as EngineLayer[], ...choice });
    this.trainer = trainer;
    this.train = choice;
    this.targetEpochs = choice.epochs;
    this.evalPlan = new EvalPlan();
    this.trainMs = 0;
    this.pendingLosses = [];
    this.pendingAt = [];
    this.rateSamples.length = 0;
    const shapes = trainer.model.layerShapes() as [number, number, number][];
    this.emit({ type: 'built', paramCount: trainer.model.paramCount, sizes: trainer.model.sizes, shapes });
    this.fullEval();
  }

  /** Starts the full test evaluation of the weights as they are now (one
   *  already running is dropped: its weights are gone). It runs in slices in
   *  chunk() — a CNN's takes seconds, longer than the heartbeat allows in one
   *  go — and training waits until it is done. */
  private fullEval(): void {
    const { trainer } = this;
    if (!trainer) return;
    this.evaluation = { run: trainer.beginEvaluation('test'), at: trainer.progress, ms: 0 };
  }

  /** Runs the pending evaluation for about budgetMs (Infinity: to its end). */
  private advanceEvaluation(budgetMs: number): void {
    const e = this.evaluation;
    if (!e) return;
    const t0 = performance.now();
    let done = false;
    while (!done && performance.now() - t0 < budgetMs) done = e.run.advance();
    e.ms += performance.now() - t0;
    if (!done) return;
    this.evaluation = null;
    this.evalPlan.finished('test', this.trainMs, e.ms);
    this.emitFullEval(e.run.result() as FullEvalResult, e.at);
  }

  private emitFullEval(r: FullEvalResult, at: number): void {
    const { data } = this;
    if (!data) return;
    const wrong = r.misclassified;
    const pixels = new Uint8Array(wrong.length * data.layout.pixels);
    const probs = new Float32Array(wrong.length * MNIST_CLASSES);
    wrong.forEach((w, k) => {
      pixels.set(data.testDigit(w.index), k * data.layout.pixels);
      probs.set(w.probs, k * MNIST_CLASSES);
    });
    const misclassified = {
      index: Int32Array.from(wrong, (w) => w.index),
      pred: Uint8Array.from(wrong, (w) => w.pred),
      label: Uint8Array.from(wrong, (w) => w.label),
      confidence: Float32Array.from(wrong, (w) => w.confidence),
      probs,
      pixels,
    };
    this.emit({ type: 'full-eval', result: { at, accuracy: r.accuracy, loss: r.loss, confusion: r.confusion, misclassified } },
      [r.confusion.buffer, misclassified.index.buffer, misclassified.pred.buffer, misclassified.label.buffer,
        misclassified.confidence.buffer, probs.buffer, pixels.buffer]);
    if (this.wantWeights) this.sendWeights();
  }

  private sendWeights(): void {
    // Only a dense first layer has one 28x28 image per unit (a CNN's filters come with 'filters').
    const first = this.trainer?.model.paramLayout()[0];
    if (!this.trainer || !first || first.layer !== 0 || first.shape.length !== 2) return;
    this.weightsAtStep = this.trainer.steps;
    const w = this.trainer.firstLayerWeights();
    this.emit({ type: 'weights', units: w.units, inputs: w.inputs, weights: w.weights }, [w.weights.buffer]);
  }

  private examplesPerSec(): number {
    const s = this.rateSamples;
    if (s.length < 2) return 0;
    const a = s[0]!, b = s[s.length - 1]!;
    return b.t > a.t ? ((b.examples - a.examples) * 1000) / (b.t - a.t) : 0;
  }

  /** `n` steps now (the course-page API's step), with the usual evaluations. */
  private steps(n: number): void {
    const t = this.trainer;
    if (!t) throw new Error('no MNIST model to train yet');
    for (let i = 0; i < n; i++) {
      this.advanceEvaluation(Infinity); // before the weights change again
      if (!this.oneStep(t)) break;
    }
  }

  /** One training step and the evaluations it is due; false when training must stop. */
  private oneStep(t: MnistTrainer): boolean {
    const s0 = performance.now();
    const loss = t.step();
    this.trainMs += performance.now() - s0;
    if (!Number.isFinite(loss)) {
      this.running = false;
      this.ctx.diverged(divergenceAdvice({ ...this.train!, learningRate: this.train!.lr }, t.progress.toFixed(2)));
      return false;
    }
    return this.afterStep(t, loss);
  }

  pending(): boolean {
    return this.evaluation !== null;
  }

  stepsPerEpoch(): number {
    return this.trainer?.stepsPerEpoch ?? 0;
  }

  /** The host calls it while playing (maxSteps from its pacer), stepping, or evaluating. */
  chunk(budgetMs: number, maxSteps: number): number | false {
    if (this.evaluation) {
      this.advanceEvaluation(budgetMs);
      this.rateSamples.length = 0; // evaluating is not training
      return 0;
    }
    const t = this.trainer;
    if (!t) return false;
    this.paced = maxSteps <= PACED_STEPS;
    const start = performance.now();
    if (this.rateSamples.length === 0) this.rateSamples.push({ t: start, examples: t.epoch * t.nTrain + t.position });
    let steps = 0;
    while (steps < maxSteps && performance.now() - start < budgetMs && !this.evaluation) {
      steps++;
      if (!this.oneStep(t)) return steps;
    }
    const now = performance.now();
    this.rateSamples.push({ t: now, examples: t.epoch * t.nTrain + t.position });
    while (this.rateSamples.length > 2 && now - this.rateSamples[1]!.t > RATE_WINDOW_MS) this.rateSamples.shift();
    return steps;
  }

  /** Records a step's loss and runs the evaluations it is due; false once the epoch limit is reached. */
  private afterStep(t: MnistTrainer, loss: number): boolean {
    const at = t.progress;
    this.pendingLosses.push(loss);
    this.pendingAt.push(at);
    if (this.evalPlan.due('subset', at, this.trainMs)) {
      this.evalPlan.started('subset', at);
      const e0 = performance.now();
      const r = t.evaluate('subset');
      this.evalPlan.finished('subset', this.trainMs, performance.now() - e0);
      this.emit({ type: 'subset-eval', at, accuracy: r.accuracy, loss: r.loss });
    }
    // A run that stops at its epoch limit always ends with an evaluation of
    // the weights it stops with, even when evaluations are held back.
    const stopping = t.position === 0 && t.epoch >= this.targetEpochs;
    if (this.evalPlan.due('test', at, stopping ? Infinity : this.trainMs)) {
      this.evalPlan.started('test', at);
      this.fullEval();
    }
    if (stopping) {
      this.running = false;
      this.rateSamples.length = 0;
      this.emit({ type: 'epochs-done' });
      return false;
    }
    return true;
  }

  snapshot(): [MnistSnapshot, Transferable[]] | null {
    const t = this.trainer;
    if (!t) return null;
    const losses = Float32Array.from(this.pendingLosses);
    const at = Float64Array.from(this.pendingAt);
    this.pendingLosses = [];
    this.pendingAt = [];
    if (this.paced && this.wantWeights && t.steps !== this.weightsAtStep) this.sendWeights();
    const snap: MnistSnapshot = {
      losses,
      at,
      progress: {
        epoch: t.epoch, position: t.position, nTrain: t.nTrain, steps: t.steps, running: this.running,
        targetEpochs: this.targetEpochs, lr: t.rate, examplesPerSec: this.running ? this.examplesPerSec() : 0, trainSeconds: this.trainMs / 1000,
      },
    };
    return [snap, [losses.buffer, at.buffer]];
  }

  params(): Float32Array | null {
    return this.trainer?.params() ?? null;
  }

  loadParams(params: Float32Array): void {
    if (!this.trainer) throw new Error('no MNIST model to load weights into');
    this.trainer.loadParams(params);
    this.fullEval();
  }

  dispose(): void {
    this.tracer.dispose();
    this.trainer?.destroy();
    this.data?.free();
  }
}

/** The core's plan of a layer list over the 1x28x28 input (engine.planLayers): each
 *  layer's output shape and parameter count, or the first layer it refuses and why,
 *  with the plan of the layers before it (asked of the core again: the refused
 *  layer's input shape comes from the core, not from JavaScript arithmetic). */
export function planLayers(engine: Engine, layers: readonly MnistLayer[]): LayerPlan {
  const plan = (list: readonly MnistLayer[]) => engine.planLayers(list.map(engineLayer) as EngineLayer[], [...MNIST_INPUT_SHAPE]);
  const shaped = (ls: { shape: number[]; params: number }[]) =>
    ls.map((l) => ({ shape: [l.shape[0]!, l.shape[1]!, l.shape[2]!] as [number, number, number], params: l.params }));
  const r = plan(layers);
  if (r.ok) return { ok: true, layers: shaped(r.layers) };
  const prefix = r.layer > 0 ? plan(layers.slice(0, r.layer)) : null;
  return { ok: false, layer: r.layer, message: r.message, before: prefix?.ok ? shaped(prefix.layers) : [] };
}

export const createSession: LabSessionFactory = (ctx) => new MnistSession(ctx);
