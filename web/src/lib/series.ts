// Bounded series for the charts: whatever the run's length, a series keeps a
// fixed number of points, so drawing one costs the same at epoch 100 and at
// epoch 1,000,000. Two flavours, for the two ways numbers arrive:
// - SampledSeries: a snapshot now and then (epoch + losses). When full, every
//   other point is dropped and the sampling stride doubles (points stay real
//   samples, the curve spans the whole run).
// - StepSeries: one loss per training step. Steps are averaged into at most
//   MAX_BUCKETS buckets; when they run out, neighbouring buckets merge and
//   each new bucket covers twice as many steps (every step still counts).

export interface HistoryPoint {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** Fraction correct on the test set; NaN for regression. */
  testAccuracy: number;
}

/** The snapshot series (epoch + losses): capacity points at most. */
export class SampledSeries {
  private pts: HistoryPoint[] = [];
  private stride = 1;
  private lastEpoch = -Infinity;

  constructor(readonly capacity = 400) {
    if (!Number.isInteger(capacity) || capacity < 4 || capacity % 2 !== 0) {
      throw new Error(`capacity must be an even integer >= 4, got ${capacity}`);
    }
  }

  get points(): readonly HistoryPoint[] {
    return this.pts;
  }

  get length(): number {
    return this.pts.length;
  }

  /** Epochs between kept points. */
  get sampleStride(): number {
    return this.stride;
  }

  clear(): void {
    this.pts = [];
    this.stride = 1;
    this.lastEpoch = -Infinity;
  }

  /** Records p unless it is closer than the stride to the last kept point.
   *  An epoch that goes backwards (reset) starts a new curve. */
  add(p: HistoryPoint): void {
    if (p.epoch < this.lastEpoch) this.clear();
    if (this.pts.length > 0 && p.epoch - this.lastEpoch < this.stride) {
      // Keep the newest values at the kept epoch so the curve ends where the run is.
      if (p.epoch === this.lastEpoch) this.pts[this.pts.length - 1] = p;
      return;
    }
    this.pts.push(p);
    this.lastEpoch = p.epoch;
    if (this.pts.length >= this.capacity) {
      this.pts = this.pts.filter((_, i) => i % 2 === 0);
      this.stride *= 2;
      this.lastEpoch = this.pts[this.pts.length - 1]!.epoch;
    }
  }
}

export const MAX_BUCKETS = 2048;

/** The per-step loss series. Each bucket keeps the mean raw loss, the mean
 *  of an exponential moving average (the smoothed curve) and the mean x
 *  (epochs trained at each step, so the curve stays right when the batch
 *  size changes mid-run). */
export class StepSeries {
  readonly smoothing: number;
  /** Steps per bucket (a power of two). */
  stepsPerBucket = 1;
  /** Number of complete and partial buckets. */
  length = 0;
  /** Total steps recorded. */
  steps = 0;
  /** The smoothed loss after the last step (NaN before any). */
  ema = Number.NaN;
  readonly raw = new Float64Array(MAX_BUCKETS);
  readonly smooth = new Float64Array(MAX_BUCKETS);
  readonly x = new Float64Array(MAX_BUCKETS);
  private fill = 0; // steps in the last bucket

  /** smoothing: weight of the history in the moving average, 0..1. */
  constructor(smoothing = 0.98) {
    this.smoothing = smoothing;
  }

  /** x: where the step sits on the chart's x axis (default: its step number). */
  push(loss: number, x = this.steps + 1): void {
    if (!Number.isFinite(loss)) return;
    // Bias-corrected like Adam's moments, so the first steps are not pulled to 0.
    this.steps++;
    const s = this.smoothing;
    this.emaSum = s * this.emaSum + (1 - s) * loss;
    this.ema = this.emaSum / (1 - s ** this.steps);
    if (this.fill === 0) {
      if (this.length === MAX_BUCKETS) this.merge();
      this.raw[this.length] = 0;
      this.smooth[this.length] = 0;
      this.x[this.length] = 0;
      this.length++;
    }
    const b = this.length - 1;
    this.fill++;
    // Running means inside the bucket.
    this.raw[b] += (loss - this.raw[b]) / this.fill;
    this.smooth[b] += (this.ema - this.smooth[b]) / this.fill;
    this.x[b] += (x - this.x[b]) / this.fill;
    if (this.fill === this.stepsPerBucket) this.fill = 0;
  }

  pushAll(losses: ArrayLike<number>, xs?: ArrayLike<number>): void {
    for (let i = 0; i < losses.length; i++) this.push(losses[i]!, xs ? xs[i] : undefined);
  }

  private emaSum = 0;

  private merge(): void {
    const half = MAX_BUCKETS / 2;
    for (let i = 0; i < half; i++) {
      this.raw[i] = (this.raw[2 * i] + this.raw[2 * i + 1]) / 2;
      this.smooth[i] = (this.smooth[2 * i] + this.smooth[2 * i + 1]) / 2;
      this.x[i] = (this.x[2 * i] + this.x[2 * i + 1]) / 2;
    }
    this.length = half;
    this.stepsPerBucket *= 2;
  }
}
