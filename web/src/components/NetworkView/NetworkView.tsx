// The network: feature inputs, hidden layers with live neuron thumbnails,
// outputs, and links coloured (blue positive, orange negative) and sized by
// weight. Hover or tap a link or node to see its weight or bias and edit it.
// Controls above the columns add/remove layers and neurons and pick each
// layer's activation.

import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Activation, Feature, Task, Theme } from '../../state/config';
import { featureInfo } from '../../data/features';
import { gridPoints } from '../../data/grid';
import { hiDpiContext } from '../canvas';
import { ACTIVATION_LABELS } from '../labels';
import { DENSE_LINK_INTERVAL_MS, drawNetwork, newLinkCache, type Thumbs } from './draw';
import { hitLink, LAYER_CONTROL_WIDTH, layoutNetwork, shapeCaption, type NetLayout } from './layout';
import { ParamEditor, type ParamTarget } from './ParamEditor';
import { describeNetwork } from './describe';
import { useResize } from '../../lib/use-resize';
import { useVisible } from '../../lib/use-visible';

export interface NetworkViewProps {
  theme: Theme;
  features: Feature[];
  hidden: number[];
  activations: Activation[];
  outputs: number;
  task: Task;
  /** [min, max] of regression targets (output thumbnail colours). */
  range: readonly [number, number];
  params: Float32Array | null;
  neuronGrids: Float32Array | null;
  neuronGridSize: number;
  extent: number;
  showThumbnails: boolean;
  editable: boolean;
  paramsEditable: boolean;
  maxLayers: number;
  maxWidth: number;
  onHidden(hidden: number[], activations: Activation[]): void;
  onSetParam(layer: number, which: 0 | 1, row: number, col: number, value: number): void;
  onVisible(visible: boolean): void;
  /** Embedded: no layer controls (an embed never edits the shape), and the
   *  drawing fits the element's box (its height set by the page) without
   *  scrolling, instead of choosing its own height. */
  compact?: boolean;
  /** Show the math: the neuron traced (column 1 = first hidden layer), ringed, its column shaded. */
  mathFocus?: { col: number; unit: number } | null;
  /** A neuron was clicked (column, unit), for the math panel. */
  onPickNode?(col: number, unit: number): void;
}

const LINK_TOLERANCE = 6;

function unitName(col: number, index: number, nCols: number, features: Feature[]): string {
  if (col === 0) return featureInfo(features[index]!).label;
  if (col === nCols - 1) return `output ${index + 1}`;
  return `layer ${col} neuron ${index + 1}`;
}

