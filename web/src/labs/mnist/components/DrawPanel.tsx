import { memo } from 'preact/compat';
// Draw a digit with mouse, pen or touch; it is prepared like MNIST (see
// preprocess.ts), shown as the 28x28 input, and classified live.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Theme } from '../../../state/config';
import { inkFromRgba, MNIST_PIXELS, prepareDigit } from '../preprocess';
import { paintDigit } from '../digit-image';
import { ProbBars } from './ProbBars';
import { useTween } from '../../../lib/use-tween';

export const PAD_SIZE = 280;
const STROKE = 20; // px on the 280 px pad: MNIST-like stroke width after scaling

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

export const DrawPanel = memo(function DrawPanel({ theme, probs, tweenMs = 0, modelReady, onInput, readout, title = 'Draw a digit' }: Props) {
  const pad = useRef<HTMLCanvasElement>(null);
  const preview = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const frame = useRef(0);
  const [input, setInput] = useState<Float32Array | null>(null);

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
  return (
    <section class="mn-panel mn-draw" aria-labelledby="mn-draw-h">
      <h2 id="mn-draw-h">{title}</h2>
      <div class="mn-draw-row">
        <canvas ref={pad} class="mn-pad" width={PAD_SIZE} height={PAD_SIZE} data-testid="digit-canvas"
                aria-label="drawing pad: draw a digit from 0 to 9"
                onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={up} />
        <div class="mn-draw-side">
          <figure class="mn-input">
            <canvas ref={preview} width={28} height={28} data-testid="digit-input" aria-label="the 28x28 input the model sees" />
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
