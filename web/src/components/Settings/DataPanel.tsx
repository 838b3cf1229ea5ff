// Data set choice, noise, train/test split, regenerate, and the drawing
// tools for "Your drawing".

import type { Config, DatasetId } from '../../state/config';
import { randomSeed } from '../../state/schema';
import { DATASET_IDS, datasetInfo } from '../../data/datasets';
import { CLASS_COLORS, css } from '../palette';

export interface DataPanelProps {
  config: Config;
  locked(key: keyof Config): boolean;
  pointCount: number;
  erase: boolean;
  showDatasets: boolean;
  showDataSettings: boolean;
  showDrawTools: boolean;
  canDrawFromCurrent: boolean;
  onUpdate(patch: Partial<Config>): void;
  onErase(on: boolean): void;
  onClear(): void;
  onDrawFromCurrent(): void;
}

const GROUPS: { title: string; ids: DatasetId[] }[] = [
  { title: 'Classify', ids: DATASET_IDS.filter((id) => datasetInfo(id).task !== 'regression' && id !== 'custom') },
  { title: 'Regress', ids: DATASET_IDS.filter((id) => datasetInfo(id).task === 'regression') },
  { title: 'Draw', ids: ['custom'] },
];

export function DataPanel(p: DataPanelProps) {
  const c = p.config;
  const custom = c.dataset === 'custom';
  return (
    <section class="panel data-panel" aria-label="data">
      {p.showDatasets && GROUPS.map((g) => (
        <div class="dataset-group" key={g.title}>
          <h2 class="panel-title">{g.title}</h2>
          <div class="dataset-buttons" role="group" aria-label={`${g.title} data sets`}>
            {g.ids.map((id) => (
              <button type="button" key={id} class="chip" aria-pressed={c.dataset === id} data-testid={`dataset-${id}`}
                      disabled={p.locked('dataset')} onClick={() => p.onUpdate({ dataset: id })}>
                {datasetInfo(id).label}
              </button>
            ))}
          </div>
        </div>
      ))}
      {p.showDataSettings && (
        <div class="data-settings">
          <label class="field">
            <span>Train share <output>{c.trainRatio}%</output></span>
            <input type="range" min={10} max={90} step={5} value={c.trainRatio} disabled={p.locked('trainRatio')}
                   data-testid="train-ratio" onInput={(e) => p.onUpdate({ trainRatio: Number((e.target as HTMLInputElement).value) })} />
          </label>
          {!custom && (
            <label class="field">
              <span>Noise <output>{c.noise}%</output></span>
              <input type="range" min={0} max={50} step={5} value={c.noise} disabled={p.locked('noise')}
                     data-testid="noise" onInput={(e) => p.onUpdate({ noise: Number((e.target as HTMLInputElement).value) })} />
            </label>
          )}
          <div class="row">
            {!custom && (
              <button type="button" class="btn-text" disabled={p.locked('dataSeed')} data-testid="regenerate"
                      onClick={() => p.onUpdate({ dataSeed: randomSeed() })}>Regenerate</button>
            )}
            <label class="check"><input type="checkbox" checked={c.showTestData} disabled={p.locked('showTestData')}
                   onChange={(e) => p.onUpdate({ showTestData: (e.target as HTMLInputElement).checked })} /> Show test data</label>
            <label class="check"><input type="checkbox" checked={c.discretize} disabled={p.locked('discretize')}
                   onChange={(e) => p.onUpdate({ discretize: (e.target as HTMLInputElement).checked })} /> Discretize output</label>
          </div>
        </div>
      )}
      {p.showDrawTools && (custom ? (
        <div class="draw-tools" role="group" aria-label="drawing tools">
          <div class="row">
            <span>Class</span>
            {CLASS_COLORS.map((col, i) => (
              <button type="button" key={i} class="swatch" aria-pressed={!p.erase && c.drawClass === i} data-testid={`draw-class-${i}`}
                      aria-label={`draw class ${i + 1}`} style={{ background: css(col) }} disabled={p.locked('drawClass')}
                      onClick={() => { p.onErase(false); p.onUpdate({ drawClass: i }); }}>{i + 1}</button>
            ))}
            <button type="button" class="chip" aria-pressed={p.erase} data-testid="erase" onClick={() => p.onErase(!p.erase)}>Erase</button>
            <button type="button" class="chip" data-testid="clear-points" onClick={p.onClear}>Clear</button>
          </div>
          <p class="hint"><span data-testid="point-count">{p.pointCount}</span> points. Click or tap the map to add a point; drag to paint.</p>
        </div>
      ) : p.canDrawFromCurrent ? (
        <div class="draw-tools">
          <button type="button" class="btn-text" onClick={p.onDrawFromCurrent} disabled={p.locked('dataset')}>Edit these points by hand</button>
        </div>
      ) : null)}
    </section>
  );
}
