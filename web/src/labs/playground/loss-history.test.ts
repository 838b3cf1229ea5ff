import { describe, expect, it } from 'vitest';
import { LossHistory, type LossSnapshot } from './loss-history';

/** A snapshot at `epoch` carrying the epochs since `from` (exclusive), loss 1/epoch. */
function snap(from: number, epoch: number, trainLoss = 9): LossSnapshot {
  const epochs = Float64Array.from({ length: epoch - from }, (_, i) => from + 1 + i);
  return {
    epoch, trainLoss, testLoss: 2 / (epoch + 1), testAccuracy: 0.5,
    epochLossEpochs: epochs, epochLosses: Float32Array.from(epochs, (e) => 1 / e),
  };
}

describe('LossHistory', () => {
  it('keeps every epoch of the train loss, so a zoomed view shows each', () => {
    const h = new LossHistory();
    h.add(snap(0, 0, 0.7)); // before training: the initial weights' loss at epoch 0
    for (let e = 0; e < 3000; e += 60) h.add(snap(e, e + 60));
    const v = h.trainLoss.query(0, 200, 800);
    // The view's points inside the range (it adds the next one beyond, for the line's edge).
    const inside = Array.from(v.xs.subarray(0, v.n)).filter((x) => x <= 200);
    expect(inside).toEqual(Array.from({ length: 201 }, (_, i) => i));
    expect(v.ys[0]).toBeCloseTo(0.7, 6);
    expect(v.ys[37]).toBeCloseTo(1 / 37, 6);
    // Test loss and accuracy stay one point per snapshot.
    expect(h.evaluations.points.filter((p) => p.epoch <= 200).map((p) => p.epoch)).toEqual([0, 60, 120, 180]);
  });

  it('revises epoch 0 before training, and starts again when the epoch goes back', () => {
    const h = new LossHistory();
    h.add(snap(0, 0, 0.7));
    h.add(snap(0, 0, 0.4)); // a model file replaced the weights
    expect(h.trainLoss.length).toBe(1);
    expect(h.trainLoss.lastY).toBeCloseTo(0.4, 6);
    h.add(snap(0, 500));
    expect(h.trainLoss.length).toBe(501);
    h.add(snap(500, 500)); // paused: nothing new
    expect(h.trainLoss.length).toBe(501);
    h.add(snap(0, 10)); // reset, then 10 epochs
    expect(h.trainLoss.firstX).toBe(1);
    expect(h.trainLoss.length).toBe(10);
    expect(h.evaluations.points.map((p) => p.epoch)).toEqual([10]);
  });
});
