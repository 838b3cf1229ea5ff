// The sequence lab's session in the worker: loads the corpus a task needs
// (once), builds the recurrent network (and, with compare=1, a twin of the
// other cell kind trained on the very same batches), trains in ~30 ms chunks,
// evaluates the fixed validation set about twice a second of training, and
// computes the views the page shows (and only those): the task's output
// (prediction and free run, accuracy per step, samples), the hidden state
// over time, per-step gradient norms and LSTM gates, all from the core
// (nn_forward, nn_sequence_inspect; generation on a T = 1 copy carrying its
// state).
import type { Engine } from '../../engine/nn-wasm.js';
import type { LabContext, LabSession, LabSessionFactory } from '../../engine/lab-session';
import { divergenceAdvice } from '../../engine/divergence';
import { ExampleTracer, type TraceResult } from '../../engine/trace.js';
import { createRng, type Rng } from '../../lib/rng.js';
import { fetchOk, gunzip, peekGzip } from '../../lib/fetch-asset';
import type { Cell, SequenceConfig } from './config';
import { checkCorpusManifest, checkNamesAsset, checkTextAsset, encodeChars, NAMES_SPLIT_SEED } from './corpus.js';
import { accuracyPerStep, createTaskData, namesStream, sampleIndex, stepsPerEpoch, type TaskData } from './tasks.js';
import { INSPECT_VIEWS, SeqNet, type NetShape } from './seq-net';
import type { AssetUrls, OutputView, SequenceCommand, SequenceEvent, SequenceSnapshot, StepView, ValPoint, Wanted } from './protocol';

const CHUNK_MS = 30;
/** Training time between validation runs. */
const VAL_EVERY_MS = 500;
/** Wall time between recomputed views (each is one or a few forward/backward passes). */
const VIEWS_EVERY_MS = 400;
/** Samples shown (names) and their longest length; text samples are longer. */
const NAME_SAMPLES = 8;
const MAX_NAME = 20;
const TEXT_SAMPLE = 240;
const RATE_WINDOW_MS = 1000;

interface Stream { vocab: string; train: Uint8Array; val: Uint8Array }

const other = (c: Cell): Cell => (c === 'rnn' ? 'lstm' : 'rnn');

class SequenceSession implements LabSession {
  readonly chunkMs = CHUNK_MS;
  private config: SequenceConfig | null = null;
  private data: TaskData | null = null;
  private net: SeqNet | null = null;
  private twin: SeqNet | null = null;
  /** T = 1 copies for generation, rebuilt with the model. */
  private gen: SeqNet | null = null;
  private running = false;
  private step = 0;
  private epoch = 0;
  private trainMs = 0;
  private lastVal = -Infinity;
  private lastViews = -Infinity;
  private viewsDirty = true;
  private losses: number[] = [];
  private twinLosses: number[] = [];
  private at: number[] = [];
  private vals: ValPoint[] = [];
  private gradNorm = 0;
  private wanted: Wanted = { output: false, unrolled: false, gradients: false, gates: false, example: 0, layer: 0 };
  private readonly corpora = new Map<string, Promise<Stream>>();
  private readonly rate: { t: number; steps: number }[] = [];
  private sampleRng: Rng = createRng(1);

  /** Show the math: the last trace's copy of the model, for the gradient check. */
  private readonly tracer: ExampleTracer;

  constructor(private readonly ctx: LabContext) {
    this.tracer = new ExampleTracer(ctx.engine);
  }

  private get engine(): Engine { return this.ctx.engine; }
  private emit(e: SequenceEvent): void { this.ctx.emit(e); }

  status() { return { running: this.running, epoch: this.epoch }; }

  setRunning(running: boolean): void {
    this.running = running && this.net !== null;
    this.rate.length = 0;
  }

  async handle(raw: unknown): Promise<unknown> {
    const msg = raw as SequenceCommand;
    switch (msg.type) {
      case 'build': await this.build(msg.config, msg.assets); return undefined;
      case 'settings': this.settings(msg.config); return undefined;
      case 'want':
        this.wanted = msg.wanted;
        this.viewsDirty = true;
        return undefined;
      case 'sample': return this.samples(Math.max(1, Math.min(32, Math.floor(msg.count))));
      // The model's own weights (a file or an export holds the model, not its compare twin).
      case 'get-params': return this.net?.model.params() ?? new Float32Array(0);
      case 'load-params': this.loadParams(msg.params); return undefined;
      case 'trace': return this.trace(msg.example);
      case 'check-gradient': return this.tracer.check(msg.param);
      case 'preview':
        if (!this.net) throw new Error('no sequence model yet');
        return this.tracer.preview(this.net.model, msg.param);
    }
  }

