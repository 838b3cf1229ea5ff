// @ts-check
// The MNIST lab's learning-rate schedule: the rate the core trains each step
// with, from the run's settings and how far training is. Plain JavaScript
// (type-checked from its JSDoc) so the worker, the Node tests and the tuning
// script compute exactly the same rates.
//
// With lr the learning rate, f = lrEnd (the rate at the end of the run as a
// fraction of lr), E = epochs (the run's length) and e = epochs trained
// before the step (examples seen / 60,000, e.g. 1.25), and p = min(e / E, 1):
//   none  lr
//   step  lr * f ** (floor(min(e, E)) / E)       drops once per epoch
//   exp   lr * f ** p                            smooth geometric decay
//   cos   lr * (f + (1 - f) * (1 + cos(pi * p)) / 2)
// All three decays reach lr * f at e = E and stay there when Train goes on
// past the epoch limit. The rate never reaches 0 (f > 0): the core refuses a
// rate of 0, and so does torch.optim.

/** @typedef {'none' | 'step' | 'exp' | 'cos'} LrSchedule */
/** @typedef {{ lr: number, lrSchedule: LrSchedule, lrEnd: number, epochs: number }} ScheduleSettings */

/** @type {readonly LrSchedule[]} */
export const LR_SCHEDULES = Object.freeze(['none', 'step', 'exp', 'cos']);
/** Bounds of lrEnd (a fraction of the learning rate). */
export const LR_END_MIN = 1e-6;
export const LR_END_MAX = 1;
/** lrEnd of a new page or link (used only when a schedule is chosen). */
export const DEFAULT_LR_END = 0.01;

/**
 * The learning rate of the step taken after `epochsDone` epochs of training.
 * @param {ScheduleSettings} s
 * @param {number} epochsDone
 * @returns {number}
 */
export function scheduledRate(s, epochsDone) {
  const { lr, lrSchedule, lrEnd: f, epochs } = s;
  if (lrSchedule === 'none' || f === 1) return lr;
  const e = Math.min(Math.max(epochsDone, 0), epochs);
  const p = e / epochs;
  switch (lrSchedule) {
    case 'step': return lr * f ** (Math.floor(e) / epochs);
    case 'exp': return lr * f ** p;
    case 'cos': return lr * (f + ((1 - f) * (1 + Math.cos(Math.PI * p))) / 2);
  }
  throw new RangeError(`unknown learning-rate schedule ${String(lrSchedule)}`);
}
