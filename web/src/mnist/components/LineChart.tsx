// A small canvas line chart with readable axes. Series hold at most a few
// thousand points (LossSeries buckets, evaluation points), so a redraw costs
// the same however long training runs.
import { useEffect, useRef } from 'preact/hooks';
import type { Theme } from '../../state/config';
import { hiDpiContext } from '../../components/canvas';
import { formatTick, niceTicks } from '../../components/LossChart/ticks';

export interface ChartSeries {
  label: string;
  color: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  n: number;
  /** 'line' (default), 'faint' (thin, translucent) or 'dots'. */
  style?: 'line' | 'faint' | 'dots';
}

interface Props {
  series: ChartSeries[];
  theme: Theme;
  xLabel: string;
  yLabel: string;
  /** Fixed y range; otherwise from the data. */
  yRange?: [number, number];
  /** x range starts at 0 and covers at least this much. */
  minX?: number;
  height?: number;
  testId?: string;
  /** Changes whenever the data changes (the arrays may be reused). */
  version: number;
}

const PAD = { left: 44, right: 10, top: 10, bottom: 30 };

export function LineChart(p: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const height = p.height ?? 180;
  const draw = () => {
    const canvas = ref.current;
    if (!canvas) return;
    const width = Math.max(200, canvas.clientWidth);
    const ctx = hiDpiContext(canvas, width, height);
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    const fg = p.theme === 'dark' ? '#d8dde6' : '#333a44';
    const grid = p.theme === 'dark' ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.1)';
    let xMax = p.minX ?? 1, yLo = Infinity, yHi = -Infinity;
    for (const s of p.series) {
      for (let i = 0; i < s.n; i++) {
        xMax = Math.max(xMax, s.xs[i]!);
        const y = s.ys[i]!;
        if (Number.isFinite(y)) { yLo = Math.min(yLo, y); yHi = Math.max(yHi, y); }
      }
    }
    if (p.yRange) [yLo, yHi] = p.yRange;
    if (!(yHi > yLo)) { yLo = Number.isFinite(yLo) ? yLo - 0.5 : 0; yHi = yLo + 1; }
    if (!p.yRange) { yLo = Math.max(0, yLo - 0.05 * (yHi - yLo)); yHi += 0.05 * (yHi - yLo); }
    const pw = width - PAD.left - PAD.right, ph = height - PAD.top - PAD.bottom;
    const X = (x: number) => PAD.left + (x / xMax) * pw;
    const Y = (y: number) => PAD.top + (1 - (y - yLo) / (yHi - yLo)) * ph;

    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeStyle = grid;
    ctx.fillStyle = fg;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(yLo, yHi, 4)) {
      ctx.beginPath(); ctx.moveTo(PAD.left, Y(t)); ctx.lineTo(PAD.left + pw, Y(t)); ctx.stroke();
      ctx.fillText(formatTick(t), PAD.left - 4, Y(t));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of niceTicks(0, xMax, Math.max(2, Math.floor(pw / 70)))) {
      ctx.beginPath(); ctx.moveTo(X(t), PAD.top); ctx.lineTo(X(t), PAD.top + ph); ctx.stroke();
      ctx.fillText(formatTick(t), X(t), PAD.top + ph + 3);
    }
    ctx.fillText(p.xLabel, PAD.left + pw / 2, height - 13);
    ctx.save();
    ctx.translate(11, PAD.top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(p.yLabel, 0, 0);
    ctx.restore();

    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, PAD.top, pw, ph);
    ctx.clip();
    for (const s of p.series) {
      ctx.strokeStyle = s.color;
      ctx.fillStyle = s.color;
      if (s.style === 'dots') {
        for (let i = 0; i < s.n; i++) {
          ctx.beginPath(); ctx.arc(X(s.xs[i]!), Y(s.ys[i]!), 3, 0, 2 * Math.PI); ctx.fill();
        }
        continue;
      }
      ctx.globalAlpha = s.style === 'faint' ? 0.3 : 1;
      ctx.lineWidth = s.style === 'faint' ? 1 : 2;
      ctx.beginPath();
      for (let i = 0; i < s.n; i++) {
        const x = X(s.xs[i]!), y = Y(s.ys[i]!);
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    ctx.restore();
  };
  const latest = useRef(draw);
  latest.current = draw;
  useEffect(draw);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || typeof ResizeObserver !== 'function') return;
    const ro = new ResizeObserver(() => latest.current());
    ro.observe(canvas);
    return () => ro.disconnect();
  }, []);
  return (
    <figure class="mn-chart">
      <canvas ref={ref} style={{ width: '100%', height: `${height}px` }} data-testid={p.testId}
              role="img" aria-label={`${p.yLabel} against ${p.xLabel}`} />
      <figcaption>
        {p.series.map((s) => (
          <span key={s.label} class="mn-legend"><i style={{ background: s.color }} />{s.label}</span>
        ))}
      </figcaption>
    </figure>
  );
}
