// Slow motion's animation of the playground's snapshot (lib/tween.ts):
// between two snapshots a second apart the output map, the neuron
// thumbnails, the 1-D curve and the links' weights move from the old values
// to the new ones over a few frames instead of jumping. Only the arrays are
// blended (a few thousand floats a frame); the counters show the new step at once.

import type { Snapshot } from './protocol';
import { blendArrays as lerp, sameLength as fits } from '../../lib/tween';

/** Whether `from` can be blended into `to` (the same network, grid and view). */
export function canBlend(from: Snapshot, to: Snapshot): boolean {
  return from.gridSize === to.gridSize && from.outputs === to.outputs && from.neuronGridSize === to.neuronGridSize &&
    fits(from.outputGrid, to.outputGrid) && fits(from.params, to.params) && fits(from.neuronGrids, to.neuronGrids) && fits(from.curve, to.curve);
}

/** `to` with its arrays a fraction k (0..1) of the way from `from`'s; k = 1 is `to` itself. */
export function blendSnapshot(from: Snapshot, to: Snapshot, k: number): Snapshot {
  if (k >= 1) return to;
  return {
    ...to,
    outputGrid: lerp(from.outputGrid, to.outputGrid, k),
    params: lerp(from.params, to.params, k),
    neuronGrids: from.neuronGrids && to.neuronGrids ? lerp(from.neuronGrids, to.neuronGrids, k) : to.neuronGrids,
    curve: from.curve && to.curve ? lerp(from.curve, to.curve, k) : to.curve,
  };
}
