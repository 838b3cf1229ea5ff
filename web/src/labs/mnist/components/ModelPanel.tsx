import { memo } from 'preact/compat';
// Presets, the layer editor and the training settings. Each layer row shows
// the output shape and parameter count the core planned (the worker's
// engine.planLayers); a layer the core refuses is marked with its sentence.
import type { Activation, Optimizer } from '../../../state/config';
import { ACTIVATION_LABELS, OPTIMIZER_LABELS } from '../../../components/labels';
import { MAX_SEED } from '../../../state/schema';
import { MAX_BATCH, MAX_EPOCHS, MAX_SHIFT, type LayerPlan, type ModelChoice, type TrainChoice } from '../protocol';
import {
  LAYER_LIMITS, MAX_MODEL_LAYERS, refusalText, MNIST_INPUT_SHAPE, MODEL_PRESETS, sameLayers,
  type MnistLayer, type MnistLayerKind, type ModelPresetId,
} from '../model-layers';
import { NumberField } from './NumberField';
import { LR_END_MAX, LR_END_MIN, LR_SCHEDULES, type LrSchedule } from '../schedule.js';

interface Props {
  model: ModelChoice;
  train: TrainChoice;
  /** The core's plan of `model` (null while the worker has not answered). */
  plan: LayerPlan | null;
  /** The model in the worker differs from the editor: Reset builds it. */
  pending: boolean;
  /** The rate the worker trains the next step with (the schedule's), as shown; null before a model runs. */
  rateNow: string | null;
  disabled: boolean;
  /** Show the math: the layer shown in the panel, marked in the list (null: none). */
  focusLayer?: number | null;
  onModel: (m: ModelChoice) => void;
  onTrain: (t: TrainChoice) => void;
  onReset: () => void;
}

const ACTIVATIONS = Object.keys(ACTIVATION_LABELS) as Activation[];
const OPTIMIZERS = Object.keys(OPTIMIZER_LABELS) as Optimizer[];
/** Usual learning rates for MNIST with each optimizer (batch 64). */
export const LR_DEFAULTS: Record<Optimizer, number> = { sgd: 0.1, momentum: 0.01, adam: 0.002 };
export const SCHEDULE_LABELS: Readonly<Record<LrSchedule, string>> = {
  none: 'constant', step: 'step (each epoch)', exp: 'exponential', cos: 'cosine',
};
const KIND_LABELS: Readonly<Record<MnistLayerKind, string>> = { conv: 'Convolution', pool: 'Max-pool', flatten: 'Flatten', dense: 'Dense' };
/** A new row of each kind. */
const NEW_LAYER: Readonly<Record<MnistLayerKind, MnistLayer>> = {
  conv: { kind: 'conv', filters: 8, kernel: 3, stride: 1, padding: 1, activation: 'relu' },
  pool: { kind: 'pool', kernel: 2, stride: 2 },
  flatten: { kind: 'flatten' },
  dense: { kind: 'dense', units: 64, activation: 'relu' },
};

/** A new optimizer brings its usual learning rate, unless the user set another. */
function withOptimizer(train: TrainChoice, optimizer: Optimizer): TrainChoice {
  const lr = train.lr === LR_DEFAULTS[train.optimizer] ? LR_DEFAULTS[optimizer] : train.lr;
  return { ...train, optimizer, lr };
}

export function sameModel(a: ModelChoice, b: ModelChoice): boolean {
  return sameLayers(a.layers, b.layers);
}

/** "24×24×8" (height × width × channels), as the course writes shapes. */
export function shapeText(shape: readonly number[]): string {
  const [c = 0, h = 0, w = 0] = shape;
  return h === 1 && w === 1 ? `${c}` : `${h}×${w}×${c}`;
}

function presetOf(layers: readonly MnistLayer[]): ModelPresetId | '' {
  return (Object.keys(MODEL_PRESETS) as ModelPresetId[]).find((k) => sameLayers(layers, MODEL_PRESETS[k].layers)) ?? '';
}

