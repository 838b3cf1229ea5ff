// The loss curve's memory: a fixed number of points however long the run.
// When full, every other point is dropped and the sampling stride doubles,
// so the curve still spans the whole run and drawing it costs the same at
// epoch 100 and at epoch 1,000,000.

export interface HistoryPoint {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** Fraction correct on the test set; NaN for regression. */
  testAccuracy: number;
}

export class LossHistory {
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
