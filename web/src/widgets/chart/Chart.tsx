// The one chart of every lab: lines against an x axis (epochs), drawn by uPlot.
// Hover, tap or the arrow keys give a read-out of every line under the cursor;
// drag across the plot (or + and −) to zoom, double-click, Escape or "Reset
// zoom" to go back; "Log x" spreads the first epochs out. The lines are
// LodSeries: each frame hands uPlot at most two points per pixel column of
// the visible x range, so a frame costs the same at epoch 100 and 1,000,000,
// and a zoomed view shows its own range's points.

import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './chart.css';
import { alignViews } from './align';
import type { LodSeries } from './lod-series';
import { formatTick, formatValue, niceTicks } from './ticks';

export type LineStyle = 'line' | 'faint' | 'dashed' | 'dotted' | 'dots';

export interface ChartLine {
  label: string;
  /** Any CSS colour (the palette's). */
  color: string;
  data: LodSeries;
  style?: LineStyle;
  /** 'right' puts the line on a second y axis (accuracy beside a loss). */
  axis?: 'left' | 'right';
  /** Read-out text of a value (default: four significant digits). */
  format?: (y: number) => string;
}

export interface ChartProps {
  lines: readonly ChartLine[];
  /** Changes whenever a line's data changed (they are mutated in place). */
  version: number;
  /** Re-read the colours when the page's theme changes. */
  theme?: string;
  /** What the chart shows, for its text alternative ("Loss"). */
  title: string;
  xLabel: string;
  yLabel?: string;
  rightLabel?: string;
  /** Fixed y ranges; otherwise from the visible data. */
  yRange?: readonly [number, number];
  rightRange?: readonly [number, number];
  /** The left axis starts at 0 (a loss). */
  yFromZero?: boolean;
  /** The x axis starts at 0 and reaches at least minX. */
  xFromZero?: boolean;
  minX?: number;
  /** On the log axis, |x| below this is drawn linearly (so epoch 0 has a place). */
  logXLinear?: number;
  /** Axis tick labels of the right axis. */
  formatRight?: (v: number) => string;
  height?: number;
  testId?: string;
  className?: string;
  emptyText?: string;
}

