// The GAN lab's map: D's output as a heatmap behind the real samples (green)
// and G's samples (purple), G's image of a noise grid (its "manifold", a
// deformed grid; a curve for 1-D noise) and arrows on G's samples showing
// where D's gradient pushes them. On the custom distribution it is also
// where the real data is drawn: click or drag adds points, erase mode
// removes those under the pointer (the playground's drawing gestures).
import { useLayoutEffect, useRef } from 'preact/hooks';
import { hiDpiContext } from '../../components/canvas';
import { css, CLASS_COLORS, diverging, ink } from '../../components/palette';
import { toDomain, toPixel } from '../../components/OutputMap/draw';
import { useResize } from '../../lib/use-resize';
import type { Theme } from '../../state/config';
import type { DrawnPoint } from '../../share/points';
import { EXTENT } from './config';
import type { MapView } from './protocol';

export interface Layers { heatmap: boolean; real: boolean; fake: boolean; manifold: boolean; arrows: boolean }

interface Props {
  map: MapView | null;
  layers: Layers;
  /** Drawn points (the custom distribution), drawn when there is no map yet. */
  drawn: readonly DrawnPoint[];
  drawing: boolean;
  erase: boolean;
  onAdd(x: number, y: number): void;
  onErase(x: number, y: number, radius: number): void;
  theme: Theme;
  /** Under BCE the heatmap is a probability; under least squares a score (clamped to 0..1). */
  label: string;
}

const REAL = CLASS_COLORS[2]!;
const FAKE = CLASS_COLORS[3]!;
const PAINT_SPACING = 0.08;
const ERASE_RADIUS = 0.15;

