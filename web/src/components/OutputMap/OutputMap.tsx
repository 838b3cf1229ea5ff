// The output map: decision boundary / regression surface with the data on
// top. On the "custom" data set it is also where points are drawn: click or
// tap adds a point of the selected class, dragging paints, erase mode
// removes points under the pointer. Pointer events cover mouse, pen and touch.

import { useLayoutEffect, useRef } from 'preact/hooks';
import { drawMap, toDomain, type MapData } from './draw';
import { hiDpiContext } from '../canvas';
import { useResize } from '../../lib/use-resize';

export interface OutputMapProps {
  data: MapData;
  /** Drawing enabled (custom data set). */
  drawing: boolean;
  erase: boolean;
  onAddPoint(x: number, y: number): void;
  onErase(x: number, y: number, radius: number): void;
  label: string;
  /** Not drawing: a click picks the point under it (show the math). */
  onPick?(x: number, y: number): void;
}

/** Minimum distance (domain units) between painted points while dragging. */
const PAINT_SPACING = 0.35;
const ERASE_RADIUS = 0.5;

export function OutputMap({ data, drawing, erase, onAddPoint, onErase, label, onPick }: OutputMapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const scratchRef = useRef<HTMLCanvasElement | null>(null);
  const sizeRef = useRef(0);
  const dataRef = useRef(data);
  dataRef.current = data;
  const drag = useRef<{ id: number; lastX: number; lastY: number } | null>(null);

  const redraw = () => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const css = canvas.clientWidth || 300;
    sizeRef.current = css;
    const ctx = hiDpiContext(canvas, css, css);
    if (!ctx) return;
    scratchRef.current ??= document.createElement('canvas');
    drawMap(ctx, scratchRef.current, dataRef.current, css);
  };

  // Draw in the same frame as the render (not after paint): the snapshot
  // shows one frame sooner and the next one is not held up.
  useLayoutEffect(redraw);

  useResize(canvasRef, redraw);

  const domainAt = (e: PointerEvent): [number, number] => {
    const canvas = canvasRef.current!;
    const rect = canvas.getBoundingClientRect();
    return toDomain(e.clientX - rect.left, e.clientY - rect.top, data.extent, rect.width);
  };

  const apply = (x: number, y: number) => {
    if (Math.abs(x) > data.extent || Math.abs(y) > data.extent) return;
    if (erase) onErase(x, y, ERASE_RADIUS);
    else onAddPoint(x, y);
  };

  const onPointerDown = (e: PointerEvent) => {
    if (!drawing && onPick && (e.pointerType !== 'mouse' || e.button === 0)) {
      const [x, y] = domainAt(e);
      onPick(x, y);
      return;
    }
    if (!drawing || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    (e.currentTarget as HTMLCanvasElement).setPointerCapture?.(e.pointerId);
    const [x, y] = domainAt(e);
    drag.current = { id: e.pointerId, lastX: x, lastY: y };
    apply(x, y);
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!drawing || !d || d.id !== e.pointerId) return;
    const [x, y] = domainAt(e);
    if (Math.hypot(x - d.lastX, y - d.lastY) < (erase ? ERASE_RADIUS / 2 : PAINT_SPACING)) return;
    d.lastX = x;
    d.lastY = y;
    apply(x, y);
  };
  const onPointerEnd = (e: PointerEvent) => {
    if (drag.current?.id === e.pointerId) drag.current = null;
  };

  return (
    <canvas
      ref={canvasRef}
      class={`output-map${drawing ? (erase ? ' erasing' : ' drawing') : ''}`}
      data-testid="dataset-canvas"
      data-grid-size={data.gridSize}
      role="img"
      aria-label={label}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
    />
  );
}
