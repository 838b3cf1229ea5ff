import { memo } from 'preact/compat';
// Draw a digit with mouse, pen or touch — or with the keyboard: the pad takes
// the focus, arrow keys move a pen (its ring drawn as the pad's background, so
// it never becomes ink), Space or Enter puts it down or lifts it, Delete
// clears. It is prepared like MNIST (see preprocess.ts), shown as the 28x28
// input, and classified live.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Theme } from '../../../state/config';
import { inkFromRgba, MNIST_PIXELS, prepareDigit } from '../preprocess';
import { paintDigit } from '../digit-image';
import { ProbBars } from './ProbBars';
import { useTween } from '../../../lib/use-tween';

export const PAD_SIZE = 280;
const STROKE = 20; // px on the 280 px pad: MNIST-like stroke width after scaling
/** One arrow-key move of the keyboard pen (Shift: three). */
const KEY_STEP = 14;
const clampPad = (v: number) => Math.max(STROKE / 2, Math.min(PAD_SIZE - STROKE / 2, v));

interface Props {
  theme: Theme;
  probs: Float32Array | null;
  /** Slow motion: how long the bars take to move to a step's new probabilities (0: at once). */
  tweenMs?: number;
  modelReady: boolean;
  onInput: (pixels: Float32Array | null) => void;
  /** Another lab's verdict on the drawn digit (the digits GAN's D score), shown instead of the class probabilities. */
  readout?: (input: Float32Array | null) => ComponentChildren;
  title?: string;
}

/** The keyboard pen's ring, as a CSS background of the pad (filled while it draws). */
function penRing({ x, y, down }: { x: number; y: number; down: boolean }): string {
  const at = `${((100 * x) / PAD_SIZE).toFixed(1)}% ${((100 * y) / PAD_SIZE).toFixed(1)}%`;
  const r = STROKE / 2;
  return down
    ? `radial-gradient(circle at ${at}, var(--focus, #0072b2) ${r}px, transparent ${r + 1}px)`
    : `radial-gradient(circle at ${at}, transparent ${r - 2}px, var(--focus, #0072b2) ${r - 1}px, var(--focus, #0072b2) ${r + 1}px, transparent ${r + 2}px)`;
}

