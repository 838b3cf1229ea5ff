import { describe, expect, it } from 'vitest';
import { LodSeries, SeriesFeed } from './lod-series';

/** A seeded, noisy, decaying loss curve (mulberry32). */
function curve(n: number, seed = 7): Float64Array {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = 1 / (1 + i / 100) + 0.05 * rand();
  return y;
}

function filled(ys: Float64Array, capacity?: number): LodSeries {
  const s = new LodSeries(capacity);
  for (let i = 0; i < ys.length; i++) s.push(i, ys[i]!);
  return s;
}

function viewOf(s: LodSeries, x0: number, x1: number, cols: number, edge?: (f: number) => number) {
  const v = s.query(x0, x1, cols, edge);
  return { xs: Array.from(v.xs.subarray(0, v.n)), ys: Array.from(v.ys.subarray(0, v.n)) };
}

describe('LodSeries', () => {
  it('hands back every point when they fit', () => {
    const ys = curve(100);
    const v = viewOf(filled(ys), 0, 99, 300);
    expect(v.xs).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(v.ys).toEqual(Array.from(ys));
  });

  // The long runs below take seconds on a loaded 2-core machine.
  const LONG = { timeout: 60_000 };

  it('keeps the view within 2 points per column however long the run', LONG, () => {
    const s = filled(curve(1_000_000));
    for (const cols of [50, 300, 1200]) {
      const v = s.query(0, 999_999, cols);
      expect(v.n).toBeLessThanOrEqual(2 * cols + 4);
      expect(v.n).toBeGreaterThanOrEqual(cols); // and it does fill the width
    }
  });

  it('keeps single-point spikes at any zoom, in their order', LONG, () => {
    const ys = curve(1_000_000);
    ys[123_457] = 100;
    ys[700_001] = -100;
    const s = filled(ys);
    const v = viewOf(s, 0, 999_999, 300);
    expect(Math.max(...v.ys)).toBe(100);
    expect(Math.min(...v.ys)).toBe(-100);
    expect(v.xs[v.ys.indexOf(100)]!).toBeLessThan(v.xs[v.ys.indexOf(-100)]!);
    // And the rest of the curve's range is there too (not only the spikes).
    expect(s.extent(200_000, 600_000)!.hi).toBeLessThan(1);
  });

  it('equals a brute-force min/max per pixel column', () => {
    const ys = curve(20_000, 3);
    const s = filled(ys);
    const bruteForce = (x0: number, x1: number, cols: number) => {
      const xs: number[] = [], out: number[] = [];
      const put = (x: number, y: number) => { xs.push(x); out.push(y); };
      if (x0 > 0) put(Math.ceil(x0) - 1, ys[Math.ceil(x0) - 1]!);
      let i = Math.ceil(x0);
      for (let c = 1; c <= cols; c++) {
        const edge = c === cols ? x1 : x0 + (c / cols) * (x1 - x0);
        const a = i;
        while (i <= x1 && i <= edge) i++;
        if (i - a === 1) put(a, ys[a]!);
        else if (i - a > 1) {
          let lo = a, hi = a;
          for (let k = a; k < i; k++) { if (ys[k]! < ys[lo]!) lo = k; if (ys[k]! > ys[hi]!) hi = k; }
          put(a, ys[Math.min(lo, hi)]!);
          put(i - 1, ys[Math.max(lo, hi)]!);
        }
      }
      if (x1 < ys.length - 1) put(Math.floor(x1) + 1, ys[Math.floor(x1) + 1]!);
      return { xs, ys: out };
    };
    for (const [x0, x1, cols] of [[0, 19_999, 97], [1234, 5678, 300], [10, 40, 300], [5000, 5000, 10], [99.5, 3000.25, 64]] as const) {
      expect(viewOf(s, x0, x1, cols)).toEqual(bruteForce(x0, x1, cols));
    }
  });

  it('zoomed into the first 200 of 50,000 epochs, shows those 200 epochs point by point', () => {
    const ys = curve(50_001);
    const s = filled(ys);
    const wide = viewOf(s, 0, 50_000, 300);
    expect(wide.xs.filter((x) => x <= 200).length).toBeLessThan(10); // a whole-run view cannot show them
    const v = viewOf(s, 0, 200, 300);
    expect(v.xs).toEqual(Array.from({ length: 202 }, (_, i) => i)); // 0 … 200 and the one after
    expect(v.ys).toEqual(Array.from(ys.subarray(0, 202)));
  });

  it('builds a view with O(columns · log n) work, not O(n)', LONG, () => {
    const cost = (n: number) => {
      const s = filled(curve(n));
      s.work = 0;
      s.query(0, n - 1, 300);
      return s.work;
    };
    const small = cost(1_000), large = cost(1_000_000);
    // Per column: two binary searches over at most the whole series and the
    // pyramid entries covering the column, each O(log2 n) ≈ 20 here.
    expect(large).toBeLessThanOrEqual(300 * 4 * Math.ceil(Math.log2(1_000_000)));
    // 1,000× more points cost a few times more work, not 1,000×.
    expect(large / small).toBeLessThan(4);
  });

  it('a log-x view (column edges given) shows the early epochs in full', () => {
    const s = filled(curve(50_001));
    const hi = Math.asinh(50_000);
    const v = viewOf(s, 0, 50_000, 300, (f) => Math.sinh(f * hi));
    // Epochs 0 … 10 take a fifth of the width on an asinh axis: all of them are drawn.
    for (let e = 0; e <= 10; e++) expect(v.xs).toContain(e);
    expect(v.xs.length).toBeLessThanOrEqual(604);
  });

  it('refuses out-of-order and non-finite points, and revises the newest one', () => {
    const s = new LodSeries();
    expect(s.push(0, 1)).toBe(true);
    expect(s.push(1, NaN)).toBe(false);
    expect(s.push(2, 3)).toBe(true);
    expect(s.push(1, 2)).toBe(false);
    expect(s.replaceLast(2, 9)).toBe(true);
    expect(viewOf(s, 0, 2, 10)).toEqual({ xs: [0, 2], ys: [1, 9] });
    expect(s.extent(0, 2)).toEqual({ lo: 1, hi: 9 });
    expect(s.replaceLast(-1, 0)).toBe(false);
    s.clear();
    expect(s.length).toBe(0);
    expect(viewOf(s, 0, 1, 10).xs).toEqual([]);
  });

  it('bounds memory: past its capacity old points pair up, extremes and the newest points stay exact', () => {
    const ys = curve(10_000);
    ys[17] = 50;
    ys[4321] = -50;
    const s = filled(ys, 1024);
    expect(s.count).toBe(10_000);
    expect(s.length).toBeLessThanOrEqual(1024);
    expect(s.extent(0, 9_999)).toEqual({ lo: -50, hi: 50 });
    const v = viewOf(s, 9_900, 9_999, 300);
    expect(v.xs.slice(1)).toEqual(Array.from({ length: 100 }, (_, i) => 9_900 + i));
    expect(v.ys.slice(1)).toEqual(Array.from(ys.subarray(9_900)));
    const whole = viewOf(s, 0, 9_999, 200);
    expect(Math.max(...whole.ys)).toBe(50);
    expect(Math.min(...whole.ys)).toBe(-50);
  });
});