export function Chart(p: ChartProps) {
  const plotRef = useRef<HTMLDivElement>(null);
  const readoutRef = useRef<HTMLOutputElement>(null);
  const figureRef = useRef<HTMLElement>(null);
  const ctl = useRef<ChartController | null>(null);
  const latest = useRef(p);
  latest.current = p;
  const [zoomed, setZoomed] = useState(false);
  const [logX, setLogX] = useState(false);

  useLayoutEffect(() => {
    const c = new ChartController(figureRef.current!, plotRef.current!, readoutRef.current!, () => latest.current, setZoomed);
    ctl.current = c;
    return () => { c.destroy(); ctl.current = null; };
  }, []);
  // Options uPlot cannot change in place: rebuild the plot (cheap; the data stays).
  const shape = [p.theme, p.height, logX, p.yLabel, p.rightLabel, p.xLabel,
    ...p.lines.map((l) => `${l.label}|${l.color}|${l.style}|${l.axis}`)].join(';');
  useLayoutEffect(() => { ctl.current?.rebuild(logX); }, [shape]);
  useLayoutEffect(() => { ctl.current?.invalidate(); }, [p.version, p.lines]);

  const id = p.testId ?? 'chart';
  return (
    <figure ref={figureRef} class={`chart ${p.className ?? ''}`} data-testid={p.testId}>
      <div class="chart-bar">
        <output ref={readoutRef} class="chart-readout" data-testid={`${id}-readout`} aria-live="off" />
        <button type="button" class="chart-btn" data-testid={`${id}-reset-zoom`} disabled={!zoomed}
                onClick={() => ctl.current?.resetZoom()} title="Show the whole run (double-click, Escape)">Reset zoom</button>
        <button type="button" class="chart-btn" data-testid={`${id}-log-x`} aria-pressed={logX}
                onClick={() => setLogX((v) => !v)} title="Logarithmic x axis">Log x</button>
      </div>
      <div ref={plotRef} class="chart-plot" data-testid={`${id}-plot`} tabIndex={0} role="group"
           aria-label={`${p.title} chart. Arrow keys move the read-out; plus and minus zoom; Escape shows the whole run.`}
           onKeyDown={(e) => ctl.current?.key(e)} onBlur={() => ctl.current?.blur()}>
        <p class="chart-empty">{p.emptyText ?? 'No data yet.'}</p>
      </div>
      <figcaption class="chart-legend">
        {p.lines.map((l) => (
          <span key={l.label}>
            <i class={`chart-swatch chart-swatch-${l.style ?? 'line'}`} style={{ color: l.color }} />
            {l.label}{l.axis === 'right' && p.rightLabel ? ` (right axis)` : ''}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

// ---------------------------------------------------------------- controller

const DEFAULT_HEIGHT = 160;
const TAP_HOLD_MS = 1000;

/** Owns the uPlot instance: redraws at most once per animation frame, and not
 *  at all while the chart is off screen or the page is hidden. */
class ChartController {
  private u: uPlot | null = null;
  private raf = 0;
  private dirty = true;
  private onScreen = true;
  private logX = false;
  private zoom: [number, number] | null = null;
  private view: [number, number] = [0, 1];
  private width = 0;
  private draws = 0;
  private touchedAt = -Infinity;
  private readonly io: IntersectionObserver | null;
  private readonly ro: ResizeObserver | null;
  private readonly themeWatch: MutationObserver | null;
  private readonly onVisibility = () => { if (!document.hidden) this.schedule(); };

  constructor(private readonly figure: HTMLElement, private readonly plot: HTMLElement,
              private readonly readout: HTMLOutputElement, private readonly props: () => ChartProps,
              private readonly onZoom: (zoomed: boolean) => void) {
    this.io = typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => {
        this.onScreen = entries.some((e) => e.isIntersecting);
        this.schedule();
      })
      : null;
    this.io?.observe(figure);
    this.ro = typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
        if (this.u && this.plot.clientWidth !== this.width) this.invalidate();
      })
      : null;
    this.ro?.observe(plot);
    // The axes take their colours from the theme's CSS variables: follow the
    // page's theme switch even when it lands after the chart was built.
    this.themeWatch = typeof MutationObserver === 'function' ? new MutationObserver(() => this.rebuild(this.logX)) : null;
    this.themeWatch?.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  destroy(): void {
    cancelAnimationFrame(this.raf);
    this.io?.disconnect();
    this.ro?.disconnect();
    this.themeWatch?.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.u?.destroy();
    this.u = null;
  }

  invalidate(): void {
    this.dirty = true;
    this.schedule();
  }

  rebuild(logX: boolean): void {
    this.logX = logX;
    this.u?.destroy();
    this.u = null;
    this.invalidate();
  }

  resetZoom(): void {
    this.setZoom(null);
  }

  /** The keyboard's cursor ends with the focus; the read-out returns to the latest values. */
  blur(): void {
    if (this.readout.getAttribute('aria-live') !== 'polite') return;
    this.readout.setAttribute('aria-live', 'off');
    this.u?.setCursor({ left: -10, top: -10 });
  }

  /** Keyboard use of the plot: the read-out follows ←/→, + and − zoom. */
  key(e: KeyboardEvent): void {
    const u = this.u;
    if (!u) return;
    const w = u.over.clientWidth, h = u.over.clientHeight;
    const left = u.cursor.left != null && u.cursor.left >= 0 ? u.cursor.left : w;
    const step = e.shiftKey ? w / 10 : Math.max(1, w / 100);
    let handled = true;
    switch (e.key) {
      case 'ArrowLeft': u.setCursor({ left: Math.max(0, left - step), top: h / 2 }); break;
      case 'ArrowRight': u.setCursor({ left: Math.min(w, left + step), top: h / 2 }); break;
      case 'Home': u.setCursor({ left: 0, top: h / 2 }); break;
      case 'End': u.setCursor({ left: w, top: h / 2 }); break;
      case '+': case '=': this.zoomAround(left, 0.5); break;
      case '-': case '_': this.zoomAround(left, 2); break;
      case 'Escape': case '0': this.resetZoom(); break;
      default: handled = false;
    }
    if (handled) {
      this.readout.setAttribute('aria-live', 'polite');
      e.preventDefault();
    }
  }

  // -------------------------------------------------------------- inside

  private schedule(): void {
    if (this.raf || !this.dirty || !this.onScreen || document.hidden) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      if (!this.dirty || !this.onScreen || document.hidden) return;
      this.dirty = false;
      this.draw();
    });
  }

  private setZoom(z: [number, number] | null): void {
    if (z && !(z[1] > z[0])) return;
    const was = this.zoom !== null;
    this.zoom = z;
    if (was !== (z !== null)) this.onZoom(z !== null);
    this.invalidate();
  }

  private zoomAround(left: number, factor: number): void {
    const u = this.u!;
    const w = u.over.clientWidth;
    const a = u.posToVal(left - (left * factor), 'x');
    const b = u.posToVal(left + (w - left) * factor, 'x');
    const full = this.fullRange();
    if (a <= full[0] && b >= full[1]) this.setZoom(null);
    else this.setZoom([Math.max(full[0], a), Math.min(full[1], b)]);
  }

  /** The x range that holds every line: at least [lo, lo + 1], or [lo, minX]. */
  private fullRange(): [number, number] {
    const p = this.props();
    let lo = Infinity, hi = -Infinity;
    for (const l of p.lines) {
      if (l.data.length === 0) continue;
      lo = Math.min(lo, l.data.firstX);
      hi = Math.max(hi, l.data.lastX);
    }
    if (lo === Infinity) { lo = 0; hi = 0; }
    if (p.xFromZero) lo = Math.min(0, lo);
    hi = Math.max(hi, p.minX ?? lo + 1);
    return [lo, hi];
  }

  private create(width: number): uPlot {
    const p = this.props();
    const colors = themeColors(this.figure);
    const hasRight = p.lines.some((l) => l.axis === 'right');
    const font = '11px system-ui, sans-serif';
    const axis = (extra: uPlot.Axis): uPlot.Axis => ({
      stroke: colors.fg, font, labelFont: font, labelSize: 14, gap: 3, size: 40,
      grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1, size: 3 }, ...extra,
    });
    const linearSplits = (count: (u: uPlot) => number) => (u: uPlot, _i: number, lo: number, hi: number) =>
      niceTicks(lo, hi, count(u)).filter((t) => t >= lo && t <= hi);
    const opts: uPlot.Options = {
      width,
      height: p.height ?? DEFAULT_HEIGHT,
      legend: { show: false },
      cursor: {
        y: false,
        drag: { x: true, y: false, setScale: false },
        // Double-click resets our zoom, not uPlot's view of the data it holds.
        // After a tap, Chrome follows its emulated mouse events with a
        // mouseleave, which would hide the read-out the tap asked for.
        bind: {
          dblclick: () => null,
          mouseleave: (_u, _target, handler) => (e) => {
            if (performance.now() - this.touchedAt > TAP_HOLD_MS) handler(e);
            return null;
          },
        },
        points: { size: 7 },
      },
      scales: {
        x: { time: false, range: () => this.view, ...(this.logX ? { distr: 4, asinh: p.logXLinear ?? 1 } : {}) },
        y: { range: (_u, lo, hi) => valueRange(lo, hi, p.yRange, p.yFromZero ?? false) },
        ...(hasRight ? { r: { range: () => (p.rightRange ? [p.rightRange[0], p.rightRange[1]] : [0, 1]) as uPlot.Range.MinMax } } : {}),
      },
      axes: [
        axis({
          label: p.xLabel, labelGap: 0, labelSize: 12, size: 22,
          values: (_u, splits) => splits.map(tickLabel(formatTick)),
          ...(this.logX
            // uPlot's arcsinh ticks may start a decade below the range (-1 left of 0).
            ? { filter: (u: uPlot, splits: number[]) => splits.map((v) => (v >= u.scales.x!.min! ? v : null)) }
            : { splits: linearSplits((u) => Math.max(2, Math.floor(u.over.clientWidth / 70))) }),
        }),
        axis({
          label: p.yLabel ?? '', size: 44,
          values: (_u, splits) => splits.map(tickLabel(formatTick)),
          splits: linearSplits(() => 4),
        }),
        ...(hasRight ? [axis({
          scale: 'r', side: 1, label: p.rightLabel ?? '', grid: { show: false }, size: 44,
          values: (_u: uPlot, splits: number[]) => splits.map(tickLabel(p.formatRight ?? formatTick)),
        })] : []),
      ],
      series: [{}, ...p.lines.map((l) => seriesOptions(l))],
      hooks: {
        setSelect: [(u) => this.onSelect(u)],
        setCursor: [(u) => this.showReadout(u)],
      },
    };
    const u = new uPlot(opts, [[], ...p.lines.map(() => [])] as uPlot.AlignedData, this.plot);
    u.over.addEventListener('dblclick', () => this.resetZoom());
    // Touch: uPlot follows the mouse only. A tap shows the read-out where it
    // landed; a horizontal drag selects a range to zoom into (CSS leaves
    // vertical drags to scrolling).
    let touchStart: number | null = null;
    const local = (e: PointerEvent) => e.clientX - u.over.getBoundingClientRect().left;
    u.over.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'mouse') return;
      this.touchedAt = performance.now();
      touchStart = local(e);
      u.setCursor({ left: touchStart, top: e.clientY - u.over.getBoundingClientRect().top });
    });
    u.over.addEventListener('pointermove', (e) => {
      if (touchStart === null || e.pointerType === 'mouse') return;
      const x = Math.max(0, Math.min(u.over.clientWidth, local(e)));
      u.setSelect({ left: Math.min(touchStart, x), width: Math.abs(x - touchStart), top: 0, height: u.over.clientHeight }, false);
    });
    const touchEnd = (e: PointerEvent) => {
      if (touchStart === null || e.pointerType === 'mouse') return;
      touchStart = null;
      this.onSelect(u);
    };
    u.over.addEventListener('pointerup', touchEnd);
    u.over.addEventListener('pointercancel', () => {
      touchStart = null;
      u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    });
    u.ctx.canvas.setAttribute('role', 'img');
    return u;
  }

  private draw(): void {
    const p = this.props();
    const width = Math.max(120, this.plot.clientWidth || 300);
    if (!this.u) {
      this.u = this.create(width);
    } else if (width !== this.width) {
      this.u.setSize({ width, height: p.height ?? DEFAULT_HEIGHT });
    }
    this.width = width;
    const u = this.u;
    const empty = p.lines.every((l) => l.data.length === 0);
    // A new run (every line cleared) starts unzoomed.
    if (empty && this.zoom) { this.zoom = null; this.onZoom(false); }
    this.figure.toggleAttribute('data-empty', empty);
    this.view = this.zoom ?? this.fullRange();
    const [lo, hi] = this.view;
    const columns = Math.max(16, Math.round(u.over.clientWidth || width));
    const lin = p.logXLinear ?? 1;
    const edge = this.logX
      ? ((a: number, b: number) => (f: number) => lin * Math.sinh(a + f * (b - a)))(Math.asinh(lo / lin), Math.asinh(hi / lin))
      : undefined;
    const data = alignViews(p.lines.map((l) => l.data.query(lo, hi, columns, edge)));
    u.setData(data as uPlot.AlignedData);
    // What is on screen, for tests and for anyone inspecting the page.
    const d = this.figure.dataset;
    d.xMin = String(lo);
    d.xMax = String(hi);
    d.xScale = this.logX ? 'log' : 'linear';
    d.points = String(data[0].length);
    d.draws = String(++this.draws);
    u.ctx.canvas.setAttribute('aria-label', `${p.title}: ${this.describe(null)}`);
    this.showReadout(u);
  }

  private onSelect(u: uPlot): void {
    const s = u.select;
    if (s.width >= 4) this.setZoom([u.posToVal(s.left, 'x'), u.posToVal(s.left + s.width, 'x')]);
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  }

  private showReadout(u: uPlot): void {
    const left = u.cursor.left;
    const x = left != null && left >= 0 ? u.posToVal(left, 'x') : null;
    const text = this.describe(x);
    if (this.readout.textContent !== text) this.readout.textContent = text;
    this.readout.dataset.at = x === null ? 'latest' : 'cursor';
  }

  /** The values at x (snapped to the nearest point of the first line that has
   *  one), or the latest values when x is null. */
  private describe(x: number | null): string {
    const p = this.props();
    const withData = p.lines.filter((l) => l.data.length > 0);
    if (withData.length === 0) return p.emptyText ?? 'No data yet.';
    let at: number;
    if (x === null) {
      at = Math.max(...withData.map((l) => l.data.lastX));
    } else {
      const ref = withData[0]!.data;
      const i = Math.max(0, ref.indexAtOrBefore(x));
      const a = ref.entry(i);
      const b = i + 1 < ref.length ? ref.entry(i + 1) : null;
      at = b && Math.abs(b.xFirst - x) < Math.abs(x - a.xLast) ? b.xFirst : a.xFirst;
    }
    const parts = p.lines.map((l) => {
      const i = l.data.indexAtOrBefore(at);
      if (i < 0) return `${l.label} —`;
      const e = l.data.entry(i);
      const f = l.format ?? formatValue;
      return `${l.label} ${e.lo === e.hi ? f(e.lo) : `${f(e.lo)}…${f(e.hi)}`}`;
    });
    return `${x === null ? 'Latest: ' : ''}${p.xLabel} ${formatValue(at)}: ${parts.join(', ')}`;
  }
}

