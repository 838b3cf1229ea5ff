// The seeded dataset generators. Each writes n points into the domain
// [-6, 6]^2 and their labels; noise is Config.noise (percent, 0..50).
// Classification sets: noise jitters the points after their class is fixed,
// so more noise means more overlap. Regression sets: noise is added to the
// target, with a standard deviation of noise% of the target's half-range.
// Classes are assigned round-robin (i mod k), so they are balanced exactly.

import { DOMAIN } from './types';
import { createRng, gaussian, uniform, type Rng } from '../lib/rng.js';
import { detCos, detExp, detSin, PI, TWO_PI } from './detmath';

type PointFn = (rng: Rng, cls: number, noise: number) => [number, number];

function clampDomain(v: number): number {
  return v < -DOMAIN ? -DOMAIN : v > DOMAIN ? DOMAIN : v;
}

/** Gaussian jitter scaled by noise (0..0.5): sd up to 1.5 domain units. */
function jitter(rng: Rng, noise: number): number {
  return gaussian(rng) * noise * 3;
}

const circle: PointFn = (rng, cls, noise) => {
  // Class 0: a disc of radius 2.5; class 1: a ring from 3.5 to 5.
  const r = cls === 0 ? uniform(rng, 0, 2.5) : uniform(rng, 3.5, 5);
  const a = uniform(rng, 0, TWO_PI);
  return [r * detCos(a) + jitter(rng, noise), r * detSin(a) + jitter(rng, noise)];
};

const xor: PointFn = (rng, cls, noise) => {
  // Quadrants with x*y > 0 are class 0, the others class 1, kept 0.3 off the axes.
  const sx = rng.next() < 0.5 ? -1 : 1;
  const sy = cls === 0 ? sx : -sx;
  const x = sx * uniform(rng, 0.3, 5.5);
  const y = sy * uniform(rng, 0.3, 5.5);
  return [x + jitter(rng, noise), y + jitter(rng, noise)];
};

const gauss: PointFn = (rng, cls, noise) => {
  // Two Gaussians at (2, 2) and (-2, -2); noise widens them.
  const c = cls === 0 ? 2 : -2;
  const sd = 0.8 + noise * 3;
  return [c + gaussian(rng) * sd, c + gaussian(rng) * sd];
};

function spiralArms(arms: number): PointFn {
  return (rng, cls, noise) => {
    // Arm k: radius grows with t while the angle turns 1.75 times around.
    const t = rng.next();
    const r = 0.3 + 5.2 * t;
    const a = 1.75 * TWO_PI * t + (cls * TWO_PI) / arms;
    // Arms are only ~1.5 apart: a smaller spread (sd 0.3 at 50%, like TF
    // Playground's ±noise) keeps high noise hard but still a spiral.
    const spread = noise * 0.6;
    return [r * detSin(a) + gaussian(rng) * spread, r * detCos(a) + gaussian(rng) * spread];
  };
}

const moons: PointFn = (rng, cls, noise) => {
  // Two interleaved half circles of radius 3, centred on the domain.
  const a = uniform(rng, 0, PI);
  const x = cls === 0 ? 3 * detCos(a) - 1.5 : 1.5 - 3 * detCos(a);
  const y = cls === 0 ? 3 * detSin(a) - 0.75 : 0.75 - 3 * detSin(a);
  return [x + jitter(rng, noise), y + jitter(rng, noise)];
};

const checker: PointFn = (rng, cls, noise) => {
  // A 4x4 board of 3-unit cells; draw until the cell's colour is the class.
  for (;;) {
    const x = uniform(rng, -DOMAIN, DOMAIN);
    const y = uniform(rng, -DOMAIN, DOMAIN);
    const colour = (Math.floor(x / 3) + Math.floor(y / 3)) & 1;
    if (colour === cls) return [x + jitter(rng, noise), y + jitter(rng, noise)];
  }
};

function blobs(centres: ReadonlyArray<readonly [number, number]>): PointFn {
  return (rng, cls, noise) => {
    const [cx, cy] = centres[cls]!;
    const sd = 0.7 + noise * 3;
    return [cx + gaussian(rng) * sd, cy + gaussian(rng) * sd];
  };
}

const BLOBS3: ReadonlyArray<readonly [number, number]> = [[0, 3.5], [-3.03, -1.75], [3.03, -1.75]];
const BLOBS4: ReadonlyArray<readonly [number, number]> = [[3, 3], [-3, 3], [-3, -3], [3, -3]];

/** A classification set: k classes, points from `fn`. */
export interface ClassSpec { kind: 'class'; classes: number; point: PointFn; gate?: Gate }

/** A logic gate on the signs of x1 and x2 (positive = true): the perceptron
 *  lesson's AND, OR and NAND. Points sit in four equal clusters at the
 *  corners (±3, ±3); the class is the gate's output for that corner. */
type Gate = (a: boolean, b: boolean) => boolean;
const GATE_CORNERS: ReadonlyArray<readonly [number, number]> = [[3, 3], [-3, 3], [-3, -3], [3, -3]];

