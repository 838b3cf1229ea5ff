/**
 * Sizes a canvas's backing store to `cssWidth` × `cssHeight` CSS pixels times
 * the device pixel ratio (capped at 2: a sharper store costs fill rate on
 * phones for little gain), scales its context so drawing code works in CSS
 * pixels, and returns that context (null when the canvas has none).
 */
export function hiDpiContext(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D | null {
  const dpr = Math.min(2, window.devicePixelRatio || 1);
  const w = Math.max(1, Math.round(cssWidth * dpr)), h = Math.max(1, Math.round(cssHeight * dpr));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(w / cssWidth, 0, 0, h / cssHeight, 0, 0);
  return ctx;
}