function LayerFields({ layer, index, onChange }: { layer: MnistLayer; index: number; onChange: (l: MnistLayer) => void }) {
  const n = index + 1;
  const act = (value: Activation, set: (a: Activation) => void) => (
    <label class="mn-field">
      <span>activation</span>
      <select value={value} aria-label={`layer ${n} activation`} onChange={(e) => set((e.target as HTMLSelectElement).value as Activation)}>
        {ACTIVATIONS.map((a) => <option key={a} value={a}>{ACTIVATION_LABELS[a]}</option>)}
      </select>
    </label>
  );
  const num = (label: string, value: number, limits: { min: number; max: number }, set: (v: number) => void) => (
    <NumberField label={label} value={value} min={limits.min} max={limits.max} integer step={1} testId={`layer-${n}-${label}`} onChange={set} />
  );
  switch (layer.kind) {
    case 'conv':
      return (
        <div class="mn-layer-fields">
          {num('filters', layer.filters, LAYER_LIMITS.filters, (filters) => onChange({ ...layer, filters }))}
          {num('kernel', layer.kernel, LAYER_LIMITS.kernel, (kernel) => onChange({ ...layer, kernel }))}
          {num('stride', layer.stride, LAYER_LIMITS.stride, (stride) => onChange({ ...layer, stride }))}
          {num('padding', layer.padding, LAYER_LIMITS.padding, (padding) => onChange({ ...layer, padding }))}
          {act(layer.activation, (activation) => onChange({ ...layer, activation }))}
        </div>
      );
    case 'pool':
      return (
        <div class="mn-layer-fields">
          {num('kernel', layer.kernel, LAYER_LIMITS.kernel, (kernel) => onChange({ ...layer, kernel }))}
          {num('stride', layer.stride, LAYER_LIMITS.stride, (stride) => onChange({ ...layer, stride }))}
        </div>
      );
    case 'flatten':
      return null;
    case 'dense':
      return (
        <div class="mn-layer-fields">
          {num('units', layer.units, LAYER_LIMITS.units, (units) => onChange({ ...layer, units }))}
          {layer.activation !== 'softmax' && act(layer.activation, (activation) => onChange({ ...layer, activation }))}
        </div>
      );
  }
}

/** The plan's words for layer i: its output shape and parameters, the refusal, or nothing yet. */
export function planCell(plan: LayerPlan | null, i: number): { text: string; bad: boolean } {
  if (!plan) return { text: '…', bad: false };
  if (plan.ok) {
    const l = plan.layers[i];
    return l ? { text: `→ ${shapeText(l.shape)} · ${l.params.toLocaleString('en-US')} params`, bad: false } : { text: '', bad: false };
  }
  if (i === plan.layer) return { text: `refused: ${plan.message}`, bad: true };
  const before = plan.before[i];
  if (before) return { text: `→ ${shapeText(before.shape)} · ${before.params.toLocaleString('en-US')} params`, bad: false };
  return { text: 'not checked', bad: false };
}

