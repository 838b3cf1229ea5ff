// Which settings a running sequence model takes as they are, and which build a new one.
import { describe, expect, it } from 'vitest';
import { LIVE_KEYS, needsRebuild } from './store';
import { SEQUENCE_FIELDS, sequenceCodec } from './config';

describe('sequence store', () => {
  it('rate, optimizer, clipping, batch and temperature keep the model; every other key rebuilds it', () => {
    const d = sequenceCodec.defaults();
    expect(needsRebuild(d, { ...d, learningRate: 0.001, optimizer: 'sgd', clipNorm: 0, batchSize: 7, temperature: 2 })).toBe(false);
    for (const f of SEQUENCE_FIELDS) {
      if (LIVE_KEYS.includes(f.key)) continue;
      const changed = { ...d, [f.key]: typeof d[f.key] === 'boolean' ? !d[f.key] : typeof d[f.key] === 'number' ? (d[f.key] as number) + 1 : f.key === 'task' ? 'text' : f.key === 'cell' ? 'rnn' : 'square' };
      expect(needsRebuild(d, changed), f.key).toBe(true);
    }
  });
});
