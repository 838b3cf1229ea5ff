import { describe, expect, it } from 'vitest';
import { gridSideFor } from './view-probes';
import { divergenceAdvice } from '../../engine/divergence';

describe('output map size', () => {
  it('shrinks the output map to stay within the time budget', () => {
    expect(gridSideFor(0, 64)).toBe(64); // not measured yet: full size
    expect(gridSideFor(1e-4, 64, 4)).toBe(64); // 4096 points take 0.4 ms
    expect(gridSideFor(0.002, 64, 4)).toBe(40); // 1 ms per 500 points: 44.7 → 40
    expect(gridSideFor(1, 64, 4)).toBe(24); // never below 24
  });
});

describe('divergenceAdvice', () => {
  it('suggests a concrete smaller learning rate and the relevant fixes', () => {
    const msg = divergenceAdvice({ optimizer: 'sgd', learningRate: 3, momentum: 0.9, regularization: 'l2', regRate: 1, batchSize: 1 }, 12);
    expect(msg).toMatch(/epoch 12/);
    expect(msg).toMatch(/0\.3/);
    expect(msg).toMatch(/regularisation/);
    expect(msg).toMatch(/Adam/);
    expect(msg).toMatch(/larger batch/);
    const adam = divergenceAdvice({ optimizer: 'adam', learningRate: 1, momentum: 0.9, regularization: 'none', regRate: 0, batchSize: 32 }, 0);
    expect(adam).not.toMatch(/switch to Adam/);
  });
});
