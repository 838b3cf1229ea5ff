import { memo } from 'preact/compat';
// First-layer weights: one 28x28 image per unit (blue positive, orange
// negative, each unit scaled by its own largest |w|), the pattern it looks for.
import { useEffect, useRef } from 'preact/hooks';
import type { Theme } from '../../../state/config';
import { paintWeights } from '../digit-image';
import { MNIST_PIXELS } from '../preprocess';
import { useTween } from '../../../lib/use-tween';

const MAX_UNITS = 128;

function Unit({ weights, unit, theme }: { weights: Float32Array; unit: number; theme: Theme }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) paintWeights(ctx, weights, unit * MNIST_PIXELS, theme);
  }, [weights, unit, theme]);
  return <canvas ref={ref} width={28} height={28} class="mn-digit-img" title={`unit ${unit + 1}`} />;
}

/** The grid's text alternative: how many images and the weights' range now. */
function describeWeights(w: Float32Array, shown: number, units: number): string {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < shown * MNIST_PIXELS && i < w.length; i++) {
    const v = w[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = Number.isFinite(lo) ? `; weights from ${lo.toPrecision(2)} to ${hi.toPrecision(2)}` : '';
  return `${shown} images of 28×28 weights, one per unit${shown < units ? ` (of ${units})` : ''}, blue positive, orange negative${range}`;
}

export const WeightGrid = memo(function WeightGrid({ units, inputs, weights: latest, theme, isOutput, tweenMs = 0 }: {
  units: number; inputs: number; weights: Float32Array; theme: Theme; isOutput: boolean;
  /** Slow motion: how long the images take to move to a step's new weights (0: at once). */
  tweenMs?: number;
}) {
  const weights = useTween(latest, tweenMs) ?? latest;
  if (inputs !== MNIST_PIXELS) return null;
  const shown = Math.min(units, MAX_UNITS);
  return (
    <div>
      <p class="mn-hint">
        {isOutput ? 'No hidden layer: these are the output layer’s weights, one template per digit' : `Weights into each of the ${units} first-layer units`}
        {shown < units ? ` (first ${shown} shown)` : ''}. Blue: positive, orange: negative.
      </p>
      <div class="mn-weights" data-testid="first-layer-weights" role="img" aria-label={describeWeights(weights, shown, units)}>
        {Array.from({ length: shown }, (_, u) => <Unit key={u} weights={weights} unit={u} theme={theme} />)}
      </div>
    </div>
  );
});
