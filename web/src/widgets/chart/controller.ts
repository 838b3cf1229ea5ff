// The chart's imperative half: owns the uPlot instance, the zoom and the
// read-out. Redraws at most once per animation frame, and not at all while
// the chart is off screen or the page is hidden; each redraw asks every line
// for at most two points per pixel column of the visible x range.

import './locale'; // before uPlot: it reads navigator.language as it loads
import uPlot from 'uplot';
import { alignViews } from './align';
import { DEFAULT_HEIGHT, plotOptions, themeColors } from './options';
import { formatValue } from './ticks';
import type { ChartProps } from './types';

export class ChartController {
  private u: uPlot | null = null;
  private raf = 0;
  private dirty = true;
  private onScreen = true;
  private logX = false;
  private zoom: [number, number] | null = null;
  private view: [number, number] = [0, 1];
  private width = 0;
  private draws = 0;
  /** The plot's last pointer event was a mouse's (uPlot hears only those mouse events). */
  private lastPointerMouse = true;
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
    const opts = plotOptions(p, {
      width, logX: this.logX, colors, view: () => this.view, fromMouse: () => this.lastPointerMouse,
      onSelect: (u) => this.onSelect(u), onCursor: (u) => this.showReadout(u),
    });
    const u = new uPlot(opts, [[], ...p.lines.map(() => [])] as uPlot.AlignedData, this.plot);
    u.over.addEventListener('dblclick', () => this.resetZoom());
    this.listenToTouch(u);
    u.ctx.canvas.setAttribute('role', 'img');
    return u;
  }

  /** Touch: uPlot follows the mouse only. A tap shows the read-out where it
   *  landed; a horizontal drag selects a range to zoom into (CSS leaves
   *  vertical drags to scrolling). */
  private listenToTouch(u: uPlot): void {
    let touchStart: number | null = null;
    const local = (e: PointerEvent) => e.clientX - u.over.getBoundingClientRect().left;
    // Pointer events come before the mouse events a pointer makes (real or emulated).
    const track = (e: PointerEvent) => { this.lastPointerMouse = e.pointerType === 'mouse'; };
    u.over.addEventListener('pointerdown', track, true);
    u.over.addEventListener('pointermove', track, true);
    u.over.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'mouse') return;
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
    // The text alternative: what the chart shows now, updated with every frame drawn.
    u.ctx.canvas.setAttribute('role', 'img');
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

