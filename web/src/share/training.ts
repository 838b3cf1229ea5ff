// How a lab trains a model, as the exports need it: the optimizer and its
// hyperparameters exactly as the lab's worker hands them to the core
// (playground/session.ts applyHyper, mnist/trainer.js setTraining), the
// batch size, the seed of the batch order and how that order is drawn.
// One function per lab, so a new training setting (a learning-rate
// schedule, say) is added here once and both exports see it.

import type { Optimizer, Regularization } from '../state/config';
import type { LabModel } from './modelFile';
import type { LrSchedule } from '../labs/mnist/schedule.js';

/**
 * MNIST's learning-rate schedule (labs/mnist/schedule.js, the one truth):
 * the settings as the trainer receives them, unrounded, because the page
 * computes each step's rate in float64 from these and only then rounds it
 * to float32 for the core.
 */
export interface ScheduleSpec {
  kind: LrSchedule;
  /** The learning rate as configured (float64, not yet rounded). */
  lr: number;
  /** The rate at the end of the run, as a fraction of lr. */
  lrEnd: number;
  /** The run's length the schedule spans. */
  epochs: number;
}

export interface TrainingSpec {
  optimizer: Optimizer;
  /** The values the core stores (float32), so the scripts start from the same numbers. */
  lr: number;
  /** Momentum factor (momentum) or Adam's beta1; 0 for plain SGD. */
  beta1: number;
  beta2: number;
  eps: number;
  /** Weight blocks only (not biases), added to the gradient before the update. */
  regularization: Regularization;
  regRate: number;
  batchSize: number;
  /** The model's seed; the batch order's generator is seeded with shuffleSeed(seed). */
  seed: number;
  /**
   * 'epoch-permutation': each epoch a fresh shuffled 0..n-1 (the playground);
   * 'cumulative': one order shuffled again in place at each epoch's start (MNIST).
   */
  order: 'epoch-permutation' | 'cumulative';
  /** MNIST's augmentation: each training digit moved by -shift..shift pixels (0 = off). */
  shift: number;
  /** Epochs the lab trains by default (MNIST's setting; the playground runs until paused). */
  epochs: number;
  /** The per-step learning rate (MNIST); null: lr throughout (the playground). */
  schedule: ScheduleSpec | null;
  /** Gradient clipping by global norm after regularisation (torch.nn.utils.clip_grad_norm_), float32; 0: off (only the sequence lab clips). */
  clipNorm: number;
}

/**
 * Python source of the schedule, shared by both exported scripts: the rate
 * of the step taken after epochs_done epochs (examples seen / training set
 * size), computed in float64 as schedule.js does, then rounded to float32 as
 * the trainer does before handing it to the core. Needs math and struct.
 */
export const SCHEDULE_PY = String.raw`def scheduled_rate(schedule, epochs_done):
    """The page's learning-rate schedule (web/src/labs/mnist/schedule.js) for the
    step after epochs_done epochs, as the float32 the page's engine trains with."""
    lr, kind, f, epochs = schedule["lr"], schedule["kind"], schedule["lr_end"], schedule["epochs"]
    e = min(max(epochs_done, 0.0), epochs)
    p = e / epochs
    if kind == "none" or f == 1:
        rate = lr
    elif kind == "step":
        rate = lr * f ** (math.floor(e) / epochs)
    elif kind == "exp":
        rate = lr * f ** p
    elif kind == "cos":
        rate = lr * (f + (1 - f) * (1 + math.cos(math.pi * p)) / 2)
    else:
        raise ValueError("unknown learning-rate schedule %r" % kind)
    return struct.unpack("<f", struct.pack("<f", rate))[0]`;

/** The schedule as the scripts' JSON constants spell it (null: none). */
export function schedulePyJson(schedule: ScheduleSpec | null): { kind: LrSchedule; lr: number; lr_end: number; epochs: number } | null {
  return schedule && { kind: schedule.kind, lr: schedule.lr, lr_end: schedule.lrEnd, epochs: schedule.epochs };
}


/** The training setup of a model's lab, from its config. */
export function labTraining(model: LabModel): TrainingSpec {
  if (model.lab === 'mnist') {
    const m = model.config;
    return {
      optimizer: m.optimizer, lr: Math.fround(m.learningRate),
      // trainer.js: setOptimizer(adam, { lr }) takes the core's default beta1 0.9; momentum passes its factor.
      beta1: Math.fround(m.optimizer === 'adam' ? 0.9 : m.momentum), beta2: Math.fround(0.999), eps: Math.fround(1e-8),
      regularization: 'none', regRate: 0, batchSize: m.batchSize, seed: m.seed >>> 0, order: 'cumulative', shift: m.shift, epochs: m.epochs,
      // trainer.js applyRate: fround(scheduledRate({ lr, lrSchedule, lrEnd, epochs }, progress)).
      schedule: { kind: m.lrSchedule, lr: m.learningRate, lrEnd: m.lrEnd, epochs: m.epochs }, clipNorm: 0,
    };
  }
  if (model.lab === 'sequence') {
    const c = model.config;
    // session.ts applySettings: setOptimizer(optimizer, { lr }) keeps the core's beta1 0.9 (momentum's factor too), then setClipNorm.
    // The page draws its batches from its own streams; a script trains on the user's sequences in a seeded order per epoch.
    return {
      optimizer: c.optimizer, lr: Math.fround(c.learningRate),
      beta1: Math.fround(c.optimizer === 'sgd' ? 0 : 0.9), beta2: Math.fround(0.999), eps: Math.fround(1e-8),
      regularization: 'none', regRate: 0, batchSize: c.batchSize, seed: c.seed >>> 0, order: 'epoch-permutation', shift: 0, epochs: 10,
      schedule: null, clipNorm: Math.fround(c.clipNorm),
    };
  }
  if (model.lab !== 'playground') throw new Error(`models of the ${(model as { lab: string }).lab} lab have no training setup for exports yet`);
  const p = model.config;
  return {
    optimizer: p.optimizer, lr: Math.fround(p.learningRate),
    beta1: Math.fround(p.optimizer === 'sgd' ? 0 : p.momentum), beta2: Math.fround(0.999), eps: Math.fround(1e-8),
    regularization: p.regularization, regRate: p.regularization === 'none' ? 0 : Math.fround(p.regRate),
    batchSize: Math.min(p.batchSize, 256), seed: p.seed >>> 0, order: 'epoch-permutation', shift: 0, epochs: 100, schedule: null, clipNorm: 0,
  };
}
