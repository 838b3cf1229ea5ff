// How close G's samples are to the real ones, and what went wrong when they
// are not. The distance is the sliced Wasserstein distance: the mean, over
// many directions, of the 1-D earth mover's distance between the two sets
// projected on the direction (by sorting). It is defined (and informative)
// even when the two sets do not overlap at all, where KL and JS on
// histograms are infinite or stuck at their maximum; it costs a sort per
// direction and needs no density estimate. KL and JS on a grid histogram
// are shown too, as GAN Lab does.
import { EXTENT } from './config';

/** Directions of the sliced distance: evenly spread over the half circle
 *  (a direction and its opposite give the same 1-D distance). */
export const SLICES = 64;

/**
 * The sliced Wasserstein-1 distance between two equally sized 2-D point sets
 * (flat x, y). With `slices` evenly spaced directions it converges to
 * (1/π)∫|W1 of the projections| dθ; for a set and its copy shifted by v it
 * is (2/π)|v|.
 */
export function slicedWasserstein(a: Float32Array, b: Float32Array, slices = SLICES): number {
  const n = Math.min(a.length, b.length) >> 1;
  if (n === 0) return NaN;
  const pa = new Float64Array(n), pb = new Float64Array(n);
  let sum = 0;
  for (let s = 0; s < slices; s++) {
    const t = (Math.PI * (s + 0.5)) / slices;
    const c = Math.cos(t), d = Math.sin(t);
    for (let i = 0; i < n; i++) {
      pa[i] = c * a[2 * i]! + d * a[2 * i + 1]!;
      pb[i] = c * b[2 * i]! + d * b[2 * i + 1]!;
    }
    pa.sort();
    pb.sort();
    let w = 0;
    for (let i = 0; i < n; i++) w += Math.abs(pa[i]! - pb[i]!);
    sum += w / n;
  }
  return sum / slices;
}

/** Cells per side of the histograms behind KL and JS. */
export const HIST_BINS = 20;

function histogram(p: Float32Array, bins: number): Float64Array {
  const h = new Float64Array(bins * bins);
  const n = p.length >> 1;
  for (let i = 0; i < n; i++) {
    const x = p[2 * i]!, y = p[2 * i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const cx = Math.max(0, Math.min(bins - 1, Math.floor(((x + EXTENT) / (2 * EXTENT)) * bins)));
    const cy = Math.max(0, Math.min(bins - 1, Math.floor(((y + EXTENT) / (2 * EXTENT)) * bins)));
    h[cy * bins + cx]! += 1;
  }
  return h;
}

/**
 * KL(real ‖ generated) and JS between the two sets' grid histograms, in
 * bits. Empty generated cells where the real data has mass get a small
 * floor (1e-3 of a sample) so KL stays finite; JS needs none (≤ 1 bit).
 */
export function histogramDivergences(real: Float32Array, fake: Float32Array, bins = HIST_BINS): { kl: number; js: number } {
  const p = histogram(real, bins), q = histogram(fake, bins);
  const np = real.length >> 1, nq = Math.max(1, fake.length >> 1);
  const floor = 1e-3 / nq;
  let kl = 0, js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / np, qi = q[i]! / nq;
    const m = (pi + qi) / 2;
    if (pi > 0) kl += pi * Math.log2(pi / Math.max(qi, floor));
    if (pi > 0) js += 0.5 * pi * Math.log2(pi / m);
    if (qi > 0) js += 0.5 * qi * Math.log2(qi / m);
  }
  return { kl, js };
}

/** Regions of the real data that coverage is counted in. */
export const REGIONS = 8;

/**
 * The real data's regions: farthest-point anchors picked from a real sample
 * (deterministic: it starts at the first point); each real point belongs to
 * its nearest anchor's region. `share` is each region's part of the sample.
 */
export function realRegions(real: Float32Array, k = REGIONS): { real: Float32Array; anchors: Float32Array; label: Uint8Array; share: Float32Array } {
  const n = real.length >> 1;
  const anchors = new Float32Array(2 * k);
  const dist = new Float64Array(n).fill(Infinity);
  let pick = 0;
  for (let j = 0; j < k; j++) {
    anchors[2 * j] = real[2 * pick]!;
    anchors[2 * j + 1] = real[2 * pick + 1]!;
    let far = 0, best = -1;
    for (let i = 0; i < n; i++) {
      const d = Math.hypot(real[2 * i]! - anchors[2 * j]!, real[2 * i + 1]! - anchors[2 * j + 1]!);
      if (d < dist[i]!) dist[i] = d;
      if (dist[i]! > best) { best = dist[i]!; far = i; }
    }
    pick = far;
  }
  const label = new Uint8Array(n), share = new Float32Array(k);
  for (let i = 0; i < n; i++) {
    const j = nearest(anchors, real[2 * i]!, real[2 * i + 1]!);
    label[i] = j;
    share[j]! += 1 / n;
  }
  return { real, anchors, label, share };
}

function nearest(anchors: Float32Array, x: number, y: number): number {
  let best = 0, bd = Infinity;
  for (let j = 0; j < anchors.length >> 1; j++) {
    const d = (x - anchors[2 * j]!) ** 2 + (y - anchors[2 * j + 1]!) ** 2;
    if (d < bd) { bd = d; best = j; }
  }
  return best;
}