/** uPlot leaves a null among the splits of a log axis where a tick is skipped. */
const tickLabel = (format: (v: number) => string) => (v: number | null) => (v == null ? '' : format(v));

function seriesOptions(l: ChartLine): uPlot.Series {
  const s: uPlot.Series = { label: l.label, stroke: l.color, width: 2, spanGaps: true, scale: l.axis === 'right' ? 'r' : 'y', points: { show: false } };
  switch (l.style ?? 'line') {
    case 'faint': return { ...s, stroke: withAlpha(l.color, 0.35), width: 1 };
    case 'dashed': return { ...s, dash: [6, 3] };
    case 'dotted': return { ...s, dash: [2, 3] };
    case 'dots': return { ...s, paths: () => null, points: { show: true, size: 7, fill: l.color, stroke: l.color, width: 1 } };
    default: return s;
  }
}

/** A y range with a little room, from the visible values (null when none). */
export function valueRange(lo: number | null, hi: number | null, fixed: readonly [number, number] | undefined,
                           fromZero: boolean): uPlot.Range.MinMax {
  if (fixed) return [fixed[0], fixed[1]];
  if (lo == null || hi == null || !Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  let a = fromZero ? Math.min(0, lo) : lo, b = hi;
  if (!(b > a)) { const pad = Math.abs(a) * 0.1 || 0.5; a -= pad; b += pad; }
  const pad = 0.05 * (b - a);
  // Values that are never negative (losses, accuracies) never get a negative axis.
  return [fromZero && a >= 0 ? a : lo >= 0 ? Math.max(0, a - pad) : a - pad, b + pad];
}

/** The axes' colours from the page's theme variables (app.css), so both themes read well. */
function themeColors(el: HTMLElement): { fg: string; grid: string } {
  const style = getComputedStyle(el);
  const dark = document.documentElement.dataset.theme === 'dark';
  const fg = style.getPropertyValue('--muted').trim() || (dark ? '#9aa3b2' : '#5b6472');
  const grid = style.getPropertyValue('--line').trim() || (dark ? '#323844' : '#d9dde3');
  return { fg, grid };
}

/** colour with an alpha: '#rrggbb', 'rgb(r,g,b)' (the palette's forms); others unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) return `rgba(${parseInt(hex[1]!, 16)},${parseInt(hex[2]!, 16)},${parseInt(hex[3]!, 16)},${alpha})`;
  const rgb = /^rgb\(([^)]+)\)$/.exec(color);
  if (rgb) return `rgba(${rgb[1]},${alpha})`;
  return color;
}
