// MNIST's charts: the shared chart widget, fed from the session's arrays
// (LossSeries buckets, evaluation points). Each series is followed by a
// SeriesFeed, which appends only what is new, so a frame's cost stays flat.
import { useRef } from 'preact/hooks';
import type { Theme } from '../../../state/config';
import { Chart, type ChartLine } from '../../../widgets/chart/Chart';
import { SeriesFeed } from '../../../widgets/chart/lod-series';

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

export function LineChart(p: Props) {
  const feeds = useRef(new Map<string, SeriesFeed>());
  const lines: ChartLine[] = p.series.map((s) => {
    let feed = feeds.current.get(s.label);
    if (!feed) feeds.current.set(s.label, (feed = new SeriesFeed()));
    feed.sync(s.n, (i) => s.xs[i]!, (i) => s.ys[i]!);
    return { label: s.label, color: s.color, data: feed.series, style: s.style ?? 'line' };
  });
  return (
    <Chart className="mn-chart" testId={p.testId} title={`${p.yLabel} against ${p.xLabel}`} lines={lines}
           version={p.version} theme={p.theme} xLabel={p.xLabel} yLabel={p.yLabel} yRange={p.yRange}
           xFromZero minX={p.minX} logXLinear={0.01} height={p.height ?? 180} />
  );
}