function gatePoint(rng: Rng, corner: number, noise: number): [number, number] {
  const [cx, cy] = GATE_CORNERS[corner]!;
  const sd = 0.6 + noise * 3;
  return [cx + gaussian(rng) * sd, cy + gaussian(rng) * sd];
}
/** A regression set: target = f(x1, x2) on inputs from `sample`. */
export interface RegressionSpec {
  kind: 'regression';
  dims: 1 | 2;
  truth: (x1: number, x2: number) => number;
  /** [min, max] of the noiseless target, for colour scales and noise. */
  range: readonly [number, number];
}

function gaussBump(x: number, y: number, cx: number, cy: number, sd: number): number {
  const dx = x - cx;
  const dy = y - cy;
  return detExp(-(dx * dx + dy * dy) / (2 * sd * sd));
}

/** multigauss: a landscape of bumps, positive and negative, within [-1, 1]. */
function multiGauss(x: number, y: number): number {
  const v = gaussBump(x, y, -3, 2.5, 1.4) - gaussBump(x, y, 0, 2.5, 1.4) + gaussBump(x, y, 3, 2.5, 1.4)
    - gaussBump(x, y, -3, -2.5, 1.4) + gaussBump(x, y, 0, -2.5, 1.4) - gaussBump(x, y, 3, -2.5, 1.4);
  return v < -1 ? -1 : v > 1 ? 1 : v;
}

export const SPECS: Readonly<Record<string, ClassSpec | RegressionSpec>> = {
  circle: { kind: 'class', classes: 2, point: circle },
  xor: { kind: 'class', classes: 2, point: xor },
  gauss: { kind: 'class', classes: 2, point: gauss },
  spiral: { kind: 'class', classes: 2, point: spiralArms(2) },
  moons: { kind: 'class', classes: 2, point: moons },
  checker: { kind: 'class', classes: 2, point: checker },
  blobs3: { kind: 'class', classes: 3, point: blobs(BLOBS3) },
  spiral3: { kind: 'class', classes: 3, point: spiralArms(3) },
  blobs4: { kind: 'class', classes: 4, point: blobs(BLOBS4) },
  and: { kind: 'class', classes: 2, point: gatePoint, gate: (a, b) => a && b },
  or: { kind: 'class', classes: 2, point: gatePoint, gate: (a, b) => a || b },
  nand: { kind: 'class', classes: 2, point: gatePoint, gate: (a, b) => !(a && b) },
  // plane: a tilted plane, (x1 + x2) / 12, in [-1, 1].
  plane: { kind: 'regression', dims: 2, truth: (x, y) => (x + y) / 12, range: [-1, 1] },
  multigauss: { kind: 'regression', dims: 2, truth: multiGauss, range: [-1, 1] },
  // 1-D curves on x1 in [-6, 6]. x² is divided by 6 so every 1-D target
  // stays within the domain's [-6, 6] frame (the curve plot shares its axes).
  square1d: { kind: 'regression', dims: 1, truth: (x) => (x * x) / 6, range: [0, 6] },
  abs1d: { kind: 'regression', dims: 1, truth: (x) => Math.abs(x), range: [0, 6] },
  sin1d: { kind: 'regression', dims: 1, truth: (x) => 3 * detSin(x), range: [-3, 3] },
};

/** Fills points/labels for a classification set. */
export function fillClassification(spec: ClassSpec, n: number, noise: number, seed: number,
  points: Float32Array, labels: Float32Array): void {
  const rng = createRng(seed);
  for (let i = 0; i < n; i++) {
    // Gates: the four corners in turn, each labelled by the gate; other sets: the classes in turn.
    const corner = i % 4;
    const [gx, gy] = GATE_CORNERS[corner]!;
    const cls = spec.gate ? Number(spec.gate(gx > 0, gy > 0)) : i % spec.classes;
    const [x, y] = spec.point(rng, spec.gate ? corner : cls, noise);
    points[2 * i] = clampDomain(x);
    points[2 * i + 1] = clampDomain(y);
    labels[i] = cls;
  }
}

/** Fills points/labels for a regression set; 1-D sets have x2 = 0. */
export function fillRegression(spec: RegressionSpec, n: number, noise: number, seed: number,
  points: Float32Array, labels: Float32Array): void {
  const rng = createRng(seed);
  const halfRange = (spec.range[1] - spec.range[0]) / 2;
  for (let i = 0; i < n; i++) {
    const x = uniform(rng, -DOMAIN, DOMAIN);
    const y = spec.dims === 2 ? uniform(rng, -DOMAIN, DOMAIN) : 0;
    // Round the inputs first so the target is computed from what is stored.
    points[2 * i] = x;
    points[2 * i + 1] = y;
    const t = spec.truth(points[2 * i]!, points[2 * i + 1]!);
    labels[i] = t + gaussian(rng) * noise * halfRange;
  }
}
