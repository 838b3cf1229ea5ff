// Download progress of the data set (bytes and percent), or the error with Retry.
import type { LoadState } from '../store';
import { formatBytes } from '../../../lib/format';

export function LoadStatus({ load, onRetry }: { load: LoadState; onRetry: () => void }) {
  if (load.phase === 'error') {
    return (
      <div class="mn-load mn-load-error" role="alert" data-testid="mnist-load-error">
        <p><strong>Could not load the MNIST data.</strong> {load.message}</p>
        <button type="button" class="mn-btn" data-testid="mnist-retry" onClick={onRetry}>Retry</button>
      </div>
    );
  }
  if (load.phase === 'loaded') {
    return (
      <p class="mn-load mn-load-done" data-testid="mnist-loaded">
        {load.nTrain.toLocaleString('en')} training and {load.nTest.toLocaleString('en')} test digits loaded
        {load.seconds > 0 ? ` in ${load.seconds.toFixed(1)} s` : ''}, held in the worker.
      </p>
    );
  }
  const loaded = load.phase === 'loading' ? load.loaded : 0;
  const total = load.phase === 'loading' ? load.total : 0;
  const pct = total > 0 ? Math.min(100, (100 * loaded) / total) : 0;
  return (
    <div class="mn-load" role="status">
      <label for="mn-load-bar">Loading MNIST: {formatBytes(loaded)}{total > 0 ? ` of ${formatBytes(total)}` : ''} ({pct.toFixed(0)}%)</label>
      <progress id="mn-load-bar" data-testid="mnist-progress" max={100} value={pct} />
    </div>
  );
}
