// The playground's train and test loss (left axis) and test accuracy (right
// axis, 0–100 %) against epochs: the shared chart widget. The train loss is a
// series of every epoch, handed over as it is; test loss and accuracy come
// from the bounded per-snapshot history, and the widget's series keep every
// point that history ever held (it thins its old points out), so zooming into
// the first epochs of a long run shows them as they were recorded.

import { useRef } from 'preact/hooks';
import type { Theme } from '../../state/config';
import type { HistoryPoint } from '../../lib/series';
import { css, NEGATIVE, POSITIVE, CLASS_COLORS } from '../palette';
import { Chart, type ChartLine } from '../../widgets/chart/Chart';
import { SeriesFeed, type LodSeries } from '../../widgets/chart/lod-series';

export interface LossChartProps {
  /** Per-snapshot evaluations: test loss and accuracy. */
  points: readonly HistoryPoint[];
  /** Every epoch's train loss. */
  trainLoss: LodSeries;
  /** Bumped whenever points changed (the array is mutated in place). */
  version: number;
  showAccuracy: boolean;
  theme: Theme;
  /** Training runs at a chosen pace: few points, one per batch; each is drawn as a dot too. */
  paced?: boolean;
}

const percent = (v: number) => `${(100 * v).toFixed(1)} %`;

export function LossChart({ points, trainLoss, version, showAccuracy, theme, paced = false }: LossChartProps) {
  const feeds = useRef<{ test: SeriesFeed; acc: SeriesFeed } | null>(null);
  feeds.current ??= { test: new SeriesFeed(), acc: new SeriesFeed() };
  const f = feeds.current;
  // Appends only what is new since the last render: O(new points).
  const epochAt = (i: number) => points[i]!.epoch;
  f.test.sync(points.length, epochAt, (i) => points[i]!.testLoss);
  f.acc.sync(points.length, epochAt, (i) => points[i]!.testAccuracy);
  const lines: ChartLine[] = [
    { label: 'train loss', color: css(POSITIVE), data: trainLoss },
    ...(paced ? [{ label: 'train loss per batch', color: css(POSITIVE), data: trainLoss, style: 'dots' as const }] : []),
    { label: 'test loss', color: css(NEGATIVE), data: f.test.series, style: 'dashed' },
  ];
  if (showAccuracy) {
    lines.push({ label: 'test accuracy', color: css(CLASS_COLORS[2]!), data: f.acc.series, style: 'dotted', axis: 'right', format: percent });
  }
  return (
    <Chart className="loss-chart" testId="loss-chart" title="Loss curve" lines={lines} version={version} theme={theme}
           xLabel="epoch" yLabel="loss" rightLabel={showAccuracy ? 'accuracy' : undefined} yFromZero
           rightRange={[0, 1]} formatRight={(v) => `${Math.round(100 * v)}%`} height={150}
           emptyText="Press play to train: the loss appears here." />
  );
}
