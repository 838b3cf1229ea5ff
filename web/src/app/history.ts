// LossChart (components/LossChart, being replaced by the shared chart widget)
// still imports its point type from here; the series itself is lib/series.ts.
export type { HistoryPoint } from '../lib/series';
