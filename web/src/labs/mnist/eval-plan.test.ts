// When the MNIST lab evaluates during a run (eval-plan.js): cheap evaluations at every
// tenth / quarter epoch, expensive ones only after enough training.
import { expect, test } from 'vitest';
import { CHEAP_EVAL_MS, EVAL_BUDGET, EvalPlan, type EvalKind } from './eval-plan.js';

/** Walks a run of `epochs` in steps of 1/100 epoch at `msPerEpoch` of training, with every
 *  evaluation of a kind taking `evalMs[kind]`; returns the epochs each kind was evaluated at. */
function simulate(epochs: number, msPerEpoch: number, evalMs: Record<EvalKind, number>) {
  const plan = new EvalPlan();
  const at: Record<EvalKind, number[]> = { test: [], subset: [] };
  let trainMs = 0;
  for (let k = 1; k <= epochs * 100; k++) {
    const e = k / 100;
    trainMs = e * msPerEpoch;
    for (const kind of ['subset', 'test'] as const) {
      if (!plan.due(kind, e, trainMs)) continue;
      plan.started(kind, e);
      at[kind].push(e);
      plan.finished(kind, trainMs, evalMs[kind]);
    }
  }
  return at;
}

test('cheap evaluations (an MLP\'s) come at every tenth and every quarter of an epoch', () => {
  const at = simulate(2, 500, { test: CHEAP_EVAL_MS - 1, subset: 3 });
  expect(at.subset).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2]);
  expect(at.test).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
});

test('expensive evaluations (a CNN\'s) take at most their share of the training time', () => {
  // The ConvNetJS net on a quiet machine: a 9.5 s epoch, 10k digits in 1.35 s, 1k in 0.135 s.
  const at = simulate(3, 9500, { test: 1350, subset: 135 });
  const evalSeconds = (at.test.length * 1.35 + at.subset.length * 0.135);
  expect(evalSeconds / (3 * 9.5)).toBeLessThan(1 / EVAL_BUDGET.test + 1 / EVAL_BUDGET.subset);
  // Still fresh numbers: the subset at least twice an epoch (every ~4 s of training), the full set too.
  expect(at.subset.length).toBeGreaterThanOrEqual(2 * 3);
  expect(at.test.length).toBeGreaterThanOrEqual(1);
  // The first full one waits too (the first subset's time told what it would cost).
  expect(at.test[0]).toBeGreaterThan(1);
  for (let i = 1; i < at.subset.length; i++) expect((at.subset[i]! - at.subset[i - 1]!) * 9.5).toBeGreaterThanOrEqual(EVAL_BUDGET.subset * 0.135 - 1e-9);
  for (let i = 1; i < at.test.length; i++) expect((at.test[i]! - at.test[i - 1]!) * 9.5).toBeGreaterThanOrEqual(EVAL_BUDGET.test * 1.35 - 1e-9);
});

test('a held-back evaluation comes as soon as its budget allows, not at the next quarter', () => {
  const plan = new EvalPlan();
  expect(plan.due('test', 0.25, 100)).toBe(true);
  plan.started('test', 0.25);
  plan.finished('test', 100, 50); // 50 ms: the next waits until 100 + 12 * 50 ms of training
  expect(plan.due('test', 0.5, 699)).toBe(false);
  expect(plan.due('test', 0.51, 700)).toBe(true);
  expect(plan.due('test', 0.49, 10_000)).toBe(false); // and never before its quarter
});

test('before a full evaluation is timed, the fastest subset one estimates its cost (a slow first call does not hold it back for long)', () => {
  const plan = new EvalPlan();
  plan.started('subset', 0.1);
  plan.finished('subset', 1000, 500); // a slow first call: 10k would be 5 s, held back 60 s
  expect(plan.due('test', 0.5, 30_000)).toBe(false);
  plan.started('subset', 0.2);
  plan.finished('subset', 2000, 100); // the usual time: 10k in 1 s, due 12 s after the first subset
  expect(plan.due('test', 0.5, 12_999)).toBe(false);
  expect(plan.due('test', 0.5, 13_000)).toBe(true);
  plan.started('test', 0.5);
  plan.finished('test', 13_000, 2000); // now timed: its own time counts, the subset's no more
  plan.started('subset', 0.6);
  plan.finished('subset', 14_000, 50);
  expect(plan.due('test', 0.75, 36_999)).toBe(false);
  expect(plan.due('test', 0.75, 37_000)).toBe(true);
});
