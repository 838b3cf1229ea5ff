// One chart line's points, kept as a level-of-detail pyramid so that a view of
// any x range at any width costs O(width · log n), however long the run.
//
// Level 0 holds the points in x order (a point is an entry whose first and
// last x are equal and whose min equals its max). Entry i of level k + 1
// summarises entries 2i and 2i + 1 of level k: first and last x, min and max
// y, and which of the two came first (so a view can draw a spike as the
// up-and-down it was). A view asks, per pixel column, for the min and max of
// the entries in that column: a binary search finds the column's entries and
// O(log n) pyramid entries cover them, so spikes stay visible at any zoom and
// a zoomed view shows its range's own points.
//
// Memory is bounded: when level 0 reaches `capacity` entries, level 1 (pairs
// of entries, extremes kept) becomes level 0. New points still arrive one per
// entry, so only the oldest part of a very long run loses resolution, and never
// its extremes.

const GROW = 1024;

class Level {
  xFirst: Float64Array;
  xLast: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  /** 1 when the entry's min came before its max. */
  loFirst: Uint8Array;
  n = 0;

  constructor(size: number) {
    this.xFirst = new Float64Array(size);
    this.xLast = new Float64Array(size);
    this.lo = new Float64Array(size);
    this.hi = new Float64Array(size);
    this.loFirst = new Uint8Array(size);
  }

  ensure(size: number): void {
    if (size <= this.xFirst.length) return;
    const next = Math.max(size, this.xFirst.length * 2);
    const grow = <T extends Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as { new(n: number): T })(next);
      b.set(a);
      return b;
    };
    this.xFirst = grow(this.xFirst);
    this.xLast = grow(this.xLast);
    this.lo = grow(this.lo);
    this.hi = grow(this.hi);
    this.loFirst = grow(this.loFirst);
  }
}

/** Min and max of a run of entries, and their order. */
interface Span {
  lo: number;
  hi: number;
  loFirst: boolean;
  empty: boolean;
}

/** The points a view draws: x ascending, y of the same length (reused buffers). */
export interface LodView {
  xs: Float64Array;
  ys: Float64Array;
  n: number;
}

/** Maps a fraction of the plot width (0 … 1) to an x value. */
export type ColumnEdge = (fraction: number) => number;

export class LodSeries {
  private levels: Level[] = [new Level(GROW)];
  private viewX = new Float64Array(0);
  private viewY = new Float64Array(0);
  // Scratch for span(): a view calls it once per pixel column.
  private readonly left: Span = { lo: 0, hi: 0, loFirst: true, empty: true };
  private readonly right: Span = { lo: 0, hi: 0, loFirst: true, empty: true };
  /** Points pushed since the last clear (more than `length` once compacted). */
  count = 0;
  /** Pyramid entries and binary-search steps visited by queries: a work
   *  counter the tests read, since timings on a shared machine prove nothing. */
  work = 0;

  constructor(readonly capacity = 1 << 17) {
    if (!Number.isInteger(capacity) || capacity < 16) throw new RangeError(`capacity must be an integer >= 16, got ${capacity}`);
  }

  /** Entries at level 0. */
  get length(): number {
    return this.levels[0]!.n;
  }

  get firstX(): number {
    return this.length > 0 ? this.levels[0]!.xFirst[0]! : NaN;
  }

  get lastX(): number {
    const b = this.levels[0]!;
    return b.n > 0 ? b.xLast[b.n - 1]! : NaN;
  }

  /** The newest point's y (NaN when empty). */
  get lastY(): number {
    const b = this.levels[0]!;
    return b.n > 0 ? b.hi[b.n - 1]! : NaN;
  }

  clear(): void {
    this.levels = [new Level(GROW)];
    this.count = 0;
  }

  /** Appends (x, y). Points with a non-finite value, or an x before the last
   *  point's, are refused (false): the chart draws gaps where data is missing. */
  push(x: number, y: number): boolean {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    let base = this.levels[0]!;
    if (base.n > 0 && x < base.xLast[base.n - 1]!) return false;
    if (base.n >= this.capacity) {
      this.compact();
      base = this.levels[0]!;
    }
    base.ensure(base.n + 1);
    const i = base.n++;
    base.xFirst[i] = x;
    base.xLast[i] = x;
    base.lo[i] = y;
    base.hi[i] = y;
    base.loFirst[i] = 1;
    this.count++;
    this.propagate();
    return true;
  }

