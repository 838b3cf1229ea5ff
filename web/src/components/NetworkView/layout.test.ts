import { describe, expect, it } from 'vitest';
import { hitLink, LAYER_CONTROL_WIDTH, layoutNetwork, MIN_FIT_HEIGHT, shapeCaption } from './layout';

describe('layoutNetwork', () => {
  it('maps every link to its weight in the flat parameter array (PyTorch layout)', () => {
    const sizes = [2, 3, 1];
    const lay = layoutNetwork(sizes, 400);
    // layer 0: W [3x2] at 0..5, b [3] at 6..8; layer 1: W [1x3] at 9..11, b at 12.
    expect(lay.links).toHaveLength(2 * 3 + 3 * 1);
    expect(lay.biasOffset).toEqual([6, 12]);
    const l = lay.links.find((k) => k.layer === 0 && k.row === 2 && k.col === 1)!;
    expect(l.offset).toBe(2 * 2 + 1);
    const m = lay.links.find((k) => k.layer === 1 && k.row === 0 && k.col === 2)!;
    expect(m.offset).toBe(9 + 2);
  });

  it('keeps nodes inside the drawing and columns apart', () => {
    const lay = layoutNetwork([7, 64, 64, 4], 300);
    for (const col of lay.columns) {
      for (const n of col) {
        expect(n.x).toBeGreaterThanOrEqual(0);
        expect(n.y).toBeGreaterThanOrEqual(0);
        expect(n.x + n.size).toBeLessThanOrEqual(lay.width);
        expect(n.y + n.size).toBeLessThanOrEqual(lay.height + 1e-9);
      }
    }
    for (let c = 1; c < lay.columnX.length; c++) {
      expect(lay.columnX[c]! - lay.columnX[c - 1]!).toBeGreaterThan(lay.nodeSize);
    }
  });

  it('leaves room for each hidden layer\'s controls, even for 8 layers in a narrow panel', () => {
    for (const container of [300, 580]) {
      const lay = layoutNetwork([7, 64, 64, 64, 64, 64, 64, 64, 64, 1], container);
      for (let c = 1; c < lay.columnX.length; c++) {
        expect(lay.columnX[c]! - lay.columnX[c - 1]!).toBeGreaterThanOrEqual(LAYER_CONTROL_WIDTH - 1e-9);
      }
    }
  });

  it('fits the default 2-6-3-1 network on a 360 px phone without scrolling', () => {
    // The panel leaves 318 px for the drawing at 360 px.
    expect(layoutNetwork([2, 6, 3, 1], 318).width).toBe(318);
  });

  it('fits a given box in an embed: no wider than the container, no taller than asked', () => {
    const cases: [number[], number, number][] = [
      [[2, 8, 8, 8, 8, 8, 8, 8, 8, 1], 330, 190], // 8 hidden layers on a 360 px phone
      [[2, 6, 3, 1], 290, 520],                    // the default network in a tall side panel
      [[7, 64, 64, 4], 300, 150],
    ];
    for (const [sizes, width, height] of cases) {
      const lay = layoutNetwork(sizes, width, height);
      expect(lay.width).toBe(width);
      expect(lay.height).toBeLessThanOrEqual(height);
      for (const col of lay.columns) {
        for (const n of col) {
          expect(n.x).toBeGreaterThanOrEqual(0);
          expect(n.y).toBeGreaterThanOrEqual(0);
          expect(n.x + n.size).toBeLessThanOrEqual(lay.width);
          expect(n.y + n.size).toBeLessThanOrEqual(lay.height + 1e-9);
        }
      }
      // Links stay visible between the columns.
      for (let c = 1; c < lay.columnX.length; c++) {
        expect(lay.columnX[c]! - lay.columnX[c - 1]!).toBeGreaterThanOrEqual(lay.nodeSize / 0.6 - 1e-9);
      }
    }
    // The default network is not stretched over a tall box.
    expect(layoutNetwork([2, 6, 3, 1], 290, 520).height).toBeLessThan(520);
    expect(layoutNetwork([2, 4, 1], 300, 10).height).toBe(MIN_FIT_HEIGHT);
  });

  it('finds the link under the pointer and nothing far away', () => {
    const lay = layoutNetwork([1, 1], 200);
    const l = lay.links[0]!;
    const mx = (l.x1 + l.x2) / 2;
    const my = (l.y1 + l.y2) / 2;
    expect(hitLink(lay, mx, my + 2, 5)).toBe(l);
    expect(hitLink(lay, mx, my + 40, 5)).toBeNull();
  });

  it('says the shape in one line for the compact (embedded) view', () => {
    expect(shapeCaption([6, 3], ['tanh', 'tanh'])).toBe('6-3, Tanh');
    expect(shapeCaption([5, 3], ['relu', 'tanh'])).toBe('5-3, ReLU, Tanh');
    expect(shapeCaption([], [])).toBe('');
  });
});
