import { describe, expect, it } from 'vitest';
import { blendSnapshot, canBlend } from './tween';
import { ease, tweenMs } from '../../lib/tween';
import type { Snapshot } from './protocol';

const snap = (v: number, over: Partial<Snapshot> = {}): Snapshot => ({
  epoch: 0, progress: 0, stepInEpoch: 0, stepsPerEpoch: 10, running: true, trainLoss: v, epochLosses: new Float32Array(0),
  epochLossEpochs: new Float64Array(0), testLoss: v, handSet: 0, trainAccuracy: 0, testAccuracy: 0, examplesPerSec: 0, engineExamplesPerSec: 0,
  epochsPerSec: 0, outputGrid: new Float32Array(4).fill(v), gridSize: 2, outputs: 1, neuronGrids: null, neuronGridSize: 2,
  params: new Float32Array(3).fill(v), curve: null, ...over,
});

describe('slow-motion tween', () => {
  it('animates only at slow speeds', () => {
    expect(tweenMs('max')).toBe(0);
    expect(tweenMs(30)).toBe(0);
    expect(tweenMs(1)).toBeGreaterThan(tweenMs(3));
    expect(tweenMs(10)).toBeLessThan(100); // inside the 100 ms between two steps
  });

  it('blends the arrays, shows the new numbers, and ends exactly on the new snapshot', () => {
    const a = snap(0), b = snap(1, { trainLoss: 0.5, epoch: 1 });
    const mid = blendSnapshot(a, b, 0.25);
    expect(Array.from(mid.outputGrid)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(mid.params)).toEqual([0.25, 0.25, 0.25]);
    expect(mid.trainLoss).toBe(0.5);
    expect(mid.epoch).toBe(1);
    expect(blendSnapshot(a, b, 1)).toBe(b);
    expect(ease(0)).toBe(0);
    expect(ease(1)).toBe(1);
    expect(ease(0.5)).toBeCloseTo(0.5);
  });

  it('does not blend across a change of shape', () => {
    expect(canBlend(snap(0), snap(1))).toBe(true);
    expect(canBlend(snap(0), snap(1, { params: new Float32Array(5) }))).toBe(false);
    expect(canBlend(snap(0), snap(1, { gridSize: 3, outputGrid: new Float32Array(9) }))).toBe(false);
    expect(canBlend(snap(0), snap(1, { neuronGrids: new Float32Array(4) }))).toBe(false);
  });
});
