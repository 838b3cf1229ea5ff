// The network a Config describes: layer sizes, activations and loss.
// Shared by the model file and the PyTorch export so both describe the
// network the page trains (output and loss follow the task, see data/).

import type { Activation, Config, Task } from '../state/config';
import { outputSize } from '../data/datasets';

export type LayerActivation = Activation | 'softmax';
export type LossName = 'mse' | 'bce' | 'ce';

export interface NetworkSpec {
  /** Inputs first: [features, ...hidden, outputs]. */
  sizes: number[];
  /** One per dense layer; the last is the output's. */
  activations: LayerActivation[];
  loss: LossName;
}

/** The output layer's activation and the loss each task trains with. */
export const OUTPUT_HEAD: Readonly<Record<Task, { activation: LayerActivation; loss: LossName }>> = {
  binary: { activation: 'sigmoid', loss: 'bce' },
  multiclass: { activation: 'softmax', loss: 'ce' },
  regression: { activation: 'linear', loss: 'mse' },
};

/** binary: 1 sigmoid output + BCE; multiclass: softmax + CE; regression: linear + MSE. */
export function networkSpec(config: Config, task: Task, nClasses: number): NetworkSpec {
  const head = OUTPUT_HEAD[task];
  return {
    sizes: [config.features.length, ...config.hidden, outputSize(task, nClasses)],
    activations: [...config.activations, head.activation],
    loss: head.loss,
  };
}
