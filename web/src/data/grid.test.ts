import { describe, expect, it } from 'vitest';
import { gridPoints, linePoints } from './grid';

describe('grid helpers', () => {
  it('lays cell centres row by row from the top', () => {
    const g = gridPoints(2, 6);
    // Row 0 is the top (x2 = +3), columns go left to right.
    expect(Array.from(g)).toEqual([-3, 3, 3, 3, -3, -3, 3, -3]);
  });
  it('spans the whole x1 range for curves', () => {
    const l = linePoints(5, 6);
    expect(l[0]).toBe(-6);
    expect(l[8]).toBe(6);
    expect(l[1]).toBe(0);
  });
});
