import { describe, expect, it } from 'vitest';
import { alignViews } from './align';

const view = (xs: number[], ys: number[]) => ({ xs: Float64Array.from(xs), ys: Float64Array.from(ys), n: xs.length });

describe('alignViews', () => {
  it('merges lines onto the union of their x values, null where a line has no point', () => {
    expect(alignViews([view([0, 1, 2, 3], [4, 3, 2, 1]), view([1.5, 3], [9, 8])])).toEqual([
      [0, 1, 1.5, 2, 3],
      [4, 3, null, 2, 1],
      [null, null, 9, null, 8],
    ]);
  });
  it('keeps a repeated x (a min and a max drawn at one column edge) once per point', () => {
    expect(alignViews([view([0, 0, 1], [1, 2, 3]), view([0], [5])])).toEqual([
      [0, 0, 1],
      [1, 2, 3],
      [5, null, null],
    ]);
  });
  it('handles no lines and empty lines', () => {
    expect(alignViews([])).toEqual([[]]);
    expect(alignViews([view([], [])])).toEqual([[], []]);
  });
});
