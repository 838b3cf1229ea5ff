// Input features: what the network sees for a point (x1, x2).
// The same table drives featurize() here and the PyTorch exporter, so the
// exported script prepares inputs exactly like the page.

import type { Feature } from '../state/config';
import { detSin } from './detmath';

export interface FeatureInfo {
  id: Feature;
  /** Label for the UI. */
  label: string;
  /** The same formula as a Python/torch expression over columns x1, x2. */
  torch: string;
  compute: (x1: number, x2: number) => number;
}

/** In the canonical order (the order of the UI's feature list). */
export const FEATURES: readonly FeatureInfo[] = [
  { id: 'x1', label: 'x₁', torch: 'x1', compute: (x1) => x1 },
  { id: 'x2', label: 'x₂', torch: 'x2', compute: (_x1, x2) => x2 },
  { id: 'x1sq', label: 'x₁²', torch: 'x1 * x1', compute: (x1) => x1 * x1 },
  { id: 'x2sq', label: 'x₂²', torch: 'x2 * x2', compute: (_x1, x2) => x2 * x2 },
  { id: 'x1x2', label: 'x₁·x₂', torch: 'x1 * x2', compute: (x1, x2) => x1 * x2 },
  { id: 'sinx1', label: 'sin x₁', torch: 'torch.sin(x1)', compute: (x1) => detSin(x1) },
  { id: 'sinx2', label: 'sin x₂', torch: 'torch.sin(x2)', compute: (_x1, x2) => detSin(x2) },
];

export const FEATURE_IDS: readonly Feature[] = FEATURES.map((f) => f.id);

export function featureInfo(id: Feature): FeatureInfo {
  const info = FEATURES.find((f) => f.id === id);
  if (!info) throw new Error(`unknown feature "${String(id)}"`);
  return info;
}

/**
 * The network input for n points.
 * points: [n x 2] (x1, x2). Returns [n x features.length], columns in the
 * order of `features`. Values are computed in float64, stored as float32.
 */
export function featurize(points: Float32Array, features: readonly Feature[]): Float32Array {
  const n = points.length >> 1;
  const k = features.length;
  const fns = features.map((f) => featureInfo(f).compute);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const x1 = points[2 * i]!;
    const x2 = points[2 * i + 1]!;
    for (let j = 0; j < k; j++) out[i * k + j] = fns[j]!(x1, x2);
  }
  return out;
}
