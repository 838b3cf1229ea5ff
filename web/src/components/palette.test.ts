import { describe, expect, it } from 'vitest';
import { CLASS_COLORS, over, panelColor, textOn, type RGB } from './palette';

// WCAG 2 contrast, written out here independently of palette.ts.
const channel = (v: number) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
const lum = (c: RGB) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
const contrast = (a: RGB, b: RGB) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x! + 0.05) / (y! + 0.05); };
const rgbOf = (hex: '#000' | '#fff'): RGB => (hex === '#000' ? [0, 0, 0] : [255, 255, 255]);

describe('textOn', () => {
  it('picks black or white text with at least 4.5:1 contrast on any colour', () => {
    let worst = Infinity;
    for (let r = 0; r <= 255; r += 15) {
      for (let g = 0; g <= 255; g += 15) {
        for (let b = 0; b <= 255; b += 15) {
          const bg: RGB = [r, g, b];
          worst = Math.min(worst, contrast(bg, rgbOf(textOn(bg))));
        }
      }
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('reads the confusion matrix cells: class colours over both panels at every opacity', () => {
    for (const theme of ['light', 'dark'] as const) {
      for (const c of CLASS_COLORS.slice(0, 2)) {
        for (let a = 0.15; a <= 1; a += 0.05) {
          const bg = over(c, a, panelColor(theme));
          expect(contrast(bg, rgbOf(textOn(bg)))).toBeGreaterThanOrEqual(4.5);
        }
      }
    }
    expect(textOn([255, 255, 255])).toBe('#000');
    expect(textOn([29, 33, 40])).toBe('#fff');
  });
});

describe('over', () => {
  it('blends towards the colour underneath', () => {
    expect(over([0, 114, 178], 1, [255, 255, 255])).toEqual([0, 114, 178]);
    expect(over([0, 114, 178], 0, [29, 33, 40])).toEqual([29, 33, 40]);
    expect(over([200, 100, 0], 0.5, [0, 0, 0])).toEqual([100, 50, 0]);
  });
});