  /** Replaces the newest point (a value revised at the same x, or a partial
   *  bucket that grew). False when empty or when x would break the order. */
  replaceLast(x: number, y: number): boolean {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
    const base = this.levels[0]!;
    const i = base.n - 1;
    if (i < 0 || (i > 0 && x < base.xLast[i - 1]!)) return false;
    base.xFirst[i] = x;
    base.xLast[i] = x;
    base.lo[i] = y;
    base.hi[i] = y;
    base.loFirst[i] = 1;
    this.propagate();
    return true;
  }

  /** Index of the last entry whose first x is ≤ x (-1 if none). */
  indexAtOrBefore(x: number): number {
    return this.upperBound(x, 0, this.length) - 1;
  }

  /** The entry at index i: its x range and min/max (equal for a point). */
  entry(i: number): { xFirst: number; xLast: number; lo: number; hi: number } {
    const b = this.levels[0]!;
    return { xFirst: b.xFirst[i]!, xLast: b.xLast[i]!, lo: b.lo[i]!, hi: b.hi[i]! };
  }

  /**
   * The points to draw for x in [x0, x1] on `columns` pixel columns: every
   * point when there are at most two per column, else per column its min and
   * max in their order at the column's first and last x. One point either
   * side of the range is included so lines run to the plot's edges. At most
   * 2·columns + 2 points; O(columns · log n) work.
   */
  query(x0: number, x1: number, columns: number, edge?: ColumnEdge): LodView {
    const cols = Math.max(1, Math.floor(columns));
    const need = 2 * cols + 4;
    if (this.viewX.length < need) {
      this.viewX = new Float64Array(need);
      this.viewY = new Float64Array(need);
    }
    const out: LodView = { xs: this.viewX, ys: this.viewY, n: 0 };
    const n = this.length;
    if (n === 0 || !(x1 >= x0)) return out;
    const at = edge ?? ((f: number) => x0 + f * (x1 - x0));
    const first = this.lowerBound(x0, 0, n);
    const end = this.upperBound(x1, first, n);
    if (first > 0) this.emitRange(out, first - 1, first);
    let i = first;
    for (let c = 1; c <= cols && i < end; c++) {
      const j = c === cols ? end : this.upperBound(at(c / cols), i, end);
      if (j > i) this.emitRange(out, i, j);
      i = j;
    }
    if (end < n) this.emitRange(out, end, end + 1);
    return out;
  }

  /** Min and max y over entries with x in [x0, x1], in O(log n). */
  extent(x0: number, x1: number): { lo: number; hi: number } | null {
    const a = this.lowerBound(x0, 0, this.length);
    const b = this.upperBound(x1, a, this.length);
    const s = this.span(a, b);
    return s.empty ? null : { lo: s.lo, hi: s.hi };
  }

  // ----------------------------------------------------------------- inside

  private emitRange(out: LodView, a: number, b: number): void {
    const base = this.levels[0]!;
    // One entry is a point, or (after compaction) a pair of extremes. Two
    // points' min and max in order are those two points themselves.
    if (b - a === 1) {
      const first = base.loFirst[a] ? base.lo[a]! : base.hi[a]!;
      const second = base.loFirst[a] ? base.hi[a]! : base.lo[a]!;
      this.emit(out, base.xFirst[a]!, first);
      if (base.xLast[a] !== base.xFirst[a] || first !== second) this.emit(out, base.xLast[a]!, second);
      return;
    }
    const s = this.span(a, b);
    this.emit(out, base.xFirst[a]!, s.loFirst ? s.lo : s.hi);
    this.emit(out, base.xLast[b - 1]!, s.loFirst ? s.hi : s.lo);
  }

  private emit(out: LodView, x: number, y: number): void {
    out.xs[out.n] = x;
    out.ys[out.n] = y;
    out.n++;
  }

  /** Min/max of entries [a, b) of level 0 from O(log n) pyramid entries:
   *  entries from the left end are joined after `left`, from the right end
   *  before `right`, then the two are joined. */
  private span(a: number, b: number): Span {
    const left = this.left, right = this.right;
    left.empty = right.empty = true;
    let l = a, r = b;
    for (let k = 0; l < r && k < this.levels.length; k++) {
      const lv = this.levels[k]!;
      if (l & 1) { joinEntry(left, lv, l, true); l++; this.work++; }
      if (r & 1) { r--; joinEntry(right, lv, r, false); this.work++; }
      l >>= 1;
      r >>= 1;
    }
    if (!right.empty) {
      if (left.empty) return right;
      join(left, left.lo, left.hi, left.loFirst, right.lo, right.hi, right.loFirst);
    }
    return left;
  }

  /** First index in [a, b) whose first x is ≥ x. */
  private lowerBound(x: number, a: number, b: number): number {
    const xs = this.levels[0]!.xFirst;
    while (a < b) {
      const m = (a + b) >>> 1;
      this.work++;
      if (xs[m]! < x) a = m + 1; else b = m;
    }
    return a;
  }

