// How a lab trains a model, as the exports need it: the optimizer and its
// hyperparameters exactly as the lab's worker hands them to the core
// (playground/session.ts applyHyper, mnist/trainer.js setTraining), the
// batch size, the seed of the batch order and how that order is drawn.
// One function per lab, so a new training setting (a learning-rate
// schedule, say) is added here once and both exports see it.

import type { Optimizer, Regularization } from '../state/config';
import type { LabModel } from './modelFile';

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
    };
  }
  const p = model.config;
  return {
    optimizer: p.optimizer, lr: Math.fround(p.learningRate),
    beta1: Math.fround(p.optimizer === 'sgd' ? 0 : p.momentum), beta2: Math.fround(0.999), eps: Math.fround(1e-8),
    regularization: p.regularization, regRate: p.regularization === 'none' ? 0 : Math.fround(p.regRate),
    batchSize: Math.min(p.batchSize, 256), seed: p.seed >>> 0, order: 'epoch-permutation', shift: 0, epochs: 100,
  };
}