  /** Validation sequence `example` (its real targets, every step's loss) through a copy of the model as it is now. */
  private trace(example: number): TraceResult {
    const n = this.net, d = this.data, c = this.config;
    if (!n || !d || !c) throw new Error('no sequence model to trace yet');
    if (!Number.isInteger(example) || example < 0 || example >= d.val.rows) throw new Error(`there is no validation sequence ${String(example)}`);
    const xs = c.seqLen * d.features, ys = c.seqLen * d.outputs;
    const x = d.val.x.slice(example * xs, (example + 1) * xs), y = d.val.y.slice(example * ys, (example + 1) * ys);
    return this.tracer.trace(n.model, { loss: n.shape.loss, x, y, index: example, lab: 'sequence', epoch: this.epoch });
  }

  private corpus(task: 'names' | 'text', assets: AssetUrls): Promise<Stream> {
    let p = this.corpora.get(task);
    if (!p) {
      p = this.assetUrl(task, assets).then((url) => (task === 'names' ? this.loadNames(url) : this.loadText(url)));
      // A failed load is tried again by the next build.
      p.catch(() => this.corpora.delete(task));
      this.corpora.set(task, p);
    }
    return p;
  }

  /** The task's file, as the manifest names it (a file next to the manifest). */
  private async assetUrl(task: 'names' | 'text', assets: AssetUrls): Promise<string> {
    let manifest: unknown;
    try {
      manifest = await (await fetchOk(assets.manifest, 'corpus manifest')).json();
    } catch (err) {
      if (err instanceof SyntaxError) throw new Error('the corpus manifest (seq.json) is not valid JSON');
      throw err;
    }
    return new URL(checkCorpusManifest(manifest)[task], assets.manifest).href;
  }

  private async loadNames(url: string): Promise<Stream> {
    const names = checkNamesAsset(await (await fetchOk(url, 'names data')).json());
    return { vocab: names.vocab, train: namesStream(names.train, names.vocab, NAMES_SPLIT_SEED), val: namesStream(names.val, names.vocab, NAMES_SPLIT_SEED) };
  }

  private async loadText(url: string): Promise<Stream> {
    const { body, gzipped } = await peekGzip(await fetchOk(url, 'text data'), 'text data');
    const json = await new Response(gzipped ? gunzip(body, 'text data') : body).text();
    const text = checkTextAsset(JSON.parse(json));
    const all = encodeChars(text.text, text.vocab);
    // The last 5 % of the book is the validation text.
    const cut = Math.floor(all.length * 0.95);
    return { vocab: text.vocab, train: all.subarray(0, cut), val: all.subarray(cut) };
  }

  private async build(config: SequenceConfig, assets: AssetUrls): Promise<void> {
    this.running = false;
    let stream: Stream | null = null;
    if (config.task === 'names' || config.task === 'text') {
      try {
        stream = await this.corpus(config.task, assets);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.emit({ type: 'load-error', message });
        throw new Error(`The ${config.task} data could not be loaded: ${message}`);
      }
    }
    const data = createTaskData(config, stream);
    const shape = (cell: Cell): NetShape => ({
      cell, hidden: config.hidden, layers: config.layers, T: config.seqLen, F: data.features, V: data.outputs,
      loss: data.loss, seed: config.seed, maxBatch: config.batchSize,
    });
    const net = new SeqNet(this.engine, shape(config.cell));
    let twin: SeqNet | null = null;
    try {
      if (config.compare) twin = new SeqNet(this.engine, shape(other(config.cell)));
    } catch (err) {
      net.destroy();
      throw err;
    }
    this.disposeNets();
    this.net = net;
    this.twin = twin;
    this.data = data;
    this.config = config;
    this.applySettings();
    this.step = 0;
    this.epoch = 0;
    this.trainMs = 0;
    this.losses = [];
    this.twinLosses = [];
    this.at = [];
    this.vals = [];
    this.gradNorm = 0;
    this.lastVal = -Infinity;
    this.viewsDirty = true;
    this.sampleRng = createRng((config.seed ^ 0x3c6ef372) >>> 0);
    this.validate();
    this.emit({
      type: 'built', paramCount: net.model.paramCount, twinParamCount: twin?.model.paramCount ?? 0, vocab: data.vocab ?? null,
      stepsPerEpoch: stepsPerEpoch(data, config.seqLen, config.batchSize), valRows: data.val.rows,
    });
  }

