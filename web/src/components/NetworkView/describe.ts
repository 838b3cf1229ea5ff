// The network drawing's text alternative: its shape and what its weights are
// now, so a screen reader hears the same network the picture shows.

import type { Activation, Feature, Task } from '../../state/config';
import { featureInfo } from '../../data/features';
import { ACTIVATION_LABELS } from '../labels';

const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(2));

export function describeNetwork(features: readonly Feature[], hidden: readonly number[], activations: readonly Activation[],
                                outputs: number, task: Task, params: Float32Array | null): string {
  const inputs = `${features.length} input${features.length === 1 ? '' : 's'} (${features.map((f) => featureInfo(f).label).join(', ')})`;
  const layers = hidden.map((w, l) => `${w} ${ACTIVATION_LABELS[activations[l]!] ?? activations[l]}`);
  const out = `${outputs} ${task === 'regression' ? 'linear' : outputs === 1 ? 'sigmoid' : 'softmax'} output${outputs === 1 ? '' : 's'}`;
  const shape = `Network: ${inputs}${layers.length ? `, hidden layers ${layers.join(', ')}` : ', no hidden layer'}, ${out}.`;
  if (!params || params.length === 0) return `${shape} No weights yet.`;
  let lo = Infinity, hi = -Infinity, positive = 0;
  for (let i = 0; i < params.length; i++) {
    const v = params[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (v > 0) positive++;
  }
  return `${shape} ${params.length} weights and biases from ${num(lo)} to ${num(hi)}, ${positive} positive (blue links), ${params.length - positive} negative or zero (orange).`;
}
