// The one chart of every lab: lines against an x axis (epochs), drawn by uPlot.
// Hover, tap or the arrow keys give a read-out of every line under the cursor;
// drag across the plot (or + and −) to zoom, double-click, Escape or "Reset
// zoom" to go back; "Log x" spreads the first epochs out. The lines are
// LodSeries: each frame hands uPlot at most two points per pixel column of
// the visible x range, so a frame costs the same at epoch 100 and 1,000,000,
// and a zoomed view shows its own range's points.

import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './chart.css';
import { ChartController } from './controller';
import type { ChartProps } from './types';

export type { ChartLine, ChartProps, LineStyle } from './types';

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
