// Limits training steps per second for the worker host's loop. Step k may
// start at `next`, the one after it 1/rate later: a schedule, not a bucket,
// so a slow rate spaces steps evenly. A loop that fell behind (a long
// snapshot, a busy machine) catches up by at most CATCH_UP_MS worth of steps,
// so over any window the count stays within one step (plus that allowance)
// of rate × time.

/** How far the schedule may lag behind the clock before it is moved up. */
export const CATCH_UP_MS = 20;

export class Pacer {
  private intervalMs = 0;
  /** When the next step may start (ms on the caller's clock). */
  private next = -Infinity;

  /** rate: steps per second; Infinity (or any non-finite / non-positive value): no limit. */
  constructor(rate = Infinity) {
    this.setRate(rate);
  }

  get limited(): boolean {
    return this.intervalMs > 0;
  }

  /** Steps per second (Infinity: unlimited). */
  get rate(): number {
    return this.intervalMs > 0 ? 1000 / this.intervalMs : Infinity;
  }

  setRate(rate: number): void {
    this.intervalMs = Number.isFinite(rate) && rate > 0 ? 1000 / rate : 0;
    this.next = -Infinity; // a new rate starts its schedule now
  }

  /** Steps that may run at `now` (Infinity when unlimited). */
  allowance(now: number): number {
    if (!this.limited) return Infinity;
    const start = Math.max(this.next, now - CATCH_UP_MS);
    if (now < start) return 0;
    return Math.floor((now - start) / this.intervalMs) + 1;
  }

  /** `steps` ran at `now`: the schedule moves on by as many intervals. */
  took(steps: number, now: number): void {
    if (!this.limited || steps <= 0) return;
    // A fresh schedule starts now; one that lags may catch up a little.
    const from = this.next === -Infinity ? now : Math.max(this.next, now - CATCH_UP_MS);
    this.next = from + steps * this.intervalMs;
  }

  /** Milliseconds until the next step may start (0: now). */
  waitMs(now: number): number {
    if (!this.limited) return 0;
    return Math.max(0, this.next - now);
  }
}
