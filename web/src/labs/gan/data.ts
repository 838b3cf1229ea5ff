// The GAN lab's real distributions: seeded samplers of 2-D points (lib/rng.js,
// so a seed gives the same points everywhere), each inside the lab's square
// [-EXTENT, EXTENT]². "custom" draws from the user's points with a little
// jitter, so G has a density to match rather than a few exact atoms.
import { createRng, gaussian, type Rng } from '../../lib/rng.js';
import { EXTENT, type Distribution } from './config';

/** Real samples' seed, apart from the weights' and the noise's. */
export const realSeed = (seed: number): number => (seed ^ 0x68e31da4) >>> 0;

const TAU = 2 * Math.PI;
/** Centres of the 8 Gaussians (radius 1.2, every 45°). */
export const GAUSSIAN_CENTRES: readonly [number, number][] = Array.from({ length: 8 }, (_, k) => [1.2 * Math.cos((k * TAU) / 8), 1.2 * Math.sin((k * TAU) / 8)] as [number, number]);

/** One point of `dist` into out[o], out[o + 1]. */
function samplePoint(dist: Distribution, rng: Rng, custom: Float32Array | null, out: Float32Array, o: number): void {
  let x: number, y: number;
  switch (dist) {
    case 'ring': {
      const a = TAU * rng.next();
      const r = 1.2 + 0.05 * gaussian(rng);
      x = r * Math.cos(a); y = r * Math.sin(a);
      break;
    }
    case 'gaussians': {
      const c = GAUSSIAN_CENTRES[Math.floor(rng.next() * 8) % 8]!;
      x = c[0] + 0.08 * gaussian(rng); y = c[1] + 0.08 * gaussian(rng);
      break;
    }
    case 'line': {
      const t = 2 * rng.next() - 1;
      x = 1.4 * t + 0.03 * gaussian(rng); y = 0.7 * t + 0.03 * gaussian(rng);
      break;
    }
    case 'moons': {
      const t = Math.PI * rng.next();
      const upper = rng.next() < 0.5;
      // scikit-learn's two moons, centred and scaled into the square.
      const mx = upper ? Math.cos(t) : 1 - Math.cos(t);
      const my = upper ? Math.sin(t) : 0.5 - Math.sin(t);
      x = 1.1 * (mx - 0.5) + 0.05 * gaussian(rng); y = 1.1 * (my - 0.25) + 0.05 * gaussian(rng);
      break;
    }
    case 'spiral': {
      const t = rng.next();
      const r = 0.2 + 1.3 * t, a = 3 * Math.PI * t;
      x = r * Math.cos(a) + 0.04 * gaussian(rng); y = r * Math.sin(a) + 0.04 * gaussian(rng);
      break;
    }
    case 'custom': {
      const n = custom ? custom.length / 2 : 0;
      if (n === 0) { x = 0; y = 0; break; }
      const i = Math.floor(rng.next() * n) % n;
      x = custom![2 * i]! + 0.04 * gaussian(rng); y = custom![2 * i + 1]! + 0.04 * gaussian(rng);
      break;
    }
  }
  out[o] = Math.max(-EXTENT, Math.min(EXTENT, x));
  out[o + 1] = Math.max(-EXTENT, Math.min(EXTENT, y));
}

/**
 * A real-data stream: next(n) gives n fresh points [x0, y0, x1, y1, ...]
 * into a buffer it reuses. `custom` holds the drawn points (flat x, y) for
 * dist = custom.
 */
export class RealSampler {
  private readonly rng: Rng;
  private buf = new Float32Array(0);
  constructor(readonly dist: Distribution, seed: number, private readonly custom: Float32Array | null = null) {
    this.rng = createRng(seed >>> 0);
  }

  /** n points in a buffer valid until the next call. */
  next(n: number): Float32Array {
    if (this.buf.length !== 2 * n) this.buf = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) samplePoint(this.dist, this.rng, this.custom, this.buf, 2 * i);
    return this.buf;
  }

  /** n points in a new array. */
  take(n: number): Float32Array {
    return this.next(n).slice();
  }
}

/** A custom distribution needs points to draw from. */
export function needsPoints(dist: Distribution, custom: Float32Array | null): boolean {
  return dist === 'custom' && (!custom || custom.length < 2);
}
