// The neuron "show the math" is on: a feature map's channel, row and column,
// or a flat layer's neuron (an output by name).

import { isMap } from './format';
import type { Neuron } from './neuron';

interface Props {
  n: Neuron;
  /** Values in the layer's output (a flat layer's neurons). */
  width: number;
  outputNames?: string[];
  onUnit(unit: number): void;
}

export function UnitPicker({ n, width, outputNames, onUnit }: Props) {
  const { outShape, kind, uc, ur, uk, unit, isOutput } = n;
  const mapLabel = (c: number) => `${kind === 'conv2d' ? 'filter' : 'channel'} ${c + 1}`;
  const setPos = (c: number, r: number, k: number) => onUnit((c * (outShape[1] ?? 1) + r) * (outShape[2] ?? 1) + k);
  return (
    <div class="math-row">
      {isMap(outShape) ? (
        <>
          <label>{kind === 'conv2d' ? 'Filter' : 'Channel'}{' '}
            <select data-testid="math-channel" aria-label="feature map to show" value={uc} onChange={(e) => setPos(Number((e.target as HTMLSelectElement).value), ur, uk)}>
              {Array.from({ length: outShape[0] ?? 0 }, (_, j) => <option value={j} key={j}>{mapLabel(j)}</option>)}
            </select>
          </label>
          <label>Row{' '}
            <select data-testid="math-pos-row" aria-label="feature map row" value={ur} onChange={(e) => setPos(uc, Number((e.target as HTMLSelectElement).value), uk)}>
              {Array.from({ length: outShape[1] ?? 0 }, (_, j) => <option value={j} key={j}>{j}</option>)}
            </select>
          </label>
          <label>Column{' '}
            <select data-testid="math-pos-col" aria-label="feature map column" value={uk} onChange={(e) => setPos(uc, ur, Number((e.target as HTMLSelectElement).value))}>
              {Array.from({ length: outShape[2] ?? 0 }, (_, j) => <option value={j} key={j}>{j}</option>)}
            </select>
          </label>
        </>
      ) : (
        <label>{kind === 'flatten' ? 'Value' : 'Neuron'}{' '}
          <select data-testid="math-neuron" aria-label="neuron to show" value={unit} onChange={(e) => onUnit(Number((e.target as HTMLSelectElement).value))}>
            {Array.from({ length: width }, (_, j) => <option value={j} key={j}>{isOutput ? (outputNames?.[j] ?? `output ${j + 1}`) : kind === 'flatten' ? `value ${j}` : `neuron ${j + 1}`}</option>)}
          </select>
        </label>
      )}
    </div>
  );
}