export const ModelPanel = memo(function ModelPanel({ model, train, plan, pending, rateNow, disabled, focusLayer = null, onModel, onTrain, onReset }: Props) {
  const layers = model.layers;
  const hidden = layers.slice(0, -1);
  const output = layers[layers.length - 1]!;
  const setHidden = (next: MnistLayer[]) => onModel({ layers: [...next, output] });
  const setLayer = (i: number, l: MnistLayer) => setHidden(hidden.map((x, k) => (k === i ? l : x)));
  const move = (i: number, by: number) => {
    const next = hidden.slice();
    const [l] = next.splice(i, 1);
    next.splice(i + by, 0, l!);
    setHidden(next);
  };
  const preset = presetOf(layers);
  const pickPreset = (id: ModelPresetId) => {
    const p = MODEL_PRESETS[id];
    onModel({ layers: p.layers.map((l) => ({ ...l })) });
    if (p.train) onTrain({ ...train, ...p.train });
  };
  const total = plan?.ok ? plan.layers.reduce((s, l) => s + l.params, 0) : null;
  const refused = plan && !plan.ok ? plan : null;
  return (
    <section class="mn-panel mn-model" aria-labelledby="mn-model-h">
      <h2 id="mn-model-h">Model</h2>
      <label class="mn-field">
        <span>Preset</span>
        <select value={preset} data-testid="mnist-preset" onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          if (v) pickPreset(v as ModelPresetId);
        }}>
          {preset === '' && <option value="">(your own layers)</option>}
          {(Object.keys(MODEL_PRESETS) as ModelPresetId[]).map((k) => <option key={k} value={k}>{MODEL_PRESETS[k].label}</option>)}
        </select>
      </label>
      <p class="mn-arch" data-testid="mnist-architecture">
        input {shapeText(MNIST_INPUT_SHAPE)} · {layers.length} layers{total !== null ? ` · ${total.toLocaleString('en-US')} parameters` : ''}, softmax output, cross-entropy loss
      </p>
      <ol class="mn-layers" data-testid="mnist-layers">
        {layers.map((l, i) => {
          const cell = planCell(plan, i);
          const isOutput = i === layers.length - 1;
          return (
            <li key={i} class={`mn-layer${cell.bad ? ' mn-layer-bad' : ''}${focusLayer === i ? ' mn-layer-focus' : ''}`} data-testid={`layer-${i + 1}`} aria-invalid={cell.bad}
                aria-current={focusLayer === i ? 'step' : undefined}>
              <div class="mn-layer-head">
                <b>{i + 1}. {isOutput ? 'Output (dense 10, softmax)' : KIND_LABELS[l.kind]}</b>
                {!isOutput && (
                  <span class="mn-layer-tools">
                    <button type="button" class="btn-text" aria-label={`move layer ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                    <button type="button" class="btn-text" aria-label={`move layer ${i + 1} down`} disabled={i >= hidden.length - 1} onClick={() => move(i, 1)}>↓</button>
                    <button type="button" class="btn-text" aria-label={`remove layer ${i + 1}`} onClick={() => setHidden(hidden.filter((_, k) => k !== i))}>−</button>
                  </span>
                )}
              </div>
              {!isOutput && <LayerFields layer={l} index={i} onChange={(next) => setLayer(i, next)} />}
              <span class={cell.bad ? 'mn-layer-plan mn-field-error' : 'mn-layer-plan'} data-testid={`layer-${i + 1}-plan`}>{cell.text}</span>
            </li>
          );
        })}
      </ol>
      <div class="mn-add-layer" role="group" aria-label="add a layer">
        {(['conv', 'pool', 'flatten', 'dense'] as MnistLayerKind[]).map((k) => (
          <button key={k} type="button" class="btn-text" disabled={layers.length >= MAX_MODEL_LAYERS} data-testid={`add-${k}`}
                  onClick={() => setHidden([...hidden, { ...NEW_LAYER[k] }])}>+ {KIND_LABELS[k].toLowerCase()}</button>
        ))}
      </div>
      {refused && (
        <p class="mn-notice mn-notice-warning" role="alert" data-testid="mnist-plan-error">
          {refusalText(layers, refused)}. Fix it to train.
        </p>
      )}

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
        <label class="mn-field">
          <span>Rate schedule</span>
          <select value={train.lrSchedule} data-testid="mnist-schedule"
                  onChange={(e) => onTrain({ ...train, lrSchedule: (e.target as HTMLSelectElement).value as LrSchedule })}>
            {LR_SCHEDULES.map((k) => <option key={k} value={k}>{SCHEDULE_LABELS[k]}</option>)}
          </select>
        </label>
        {train.lrSchedule !== 'none' && (
          <NumberField label="Final rate (× lr)" value={train.lrEnd} min={LR_END_MIN} max={LR_END_MAX} testId="mnist-lr-end"
                       onChange={(lrEnd) => onTrain({ ...train, lrEnd })} />
        )}
        {train.optimizer === 'momentum' && (
          <NumberField label="Momentum" value={train.momentum} min={0} max={0.999} onChange={(momentum) => onTrain({ ...train, momentum })} />
        )}
        <NumberField label="Batch size" value={train.batchSize} min={1} max={MAX_BATCH} integer step={1} testId="mnist-batch"
                     onChange={(batchSize) => onTrain({ ...train, batchSize })} />
        <NumberField label="Epochs" value={train.epochs} min={1} max={MAX_EPOCHS} integer step={1} testId="mnist-epochs"
                     onChange={(epochs) => onTrain({ ...train, epochs })} />
        <NumberField label="Random shift (px)" value={train.shift} min={0} max={MAX_SHIFT} integer step={1} testId="mnist-shift"
                     onChange={(shift) => onTrain({ ...train, shift })} />
        <NumberField label="Seed" value={train.seed} min={0} max={MAX_SEED} integer step={1}
                     onChange={(seed) => onTrain({ ...train, seed })} />
      </div>
      {train.lrSchedule !== 'none' && (
        <p class="mn-hint" data-testid="mnist-rate-now">
          The rate falls from {train.lr} to {train.lr} × {train.lrEnd} over the {train.epochs} epoch{train.epochs === 1 ? '' : 's'} ({SCHEDULE_LABELS[train.lrSchedule]}) and stays there if training goes on{rateNow !== null ? `; now ${rateNow}` : ''}.
        </p>
      )}
      <p class="mn-hint">Optimizer, learning rate and its schedule, batch size, epochs and the random shift apply at once; layers and seed on Reset. Picking an optimizer sets its usual learning rate (SGD 0.1, momentum 0.01, Adam 0.002) unless you changed it. Random shift (augmentation) moves each training digit by up to that many pixels, drawn from the seed; test digits are never moved.</p>
      <button type="button" class={`mn-btn${pending ? ' mn-btn-primary' : ''}`} data-testid="mnist-reset" disabled={disabled || refused !== null} onClick={onReset}>
        {pending ? 'Reset to apply' : 'Reset'}
      </button>
    </section>
  );
});
