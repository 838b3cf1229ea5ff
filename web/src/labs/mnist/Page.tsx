// The MNIST page: load the data set, train an MLP in the worker, look inside
// the model, and test it with a digit drawn by hand.
import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { Theme } from '../../state/config';
import type { ModelChoice, TrainChoice } from './protocol';
import { mnistStore } from './store';
import { useStore } from '../../lib/use-store';
import { LoadStatus } from './components/LoadStatus';
import { ModelPanel, sameModel } from './components/ModelPanel';
import { TrainPanel } from './components/TrainPanel';
import { DrawPanel } from './components/DrawPanel';
import { ClassAccuracy, ConfusionMatrix } from './components/ConfusionMatrix';
import { Misclassified } from './components/Misclassified';
import { WeightGrid } from './components/WeightGrid';
import { useVisible } from '../../lib/use-visible';
import './mnist.css';

export default function MnistPage({ theme }: { theme: Theme }) {
  const session = mnistStore();
  const state = useStore(session);
  const weightsRef = useRef<HTMLElement>(null);
  // Stable callbacks, so memoised panels skip the ~12 redraws a second of training.
  const on = useMemo(() => ({
    retry: () => session.load(),
    model: (m: ModelChoice) => session.setModel(m),
    train: (t: TrainChoice) => session.setTrain(t),
    reset: () => session.build(),
    play: () => session.play(),
    pause: () => session.pause(),
    input: (p: Float32Array | null) => session.classify(p),
  }), [session]);

  useEffect(() => {
    session.load();
    // Leaving the page pauses training (one job at a time on small machines);
    // the data and the model stay in the worker for when it comes back.
    return () => session.pause();
  }, [session]);

  useVisible(weightsRef, (visible) => session.wantWeights(visible), [session, state.built !== null]);

  const built = state.built;
  const pending = built !== null && (!sameModel(state.model, built.model) || state.train.seed !== built.seed);
  const latest = state.latest;
  return (
    <main class="mnist" data-theme={theme} aria-labelledby="mn-title">
      <header class="mn-head">
        <h1 id="mn-title">MNIST: train on 60,000 handwritten digits, in this tab</h1>
        <p>The C engine, compiled to WebAssembly, trains in a worker on the full data set and reports test accuracy on all 10,000 test digits as it goes. Then look inside the model and try it on your own handwriting.</p>
      </header>
      <LoadStatus load={state.load} onRetry={on.retry} />
      {state.notice && (
        <p class={`mn-notice mn-notice-${state.notice.kind}`} role={state.notice.kind === 'warning' ? 'alert' : 'status'} data-testid="mnist-notice">
          {state.notice.text}
        </p>
      )}
      <div class="mn-top">
        <ModelPanel model={state.model} train={state.train} pending={pending} disabled={state.load.phase !== 'loaded'}
                    onModel={on.model} onTrain={on.train} onReset={on.reset} />
        <TrainPanel state={state} theme={theme} onPlay={on.play} onPause={on.pause} />
        <DrawPanel theme={theme} probs={state.digitProbs} modelReady={built !== null} onInput={on.input} />
      </div>
      <section class="mn-panel mn-inside" aria-labelledby="mn-inside-h">
        <h2 id="mn-inside-h">Inside the model{latest ? ` (test set, after ${latest.at.toFixed(2)} epochs)` : ''}</h2>
        {latest ? (
          <div class="mn-inside-grid">
            <div>
              <h3>Confusion matrix</h3>
              <ConfusionMatrix confusion={latest.confusion} />
            </div>
            <div>
              <h3>Accuracy per digit</h3>
              <ClassAccuracy confusion={latest.confusion} />
            </div>
            <div class="mn-wide">
              <h3>Misclassified test digits: prediction (true label) confidence</h3>
              <Misclassified wrong={latest.misclassified} theme={theme} />
            </div>
          </div>
        ) : <p class="mn-hint">Appears once the model has been evaluated.</p>}
        <section ref={weightsRef} class="mn-wide" aria-label="first-layer weights">
          <h3>First-layer weights</h3>
          {state.weights
            ? <WeightGrid {...state.weights} theme={theme} isOutput={built !== null && built.sizes.length === 2} />
            : <p class="mn-hint">{built ? "Sent by the worker while this part of the page is on screen." : "Appear once the model exists."}</p>}
        </section>
      </section>
    </main>
  );
}
