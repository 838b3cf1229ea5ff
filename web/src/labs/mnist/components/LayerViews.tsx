// Two live views of a model, each computed by the worker only while it is on
// screen and at most every REFRESH_MS while training:
// - LayerView: what every layer makes of one digit (a test digit, or the one
//   drawn on the pad): conv and pool layers as feature maps (one small image
//   per channel), dense layers as a row of cells per unit (forward_all).
// - FilterView: each conv layer's learned filters; the first layer one
//   kh x kw image per filter, deeper layers one row per filter with one
//   kh x kw image per input channel (the full out x in grid, no summary).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Theme } from '../../../state/config';
import type { MnistState, MnistStore } from '../store';
import type { ConvFilters, Inspection } from '../protocol';
import { layerLabel, type MnistLayer } from '../model-layers';
import { useVisible } from '../../../lib/use-visible';
import { useThrottledFetch } from '../../../lib/use-throttled-fetch';
import { paintTiles } from './tiles';
import { shapeText } from './ModelPanel';
import { NumberField } from './NumberField';

const REFRESH_MS = 600;
/** On-screen size of one feature map or filter, in CSS pixels (at least one pixel per value). */
const MAP_CSS_PX = 56;
const FILTER_CSS_PX = 24;
const FIRST_FILTER_CSS_PX = 40;
const UNIT_CSS_PX = 14;

/** The tiles' text alternative: the range of what they show now and where the largest value is. */
function describeValues(values: Float32Array, n: number): string {
  let lo = Infinity, hi = -Infinity, at = -1;
  for (let i = 0; i < n && i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) { hi = v; at = i; }
  }
  return at < 0 ? 'no values' : `${n} values from ${lo.toPrecision(3)} to ${hi.toPrecision(3)}, the largest at index ${at}`;
}

function Tiles({ values, count, h, w, cols, cssPx, theme, testId, label }: {
  values: Float32Array; count: number; h: number; w: number; cols: number; cssPx: number; theme: Theme; testId: string; label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    if (!ref.current) return;
    const t = paintTiles(ref.current, values, count, h, w, cols, theme);
    if (t.width !== size.width || t.height !== size.height) setSize({ width: t.width, height: t.height });
  }, [values, count, h, w, cols, theme]);
  const zoom = Math.max(1, Math.floor(cssPx / Math.max(h, w)));
  return <canvas ref={ref} class="mn-tiles" data-testid={testId} role="img" aria-label={`${label}: ${describeValues(values, count * h * w)}`}
                 style={{ width: `${size.width * zoom}px`, height: `${size.height * zoom}px` }} />;
}

function builtKey(state: MnistState): string {
  const b = state.built;
  return b ? `${b.paramCount}:${b.seed}:${b.shapes.length}` : 'none';
}

