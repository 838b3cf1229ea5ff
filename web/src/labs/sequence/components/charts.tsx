// The sequence lab's charts, all on the shared chart widget: the loss over
// training (nats per symbol, with perplexity in the read-out), a sequence
// against time steps (waves: truth, prediction, free run; memory: accuracy
// per step), and per-step gradient norms.
import { useMemo, useRef } from 'preact/hooks';
import type { Theme } from '../../../state/config';
import { Chart, type ChartLine } from '../../../widgets/chart/Chart';
import { LodSeries, SeriesFeed } from '../../../widgets/chart/lod-series';
import { CLASS_COLORS, css } from '../../../components/palette';
import type { StepSeries } from '../../../lib/series';

export const COLORS = CLASS_COLORS.map((c) => css(c));

/** A chart line of the given points (x increasing). */
export function fixedLine(label: string, color: string, xs: ArrayLike<number>, ys: ArrayLike<number>, style?: ChartLine['style']): ChartLine {
  const data = new LodSeries(Math.max(16, xs.length));
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(ys[i]!)) data.push(xs[i]!, ys[i]!);
  return { label, color, data, ...(style ? { style } : {}) };
}

interface LossProps {
  losses: StepSeries;
  twinLosses: StepSeries | null;
  val: { at: number[]; loss: number[]; twin: number[] };
  cell: string;
  twinCell: string | null;
  /** Cross-entropy in nats: the read-out adds the perplexity e^loss. */
  nats: boolean;
  theme: Theme;
  version: number;
  height?: number;
}

export function LossChart(p: LossProps) {
  const feeds = useRef(new Map<string, SeriesFeed>());
  const fmt = p.nats ? (y: number) => `${y.toFixed(3)} nats (perplexity ${Math.exp(y).toFixed(2)})` : (y: number) => y.toPrecision(4);
  const line = (label: string, color: string, n: number, x: (i: number) => number, y: (i: number) => number, style: ChartLine['style']): ChartLine => {
    let feed = feeds.current.get(label);
    if (!feed) feeds.current.set(label, (feed = new SeriesFeed()));
    feed.sync(n, x, y);
    return { label, color, data: feed.series, style, format: fmt };
  };
  const cell = p.cell.toUpperCase();
  const lines: ChartLine[] = [
    line(`${cell} train`, COLORS[0]!, p.losses.length, (i) => p.losses.x[i]!, (i) => p.losses.smooth[i]!, 'line'),
    line(`${cell} validation`, COLORS[0]!, p.val.at.length, (i) => p.val.at[i]!, (i) => p.val.loss[i]!, 'dots'),
  ];
  if (p.twinLosses && p.twinCell) {
    const twin = p.twinCell.toUpperCase();
    lines.push(line(`${twin} train`, COLORS[1]!, p.twinLosses.length, (i) => p.twinLosses!.x[i]!, (i) => p.twinLosses!.smooth[i]!, 'line'));
    lines.push(line(`${twin} validation`, COLORS[1]!, p.val.at.length, (i) => p.val.at[i]!, (i) => p.val.twin[i]!, 'dots'));
  }
  return (
    <Chart className="sq-chart" testId="loss-chart" title="Loss" lines={lines} version={p.version} theme={p.theme}
           xLabel="epochs" yLabel={p.nats ? 'loss (nats per symbol)' : 'loss (MSE)'} yFromZero xFromZero logXLinear={0.01} height={p.height ?? 170} />
  );
}

interface StepChartProps {
  lines: ChartLine[];
  title: string;
  yLabel: string;
  theme: Theme;
  testId: string;
  yRange?: [number, number];
  height?: number;
}

/** Values against the time step t. */
export function StepChart(p: StepChartProps) {
  const version = useMemo(() => Math.random(), [p.lines]);
  return (
    <Chart className="sq-chart" testId={p.testId} title={p.title} lines={p.lines} version={version} theme={p.theme}
           xLabel="time step t" yLabel={p.yLabel} yRange={p.yRange} xFromZero height={p.height ?? 160} />
  );
}
