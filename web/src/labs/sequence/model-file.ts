// The sequence lab's part of model files (share/modelFile.ts reads it through
// labs/model-files.ts): the config's stack of RNN/LSTM layers (each
// returning every step) under a per-step dense head, over T x F x 1 input
// sequences; softmax + cross-entropy for the memory, names and text tasks,
// a linear output and MSE for waves. A compare twin is not saved (the file
// holds the model the config names).
import type { LayerSpec } from '../../share/layers';
import type { LossName } from '../../share/network';
import type { LabModelFile } from '../types';
import type { SequenceConfig } from './config';

/** Inputs (and outputs) per step: waves one value, memory a one-hot bit, names 27 symbols, text 40. */
export const TASK_WIDTH: Record<SequenceConfig['task'], number> = { waves: 1, memory: 2, names: 27, text: 40 };

export function taskLoss(config: SequenceConfig): LossName {
  return config.task === 'waves' ? 'mse' : 'ce';
}

/** The network a config trains, as model files and exports hold it. */
export function sequenceLayers(c: SequenceConfig): LayerSpec[] {
  const width = TASK_WIDTH[c.task];
  const layers: LayerSpec[] = Array.from({ length: c.layers }, (_, i) => ({
    kind: c.cell, input: [c.seqLen, i === 0 ? width : c.hidden, 1], hidden: c.hidden, returnSequences: true, activation: 'linear' as const,
  }));
  layers.push({ kind: 'dense', inputs: c.hidden, units: width, steps: c.seqLen, activation: taskLoss(c) === 'ce' ? 'softmax' : 'linear' });
  return layers;
}

/** A layer's kind and settings as one string, for comparison (files may order keys differently). */
function layerKey(l: LayerSpec): string {
  switch (l.kind) {
    case 'rnn': case 'lstm': return `${l.kind}:${l.input.join('x')}:${l.hidden}:${l.returnSequences}:${l.activation}`;
    case 'dense': return `dense:${l.inputs}:${l.units}:${l.steps ?? '-'}:${l.activation}`;
    default: return l.kind;
  }
}

export const modelFile: LabModelFile<SequenceConfig> = {
  checkNetwork: (config, layers, loss) => {
    const want = sequenceLayers(config);
    if (loss !== taskLoss(config)) return `A ${config.task} network is trained with ${taskLoss(config)}, not ${loss}.`;
    if (layers.length !== want.length || layers.some((l, i) => layerKey(l) !== layerKey(want[i]!))) {
      return `The network's layers do not match the config (${config.layers} ${config.cell.toUpperCase()} layer${config.layers === 1 ? '' : 's'} of ${config.hidden} over ${config.seqLen} steps of ${TASK_WIDTH[config.task]}, then a per-step dense layer).`;
    }
    return null;
  },
  probes: (config) => {
    const width = TASK_WIDTH[config.task];
    const ones = new Float32Array(config.seqLen * width);
    for (let t = 0; t < config.seqLen; t++) ones[t * width] = 1;
    return [
      { input: new Float32Array(config.seqLen * width), where: 'for an all-zero sequence' },
      { input: ones, where: 'for a sequence of the first symbol (or value 1)' },
    ];
  },
  baseName: (config) => `nn-sequence-${config.task}-${config.cell}-${config.layers}x${config.hidden}`,
};