  /** First index in [a, b) whose first x is > x. */
  private upperBound(x: number, a: number, b: number): number {
    const xs = this.levels[0]!.xFirst;
    while (a < b) {
      const m = (a + b) >>> 1;
      this.work++;
      if (xs[m]! <= x) a = m + 1; else b = m;
    }
    return a;
  }

  /** Recomputes the newest entry's ancestors: O(log n) per point. */
  private propagate(): void {
    let k = 0;
    while (this.levels[k]!.n > 1) {
      const child = this.levels[k]!;
      if (k + 1 === this.levels.length) this.levels.push(new Level(Math.max(16, child.xFirst.length >> 1)));
      const parent = this.levels[k + 1]!;
      const p = (child.n - 1) >> 1;
      parent.ensure(p + 1);
      if (parent.n <= p) parent.n = p + 1;
      const a = 2 * p;
      parent.xFirst[p] = child.xFirst[a]!;
      if (a + 1 < child.n) {
        // The pair's extremes, and whether its min came first (no allocation: this runs per point).
        const b = a + 1;
        const loFromA = child.lo[a]! <= child.lo[b]!, hiFromA = child.hi[a]! >= child.hi[b]!;
        parent.lo[p] = loFromA ? child.lo[a]! : child.lo[b]!;
        parent.hi[p] = hiFromA ? child.hi[a]! : child.hi[b]!;
        parent.loFirst[p] = loFromA === hiFromA ? child.loFirst[loFromA ? a : b]! : loFromA ? 1 : 0;
        parent.xLast[p] = child.xLast[b]!;
      } else {
        parent.lo[p] = child.lo[a]!;
        parent.hi[p] = child.hi[a]!;
        parent.loFirst[p] = child.loFirst[a]!;
        parent.xLast[p] = child.xLast[a]!;
      }
      k++;
    }
  }

  /** Level 1 becomes level 0: half the entries, every extreme kept. */
  private compact(): void {
    // propagate() keeps level 1 complete, so it summarises every pair.
    this.levels.shift();
    this.levels[0]!.ensure(this.capacity);
  }
}

/** acc ← acc joined with entry i of lv; `after` says the entry comes after acc. */
function joinEntry(acc: Span, lv: Level, i: number, after: boolean): void {
  const lo = lv.lo[i]!, hi = lv.hi[i]!, loFirst = lv.loFirst[i] === 1;
  if (acc.empty) {
    acc.lo = lo; acc.hi = hi; acc.loFirst = loFirst; acc.empty = false;
  } else if (after) {
    join(acc, acc.lo, acc.hi, acc.loFirst, lo, hi, loFirst);
  } else {
    join(acc, lo, hi, loFirst, acc.lo, acc.hi, acc.loFirst);
  }
}

/** out ← run A followed by run B. Ties keep the earlier extreme. */
function join(out: Span, aLo: number, aHi: number, aLoFirst: boolean, bLo: number, bHi: number, bLoFirst: boolean): void {
  const loFromA = aLo <= bLo, hiFromA = aHi >= bHi;
  out.lo = loFromA ? aLo : bLo;
  out.hi = hiFromA ? aHi : bHi;
  out.loFirst = loFromA === hiFromA ? (loFromA ? aLoFirst : bLoFirst) : loFromA;
  out.empty = false;
}

/**
 * Follows a source that only appends points and may revise its newest one
 * (a bounded history that thins out its old points, a bucket that is still
 * filling): each sync appends what is new since the last one, so the series
 * keeps every point it was ever shown. The source's x going backwards means
 * a new run: the series starts again.
 */
export class SeriesFeed {
  private seenX = -Infinity;

  constructor(readonly series = new LodSeries()) {}

  sync(n: number, xAt: (i: number) => number, yAt: (i: number) => number): void {
    if (n === 0) {
      if (this.seenX !== -Infinity) this.restart();
      return;
    }
    const newest = xAt(n - 1);
    if (newest < this.seenX) this.restart();
    if (newest === this.seenX) {
      const y = yAt(n - 1);
      if (this.series.lastX === newest) this.series.replaceLast(newest, y); else this.series.push(newest, y);
      return;
    }
    let i = n - 1;
    while (i > 0 && xAt(i - 1) > this.seenX) i--;
    for (; i < n; i++) this.series.push(xAt(i), yAt(i));
    this.seenX = newest;
  }

  private restart(): void {
    this.series.clear();
    this.seenX = -Infinity;
  }
}
