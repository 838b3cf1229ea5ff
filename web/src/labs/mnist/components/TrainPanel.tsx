// Train / pause, the live numbers, the epoch progress bar and the charts.
import type { Theme } from '../../../state/config';
import type { MnistState } from '../store';
import { formatAccuracy, formatDuration, formatLoss, formatPerSecond } from '../../../lib/format';
import { LineChart, type ChartSeries } from './LineChart';
import { SpeedControl } from '../../../components/Speed/SpeedControl';
import type { Speed } from '../../../state/speed';

interface Props {
  state: MnistState;
  theme: Theme;
  /** The editor's layers were refused by the core: nothing to train until they are fixed. */
  blocked?: boolean;
  onPlay: () => void;
  onPause: () => void;
  onStepBatch: () => void;
  onStepEpoch: () => void;
  onSpeed: (speed: Speed) => void;
}

const BLUE = '#0072b2', ORANGE = '#e69f00', GREEN = '#009e73', PURPLE = '#cc79a7';

function evalSeries(label: string, color: string, points: { at: number; accuracy: number; loss: number }[],
                    pick: 'accuracy' | 'loss', style: ChartSeries['style']): ChartSeries {
  return {
    label, color, style, n: points.length,
    xs: points.map((p) => p.at),
    ys: points.map((p) => (pick === 'accuracy' ? 100 * p.accuracy : p.loss)),
  };
}

export function TrainPanel({ state, theme, blocked = false, onPlay, onPause, onStepBatch, onStepEpoch, onSpeed }: Props) {
  const pr = state.progress;
  const running = pr?.running ?? false;
  const ready = state.built !== null;
  const epochFraction = pr ? pr.position / pr.nTrain : 0;
  const rate = pr?.examplesPerSec ?? 0;
  const epochLeft = pr && rate > 0 ? (pr.nTrain - pr.position) / rate : NaN;
  const runLeft = pr && rate > 0 ? ((pr.targetEpochs - pr.epoch) * pr.nTrain - pr.position) / rate : NaN;
  const losses = state.losses;
  const last = state.fullEvals[state.fullEvals.length - 1];
  const lastSubset = state.subsetEvals[state.subsetEvals.length - 1];
  const paced = state.speed !== 'max';
  return (
    <section class="mn-panel mn-train" aria-labelledby="mn-train-h">
      <h2 id="mn-train-h">Training</h2>
      <div class="mn-run">
        <button type="button" class="mn-btn mn-btn-primary" data-testid="mnist-train" disabled={!ready || (blocked && !running)}
                title={blocked ? 'Fix the refused layer in the model editor first' : undefined}
                aria-pressed={running} onClick={running ? onPause : onPlay}>
          {running ? 'Pause' : pr && pr.steps > 0 ? 'Continue training' : 'Train'}
        </button>
        <button type="button" class="mn-btn" data-testid="mnist-step-batch" disabled={!ready || blocked}
                onClick={onStepBatch} title="Pause and train one batch">Step one batch</button>
        <button type="button" class="mn-btn" data-testid="mnist-step-epoch" disabled={!ready || blocked}
                onClick={onStepEpoch} title="Pause and train one epoch's worth of batches">Step one epoch</button>
        <SpeedControl speed={state.speed} onSpeed={onSpeed} class="mn-select" />
        <span class="mn-epoch" data-testid="mnist-epoch">Epoch {pr ? pr.epoch + (pr.position > 0 ? 1 : 0) : 0}</span>
      </div>
      <div class="mn-epoch-bar">
        <progress max={1} value={epochFraction} aria-label="progress through the current epoch" data-testid="mnist-epoch-progress" />
        <span>{(epochFraction * 100).toFixed(0)}% of the epoch
          {running && Number.isFinite(epochLeft) ? `, ~${formatDuration(epochLeft)} left` : ''}
          {running && Number.isFinite(runLeft) && pr && pr.targetEpochs - pr.epoch > 1 ? `, ~${formatDuration(runLeft)} to epoch ${pr.targetEpochs}` : ''}
        </span>
      </div>
      <dl class="mn-metrics" aria-live="off">
        <div><dt>Epochs trained</dt><dd data-testid="epoch">{pr ? (pr.epoch + epochFraction).toFixed(2) : '0.00'}</dd></div>
        <div><dt>Steps (batches)</dt><dd data-testid="mnist-steps">{pr?.steps ?? 0}</dd></div>
        <div><dt>Test accuracy (10k, %)</dt><dd data-testid="test-accuracy">{formatAccuracy(last?.accuracy, 2)}</dd></div>
        <div><dt>Test loss (10k)</dt><dd data-testid="test-loss">{formatLoss(last?.loss)}</dd></div>
        <div><dt>1k subset accuracy (%)</dt><dd data-testid="subset-accuracy">{formatAccuracy(lastSubset?.accuracy, 2)}</dd></div>
        <div><dt>Train loss (smoothed)</dt><dd data-testid="train-loss">{formatLoss(losses.ema)}</dd></div>
        <div><dt>Examples/s</dt><dd data-testid="examples-per-sec">{formatPerSecond(running ? rate : 0)}</dd></div>
        <div><dt>Training time</dt><dd data-testid="train-time">{formatDuration(pr?.trainSeconds ?? 0)}</dd></div>
      </dl>
      {/* At a chosen pace there are few steps: each is a dot, and the x axis fits them instead of a whole epoch. */}
      <LineChart theme={theme} version={state.version} xLabel="epoch" yLabel="loss" testId="mnist-loss-chart" minX={paced ? 1e-3 : undefined}
                 series={[
                   { label: 'train loss per step', color: BLUE, style: paced ? 'dots' : 'faint', xs: losses.x, ys: losses.raw, n: losses.length },
                   { label: 'smoothed', color: BLUE, xs: losses.x, ys: losses.smooth, n: losses.length },
                   evalSeries('test loss (1k)', ORANGE, state.subsetEvals, 'loss', 'line'),
                   evalSeries('test loss (10k)', PURPLE, state.fullEvals, 'loss', 'dots'),
                 ]} />
      <LineChart theme={theme} version={state.version} xLabel="epoch" yLabel="accuracy %" height={150}
                 series={[
                   evalSeries('test accuracy (1k)', GREEN, state.subsetEvals, 'accuracy', 'line'),
                   evalSeries('test accuracy (10k)', PURPLE, state.fullEvals, 'accuracy', 'dots'),
                 ]} />
    </section>
  );
}
