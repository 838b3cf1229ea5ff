// @ts-check
// The app's icons (web app manifest), drawn at build time: a small network
// (2-3-1 neurons and their connections) in white on the accent blue. No image
// library and no binary in the repository: the shapes are signed distance
// functions, sampled once per pixel with a one-pixel soft edge, and written
// as an RGBA PNG with node's zlib. vite.config.ts emits them into the build.
import zlib from 'node:zlib';

export const ICON_BACKGROUND = [0x00, 0x72, 0xb2]; // --accent of the light theme
const WHITE = [255, 255, 255];

/** The glyph in a unit square: neuron centres per layer. */
const LAYERS = [[0.35, 0.65], [0.2, 0.5, 0.8], [0.5]].map((ys, i, all) => ys.map((y) => [0.12 + (0.76 * i) / (all.length - 1), y]));
const NODE_RADIUS = 0.085;
const EDGE_HALF_WIDTH = 0.018;
const NODES = LAYERS.flat();
const EDGES = LAYERS.slice(1).flatMap((layer, i) => layer.flatMap((to) => LAYERS[i].map((from) => [from, to])));

// Math.sqrt, not Math.hypot: the latter is several times slower, per pixel and shape.
const length = (/** @type {number} */ x, /** @type {number} */ y) => Math.sqrt(x * x + y * y);

/** Distance from (x, y) to the segment a-b. @param {number} x @param {number} y @param {number[]} a @param {number[]} b */
function segmentDistance(x, y, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy)));
  return length(x - a[0] - t * dx, y - a[1] - t * dy);
}

/** Signed distance from (x, y) to a square [0,1]² with rounded corners (negative inside). @param {number} x @param {number} y @param {number} r */
function roundedSquare(x, y, r) {
  const qx = Math.abs(x - 0.5) - (0.5 - r), qy = Math.abs(y - 0.5) - (0.5 - r);
  return length(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/**
 * RGBA pixels of the icon.
 * maskable: the background fills the square (the platform cuts its own
 * shape) and the glyph stays inside the central safe circle (radius 40 %);
 * otherwise a rounded square on transparency.
 * @param {number} size @param {boolean} maskable @returns {Uint8Array}
 */
export function renderIcon(size, maskable) {
  const glyphScale = maskable ? 0.56 : 0.72; // the glyph box's side, as a share of the icon
  const glyphOffset = (1 - glyphScale) / 2;
  const rgba = new Uint8Array(size * size * 4);
  const coverage = (/** @type {number} */ distance) => Math.max(0, Math.min(1, 0.5 - distance * size));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px0 = (x + 0.5) / size, py0 = (y + 0.5) / size;
      const back = maskable ? 1 : coverage(roundedSquare(px0, py0, 0.2));
      const gx = (px0 - glyphOffset) / glyphScale, gy = (py0 - glyphOffset) / glyphScale;
      let d = Infinity;
      for (const c of NODES) d = Math.min(d, length(gx - c[0], gy - c[1]) - NODE_RADIUS);
      let e = Infinity;
      for (const [a, b] of EDGES) e = Math.min(e, segmentDistance(gx, gy, a, b) - EDGE_HALF_WIDTH);
      // Connections at 70 % white, neurons solid: distances back in icon units.
      const ink = Math.max(coverage(d * glyphScale), 0.7 * coverage(e * glyphScale));
      const i = (y * size + x) * 4;
      for (let k = 0; k < 3; k++) rgba[i + k] = Math.round(ICON_BACKGROUND[k] * (1 - ink) + WHITE[k] * ink);
      rgba[i + 3] = Math.round(255 * back);
    }
  }
  return rgba;
}

/** @param {string} type @param {Uint8Array} data */
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A size × size RGBA image as PNG bytes. @param {number} size @param {Uint8Array} rgba */
export function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter choice, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1)); // each row: filter type 0, then its pixels
  for (let y = 0; y < size; y++) rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows, { level: 9 })), chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The manifest's icons: file name (under icons/), size and purpose. */
export const ICONS = [
  { file: 'icon-192.png', size: 192, purpose: 'any' },
  { file: 'icon-512.png', size: 512, purpose: 'any' },
  { file: 'icon-maskable-192.png', size: 192, purpose: 'maskable' },
  { file: 'icon-maskable-512.png', size: 512, purpose: 'maskable' },
];

/** @param {{ size: number, purpose: string }} icon */
export const iconPng = (icon) => encodePng(icon.size, renderIcon(icon.size, icon.purpose === 'maskable'));
