// A T x H matrix as a heatmap: one column per time step, one row per unit
// (the hidden state h_t, a gate, the cell). Drawn on a canvas scaled up
// without smoothing; values in [-1, 1] on the shared diverging scale (a
// gate in [0, 1] shows as shades of blue). Hovering reads a value out.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Theme } from '../../../state/config';
import { diverging } from '../../../components/palette';

interface Props {
  values: Float32Array;
  T: number;
  H: number;
  theme: Theme;
  label: string;
  testId: string;
}

/** The heatmap's text alternative: its range, and the strongest unit at the last step. */
function describeHeat(values: Float32Array, T: number, H: number): string {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < T * H && i < values.length; i++) { lo = Math.min(lo, values[i]!); hi = Math.max(hi, values[i]!); }
  if (!Number.isFinite(lo) || T === 0) return 'no values yet';
  let best = 0;
  for (let j = 1; j < H; j++) if (Math.abs(values[(T - 1) * H + j] ?? 0) > Math.abs(values[(T - 1) * H + best] ?? 0)) best = j;
  return `values from ${lo.toFixed(2)} to ${hi.toFixed(2)}; at the last step unit ${best} is the strongest (${(values[(T - 1) * H + best] ?? NaN).toFixed(2)})`;
}

export function Heatmap({ values, T, H, theme, label, testId }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<string>('');
  useEffect(() => {
    const cv = ref.current;
    const ctx = cv?.getContext('2d');
    if (!cv || !ctx) return;
    cv.width = T;
    cv.height = H;
    const img = ctx.createImageData(T, H);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < H; j++) diverging(img.data, (j * T + t) * 4, values[t * H + j] ?? 0, theme, 1);
    }
    ctx.putImageData(img, 0, 0);
  }, [values, T, H, theme]);
  const onMove = (e: MouseEvent) => {
    const r = (e.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    const t = Math.min(T - 1, Math.floor(((e.clientX - r.left) / r.width) * T));
    const j = Math.min(H - 1, Math.floor(((e.clientY - r.top) / r.height) * H));
    setHover(`t = ${t}, unit ${j}: ${(values[t * H + j] ?? NaN).toFixed(3)}`);
  };
  return (
    <figure class="sq-heat">
      <figcaption>{label}</figcaption>
      <canvas ref={ref} data-testid={testId} role="img" aria-label={`${label}: ${H} units over ${T} steps, ${describeHeat(values, T, H)}`}
              style={{ height: `${Math.min(220, Math.max(40, H * 3))}px` }} onMouseMove={onMove} onMouseLeave={() => setHover('')} />
      <output class="sq-hint">{hover || '\u00a0'}</output>
    </figure>
  );
}
