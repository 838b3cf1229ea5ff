// Draws links (coloured and sized by weight) and node thumbnails.

import type { Theme } from '../../state/config';
import { css, diverging, ink, NEGATIVE, neutral, POSITIVE } from '../palette';
import { linkWidth, type NetLayout } from './layout';

export interface Thumbs {
  size: number;
  /** Per column (0 = inputs), per unit: values over the size² grid, or null. */
  get(col: number, unit: number): ((i: number) => number) | null;
  /** Maps a unit's value to [-1, 1] for colouring. */
  scale(col: number, unit: number): (v: number) => number;
}

const WIDTH_BUCKETS = 6;

// One small canvas and pixel buffer reused for every thumbnail of every
// frame: creating them per frame costs more than drawing.
let cached: { scratch: HTMLCanvasElement; sctx: CanvasRenderingContext2D | null; img: ImageData | null } | null = null;
function scratchFor(t: number) {
  if (!cached || cached.scratch.width !== t) {
    const scratch = cached?.scratch ?? document.createElement('canvas');
    scratch.width = t;
    scratch.height = t;
    const sctx = scratch.getContext('2d');
    cached = { scratch, sctx, img: sctx ? sctx.createImageData(t, t) : null };
  }
  return cached;
}

/** Above this many links a network is dense: thin, translucent links, drawn
 * into a cached layer. */
const DENSE_LINKS = 2000;

/** Links of a dense network are redrawn at most this often while weights
 *  change (thousands of strokes a frame starve the UI thread of input);
 *  in between, the last drawing is reused. */
export const DENSE_LINK_INTERVAL_MS = 250;

/** The last link drawing of a dense network, kept between frames. */
export interface LinkCache {
  canvas: HTMLCanvasElement | null;
  at: number;
  lay: NetLayout | null;
  theme: Theme | null;
  highlight: number | null;
  params: Float32Array | null;
}

export function newLinkCache(): LinkCache {
  return { canvas: null, at: -Infinity, lay: null, theme: null, highlight: null, params: null };
}

/**
 * Draws the network. Returns true when the links shown are older than
 * `params` (a dense network within DENSE_LINK_INTERVAL_MS of its last link
 * drawing): the caller should draw again a little later.
 */
export function drawNetwork(ctx: CanvasRenderingContext2D, lay: NetLayout, params: Float32Array | null,
                            thumbs: Thumbs | null, theme: Theme, highlight: number | null,
                            cache: LinkCache, now: number): boolean {
  ctx.clearRect(0, 0, lay.width, lay.height);
  const dense = lay.links.length > DENSE_LINKS;
  let stale = false;
  if (dense) {
    const sameView = cache.canvas !== null && cache.lay === lay && cache.theme === theme && cache.highlight === highlight &&
      cache.canvas.width === ctx.canvas.width && cache.canvas.height === ctx.canvas.height;
    if (!sameView || (cache.params !== params && now - cache.at >= DENSE_LINK_INTERVAL_MS)) {
      const c = cache.canvas ?? document.createElement('canvas');
      if (c.width !== ctx.canvas.width || c.height !== ctx.canvas.height) { c.width = ctx.canvas.width; c.height = ctx.canvas.height; }
      const lctx = c.getContext('2d');
      if (lctx) {
        lctx.setTransform(ctx.getTransform());
        lctx.clearRect(0, 0, lay.width, lay.height);
        drawLinks(lctx, lay, params, theme, highlight, dense);
      }
      Object.assign(cache, { canvas: c, at: now, lay, theme, highlight, params });
    }
    stale = cache.params !== params;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(cache.canvas!, 0, 0);
    ctx.restore();
  } else {
    drawLinks(ctx, lay, params, theme, highlight, dense);
  }
  drawNodes(ctx, lay, thumbs, theme);
  return stale;
}

function drawLinks(ctx: CanvasRenderingContext2D, lay: NetLayout, params: Float32Array | null, theme: Theme,
                   highlight: number | null, dense: boolean): void {
  // Links, batched by colour and width bucket: a few strokes, not thousands.
  const paths: Path2D[][] = [[], []];
  for (let s = 0; s < 2; s++) for (let b = 0; b < WIDTH_BUCKETS; b++) paths[s]!.push(new Path2D());
  for (const l of lay.links) {
    const w = params && l.offset < params.length ? params[l.offset]! : 0;
    const width = linkWidth(Number.isFinite(w) ? w : 0);
    const bucket = Math.min(WIDTH_BUCKETS - 1, Math.floor(width));
    const p = paths[w >= 0 ? 0 : 1]![bucket]!;
    p.moveTo(l.x1, l.y1);
    p.lineTo(l.x2, l.y2);
  }
  for (let s = 0; s < 2; s++) {
    for (let b = 0; b < WIDTH_BUCKETS; b++) {
      // Dense networks: hairlines, weight shown by opacity. A wide stroke of a
      // path with thousands of crossing segments is rasterised as one filled
      // outline (hundreds of ms a frame without a GPU); hairlines are cheap.
      ctx.strokeStyle = css(s === 0 ? POSITIVE : NEGATIVE, dense ? 0.15 + 0.12 * b : 0.4 + 0.1 * b);
      ctx.lineWidth = dense ? 1 : b + 0.5;
      ctx.stroke(paths[s]![b]!);
    }
  }
  if (highlight !== null) {
    const l = lay.links.find((k) => k.offset === highlight);
    if (l) {
      ctx.strokeStyle = ink(theme).highlight;
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(l.x1, l.y1); ctx.lineTo(l.x2, l.y2); ctx.stroke();
      ctx.setLineDash([]);
    }
  }
}

function drawNodes(ctx: CanvasRenderingContext2D, lay: NetLayout, thumbs: Thumbs | null, theme: Theme): void {
  // Nodes: a thumbnail heatmap when available, else a plain box.
  const border = ink(theme).nodeBorder;
  const t = thumbs?.size ?? 0;
  let img: ImageData | null = null;
  let scratch: HTMLCanvasElement | null = null;
  let sctx: CanvasRenderingContext2D | null = null;
  if (thumbs && t > 0 && lay.nodeSize >= 10) {
    ({ scratch, sctx, img } = scratchFor(t));
  }
  const bg = css(neutral(theme));
  for (const col of lay.columns) {
    for (const n of col) {
      const values = thumbs?.get(n.col, n.index) ?? null;
      if (values && img && sctx && scratch) {
        const scale = thumbs!.scale(n.col, n.index);
        for (let i = 0; i < t * t; i++) diverging(img.data, 4 * i, scale(values(i)), theme, 0.9);
        sctx.putImageData(img, 0, 0);
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(scratch, n.x, n.y, n.size, n.size);
      } else {
        ctx.fillStyle = bg;
        ctx.fillRect(n.x, n.y, n.size, n.size);
      }
      ctx.strokeStyle = border;
      ctx.lineWidth = 1;
      ctx.strokeRect(n.x + 0.5, n.y + 0.5, n.size - 1, n.size - 1);
    }
  }
}
