// Colours readable with colour-vision deficiency: Okabe–Ito hues, and a
// blue/orange diverging scale (never red/green). Every widget takes its
// colours from here so both themes stay consistent.

import type { Theme } from '../state/config';

export type RGB = readonly [number, number, number];

/** Class colours: blue, orange, bluish green, reddish purple (Okabe–Ito). */
export const CLASS_COLORS: readonly RGB[] = [
  [0, 114, 178],
  [230, 159, 0],
  [0, 158, 115],
  [204, 121, 167],
];

/** Ends of the diverging scale: blue for positive values, orange for
 *  negative ones. They equal class 0's and class 1's colours, so a binary
 *  map drawn as t = 1 - 2·P(class 1) matches the points' colours. */
export const POSITIVE: RGB = CLASS_COLORS[0]!;
export const NEGATIVE: RGB = CLASS_COLORS[1]!;

const NEUTRAL_DARK: RGB = [34, 38, 46];
const NEUTRAL_LIGHT: RGB = [250, 250, 250];

/** Background colour of maps and thumbnails (called per pixel: no allocation). */
export function neutral(theme: Theme): RGB {
  return theme === 'dark' ? NEUTRAL_DARK : NEUTRAL_LIGHT;
}

/** The panels' background (--panel in styles/app.css): what a translucent cell is seen over. */
export function panelColor(theme: Theme): RGB {
  return theme === 'dark' ? [29, 33, 40] : [255, 255, 255];
}

/** `c` at opacity `alpha` over `under`, as one opaque colour. */
export function over(c: RGB, alpha: number, under: RGB): RGB {
  return [0, 1, 2].map((i) => Math.round(under[i]! + (c[i]! - under[i]!) * alpha)) as unknown as RGB;
}

/** Relative luminance (WCAG 2). */
function luminance(c: RGB): number {
  const lin = (v: number) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
}

/** Black or white, whichever reads better on `bg`: one of them always
 *  reaches WCAG's 4.5:1 (at worst 4.58:1, on a mid-luminance colour). */
export function textOn(bg: RGB): '#000' | '#fff' {
  const l = luminance(bg);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}

export function css(c: RGB, alpha = 1): string {
  return alpha === 1 ? `rgb(${c[0]},${c[1]},${c[2]})` : `rgba(${c[0]},${c[1]},${c[2]},${alpha})`;
}

/** Colour of a point of class `cls` (the same on binary and multi-class sets). */
export function classColor(cls: number): RGB {
  return CLASS_COLORS[Math.max(0, Math.min(CLASS_COLORS.length - 1, Math.round(cls)))]!;
}

/**
 * Diverging scale: t in [-1, 1] → orange … neutral … blue, written into
 * out[o..o+2]. `strength` < 1 washes the colours towards neutral so points
 * drawn on top stay visible.
 */
export function diverging(out: Uint8ClampedArray, o: number, t: number, theme: Theme, strength = 0.75): void {
  const n = neutral(theme);
  const c = t >= 0 ? POSITIVE : NEGATIVE;
  const a = Math.min(1, Math.abs(Number.isFinite(t) ? t : 0)) * strength;
  out[o] = n[0] + (c[0] - n[0]) * a;
  out[o + 1] = n[1] + (c[1] - n[1]) * a;
  out[o + 2] = n[2] + (c[2] - n[2]) * a;
  out[o + 3] = 255;
}

/** Blend of class colours weighted by probabilities probs[p..p+k-1]. */
export function mixClasses(out: Uint8ClampedArray, o: number, probs: Float32Array, p: number, k: number,
                           theme: Theme, strength = 0.7, hard = false): void {
  const n = neutral(theme);
  let best = 0;
  for (let j = 1; j < k; j++) if (probs[p + j]! > probs[p + best]!) best = j;
  let r = 0, g = 0, b = 0;
  if (hard) {
    const c = CLASS_COLORS[best]!;
    r = c[0]; g = c[1]; b = c[2];
  } else {
    for (let j = 0; j < k; j++) {
      const w = Number.isFinite(probs[p + j]!) ? probs[p + j]! : 0;
      const c = CLASS_COLORS[j]!;
      r += w * c[0]; g += w * c[1]; b += w * c[2];
    }
  }
  // Confidence: 0 at uniform, 1 when one class has all the mass.
  const conf = hard ? 1 : Math.max(0, (probs[p + best]! * k - 1) / (k - 1));
  const a = strength * conf;
  out[o] = n[0] + (r - n[0]) * a;
  out[o + 1] = n[1] + (g - n[1]) * a;
  out[o + 2] = n[2] + (b - n[2]) * a;
  out[o + 3] = 255;
}

/** Strokes and text drawn on the canvases, per theme. */
export interface InkColors {
  /** Labels and curves drawn over a map. */
  text: string;
  /** Axes and guide lines. */
  axis: string;
  /** The outline of a data point. */
  pointEdge: string;
  /** The outline of a node box in the network view. */
  nodeBorder: string;
  /** The link under the pointer. */
  highlight: string;
}

const INK: Record<Theme, InkColors> = {
  light: { text: 'rgba(20,24,31,0.85)', axis: 'rgba(0,0,0,0.12)', pointEdge: 'rgba(0,0,0,0.55)', nodeBorder: 'rgba(0,0,0,0.35)', highlight: '#000' },
  dark: { text: 'rgba(230,233,239,0.9)', axis: 'rgba(255,255,255,0.15)', pointEdge: 'rgba(255,255,255,0.85)', nodeBorder: 'rgba(255,255,255,0.35)', highlight: '#fff' },
};

export function ink(theme: Theme): InkColors {
  return INK[theme];
}