  private applySettings(): void {
    const c = this.config;
    if (!c) return;
    for (const n of [this.net, this.twin]) {
      if (!n) continue;
      n.model.setOptimizer(c.optimizer, { lr: c.learningRate });
      n.setClipNorm(c.clipNorm);
    }
  }

  /** Settings that keep the weights; a larger batch than the model was built for rebuilds it with the same weights. */
  private settings(config: SequenceConfig): void {
    const old = this.config;
    if (!old || !this.net) { this.config = config; return; }
    this.config = { ...old, optimizer: config.optimizer, learningRate: config.learningRate, clipNorm: config.clipNorm, batchSize: config.batchSize, temperature: config.temperature };
    const regrow = (n: SeqNet | null): SeqNet | null => {
      if (!n || config.batchSize <= n.shape.maxBatch) return n;
      const bigger = new SeqNet(this.engine, { ...n.shape, maxBatch: config.batchSize });
      bigger.loadParams(n.model.params());
      n.destroy();
      return bigger;
    };
    this.net = regrow(this.net);
    this.twin = regrow(this.twin);
    this.applySettings();
    this.viewsDirty = true;
  }

  stepsPerEpoch(): number {
    return this.data && this.config ? stepsPerEpoch(this.data, this.config.seqLen, this.config.batchSize) : 0;
  }

  chunk(budgetMs: number, maxSteps: number): number | false {
    const { net, data, config } = this;
    if (!net || !data || !config) return false;
    const t0 = performance.now();
    let steps = 0;
    const perEpoch = this.stepsPerEpoch();
    while (steps < maxSteps && performance.now() - t0 < budgetMs) {
      const b = data.batch(config.batchSize);
      const loss = net.model.trainStep(b.x, b.y, b.rows);
      const twinLoss = this.twin ? this.twin.model.trainStep(b.x, b.y, b.rows) : NaN;
      this.step++;
      this.epoch += 1 / perEpoch;
      steps++;
      if (!Number.isFinite(loss) || (this.twin && !Number.isFinite(twinLoss))) {
        this.running = false;
        const which = Number.isFinite(loss) ? ` (the ${other(config.cell).toUpperCase()} twin)` : '';
        this.ctx.diverged(divergenceAdvice(config, this.epoch.toFixed(2)) + which);
        break;
      }
      this.losses.push(loss);
      this.twinLosses.push(twinLoss);
      this.at.push(this.epoch);
      this.gradNorm = net.gradNorm();
    }
    const ms = performance.now() - t0;
    this.trainMs += ms;
    if (steps > 0) {
      this.viewsDirty = true;
      const now = performance.now();
      this.rate.push({ t: now, steps });
      while (this.rate.length > 1 && now - this.rate[0]!.t > RATE_WINDOW_MS) this.rate.shift();
      if (this.trainMs - this.lastVal >= VAL_EVERY_MS || maxSteps !== Infinity) this.validate();
    }
    return steps;
  }

  private validate(): void {
    const { net, data, config } = this;
    if (!net || !data || !config) return;
    this.lastVal = this.trainMs;
    const v = data.val;
    const main = net.model.evaluate(v.x, v.y, v.rows);
    let accuracy: number | null = null;
    if (config.task === 'memory') accuracy = this.memoryAccuracy(net).mean;
    const twinLoss = this.twin ? this.twin.model.evaluate(v.x, v.y, v.rows).loss : null;
    this.vals.push({ at: this.epoch, loss: main.loss, accuracy, twinLoss });
  }

  /** Accuracy per step on the validation set, and its mean over the steps that have a target (t >= k). */
  private memoryAccuracy(n: SeqNet): { perStep: Float64Array; mean: number } {
    const { data, config } = this;
    const v = data!.val;
    const T = config!.seqLen;
    const out = n.model.forward(v.x, v.rows) as Float32Array;
    const perStep = accuracyPerStep(out, v.y, v.rows, T, 2);
    const k = Math.min(config!.delay, T - 1);
    let sum = 0;
    for (let t = k; t < T; t++) sum += perStep[t]!;
    return { perStep, mean: sum / (T - k) };
  }

