// The sequence lab's model-file part: the network a config trains, and the
// check that a file's layers are that network.
import { describe, expect, it } from 'vitest';
import { modelFile, sequenceLayers, taskLoss } from './model-file';
import { sequenceCodec } from './config';

describe('sequence model files', () => {
  it('a config\'s layers pass its own check; another cell, width or loss does not', () => {
    const c = { ...sequenceCodec.defaults(), task: 'names' as const, cell: 'lstm' as const, layers: 2, hidden: 16, seqLen: 20 };
    const layers = sequenceLayers(c);
    expect(layers.map((l) => l.kind)).toEqual(['lstm', 'lstm', 'dense']);
    expect(layers[1]).toMatchObject({ input: [20, 16, 1], hidden: 16, returnSequences: true });
    expect(layers[2]).toMatchObject({ inputs: 16, units: 27, steps: 20, activation: 'softmax' });
    expect(modelFile.checkNetwork(c, layers, 'ce')).toBeNull();
    // A file's layers with their keys in another order are the same network.
    const reordered = layers.map((l) => Object.fromEntries(Object.entries(l).reverse()) as typeof l);
    expect(modelFile.checkNetwork(c, reordered, 'ce')).toBeNull();
    expect(modelFile.checkNetwork({ ...c, cell: 'rnn' }, layers, 'ce')).toMatch(/do not match/);
    expect(modelFile.checkNetwork({ ...c, hidden: 17 }, layers, 'ce')).toMatch(/do not match/);
    expect(modelFile.checkNetwork(c, layers, 'mse')).toMatch(/trained with ce/);
    const waves = { ...c, task: 'waves' as const };
    expect(taskLoss(waves)).toBe('mse');
    expect(sequenceLayers(waves).at(-1)).toMatchObject({ units: 1, activation: 'linear' });
    expect(modelFile.probes(c).map((p) => p.input.length)).toEqual([20 * 27, 20 * 27]);
  });
});
