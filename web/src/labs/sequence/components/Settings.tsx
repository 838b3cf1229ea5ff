// The sequence lab's settings: the task and its data, the model, training
// and sampling. Each control is one config key (its URL key is its
// data-testid, "seq-" + key); locked keys (lock=) are disabled.
import type { SequenceConfig } from '../config';
import { CELLS, MAX_BATCH, MAX_DELAY, MAX_HIDDEN, MAX_LAYERS, MAX_SEQ_LEN, MIN_SEQ_LEN, TASKS, WAVES } from '../config';
import { OPTIMIZERS } from '../../../state/schema';

interface Props {
  config: SequenceConfig;
  locked: (key: keyof SequenceConfig) => boolean;
  /** One setting changed (merged into the latest config by the caller: edits faster than a redraw are all kept). */
  onChange: (patch: Partial<SequenceConfig>) => void;
  onReset: () => void;
  /** The model differs from these settings until Reset (none pending here: changes rebuild at once). */
  paramCount: number | null;
}

const TASK_LABELS: Record<SequenceConfig['task'], string> = {
  waves: 'Waves: predict the next value', memory: 'Memory: echo a bit k steps later', names: 'Names: next character', text: 'Moby Dick: next character',
};

export function Settings({ config: c, locked, onChange, onReset, paramCount }: Props) {
  const set = <K extends keyof SequenceConfig>(k: K, v: SequenceConfig[K]) => onChange({ [k]: v } as Partial<SequenceConfig>);
  const num = (k: 'hidden' | 'layers' | 'seqLen' | 'batchSize' | 'learningRate' | 'clipNorm' | 'seed' | 'noise' | 'delay' | 'temperature',
               label: string, min: number, max: number, step: number) => (
    <label class="sq-field">
      <span>{label}</span>
      <input type="number" data-testid={`seq-${k}`} value={c[k]} min={min} max={max} step={step} disabled={locked(k)}
             onChange={(e) => {
               const v = Number((e.currentTarget as HTMLInputElement).value);
               if (Number.isFinite(v) && v >= min && v <= max) set(k, step >= 1 ? Math.round(v) : v);
               else (e.currentTarget as HTMLInputElement).value = String(c[k]);
             }} />
    </label>
  );
  return (
    <section class="sq-panel sq-settings" aria-labelledby="sq-settings-h">
      <h2 id="sq-settings-h">Task and model</h2>
      <label class="sq-field sq-wide">
        <span>Task</span>
        <select data-testid="seq-task" value={c.task} disabled={locked('task')} onChange={(e) => set('task', (e.currentTarget as HTMLSelectElement).value as SequenceConfig['task'])}>
          {TASKS.map((t) => <option key={t} value={t}>{TASK_LABELS[t]}</option>)}
        </select>
      </label>
      {c.task === 'waves' && (
        <div class="sq-row">
          <label class="sq-field">
            <span>Wave</span>
            <select data-testid="seq-wave" value={c.wave} disabled={locked('wave')} onChange={(e) => set('wave', (e.currentTarget as HTMLSelectElement).value as SequenceConfig['wave'])}>
              {WAVES.map((w) => <option key={w} value={w}>{w === 'sines' ? 'sum of sines' : w}</option>)}
            </select>
          </label>
          {num('noise', 'Input noise', 0, 1, 0.05)}
        </div>
      )}
      {c.task === 'memory' && <div class="sq-row">{num('delay', 'Delay k (steps)', 1, MAX_DELAY, 1)}</div>}
      {(c.task === 'names' || c.task === 'text') && <div class="sq-row">{num('temperature', 'Sampling temperature', 0.05, 5, 0.1)}</div>}
      <div class="sq-row">
        <label class="sq-field">
          <span>Cell</span>
          <select data-testid="seq-cell" value={c.cell} disabled={locked('cell')} onChange={(e) => set('cell', (e.currentTarget as HTMLSelectElement).value as SequenceConfig['cell'])}>
            {CELLS.map((x) => <option key={x} value={x}>{x === 'rnn' ? 'RNN (tanh)' : 'LSTM'}</option>)}
          </select>
        </label>
        {num('hidden', 'Hidden units', 1, MAX_HIDDEN, 1)}
        {num('layers', 'Layers', 1, MAX_LAYERS, 1)}
      </div>
      <label class="sq-check">
        <input type="checkbox" data-testid="seq-compare" checked={c.compare} disabled={locked('compare')} onChange={(e) => set('compare', (e.currentTarget as HTMLInputElement).checked)} />
        Also train {c.cell === 'lstm' ? 'an RNN' : 'an LSTM'} on the same batches (side by side)
      </label>
      <h3>Training</h3>
      <div class="sq-row">
        {num('seqLen', 'Sequence length', MIN_SEQ_LEN, MAX_SEQ_LEN, 1)}
        {num('batchSize', 'Batch', 1, MAX_BATCH, 1)}
        <label class="sq-field">
          <span>Optimizer</span>
          <select data-testid="seq-optimizer" value={c.optimizer} disabled={locked('optimizer')} onChange={(e) => set('optimizer', (e.currentTarget as HTMLSelectElement).value as SequenceConfig['optimizer'])}>
            {OPTIMIZERS.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
      </div>
      <div class="sq-row">
        {num('learningRate', 'Learning rate', 1e-6, 10, 0.001)}
        {num('clipNorm', 'Clip norm (0 = off)', 0, 1000, 0.5)}
        {num('seed', 'Seed', 0, 2147483647, 1)}
      </div>
      <div class="sq-row">
        <button type="button" class="sq-btn" data-testid="seq-rebuild" onClick={onReset} disabled={locked('seed')}>New model</button>
        <span class="sq-hint" data-testid="param-count">{paramCount !== null ? `${paramCount.toLocaleString('en')} parameters` : 'building…'}</span>
      </div>
      {c.task === 'memory' && c.delay >= c.seqLen && <p class="sq-hint" role="status">The delay is as long as the sequence: k = {c.seqLen - 1} is used.</p>}
    </section>
  );
}