export function NetworkView(p: NetworkViewProps) {
  const sizes = useMemo(() => [p.features.length, ...p.hidden, p.outputs], [p.features, p.hidden, p.outputs]);
  const wrapRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [containerWidth, setContainerWidth] = useState(600);
  const [fitHeight, setFitHeight] = useState<number | undefined>(undefined);
  const lay: NetLayout = useMemo(() => layoutNetwork(sizes, containerWidth, fitHeight), [sizes, containerWidth, fitHeight]);
  const [hover, setHover] = useState<ParamTarget | null>(null);
  const [pinned, setPinned] = useState<ParamTarget | null>(null);

  // The drawing fits inside the panel's padding (8 px a side, styles/app.css).
  // Compact: the scroll box's height comes from the page (styles/embed.css),
  // never from the drawing, so measuring it cannot feed back.
  const measure = () => {
    const el = wrapRef.current;
    const scroll = scrollRef.current;
    if (el) setContainerWidth(Math.max(p.compact ? 120 : 240, el.clientWidth - 16));
    if (scroll) setFitHeight(p.compact ? scroll.clientHeight : undefined);
  };
  useResize(wrapRef, measure);
  useResize(scrollRef, measure);
  useEffect(measure, [p.compact]);
  useVisible(wrapRef, p.onVisible);

  // Input thumbnails depend only on the features: computed here, once.
  const t = p.neuronGridSize;
  const cells = useMemo(() => gridPoints(t, p.extent), [t, p.extent]);
  const featureGrids = useMemo(() => p.features.map((f) => {
    const fn = featureInfo(f).compute;
    const v = new Float32Array(t * t);
    let max = 1e-9;
    for (let i = 0; i < v.length; i++) {
      const val = fn(cells[2 * i]!, cells[2 * i + 1]!);
      v[i] = val;
      max = Math.max(max, Math.abs(val));
    }
    for (let i = 0; i < v.length; i++) v[i]! /= max;
    return v;
  }), [p.features, cells]);

  const thumbs: Thumbs | null = useMemo(() => {
    if (!p.showThumbnails) return null;
    const grids = p.neuronGrids;
    const blockStart: number[] = [];
    let off = 0;
    for (let c = 1; c < sizes.length; c++) { blockStart[c] = off; off += t * t * sizes[c]!; }
    const valid = grids !== null && grids.length === off;
    return {
      size: t,
      get(col, unit) {
        if (col === 0) { const g = featureGrids[unit]; return g ? (i) => g[i]! : null; }
        if (!valid || !grids) return null;
        const start = blockStart[col]!;
        const w = sizes[col]!;
        return (i) => grids[start + i * w + unit]!;
      },
      scale(col, unit) {
        if (col === 0) return (v) => v;
        const last = col === sizes.length - 1;
        const act = last ? null : p.activations[col - 1];
        // Binary: the output is P(class 1), coloured like the output map.
        if (last && p.task === 'binary') return (v) => 1 - 2 * v;
        if (last && p.task === 'multiclass') return (v) => 2 * v - 1;
        if (last) {
          const mid = (p.range[0] + p.range[1]) / 2;
          const half = Math.max(1e-6, (p.range[1] - p.range[0]) / 2);
          return (v) => (v - mid) / half;
        }
        if (act === 'tanh') return (v) => v;
        if (act === 'sigmoid') return (v) => 2 * v - 1;
        // Unbounded activations: scale by the neuron's largest magnitude.
        if (!valid || !grids) return (v) => v;
        const start = blockStart[col]!;
        const w = sizes[col]!;
        let max = 1e-6;
        for (let i = 0; i < t * t; i++) max = Math.max(max, Math.abs(grids[start + i * w + unit]!));
        return (v) => v / max;
      },
    };
  }, [p.showThumbnails, p.neuronGrids, featureGrids, sizes, t, p.activations, p.task, p.range]);

  const linkCache = useRef(newLinkCache());
  const redrawTimer = useRef<number | null>(null);
  const [, redraw] = useState(0);
  const highlight = (pinned ?? hover)?.which === 0 ? (pinned ?? hover)!.offset : null;
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ctx = hiDpiContext(canvas, lay.width, lay.height);
    if (!ctx) return;
    const stale = drawNetwork(ctx, lay, p.params, thumbs, p.theme, highlight, linkCache.current, performance.now());
    // The links shown lag the weights: draw once more when they may be redrawn
    // (so a pause always ends with the final weights on screen).
    if (stale && redrawTimer.current === null) {
      redrawTimer.current = window.setTimeout(() => { redrawTimer.current = null; redraw((n) => n + 1); }, DENSE_LINK_INTERVAL_MS);
    }
  });
  useEffect(() => () => { if (redrawTimer.current !== null) clearTimeout(redrawTimer.current); }, []);

  const linkTarget = (e: PointerEvent): ParamTarget | null => {
    const rect = canvasRef.current!.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const l = hitLink(lay, x, y, e.pointerType === 'touch' ? LINK_TOLERANCE * 2 : LINK_TOLERANCE);
    return l ? { ...weightTarget(l.layer, l.row, l.col)!, x, y } : null;
  };

  /** The weight from unit `col` of column `layer` into unit `row` of the next column. */
  const weightTarget = (layer: number, row: number, col: number): ParamTarget | null => {
    const l = lay.links.find((k) => k.layer === layer && k.row === row && k.col === col);
    if (!l) return null;
    const n = sizes.length;
    return {
      which: 0, layer, row, col, offset: l.offset, x: (l.x1 + l.x2) / 2, y: (l.y1 + l.y2) / 2, span: 0,
      label: `weight ${unitName(layer, col, n, p.features)} → ${unitName(layer + 1, row, n, p.features)}`,
    };
  };

  const nodeTarget = (col: number, index: number): ParamTarget => {
    const box = lay.columns[col]![index]!;
    return {
      which: 1, layer: col - 1, row: index, col: 0, offset: lay.biasOffset[col - 1]! + index,
      x: box.x + box.size, y: box.y + box.size / 2, span: box.size,
      label: `bias of ${unitName(col, index, sizes.length, p.features)}`,
    };
  };

  const inputsOf = (t: ParamTarget | null): { label: string; target: ParamTarget }[] => {
    // A weight's or a bias's neuron: its inputs' weights, and its bias.
    if (!t || (sizes[t.layer] ?? 0) > 64) return [];
    // (The keyboard's way to every weight: links are drawn, not buttons; a neuron's bias button opens this list.)
    const weights = Array.from({ length: sizes[t.layer]! }, (_, i) => ({ label: unitName(t.layer, i, sizes.length, p.features), target: weightTarget(t.layer, t.row, i) }))
      .filter((w): w is { label: string; target: ParamTarget } => w.target !== null);
    return [...weights, { label: 'bias', target: nodeTarget(t.layer + 1, t.row) }].filter((i) => i.target.offset !== t.offset);
  };

  const shown = pinned ?? hover;
  const value = shown && p.params ? p.params[shown.offset] ?? NaN : NaN;

  const setLayerWidth = (layer: number, delta: number) => {
    const hidden = [...p.hidden];
    hidden[layer] = Math.max(1, Math.min(p.maxWidth, hidden[layer]! + delta));
    p.onHidden(hidden, [...p.activations]);
  };
  const setLayers = (delta: number) => {
    if (delta > 0 && p.hidden.length < p.maxLayers) {
      p.onHidden([...p.hidden, p.hidden[p.hidden.length - 1] ?? 4], [...p.activations, p.activations[p.activations.length - 1] ?? 'tanh']);
    } else if (delta < 0 && p.hidden.length > 0) {
      p.onHidden(p.hidden.slice(0, -1), p.activations.slice(0, -1));
    }
  };

  return (
    <div class={`network${p.compact ? ' compact' : ''}`} data-testid="network" ref={wrapRef}>
      {!p.compact && <div class="net-toolbar">
        <button type="button" class="icon" onClick={() => setLayers(-1)} disabled={!p.editable || p.hidden.length === 0}
                aria-label="remove hidden layer" data-testid="remove-layer">−</button>
        <span><b data-testid="layer-count">{p.hidden.length}</b> hidden layer{p.hidden.length === 1 ? '' : 's'}</span>
        <button type="button" class="icon" onClick={() => setLayers(1)} disabled={!p.editable || p.hidden.length >= p.maxLayers}
                aria-label="add hidden layer" data-testid="add-layer">+</button>
      </div>}
      {p.compact && (
        <p class="net-caption">
          <b data-testid="layer-count">{p.hidden.length}</b> hidden layer{p.hidden.length === 1 ? '' : 's'}
          {p.hidden.length > 0 && `: ${shapeCaption(p.hidden, p.activations)}`}
        </p>
      )}
      <div class="net-scroll" ref={scrollRef}>
        <div class="net-stage" style={{ width: `${lay.width}px` }}>
          {!p.compact && <div class="net-columns" style={{ height: '64px' }}>
            {p.hidden.map((w, l) => (
              <div class="layer-ctl" key={l} style={{ left: `${lay.columnX[l + 1]}px`, width: `${LAYER_CONTROL_WIDTH}px` }}>
                <div class="layer-buttons">
                  <button type="button" class="icon small" disabled={!p.editable || w <= 1} onClick={() => setLayerWidth(l, -1)}
                          aria-label={`remove neuron from layer ${l + 1}`}>−</button>
                  <span title="neurons">{w}</span>
                  <button type="button" class="icon small" disabled={!p.editable || w >= p.maxWidth} onClick={() => setLayerWidth(l, 1)}
                          aria-label={`add neuron to layer ${l + 1}`}>+</button>
                </div>
                <select aria-label={`activation of layer ${l + 1}`} disabled={!p.editable} value={p.activations[l]}
                        onChange={(e) => {
                          const acts = [...p.activations];
                          acts[l] = (e.target as HTMLSelectElement).value as Activation;
                          p.onHidden([...p.hidden], acts);
                        }}>
                  {Object.entries(ACTIVATION_LABELS).map(([k, label]) => <option value={k} key={k}>{label}</option>)}
                </select>
              </div>
            ))}
          </div>}
          <div class="net-canvas-wrap" style={{ height: `${lay.height}px` }}>
            <canvas ref={canvasRef} style={{ width: `${lay.width}px`, height: `${lay.height}px` }}
                    onPointerMove={(e) => { if (e.pointerType === 'mouse') setHover(linkTarget(e)); }}
                    onPointerLeave={() => setHover(null)}
                    onClick={(e) => {
                      const t = linkTarget(e as unknown as PointerEvent);
                      setPinned(t);
                    }} role="img" data-testid="network-canvas"
                    aria-label={describeNetwork(p.features, p.hidden, p.activations, p.outputs, p.task, p.params)} />
            {lay.columns.slice(1).map((col, c) => col.map((n) => (
              <button type="button" class="node-hit" key={`${c}-${n.index}`}
                      style={{ left: `${n.x}px`, top: `${n.y}px`, width: `${n.size}px`, height: `${n.size}px` }}
                      aria-label={`bias of ${unitName(c + 1, n.index, sizes.length, p.features)}`}
                      onMouseEnter={() => setHover(nodeTarget(c + 1, n.index))}
                      onMouseLeave={() => setHover(null)}
                      onClick={() => { setPinned(nodeTarget(c + 1, n.index)); p.onPickNode?.(c + 1, n.index); }} />
            )))}
            {p.mathFocus && (() => {
              const col = lay.columns[p.mathFocus.col];
              const box = col?.[p.mathFocus.unit];
              if (!col || !box) return null;
              const top = Math.min(...col.map((b) => b.y)) - 4, bottom = Math.max(...col.map((b) => b.y + b.size)) + 4;
              return (
                <>
                  <div class="math-column" data-testid="math-column" style={{ left: `${box.x - 4}px`, top: `${top}px`, width: `${box.size + 8}px`, height: `${bottom - top}px` }} />
                  <div class="math-focus" data-testid="math-focus" style={{ left: `${box.x - 3}px`, top: `${box.y - 3}px`, width: `${box.size + 6}px`, height: `${box.size + 6}px` }} />
                </>
              );
            })()}
            {lay.columns[0]!.map((n) => (
              <span class="feature-label" key={`f${n.index}`} style={{ left: `${n.x - 4}px`, top: `${n.y + n.size / 2}px` }}>
                {featureInfo(p.features[n.index]!).label}
              </span>
            ))}
            {shown && (
              <ParamEditor target={shown} value={value} pinned={pinned !== null} disabled={!p.paramsEditable} waiting={!p.params}
                           bounds={lay}
                           onClose={() => setPinned(null)}
                           inputs={pinned ? inputsOf(pinned).map((i) => ({ label: i.label, pick: () => setPinned(i.target) })) : []}
                           onSet={(v) => p.onSetParam(shown.layer, shown.which, shown.row, shown.col, v)} />
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
