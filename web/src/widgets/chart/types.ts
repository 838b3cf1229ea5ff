// The chart widget's props: what a lab hands it.

import type { LodSeries } from './lod-series';

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
