// Display names shared by several widgets.
import type { Activation, Optimizer, Regularization } from '../state/config';

export const ACTIVATION_LABELS: Record<Activation, string> = {
  relu: 'ReLU', leaky_relu: 'Leaky ReLU', tanh: 'Tanh', sigmoid: 'Sigmoid', linear: 'Linear',
};
export const OPTIMIZER_LABELS: Record<Optimizer, string> = { sgd: 'SGD', momentum: 'SGD + momentum', adam: 'Adam' };
export const REGULARIZATION_LABELS: Record<Regularization, string> = { none: 'None', l1: 'L1', l2: 'L2' };
