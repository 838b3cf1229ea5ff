// uPlot draws series that share one x array. Lines with their own x values
// (a per-step loss, an evaluation every tenth of an epoch) are merged onto
// the union of their x values, with null where a line has no point; the
// chart joins a line across its nulls.

import type { LodView } from './lod-series';

export type AlignedData = [number[], ...(number | null)[][]];

/** Merges views (each sorted by x) onto their union of x values. */
export function alignViews(views: readonly LodView[]): AlignedData {
  const xs: number[] = [];
  const ys: (number | null)[][] = views.map(() => []);
  const at = views.map(() => 0);
  for (;;) {
    let x = Infinity;
    for (let k = 0; k < views.length; k++) {
      const v = views[k]!;
      if (at[k]! < v.n && v.xs[at[k]!]! < x) x = v.xs[at[k]!]!;
    }
    if (x === Infinity) break;
    xs.push(x);
    for (let k = 0; k < views.length; k++) {
      const v = views[k]!;
      const i = at[k]!;
      if (i < v.n && v.xs[i] === x) {
        ys[k]!.push(v.ys[i]!);
        at[k] = i + 1;
      } else {
        ys[k]!.push(null);
      }
    }
  }
  return [xs, ...ys];
}
