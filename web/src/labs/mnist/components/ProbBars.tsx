// Ten horizontal bars: the model's probability for each digit.
import { MNIST_CLASSES } from '../asset-format.js';

export function ProbBars({ probs, highlight }: { probs: Float32Array | null; highlight: number }) {
  return (
    <ol class="mn-probs" aria-label="probability of each digit" data-testid="digit-probs">
      {Array.from({ length: MNIST_CLASSES }, (_, c) => {
        const p = probs ? probs[c]! : 0;
        return (
          <li key={c} class={c === highlight ? 'mn-top' : undefined}>
            <span class="mn-digit">{c}</span>
            <span class="mn-bar"><i style={{ width: `${(p * 100).toFixed(1)}%` }} /></span>
            <span class="mn-p">{probs ? `${(p * 100).toFixed(1)}%` : ''}</span>
          </li>
        );
      })}
    </ol>
  );
}
