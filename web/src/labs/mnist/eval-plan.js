// @ts-check
// When the MNIST lab evaluates during a run: the fixed 1k test subset every
// tenth of an epoch and the full 10k test set every quarter, each held back
// while it is expensive. Plain JavaScript (type-checked from its JSDoc) so the
// worker's session and bench/cnn-eval-cost.mjs follow the same plan.

/** @typedef {'test' | 'subset'} EvalKind */

/** Evaluations of each kind per epoch when they are cheap. */
export const EVALS_PER_EPOCH = Object.freeze({ test: 4, subset: 10 });
/** An evaluation that took longer than CHEAP_EVAL_MS holds the next one of its
 *  kind back until training has run this many times as long: a CNN's forward
 *  pass costs nearly as much per digit as a training step (the ConvNetJS net's
 *  10k evaluation about 1/6 of an epoch), so quarter-epoch 10k and tenth-epoch
 *  1k evaluations ate a third of its training time. With these the full ones
 *  take at most ~1/13 of the time and the subset ones ~1/31. */
export const EVAL_BUDGET = Object.freeze({ test: 12, subset: 30 });
/** Evaluations faster than this (an MLP's) are never held back. */
export const CHEAP_EVAL_MS = 40;

export class EvalPlan {
  /** @param {number} [testPerSubset] digits of the full test set per digit of the subset (10k / 1k) */
  constructor(testPerSubset = 10) {
    this.testPerSubset = testPerSubset;
    /** Whether a full evaluation has been timed. */
    this.testTimed = false;
    /** Until then: training time at the first subset evaluation, and the fastest subset one. */
    this.firstSubsetTrainMs = -1;
    this.fastestSubsetMs = Infinity;
    /** Epochs trained at which each kind is next due. */
    this.next = { test: 1 / EVALS_PER_EPOCH.test, subset: 1 / EVALS_PER_EPOCH.subset };
    /** Training time (ms) before which each kind is held back. */
    this.after = { test: 0, subset: 0 };
  }
  /**
   * Whether an evaluation of `kind` is due after `at` epochs and `trainMs` of training.
   * @param {EvalKind} kind @param {number} at @param {number} trainMs
   */
  due(kind, at, trainMs) {
    return at >= this.next[kind] && trainMs >= this.after[kind];
  }
  /** One of `kind` starts at `at` epochs: the next is due at the following tenth / quarter. @param {EvalKind} kind @param {number} at */
  started(kind, at) {
    const per = EVALS_PER_EPOCH[kind];
    this.next[kind] = (Math.floor(at * per + 1e-9) + 1) / per;
  }
  /** One of `kind` took `ms`, finishing after `trainMs` of training. @param {EvalKind} kind @param {number} trainMs @param {number} ms */
  finished(kind, trainMs, ms) {
    this.after[kind] = holdBack(kind, trainMs, ms);
    if (kind === 'test') {
      this.testTimed = true;
    } else if (!this.testTimed) {
      // Until a full evaluation has been timed, the subset's time (the same forward pass on a
      // tenth of the digits; the fastest one so far, as a first call or a busy moment can take
      // several times as long) holds the first one back: a run's first quarter is not spent on it.
      if (this.firstSubsetTrainMs < 0) this.firstSubsetTrainMs = trainMs;
      this.fastestSubsetMs = Math.min(this.fastestSubsetMs, ms);
      this.after.test = holdBack('test', this.firstSubsetTrainMs, this.fastestSubsetMs * this.testPerSubset);
    }
  }
}

/** @param {EvalKind} kind @param {number} trainMs @param {number} ms */
function holdBack(kind, trainMs, ms) {
  return ms < CHEAP_EVAL_MS ? 0 : trainMs + EVAL_BUDGET[kind] * ms;
}
