// Slow motion's animation: between two snapshots a second apart the output
// map, the neuron thumbnails, the 1-D curve and the links' weights move from
// the old values to the new ones over a few frames instead of jumping. Only
// the arrays are blended (a few thousand floats a frame); the counters show
// the new step at once.

import type { Speed } from '../../state/speed';
import type { Snapshot } from './protocol';

/** How long a step's change is animated at `speed` (0: not at all). */
export function tweenMs(speed: Speed): number {
  if (speed === 'max' || speed > 10) return 0;
  return speed <= 1 ? 400 : speed <= 3 ? 250 : 80;
}

const lerp = (a: Float32Array, b: Float32Array, k: number): Float32Array => {
  const out = new Float32Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = a[i]! + (b[i]! - a[i]!) * k;
  return out;
};

const fits = (a: Float32Array | null, b: Float32Array | null): boolean => (a === null) === (b === null) && (a === null || a.length === b!.length);

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

/** Eases in and out, so a step starts and settles gently. */
export const ease = (t: number): number => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));
