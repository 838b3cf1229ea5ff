// Train and test loss (left axis) and test accuracy (right axis, 0–100 %)
// against epochs. It draws from LossHistory, whose size is bounded, so the
// cost per frame does not grow with the length of the run.

import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Theme } from '../../state/config';
import type { HistoryPoint } from '../../app/history';
import { hiDpiContext } from '../canvas';
import { css, NEGATIVE, POSITIVE, CLASS_COLORS } from '../palette';
import { formatTick, niceTicks } from './ticks';

export interface LossChartProps {
  points: readonly HistoryPoint[];
  /** Bumped whenever points changed (the array is mutated in place). */
  version: number;
  showAccuracy: boolean;
  theme: Theme;
}

const H = 150;
const PAD = { l: 44, r: 40, t: 8, b: 22 };

export function LossChart({ points, version, showAccuracy, theme }: LossChartProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const w = canvas.clientWidth || 300;
    const ctx = hiDpiContext(canvas, w, H);
    if (!ctx) return;
    draw(ctx, w, points, showAccuracy, theme);
  }, [version, showAccuracy, theme, points]);
  const last = points[points.length - 1];
  return (
    <figure class="loss-chart">
      <canvas ref={ref} style={{ height: `${H}px` }} role="img"
              aria-label={last ? `Loss curve up to epoch ${last.epoch}: train ${last.trainLoss.toFixed(4)}, test ${last.testLoss.toFixed(4)}` : 'Loss curve (no data yet)'} />
      <figcaption class="legend">
        <span>x: epoch</span>
        <span><i style={{ background: css(POSITIVE) }} /> train loss</span>
        <span><i class="dashed" style={{ borderColor: css(NEGATIVE) }} /> test loss</span>
        {showAccuracy && <span><i style={{ background: css(CLASS_COLORS[2]!) }} /> test accuracy (right axis)</span>}
      </figcaption>
    </figure>
  );
}

function draw(ctx: CanvasRenderingContext2D, w: number, pts: readonly HistoryPoint[], acc: boolean, theme: Theme): void {
  ctx.clearRect(0, 0, w, H);
  const fg = theme === 'dark' ? 'rgba(230,233,239,0.85)' : 'rgba(20,24,31,0.8)';
  const grid = theme === 'dark' ? 'rgba(255,255,255,0.1)' : 'rgba(0,0,0,0.08)';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = fg;
  const x0 = PAD.l, x1 = w - (acc ? PAD.r : 10), y0 = PAD.t, y1 = H - PAD.b;
  if (pts.length === 0) {
    ctx.fillText('Press play to train: the loss appears here.', x0, (y0 + y1) / 2);
    return;
  }
  const e0 = pts[0]!.epoch;
  const e1 = Math.max(e0 + 1, pts[pts.length - 1]!.epoch);
  let maxLoss = 0;
  for (const p of pts) {
    if (Number.isFinite(p.trainLoss)) maxLoss = Math.max(maxLoss, p.trainLoss);
    if (Number.isFinite(p.testLoss)) maxLoss = Math.max(maxLoss, p.testLoss);
  }
  if (maxLoss <= 0) maxLoss = 1;
  const ticksY = niceTicks(0, maxLoss, 4);
  const top = Math.max(maxLoss, ticksY[ticksY.length - 1]!);
  const sx = (e: number) => x0 + ((e - e0) / (e1 - e0)) * (x1 - x0);
  const sy = (v: number) => y1 - (v / top) * (y1 - y0);
  ctx.strokeStyle = grid;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticksY) {
    const y = Math.round(sy(t)) + 0.5;
    ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x1, y); ctx.stroke();
    ctx.fillText(formatTick(t), x0 - 4, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of niceTicks(e0, e1, Math.max(2, Math.floor((x1 - x0) / 70)))) {
    ctx.fillText(formatTick(t), sx(t), y1 + 4);
  }
  if (acc) {
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const t of [0, 50, 100]) ctx.fillText(`${t}%`, x1 + 4, y1 - (t / 100) * (y1 - y0));
  }
  const line = (val: (p: HistoryPoint) => number, scale: (v: number) => number, color: string, dash: number[]) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    let started = false;
    for (const p of pts) {
      const v = val(p);
      if (!Number.isFinite(v)) { started = false; continue; }
      const x = sx(p.epoch);
      const y = Math.max(y0, Math.min(y1, scale(v)));
      if (started) ctx.lineTo(x, y); else { ctx.moveTo(x, y); started = true; }
    }
    ctx.stroke();
    ctx.setLineDash([]);
  };
  line((p) => p.trainLoss, sy, css(POSITIVE), []);
  line((p) => p.testLoss, sy, css(NEGATIVE), [5, 3]);
  if (acc) line((p) => p.testAccuracy, (v) => y1 - v * (y1 - y0), css(CLASS_COLORS[2]!), [2, 2]);
}
