// The pause-on-divergence advice, one text for every lab.
import { formatLearningRate } from '../lib/format';

export interface DivergenceSettings {
  optimizer: 'sgd' | 'momentum' | 'adam';
  learningRate: number;
  /** Not part of the advice; labs pass their whole settings object. */
  momentum?: number;
  regularization?: 'none' | 'l1' | 'l2';
  regRate?: number;
  batchSize: number;
}

/** What to try after a divergence at `epoch`, tailored to the settings that caused it. */
export function divergenceAdvice(h: DivergenceSettings, epoch: number | string): string {
  const tips = [`lower the learning rate (try ${formatLearningRate(h.learningRate / 10)})`];
  if (h.regularization !== undefined && h.regularization !== 'none' && (h.regRate ?? 0) > 0.01) tips.push('lower the regularisation rate');
  if (h.optimizer !== 'adam') tips.push('switch to Adam');
  if (h.batchSize < 10) tips.push('use a larger batch');
  return `Training diverged at epoch ${epoch}: the loss became NaN or infinite. Press Reset, then ${tips.join(', or ')}.`;
}