export const DrawPanel = memo(function DrawPanel({ theme, probs, tweenMs = 0, modelReady, onInput, readout, title = 'Draw a digit' }: Props) {
  const pad = useRef<HTMLCanvasElement>(null);
  const preview = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const frame = useRef(0);
  const [input, setInput] = useState<Float32Array | null>(null);
  const [pen, setPenState] = useState({ x: PAD_SIZE / 2, y: PAD_SIZE / 2, down: false, focused: false });
  // Keys can arrive faster than renders: each one starts from the pen as the last key left it.
  const penNow = useRef(pen);
  const setPen = (next: typeof pen) => { penNow.current = next; setPenState(next); };

  const point = (e: PointerEvent) => {
    const r = pad.current!.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * PAD_SIZE) / r.width, y: ((e.clientY - r.top) * PAD_SIZE) / r.height };
  };
  // Reads the pad once per frame at most, however fast the pointer moves.
  const update = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const ctx = pad.current?.getContext('2d', { willReadFrequently: true });
      if (!ctx) return;
      const ink = inkFromRgba(ctx.getImageData(0, 0, PAD_SIZE, PAD_SIZE).data, PAD_SIZE, PAD_SIZE);
      const d = prepareDigit(ink, PAD_SIZE, PAD_SIZE);
      setInput(d.empty ? null : d.pixels);
      onInput(d.empty ? null : d.pixels);
    });
  };
  const stroke = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = pad.current!.getContext('2d', { willReadFrequently: true })!;
    ctx.strokeStyle = theme === 'dark' ? '#f4f4f4' : '#111';
    ctx.lineWidth = STROKE;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    update();
  };
  const down = (e: PointerEvent) => {
    e.preventDefault();
    pad.current!.setPointerCapture(e.pointerId);
    const p = point(e);
    last.current = p;
    stroke(p, p);
  };
  const move = (e: PointerEvent) => {
    if (!last.current) return;
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) {
      const p = point(ev);
      stroke(last.current, p);
      last.current = p;
    }
  };
  const up = () => { last.current = null; };
  const onKey = (e: KeyboardEvent) => {
    const cur = { ...penNow.current, focused: true }; // clicked, then keys: the pen shows from now on
    const step = e.shiftKey ? 3 * KEY_STEP : KEY_STEP;
    const move: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const d = move[e.key];
    if (d) {
      const to = { x: clampPad(cur.x + d[0]), y: clampPad(cur.y + d[1]) };
      if (cur.down) stroke(cur, to);
      setPen({ ...cur, ...to });
    } else if (e.key === ' ' || e.key === 'Enter') {
      if (!cur.down) stroke(cur, cur);
      setPen({ ...cur, down: !cur.down });
    } else if (e.key === 'Escape') {
      setPen({ ...cur, down: false });
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      clear();
    } else {
      return;
    }
    e.preventDefault(); // not the page's own keys (space plays, → steps)
  };
  const clear = () => {
    pad.current!.getContext('2d', { willReadFrequently: true })!.clearRect(0, 0, PAD_SIZE, PAD_SIZE);
    update();
  };

  useEffect(() => {
    const ctx = preview.current?.getContext('2d');
    if (!ctx) return;
    paintDigit(ctx, input ?? new Float32Array(MNIST_PIXELS), theme);
  }, [input, theme]);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const barProbs = useTween(probs, tweenMs);
  let best = -1;
  if (probs && input) for (let c = 0; c < probs.length; c++) if (best < 0 || probs[c]! > probs[best]!) best = c;
  // The pad's text alternative: what is on it now and what the model makes of it.
  const seen = !input ? 'empty' : best >= 0 && probs ? `a drawn digit, classified as ${best} (${(probs[best]! * 100).toFixed(1)} %)` : 'a drawn digit';
  const padLabel = `Draw a digit from 0 to 9: ${seen}. Keyboard: arrow keys move the pen, Space puts it down or lifts it, Delete clears. ` +
    `Pen ${pen.down ? 'down' : 'up'} at ${Math.round((100 * pen.x) / PAD_SIZE)} % across, ${Math.round((100 * pen.y) / PAD_SIZE)} % down.`;
  return (
    <section class="mn-panel mn-draw" aria-labelledby="mn-draw-h">
      <h2 id="mn-draw-h">{title}</h2>
      <div class="mn-draw-row">
        <canvas ref={pad} class="mn-pad" width={PAD_SIZE} height={PAD_SIZE} data-testid="digit-canvas" tabIndex={0}
                role="application" aria-roledescription="drawing pad" aria-label={padLabel}
                style={pen.focused ? { backgroundImage: penRing(pen) } : undefined}
                onFocus={(e) => setPen({ ...penNow.current, focused: (e.currentTarget as HTMLElement).matches(':focus-visible') })}
                onBlur={() => setPen({ ...penNow.current, focused: false, down: false })}
                onKeyDown={onKey}
                onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={up} />
        <div class="mn-draw-side">
          <figure class="mn-input">
            <canvas ref={preview} width={28} height={28} data-testid="digit-input" role="img"
                    aria-label={input ? 'the 28×28 input the model sees: the drawn digit, centred and scaled like MNIST' : 'the 28×28 input the model sees: empty'} />
            <figcaption>28×28 input</figcaption>
          </figure>
          {readout ? readout(input) : (
            <p class="mn-prediction">
              Prediction: <strong data-testid="digit-prediction">{best >= 0 ? best : '—'}</strong>
              {best >= 0 && probs ? <span> ({(probs[best]! * 100).toFixed(1)}%)</span> : null}
            </p>
          )}
          <button type="button" class="mn-btn" data-testid="digit-clear" onClick={clear}>Clear</button>
        </div>
      </div>
      {!modelReady && <p class="mn-hint">The model is being prepared; predictions appear once it exists.</p>}
      {!readout && <ProbBars probs={input ? barProbs : null} highlight={best} />}
    </section>
  );
});