/** Root mean squared distance of the points from their mean: one number for "how spread out". */
export function spread(p: Float32Array): number {
  const n = p.length >> 1;
  if (n === 0) return 0;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += p[2 * i]!; my += p[2 * i + 1]!; }
  mx /= n; my /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (p[2 * i]! - mx) ** 2 + (p[2 * i + 1]! - my) ** 2;
  return Math.sqrt(s / n);
}

export interface Coverage {
  /** Regions holding at least a quarter of their real share of G's samples. */
  covered: number;
  regions: number;
  /** Share of G's samples within NEAR of some real point. */
  onData: number;
  /** The largest share of G's samples in one region. */
  topShare: number;
}

/** A generated point this close to some real point is "on the data" (a few times the distributions' own noise). */
export const NEAR = 0.15;

export function coverage(fake: Float32Array, regions: ReturnType<typeof realRegions>): Coverage {
  const k = regions.share.length;
  const n = fake.length >> 1;
  const real = regions.real;
  const m = real.length >> 1;
  const count = new Float64Array(k);
  let on = 0;
  for (let i = 0; i < n; i++) {
    const x = fake[2 * i]!, y = fake[2 * i + 1]!;
    // The nearest real point decides: near enough, and in which region.
    let best = -1, bd = NEAR * NEAR;
    for (let j = 0; j < m; j++) {
      const d = (x - real[2 * j]!) ** 2 + (y - real[2 * j + 1]!) ** 2;
      if (d <= bd) { bd = d; best = j; }
    }
    if (best >= 0) { count[regions.label[best]!]! += 1; on++; }
  }
  let covered = 0, top = 0;
  for (let j = 0; j < k; j++) {
    if (count[j]! / Math.max(1, n) >= 0.25 * regions.share[j]!) covered++;
    top = Math.max(top, count[j]! / Math.max(1, n));
  }
  return { covered, regions: k, onData: on / Math.max(1, n), topShare: top };
}

/** What the lab says about the run now. */
export interface Diagnosis {
  kind: 'ok' | 'collapse' | 'partial' | 'off-data' | 'd-wins' | 'stuck' | 'diverged' | 'early';
  text: string;
}

export interface RunSignals {
  iteration: number;
  realSpread: number;
  fakeSpread: number;
  coverage: Coverage;
  /** D's mean probability on real and generated samples (BCE), or null under least squares. */
  dReal: number | null;
  dFake: number | null;
  /** G's loss now and some hundreds of iterations ago (rising when D wins). */
  gLoss: number;
  gLossBefore: number | null;
  diverged: boolean;
}

/** Mode collapse, D winning, divergence: detected from the signals and said in words, with what to try. */
export function diagnose(s: RunSignals): Diagnosis {
  if (s.diverged || !Number.isFinite(s.fakeSpread)) {
    return { kind: 'diverged', text: 'Training diverged: a loss or a sample became NaN or infinite, so training stopped. Press Reset and lower the learning rates (try a tenth); Adam copes with large gradients better than SGD, and tanh or leaky ReLU layers keep G\'s outputs from running away.' };
  }
  if (s.iteration < 200) return { kind: 'early', text: 'Too early to judge: G is still finding the data.' };
  if (s.dReal !== null && s.dFake !== null && ((s.dReal > 0.97 && s.dFake > 0.97) || (s.dReal < 0.03 && s.dFake < 0.03))) {
    return { kind: 'stuck', text: `D is stuck: it says ${s.dReal > 0.5 ? '"real"' : '"generated"'} to everything (D(real) = ${s.dReal.toFixed(2)}, D(fake) = ${s.dFake.toFixed(2)}), so its gradient is nearly zero and neither network learns; its ReLUs probably died after a too-large step. Press Reset with lower learning rates (Adam at 0.003 is a safe start), or use tanh or leaky ReLU in D.` };
  }
  const c = s.coverage;
  if (s.fakeSpread < 0.2 * s.realSpread) {
    return { kind: 'collapse', text: `Mode collapse: G's samples spread ${s.fakeSpread.toFixed(2)} around their mean against ${s.realSpread.toFixed(2)} for the real data, so G sends most noise to nearly one point. D will push that point away and G chases it. Try more D steps per iteration, a lower G learning rate, or more G capacity (wider or more layers).` };
  }
  if (s.dReal !== null && s.dFake !== null && s.dReal > 0.95 && s.dFake < 0.05 && s.gLossBefore !== null && s.gLoss > s.gLossBefore) {
    return { kind: 'd-wins', text: `D wins: it tells real from generated almost every time (D(real) = ${s.dReal.toFixed(2)}, D(fake) = ${s.dFake.toFixed(2)}) and G's loss is rising, so G's gradients carry little. Try fewer D steps or a lower D learning rate, a smaller D, or the least-squares loss.` };
  }
  if (c.onData < 0.5) {
    return { kind: 'off-data', text: `Only ${Math.round(100 * c.onData)} % of G's samples lie near the real data. Keep training; if it does not improve, lower the learning rates.` };
  }
  if (c.covered <= c.regions / 2) {
    return { kind: 'partial', text: `Mode collapse (partial): G covers ${c.covered} of the ${c.regions} regions of the real data; the largest one holds ${Math.round(100 * c.topShare)} % of its samples, others none. Try more G capacity, a lower learning rate, or the least-squares loss; noise of the data's dimension (2) helps too.` };
  }
  return { kind: 'ok', text: `G covers ${c.covered} of the ${c.regions} regions of the real data, with ${Math.round(100 * c.onData)} % of its samples near it.` };
}