describe('SeriesFeed', () => {
  /** A source like a bounded history: keeps every other point once full. */
  class ThinningSource {
    xs: number[] = [];
    ys: number[] = [];
    add(x: number, y: number) {
      this.xs.push(x); this.ys.push(y);
      if (this.xs.length > 8) {
        this.xs = this.xs.filter((_, i) => i % 2 === 0);
        this.ys = this.ys.filter((_, i) => i % 2 === 0);
      }
    }
  }
  const sync = (f: SeriesFeed, src: ThinningSource) => f.sync(src.xs.length, (i) => src.xs[i]!, (i) => src.ys[i]!);

  it('keeps every point it was shown, though the source thinned them out', () => {
    const src = new ThinningSource(), feed = new SeriesFeed();
    for (let e = 0; e < 100; e++) { src.add(e, e * e); sync(feed, src); }
    expect(src.xs.length).toBeLessThanOrEqual(8);
    const v = feed.series.query(0, 99, 300);
    expect(Array.from(v.xs.subarray(0, v.n))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(v.ys.subarray(0, v.n))).toEqual(Array.from({ length: 100 }, (_, i) => i * i));
  });

  it('revises a point given again at the same x, and starts again when x goes back', () => {
    const feed = new SeriesFeed();
    feed.sync(2, (i) => i, (i) => 10 + i);
    feed.sync(2, (i) => i, (i) => (i === 1 ? 99 : 10));
    expect(feed.series.count).toBe(2);
    expect(feed.series.lastY).toBe(99);
    feed.sync(1, () => 0, () => 5); // a new run from epoch 0
    expect(feed.series.count).toBe(1);
    expect(feed.series.lastY).toBe(5);
    feed.sync(0, () => 0, () => 0);
    expect(feed.series.length).toBe(0);
  });
});