export function LayerView({ store, state, theme, onTrace }: {
  store: MnistStore; state: MnistState; theme: Theme;
  /** Show the math for the digit shown here (a test digit by number, or the drawn one). */
  onTrace?: (what: { source: 'test' | 'drawn'; index: number }) => void;
}) {
  const ref = useRef<HTMLElement>(null);
  const [visible, setVisible] = useState(false);
  useVisible(ref, setVisible, []);
  const [source, setSource] = useState<'test' | 'drawn'>('test');
  const [index, setIndex] = useState(0);
  const built = state.built;
  const drawn = state.digit;
  const useDrawn = source === 'drawn' && drawn !== null;
  const trigger = `${builtKey(state)}|${source}|${index}|${useDrawn ? state.version : state.progress?.steps ?? 0}|${state.fullEvals.length}`;
  const outputs = useThrottledFetch<{ key: string; seen: Inspection }>(visible && built !== null && (source === 'test' || useDrawn), trigger,
    async () => ({ key: builtKey(store.state), seen: await store.inspect(useDrawn ? { pixels: drawn! } : { testIndex: index }) }), REFRESH_MS);
  const layers: readonly MnistLayer[] = built?.model.layers ?? [];
  const seen = outputs && outputs.key === builtKey(state) && outputs.seen.layers.length === layers.length ? outputs.seen : null;
  const shown = seen?.layers ?? null;
  return (
    <section ref={ref} class="mn-wide mn-layer-view" aria-labelledby="mn-layerview-h" data-testid="layer-view">
      <h3 id="mn-layerview-h">What each layer sees</h3>
      <div class="mn-layer-source">
        <label><input type="radio" name="mn-source" checked={source === 'test'} onChange={() => setSource('test')} /> test digit</label>
        <NumberField label="number (0–9999)" value={index} min={0} max={9999} integer step={1} testId="layer-view-index" onChange={setIndex} />
        <label><input type="radio" name="mn-source" checked={source === 'drawn'} data-testid="layer-view-drawn" onChange={() => setSource('drawn')} /> the digit drawn on the pad</label>
        {onTrace && built && (
          <button type="button" class="mn-btn" data-testid="layer-view-math" onClick={() => onTrace({ source, index })}>Show the math for this digit</button>
        )}
      </div>
      {source === 'drawn' && !drawn && <p class="mn-hint">Draw a digit on the pad above.</p>}
      {!built && <p class="mn-hint">Appears once the model exists.</p>}
      {seen && (
        <p class="mn-layer-input">
          <Tiles values={seen.input} count={1} h={28} w={28} cols={1} cssPx={56} theme={theme} testId="layer-input" label="the input digit" />
          <span>the input, 28×28×1</span>
        </p>
      )}
      {shown && (
        <ol class="mn-layer-maps">
          {shown.map((o, i) => {
            const [c, h, w] = o.shape;
            const l = layers[i]!;
            if (l.kind === 'flatten') return <li key={i}><b>{i + 1}. flatten</b> → {c} values (the same numbers in one row)</li>;
            const spatial = h > 1 || w > 1;
            return (
              <li key={i}>
                <b>{i + 1}. {layerLabel(l)}</b> → {shapeText(o.shape)}{spatial ? `: ${c} feature map${c === 1 ? '' : 's'}` : ': one cell per unit'}
                <Tiles values={o.values} count={c} h={h} w={w} cols={spatial ? 8 : 32} cssPx={spatial ? MAP_CSS_PX : UNIT_CSS_PX} theme={theme}
                       testId={`layer-map-${i + 1}`} label={`layer ${i + 1} outputs`} />
              </li>
            );
          })}
        </ol>
      )}
      <p class="mn-hint">Blue: positive, orange: negative; each layer scaled by its largest value. Computed by the worker (one forward pass) only while this part is on screen.</p>
    </section>
  );
}

export function FilterView({ store, state, theme }: { store: MnistStore; state: MnistState; theme: Theme }) {
  const ref = useRef<HTMLElement>(null);
  const [visible, setVisible] = useState(false);
  useVisible(ref, setVisible, []);
  const built = state.built;
  const trigger = `${builtKey(state)}|${state.progress?.steps ?? 0}|${state.fullEvals.length}`;
  const filters = useThrottledFetch<ConvFilters[]>(visible && built !== null, trigger, () => store.filters(), REFRESH_MS);
  return (
    <section ref={ref} class="mn-wide" aria-labelledby="mn-filters-h" data-testid="filter-view">
      <h3 id="mn-filters-h">Learned filters</h3>
      {!filters || filters.length === 0 ? (
        <p class="mn-hint">{!built ? 'Appear once the model exists.' : filters ? 'This model has no convolution layer.' : 'Sent by the worker while this part of the page is on screen.'}</p>
      ) : (
        <ol class="mn-layer-maps">
          {filters.map((f) => (
            <li key={f.layer}>
              <b>Layer {f.layer + 1}: {f.out} filters of {f.in}×{f.kernel}×{f.kernel}</b>
              {f.in === 1 ? ' (one image per filter)' : ` (one row per filter, one ${f.kernel}×${f.kernel} image per input channel)`}
              <Tiles values={f.weights} count={f.out * f.in} h={f.kernel} w={f.kernel} cols={f.in === 1 ? 16 : f.in}
                     cssPx={f.in === 1 ? FIRST_FILTER_CSS_PX : FILTER_CSS_PX} theme={theme} testId={`filters-${f.layer + 1}`} label={`layer ${f.layer + 1} filters`} />
            </li>
          ))}
        </ol>
      )}
      <p class="mn-hint">Blue: positive weight, orange: negative; each layer scaled by its largest |weight|.</p>
    </section>
  );
}
