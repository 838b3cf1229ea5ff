// Optimizer, learning rate, momentum, regularisation, batch size and seed.
// All except the seed apply to a running model without a reset.

import type { Config, Optimizer, Regularization, WeightInit } from '../../state/config';
import { MAX_SEED, randomSeed } from '../../state/schema';
import { OPTIMIZER_LABELS, REGULARIZATION_LABELS } from '../labels';

export interface HyperPanelProps {
  config: Config;
  locked(key: keyof Config): boolean;
  onUpdate(patch: Partial<Config>): void;
}

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];

function withValue(list: number[], v: number): number[] {
  return list.includes(v) ? list : [...list, v].sort((a, b) => a - b);
}

export function HyperPanel({ config: c, locked, onUpdate }: HyperPanelProps) {
  return (
    <section class="panel hyper-panel" aria-label="training settings">
      <label class="field">
        <span>Optimizer</span>
        <select value={c.optimizer} disabled={locked('optimizer')} data-testid="optimizer"
                onChange={(e) => onUpdate({ optimizer: (e.target as HTMLSelectElement).value as Optimizer })}>
          {Object.entries(OPTIMIZER_LABELS).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
        </select>
      </label>
      <label class="field">
        <span>Learning rate</span>
        <select value={String(c.learningRate)} disabled={locked('learningRate')} data-testid="learning-rate"
                onChange={(e) => onUpdate({ learningRate: Number((e.target as HTMLSelectElement).value) })}>
          {withValue(LEARNING_RATES, c.learningRate).map((v) => <option key={v} value={String(v)}>{v}</option>)}
        </select>
      </label>
      {c.optimizer !== 'sgd' && (
        <label class="field">
          <span>{c.optimizer === 'adam' ? 'β₁' : 'Momentum'}</span>
          <input type="number" min={0} max={0.999} step={0.01} value={c.momentum} disabled={locked('momentum')}
                 onChange={(e) => {
                   const v = Number((e.target as HTMLInputElement).value);
                   if (Number.isFinite(v) && v >= 0 && v <= 0.999) onUpdate({ momentum: v });
                 }} />
        </label>
      )}
      <label class="field">
        <span>Regularization</span>
        <select value={c.regularization} disabled={locked('regularization')} data-testid="regularization"
                onChange={(e) => onUpdate({ regularization: (e.target as HTMLSelectElement).value as Regularization })}>
          {Object.entries(REGULARIZATION_LABELS).map(([k, l]) => <option key={k} value={k}>{l}</option>)}
        </select>
      </label>
      <label class="field">
        <span>Regularization rate</span>
        <select value={String(c.regRate)} disabled={locked('regRate') || c.regularization === 'none'} data-testid="reg-rate"
                onChange={(e) => onUpdate({ regRate: Number((e.target as HTMLSelectElement).value) })}>
          {withValue(REG_RATES, c.regRate).map((v) => <option key={v} value={String(v)}>{v}</option>)}
        </select>
      </label>
      <label class="field">
        <span>Batch size <output>{c.batchSize}</output></span>
        <input type="range" min={1} max={256} step={1} value={c.batchSize} disabled={locked('batchSize')} data-testid="batch-size"
               onInput={(e) => onUpdate({ batchSize: Number((e.target as HTMLInputElement).value) })} />
      </label>
      <label class="field">
        <span>Initial weights</span>
        <select value={c.init} disabled={locked('init')} data-testid="init"
                onChange={(e) => onUpdate({ init: (e.target as HTMLSelectElement).value as WeightInit })}>
          <option value="random">Random (seeded)</option>
          <option value="zeros">All zeros</option>
        </select>
      </label>
      <div class="field seed">
        <label for="seed-input">Seed</label>
        <div class="row">
          <input id="seed-input" type="number" min={0} max={MAX_SEED} step={1} value={c.seed} disabled={locked('seed')} data-testid="seed"
                 onChange={(e) => {
                   const v = Number((e.target as HTMLInputElement).value);
                   if (Number.isInteger(v) && v >= 0 && v <= MAX_SEED) onUpdate({ seed: v });
                 }} />
          <button type="button" class="btn-text" disabled={locked('seed')}
                  onClick={() => onUpdate({ seed: randomSeed() })}>New</button>
        </div>
      </div>
    </section>
  );
}