  private speed(): number {
    const r = this.rate;
    if (r.length < 2) return 0;
    const steps = r.slice(1).reduce((s, x) => s + x.steps, 0);
    return (steps * 1000) / Math.max(1, r[r.length - 1]!.t - r[0]!.t);
  }

  snapshot(): [SequenceSnapshot, Transferable[]] | null {
    if (!this.net || !this.config) return null;
    const now = performance.now();
    const w = this.wanted;
    let output: OutputView | null = null;
    let view: StepView | null = null;
    let twinView: StepView | null = null;
    const wantsViews = w.output || w.unrolled || w.gradients || w.gates;
    if (wantsViews && this.viewsDirty && now - this.lastViews >= (this.running ? VIEWS_EVERY_MS : 0)) {
      this.lastViews = now;
      this.viewsDirty = false;
      if (w.output) output = this.outputView();
      if (w.unrolled || w.gradients || w.gates) {
        view = this.stepView(this.net);
        if (this.twin && w.gradients) twinView = this.stepView(this.twin);
      }
    }
    const sps = this.running ? this.speed() : 0;
    const snap: SequenceSnapshot = {
      step: this.step, epoch: this.epoch, running: this.running, stepsPerSec: sps,
      symbolsPerSec: sps * this.config.batchSize * this.config.seqLen,
      losses: Float32Array.from(this.losses), twinLosses: Float32Array.from(this.twinLosses), at: Float32Array.from(this.at),
      vals: this.vals, gradNorm: this.gradNorm, output, view, twinView,
    };
    this.losses = [];
    this.twinLosses = [];
    this.at = [];
    this.vals = [];
    return [snap, [snap.losses.buffer, snap.twinLosses.buffer, snap.at.buffer]];
  }

  /** One validation sequence (x [T x F], y [T x V]). */
  private example(): { x: Float32Array; y: Float32Array } {
    const d = this.data!;
    const c = this.config!;
    const i = Math.max(0, Math.min(d.val.rows - 1, this.wanted.example));
    const xs = c.seqLen * d.features;
    const ys = c.seqLen * d.outputs;
    return { x: d.val.x.slice(i * xs, (i + 1) * xs), y: d.val.y.slice(i * ys, (i + 1) * ys) };
  }