function draw(ctx: CanvasRenderingContext2D, scratch: HTMLCanvasElement, size: number, p: Props): void {
  ctx.clearRect(0, 0, size, size);
  const m = p.map;
  const fg = ink(p.theme).text;
  if (m && p.layers.heatmap) {
    const g = m.gridSize;
    scratch.width = g; scratch.height = g;
    const sctx = scratch.getContext('2d');
    if (sctx) {
      const img = sctx.createImageData(g, g);
      // D says "real" (1): blue; "generated" (0): orange.
      for (let i = 0; i < g * g; i++) diverging(img.data, 4 * i, 2 * Math.max(0, Math.min(1, m.grid[i]!)) - 1, p.theme, 0.6);
      sctx.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(scratch, 0, 0, size, size);
    }
  } else {
    ctx.fillStyle = p.theme === 'dark' ? '#22262e' : '#fafafa';
    ctx.fillRect(0, 0, size, size);
  }
  const px = (x: number, y: number) => toPixel(x, y, EXTENT, size);
  const dot = (x: number, y: number, c: string, r: number) => {
    const [a, b] = px(x, y);
    ctx.fillStyle = c;
    ctx.beginPath();
    ctx.arc(a, b, r, 0, 2 * Math.PI);
    ctx.fill();
  };
  const r = Math.max(1.8, size / 200);
  if (!m || p.layers.real) {
    if (m) for (let i = 0; i < m.real.length; i += 2) dot(m.real[i]!, m.real[i + 1]!, css(REAL, 0.85), r);
    else for (const q of p.drawn) dot(q.x, q.y, css(REAL, 0.9), r * 1.3);
  }
  if (!m) return;
  if (p.drawing) {
    // The drawing being edited, as rings over the trained set (Train on this drawing applies it).
    ctx.strokeStyle = fg;
    ctx.lineWidth = 1;
    for (const q of p.drawn) {
      const [a, b] = px(q.x, q.y);
      ctx.beginPath();
      ctx.arc(a, b, r * 1.6, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
  if (p.layers.manifold) {
    ctx.strokeStyle = css(FAKE, 0.55);
    ctx.lineWidth = 1;
    const R = m.manifoldRows, C = m.manifoldCols;
    const at = (i: number) => px(m.manifold[2 * i]!, m.manifold[2 * i + 1]!);
    const line = (idx: (k: number) => number, n: number) => {
      ctx.beginPath();
      for (let k = 0; k < n; k++) { const [a, b] = at(idx(k)); if (k === 0) ctx.moveTo(a, b); else ctx.lineTo(a, b); }
      ctx.stroke();
    };
    for (let row = 0; row < R; row++) line((k) => row * C + k, C);
    if (R > 1) for (let col = 0; col < C; col++) line((k) => k * C + col, R);
  }
  if (p.layers.fake) for (let i = 0; i < m.fake.length; i += 2) dot(m.fake[i]!, m.fake[i + 1]!, css(FAKE, 0.9), r);
  if (p.layers.arrows) {
    // Arrow lengths are relative: the longest push is drawn 0.25 units long.
    let max = 0;
    for (let i = 0; i < m.arrows.length; i += 2) max = Math.max(max, Math.hypot(m.arrows[i]!, m.arrows[i + 1]!));
    if (max > 0 && Number.isFinite(max)) {
      const k = 0.25 / max;
      ctx.strokeStyle = fg;
      ctx.globalAlpha = 0.6;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let i = 0; i < m.fake.length; i += 4) { // every other point keeps the arrows readable
        const [a, b] = px(m.fake[i]!, m.fake[i + 1]!);
        const [c, d] = px(m.fake[i]! + k * m.arrows[i]!, m.fake[i + 1]! + k * m.arrows[i + 1]!);
        ctx.moveTo(a, b);
        ctx.lineTo(c, d);
        const ang = Math.atan2(d - b, c - a);
        ctx.lineTo(c - 4 * Math.cos(ang - 0.5), d - 4 * Math.sin(ang - 0.5));
        ctx.moveTo(c, d);
        ctx.lineTo(c - 4 * Math.cos(ang + 0.5), d - 4 * Math.sin(ang + 0.5));
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
  }
}

/** A short fingerprint of an array (what is drawn), so a test can tell whether the samples or D's map changed. */
function checksum(a: Float32Array): string {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (i % 7 + 1) * a[i]!;
  return s.toPrecision(9);
}

export function GanMap(p: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scratch = useRef<HTMLCanvasElement | null>(null);
  const props = useRef(p);
  props.current = p;
  const drag = useRef<{ id: number; x: number; y: number } | null>(null);

  const redraw = () => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const size = canvas.clientWidth || 300;
    const ctx = hiDpiContext(canvas, size, size);
    if (!ctx) return;
    scratch.current ??= document.createElement('canvas');
    draw(ctx, scratch.current, size, props.current);
  };
  useLayoutEffect(redraw);
  useResize(canvasRef, redraw);

  const at = (e: PointerEvent): [number, number] => {
    const rect = canvasRef.current!.getBoundingClientRect();
    return toDomain(e.clientX - rect.left, e.clientY - rect.top, EXTENT, rect.width);
  };
  const apply = (x: number, y: number) => {
    if (Math.abs(x) > EXTENT || Math.abs(y) > EXTENT) return;
    if (p.erase) p.onErase(x, y, ERASE_RADIUS);
    else p.onAdd(x, y);
  };
  const down = (e: PointerEvent) => {
    if (!p.drawing || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    (e.currentTarget as HTMLCanvasElement).setPointerCapture?.(e.pointerId);
    const [x, y] = at(e);
    drag.current = { id: e.pointerId, x, y };
    apply(x, y);
  };
  const move = (e: PointerEvent) => {
    const d = drag.current;
    if (!p.drawing || !d || d.id !== e.pointerId) return;
    const [x, y] = at(e);
    if (Math.hypot(x - d.x, y - d.y) < (p.erase ? ERASE_RADIUS / 2 : PAINT_SPACING)) return;
    d.x = x; d.y = y;
    apply(x, y);
  };
  const end = (e: PointerEvent) => { if (drag.current?.id === e.pointerId) drag.current = null; };
  return (
    <canvas ref={canvasRef} class={`gn-map${p.drawing ? ' drawing' : ''}`} data-testid="gan-map" role="img" aria-label={p.label}
            data-drawn={p.map ? 'map' : 'none'} data-fake-sum={p.map ? checksum(p.map.fake) : ''} data-grid-sum={p.map ? checksum(p.map.grid) : ''}
            onPointerDown={down} onPointerMove={move} onPointerUp={end} onPointerCancel={end} />
  );
}
