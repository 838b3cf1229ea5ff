// uPlot's options for a chart: axes and colours from the page's theme,
// scales (the x range is the widget's own: the whole run or the zoom), one
// uPlot series per line.

import type uPlot from 'uplot';
import { formatTick, niceTicks } from './ticks';
import type { ChartLine, ChartProps } from './types';

export const DEFAULT_HEIGHT = 160;

export interface PlotEnv {
  width: number;
  logX: boolean;
  colors: ThemeColors;
  /** The x range to show. */
  view: () => [number, number];
  /** The plot's last pointer was a mouse (not a finger or a pen). */
  fromMouse: () => boolean;
  onSelect: (u: uPlot) => void;
  onCursor: (u: uPlot) => void;
}

export function plotOptions(p: ChartProps, env: PlotEnv): uPlot.Options {
  const colors = env.colors;
  const hasRight = p.lines.some((l) => l.axis === 'right');
  const font = '11px system-ui, sans-serif';
  const axis = (extra: uPlot.Axis): uPlot.Axis => ({
    stroke: colors.fg, font, labelFont: font, labelSize: 14, gap: 3, size: 40,
    grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1, size: 3 }, ...extra,
  });
  const linearSplits = (count: (u: uPlot) => number) => (u: uPlot, _i: number, lo: number, hi: number) =>
    niceTicks(lo, hi, count(u)).filter((t) => t >= lo && t <= hi);
  return {
    width: env.width,
    height: p.height ?? DEFAULT_HEIGHT,
    legend: { show: false },
    cursor: {
      y: false,
      drag: { x: true, y: false, setScale: false },
      // Double-click resets our zoom, not uPlot's view of the data it holds.
      // uPlot follows the mouse only; touch is the controller's (cursor and
      // selection). After a tap or a finger drag the browser also fires
      // emulated mouse events (mousedown and mouseup where the finger was,
      // then a mouseleave back to the mouse's place), which uPlot would take
      // for a mouse drag of its own or a cursor leaving: it hears a mouse
      // event only when the plot's last pointer event was a mouse's.
      bind: {
        dblclick: () => null,
        mousedown: mouseOnly(env, true),
        mouseup: mouseOnly(env, true),
        mousemove: mouseOnly(env, false),
        mouseleave: mouseOnly(env, false),
      },
      points: { size: 7 },
    },
    scales: {
      x: { time: false, range: () => env.view(), ...(env.logX ? { distr: 4, asinh: p.logXLinear ?? 1 } : {}) },
      y: { range: (_u, lo, hi) => valueRange(lo, hi, p.yRange, p.yFromZero ?? false) },
      ...(hasRight ? { r: { range: () => (p.rightRange ? [p.rightRange[0], p.rightRange[1]] : [0, 1]) as uPlot.Range.MinMax } } : {}),
    },
    axes: [
      axis({
        label: p.xLabel, labelGap: 0, labelSize: 12, size: 22,
        values: (_u, splits) => splits.map(tickLabel(formatTick)),
        ...(env.logX
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
      setSelect: [env.onSelect],
      setCursor: [env.onCursor],
    },
  };
}

/** A uPlot mouse binding that passes only a real mouse's events on, with
 *  uPlot's own filters: the primary button (`button`), and the event's own
 *  target unless uPlot listens on the document (the mouseup ending a drag). */
function mouseOnly(env: Pick<PlotEnv, 'fromMouse'>, button: boolean): uPlot.Cursor.MouseListenerFactory {
  return (_u, target, handler, onlyTarget = true) => (e) => {
    if (env.fromMouse() && (!button || e.button === 0) && (!onlyTarget || e.target === target)) handler(e);
    return null;
  };
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

export interface ThemeColors {
  fg: string;
  grid: string;
}

/** The axes' colours from the page's theme variables (app.css), so both themes read well. */
export function themeColors(el: HTMLElement): ThemeColors {
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