  /**
   * h_t, ‖∂L/∂h_t‖ and the gates for the chosen validation sequence. The
   * gradient is of the loss at the LAST step only: every earlier step's
   * target is set to the model's own output there (for MSE and for
   * cross-entropy with probability targets the output gradient p − y is then
   * exactly 0), so what reaches h_t travels back through time alone and
   * shows how it fades with distance.
   */
  private stepView(n: SeqNet): StepView {
    const c = this.config!;
    const d = this.data!;
    const T = c.seqLen;
    const H = c.hidden;
    const layer = Math.max(0, Math.min(c.layers - 1, this.wanted.layer));
    const ex = this.example();
    const out = n.model.forward(ex.x, 1) as Float32Array;
    const y = out.slice();
    y.set(ex.y.subarray((T - 1) * d.outputs), (T - 1) * d.outputs);
    const all = n.inspect(layer, ex.x, y);
    const block = T * H;
    const part = (k: number) => all.slice(k * block, (k + 1) * block);
    const grads = all.subarray(block, 2 * block);
    const gradNorm = new Float32Array(T);
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let j = 0; j < H; j++) s += grads[t * H + j]! * grads[t * H + j]!;
      gradNorm[t] = Math.sqrt(s);
    }
    const cell = n.shape.cell;
    const gates = cell === 'lstm' && all.length >= INSPECT_VIEWS.lstm * block
      ? { c: part(2), i: part(3), f: part(4), g: part(5), o: part(6) } : null;
    return { cell, T, H, h: part(0), gradNorm, gates };
  }

  private outputView(): OutputView | null {
    const c = this.config!;
    switch (c.task) {
      case 'waves': return this.wavesView();
      case 'memory': {
        const main = this.memoryAccuracy(this.net!).perStep;
        const twin = this.twin ? this.memoryAccuracy(this.twin).perStep : null;
        return { kind: 'memory', delay: Math.min(c.delay, c.seqLen - 1), accuracy: main, twinAccuracy: twin };
      }
      case 'names':
      case 'text':
        return { kind: 'samples', samples: this.samples(c.task === 'names' ? NAME_SAMPLES : 1), temperature: c.temperature };
    }
  }

  /** A T = 1 copy of the network carrying its state, with the trained weights, for `rows` parallel sequences. */
  private generator(rows: number): SeqNet {
    const n = this.net!;
    if (!this.gen || this.gen.shape.maxBatch !== rows || this.gen.shape.cell !== n.shape.cell || this.gen.shape.V !== n.shape.V ||
        this.gen.shape.F !== n.shape.F || this.gen.shape.hidden !== n.shape.hidden || this.gen.shape.layers !== n.shape.layers) {
      this.gen?.destroy();
      this.gen = new SeqNet(this.engine, { ...n.shape, T: 1, maxBatch: rows });
      this.gen.setStateful(true);
    }
    this.gen.model.loadParams(n.model.params());
    this.gen.resetState();
    return this.gen;
  }

  /** Waves: the truth, the prediction from the true inputs, and a free run:
   *  the first half from the true inputs (warm-up), then on its own output. */
  private wavesView(): OutputView {
    const T = this.config!.seqLen;
    const ex = this.example();
    const pred = this.net!.model.forward(ex.x, 1) as Float32Array;
    const g = this.generator(1);
    const warmup = Math.max(1, Math.floor(T / 2));
    const free = new Float32Array(T);
    const x1 = new Float32Array(1);
    let last = 0;
    for (let t = 0; t < T; t++) {
      x1[0] = t < warmup ? ex.x[t]! : last;
      last = (g.model.forward(x1, 1) as Float32Array)[0]!;
      free[t] = last;
    }
    return { kind: 'waves', truth: ex.y, input: ex.x, pred, free, warmup };
  }

  /** `count` names (or one stretch of text) drawn step by step at the temperature. */
  private samples(count: number): string[] {
    const { net, data, config } = this;
    if (!net || !data?.vocab || !config) return [];
    const vocab = data.vocab;
    const V = vocab.length;
    const names = config.task === 'names';
    const rows = names ? count : 1;
    const steps = names ? MAX_NAME : TEXT_SAMPLE;
    const g = this.generator(rows);
    const x = new Float32Array(rows * V);
    // Names start from the boundary; text from a space.
    const start = names ? 0 : Math.max(0, vocab.indexOf(' '));
    const cur = new Int32Array(rows).fill(start);
    const out: string[] = new Array<string>(rows).fill('');
    const done = new Uint8Array(rows);
    for (let s = 0; s < steps; s++) {
      x.fill(0);
      for (let r = 0; r < rows; r++) x[r * V + cur[r]!] = 1;
      const p = g.model.forward(x, rows) as Float32Array;
      for (let r = 0; r < rows; r++) {
        if (done[r]) continue;
        const k = sampleIndex(p.subarray(r * V, (r + 1) * V), config.temperature, this.sampleRng.next);
        cur[r] = k;
        if (names && k === 0) { done[r] = 1; continue; }
        out[r] += vocab[k]!;
      }
      if (names && done.every((d) => d === 1)) break;
    }
    return out;
  }

  params(): Float32Array | null {
    if (!this.net) return null;
    const a = this.net.model.params();
    if (!this.twin) return a;
    const b = this.twin.model.params();
    const both = new Float32Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    return both;
  }

  loadParams(params: Float32Array): void {
    const n = this.net;
    if (!n) throw new Error('there is no model to load the weights into');
    const na = n.model.paramCount;
    const nb = this.twin?.model.paramCount ?? 0;
    if (params.length !== na && params.length !== na + nb) {
      throw new Error(`these weights have ${params.length} values; the model has ${na}${nb ? ` (and its twin ${nb})` : ''}`);
    }
    n.model.loadParams(params.subarray(0, na));
    if (this.twin && params.length === na + nb) this.twin.model.loadParams(params.subarray(na));
    this.viewsDirty = true;
    this.validate();
  }

  private disposeNets(): void {
    this.net?.destroy();
    this.twin?.destroy();
    this.gen?.destroy();
    this.net = this.twin = this.gen = null;
  }

  dispose(): void {
    this.tracer.dispose();
    this.disposeNets();
  }
}

export const createSession: LabSessionFactory = (ctx: LabContext) => new SequenceSession(ctx);
