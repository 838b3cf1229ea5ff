import { memo } from 'preact/compat';
// Presets, the layer editor and the training settings.
import type { Activation, Optimizer } from '../../../state/config';
import { ACTIVATION_LABELS, OPTIMIZER_LABELS } from '../../../components/labels';
import { MAX_SEED } from '../../../state/schema';
import { MAX_BATCH, MAX_EPOCHS, MAX_HIDDEN_LAYERS, MAX_WIDTH, type ModelChoice, type TrainChoice } from '../protocol';
import { PRESETS } from '../trainer.js';
import { MNIST_CLASSES } from '../asset-format.js';
import { MNIST_PIXELS } from '../preprocess';
import { NumberField } from './NumberField';

interface Props {
  model: ModelChoice;
  train: TrainChoice;
  /** The model in the worker differs from the editor: Reset builds it. */
  pending: boolean;
  disabled: boolean;
  onModel: (m: ModelChoice) => void;
  onTrain: (t: TrainChoice) => void;
  onReset: () => void;
}

const ACTIVATIONS = Object.keys(ACTIVATION_LABELS) as Activation[];
const OPTIMIZERS = Object.keys(OPTIMIZER_LABELS) as Optimizer[];
/** Usual learning rates for MNIST with each optimizer (batch 64). */
export const LR_DEFAULTS: Record<Optimizer, number> = { sgd: 0.1, momentum: 0.01, adam: 0.002 };

/** A new optimizer brings its usual learning rate, unless the user set another. */
function withOptimizer(train: TrainChoice, optimizer: Optimizer): TrainChoice {
  const lr = train.lr === LR_DEFAULTS[train.optimizer] ? LR_DEFAULTS[optimizer] : train.lr;
  return { ...train, optimizer, lr };
}

export function sameModel(a: ModelChoice, b: ModelChoice): boolean {
  return a.hidden.length === b.hidden.length && a.hidden.every((w, i) => w === b.hidden[i] && a.activations[i] === b.activations[i]);
}

export const ModelPanel = memo(function ModelPanel({ model, train, pending, disabled, onModel, onTrain, onReset }: Props) {
  const setLayer = (i: number, width: number, act: Activation) => {
    const hidden = model.hidden.slice(), activations = model.activations.slice();
    hidden[i] = width;
    activations[i] = act;
    onModel({ hidden, activations });
  };
  const addLayer = () => onModel({ hidden: [...model.hidden, 32], activations: [...model.activations, 'relu'] });
  const removeLayer = (i: number) => onModel({
    hidden: model.hidden.filter((_, k) => k !== i), activations: model.activations.filter((_, k) => k !== i),
  });
  const sizes = [MNIST_PIXELS, ...model.hidden, MNIST_CLASSES].join('-');
  return (
    <section class="mn-panel mn-model" aria-labelledby="mn-model-h">
      <h2 id="mn-model-h">Model</h2>
      <div class="mn-presets" role="group" aria-label="presets">
        {(Object.keys(PRESETS) as (keyof typeof PRESETS)[]).map((k) => {
          const p = PRESETS[k];
          const active = sameModel(model, { hidden: [...p.hidden], activations: [...p.activations] });
          return (
            <button key={k} type="button" class="mn-btn" aria-pressed={active} data-testid={`mnist-preset-${k}`}
                    onClick={() => onModel({ hidden: [...p.hidden], activations: [...p.activations] })}>{p.label}</button>
          );
        })}
      </div>
      <p class="mn-arch" data-testid="mnist-architecture">{sizes}, softmax output, cross-entropy loss</p>
      <ol class="mn-layers">
        {model.hidden.map((w, i) => (
          <li key={i}>
            <NumberField label={`Layer ${i + 1} units`} value={w} min={1} max={MAX_WIDTH} integer step={1}
                         onChange={(v) => setLayer(i, v, model.activations[i]!)} />
            <label class="mn-field">
              <span>activation</span>
              <select value={model.activations[i]} onChange={(e) => setLayer(i, w, (e.target as HTMLSelectElement).value as Activation)}>
                {ACTIVATIONS.map((a) => <option key={a} value={a}>{ACTIVATION_LABELS[a]}</option>)}
              </select>
            </label>
            <button type="button" class="btn-text" aria-label={`remove layer ${i + 1}`} onClick={() => removeLayer(i)}>−</button>
          </li>
        ))}
      </ol>
      <button type="button" class="btn-text" disabled={model.hidden.length >= MAX_HIDDEN_LAYERS} onClick={addLayer}>+ hidden layer</button>

      <h3>Training</h3>
      <div class="mn-grid2">
        <label class="mn-field">
          <span>Optimizer</span>
          <select value={train.optimizer} data-testid="mnist-optimizer"
                  onChange={(e) => onTrain(withOptimizer(train, (e.target as HTMLSelectElement).value as Optimizer))}>
            {OPTIMIZERS.map((o) => <option key={o} value={o}>{OPTIMIZER_LABELS[o]}</option>)}
          </select>
        </label>
        <NumberField label="Learning rate" value={train.lr} min={1e-6} max={10} testId="mnist-lr" onChange={(lr) => onTrain({ ...train, lr })} />
        {train.optimizer === 'momentum' && (
          <NumberField label="Momentum" value={train.momentum} min={0} max={0.999} onChange={(momentum) => onTrain({ ...train, momentum })} />
        )}
        <NumberField label="Batch size" value={train.batchSize} min={1} max={MAX_BATCH} integer step={1} testId="mnist-batch"
                     onChange={(batchSize) => onTrain({ ...train, batchSize })} />
        <NumberField label="Epochs" value={train.epochs} min={1} max={MAX_EPOCHS} integer step={1} testId="mnist-epochs"
                     onChange={(epochs) => onTrain({ ...train, epochs })} />
        <NumberField label="Seed" value={train.seed} min={0} max={MAX_SEED} integer step={1}
                     onChange={(seed) => onTrain({ ...train, seed })} />
      </div>
      <p class="mn-hint">Optimizer, learning rate, batch size and epochs apply at once; layers and seed on Reset. Picking an optimizer sets its usual learning rate (SGD 0.1, momentum 0.01, Adam 0.002) unless you changed it. Every epoch is shuffled by a generator seeded with the seed.</p>
      <button type="button" class={`mn-btn${pending ? ' mn-btn-primary' : ''}`} data-testid="mnist-reset" disabled={disabled} onClick={onReset}>
        {pending ? 'Reset to apply' : 'Reset'}
      </button>
    </section>
  );
});
