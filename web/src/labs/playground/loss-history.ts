// The playground's loss curves on the page. The train loss is kept per epoch
// (the worker sends every epoch's loss with each snapshot) in a LodSeries, so
// a view zoomed into the first epochs of a long run shows each of them; test
// loss and accuracy are measured per snapshot and kept in a SampledSeries.

import { SampledSeries } from '../../lib/series';
import { LodSeries } from '../../widgets/chart/lod-series';
import type { Snapshot } from './protocol';

export type LossSnapshot = Pick<Snapshot, 'epoch' | 'trainLoss' | 'testLoss' | 'testAccuracy' | 'epochLosses' | 'epochLossEpochs'> &
  Partial<Pick<Snapshot, 'progress'>>;

export class LossHistory {
  /** Test loss and accuracy (and the train-set loss) per snapshot. */
  readonly evaluations = new SampledSeries(400);
  /** Every epoch's train loss; epoch 0 holds the initial weights' loss. */
  readonly trainLoss = new LodSeries();
  private lastEpoch = -Infinity;

  clear(): void {
    this.evaluations.clear();
    this.trainLoss.clear();
    this.lastEpoch = -Infinity;
  }

  add(s: LossSnapshot): void {
    // An epoch that goes back (a reset, a new model) starts new curves.
    if (s.epoch < this.lastEpoch) this.clear();
    this.lastEpoch = s.epoch;
    // At the fractional epoch: in slow motion snapshots come several per epoch.
    this.evaluations.add({ epoch: s.progress ?? s.epoch, trainLoss: s.trainLoss, testLoss: s.testLoss, testAccuracy: s.testAccuracy });
    const train = this.trainLoss;
    if (s.epochLosses.length === 0) {
      // Before any training, the line starts at the initial weights' loss
      // (revised when a model file replaces them).
      if (s.epoch === 0) {
        if (train.lastX === 0) train.replaceLast(0, s.trainLoss);
        else if (train.length === 0) train.push(0, s.trainLoss);
      }
      return;
    }
    for (let i = 0; i < s.epochLosses.length; i++) train.push(s.epochLossEpochs[i]!, s.epochLosses[i]!);
  }
}
