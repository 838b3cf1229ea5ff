// What the playground's views need from the model at each snapshot: the
// output map (at a resolution that adapts to the network's cost per point),
// the neurons' thumbnails and the 1-D curve. Their inputs are featurized
// once per data or view change and kept in the WASM heap.

import { featurize } from '../../data/datasets';
import { gridPoints, linePoints } from '../../data/grid';
import type { Feature } from '../../state/config';
import type { Engine, HeapBuffer, Model } from '../../engine/nn-wasm.js';
import type { ViewSpec } from './protocol';

/** Time the output map may take per snapshot. Its resolution adapts to the
 *  network's measured cost per point, so a big network still refreshes the
 *  map every frame instead of starving training. */
export const GRID_BUDGET_MS = 6;
const MIN_GRID = 24;
const GRID_STEP = 8;
/** Samples along x1 for the 1-D curves. */
const LINE_POINTS = 161;

/** The grid side that fits the budget at `msPerPoint`, in steps of 8. */
export function gridSideFor(msPerPoint: number, maxSide: number, budgetMs = GRID_BUDGET_MS): number {
  if (!(msPerPoint > 0)) return maxSide;
  const side = Math.floor(Math.sqrt(budgetMs / msPerPoint) / GRID_STEP) * GRID_STEP;
  return Math.max(MIN_GRID, Math.min(maxSide, side));
}

type F32 = HeapBuffer<Float32Array>;

export interface ViewRender {
  outputGrid: Float32Array;
  gridSize: number;
  neuronGrids: Float32Array | null;
  neuronGridSize: number;
  curve: Float32Array | null;
}

export class ViewProbes {
  private grid: F32 | null = null;
  private gridOut: F32 | null = null;
  private thumbs: F32 | null = null;
  private line: F32 | null = null;
  private lineOut: F32 | null = null;
  private view: ViewSpec = { gridSize: 64, neuronGrids: false, neuronGridSize: 24, extent: 6 };
  /** Current output map side (<= view.gridSize, see GRID_BUDGET_MS). */
  private side = 64;
  /** Measured cost of one grid point's forward pass (ms, smoothed). */
  private msPerPoint = 0;
  private features: readonly Feature[] | null = null;
  private outputs = 0;

  constructor(private readonly engine: Engine) {}

  /** A new network: a new cost per point (start again from the full size) and output width. */
  setNetwork(outputs: number): void {
    this.msPerPoint = 0;
    const sideChanged = this.side !== this.view.gridSize;
    this.side = this.view.gridSize;
    this.outputs = outputs;
    if (sideChanged) this.allocInputs(); // also reallocates the outputs
    else this.allocOutputs();
  }

  setFeatures(features: readonly Feature[]): void {
    this.features = features;
    this.allocInputs();
  }

  setView(view: ViewSpec): void {
    const inputsChanged = view.gridSize !== this.view.gridSize || view.neuronGridSize !== this.view.neuronGridSize ||
      view.extent !== this.view.extent;
    this.view = view;
    if (inputsChanged) {
      this.side = view.gridSize;
      this.msPerPoint = 0;
      this.allocInputs();
    }
  }

  /** The views of `model` (`units`: its units after the input; `dims`: the data's). */
  render(model: Model, units: number, dims: number): ViewRender {
    const g = this.side;
    let outputGrid = new Float32Array(0);
    if (this.grid && this.gridOut) {
      const t0 = performance.now();
      model.forward(this.grid, g * g, this.gridOut);
      const per = (performance.now() - t0) / (g * g);
      this.msPerPoint = this.msPerPoint > 0 ? 0.8 * this.msPerPoint + 0.2 * per : per;
      outputGrid = this.gridOut.view().slice(0, g * g * this.outputs);
    }
    let neuronGrids: Float32Array | null = null;
    const t = this.view.neuronGridSize;
    if (this.view.neuronGrids && this.thumbs) {
      // Every layer's outputs, one array each, copied once into one block.
      const layers = model.forwardAll(this.thumbs, t * t);
      neuronGrids = new Float32Array(t * t * units);
      let off = 0;
      for (const layer of layers) { neuronGrids.set(layer, off); off += layer.length; }
    }
    let curve: Float32Array | null = null;
    if (dims === 1 && this.line && this.lineOut) {
      model.forward(this.line, LINE_POINTS, this.lineOut);
      curve = this.lineOut.view().slice(0, LINE_POINTS * this.outputs);
    }
    // Adapt the next map's resolution; hysteresis avoids flicker between sizes.
    const want = gridSideFor(this.msPerPoint, this.view.gridSize);
    if (want < g || want >= g + 2 * GRID_STEP || (want > g && g * g * this.msPerPoint < GRID_BUDGET_MS / 2)) {
      if (want !== g) { this.side = want; this.allocInputs(); }
    }
    return { outputGrid, gridSize: g, neuronGrids, neuronGridSize: t, curve };
  }

  /** Featurized grid inputs; depend on the features and the view. */
  private allocInputs(): void {
    for (const b of [this.grid, this.thumbs, this.line]) b?.free();
    this.grid = this.thumbs = this.line = null;
    const features = this.features;
    if (!features) return;
    const { neuronGridSize, extent } = this.view;
    const up = (pts: Float32Array): F32 => {
      const xs = featurize(pts, features);
      const buf = this.engine.allocF32(xs.length);
      buf.view().set(xs);
      return buf;
    };
    this.grid = up(gridPoints(this.side, extent));
    this.thumbs = up(gridPoints(neuronGridSize, extent));
    this.line = up(linePoints(LINE_POINTS, extent));
    this.allocOutputs();
  }

  /** Output buffers; depend on the network's width and the view. */
  private allocOutputs(): void {
    for (const b of [this.gridOut, this.lineOut]) b?.free();
    this.gridOut = this.lineOut = null;
    if (this.outputs === 0) return;
    this.gridOut = this.engine.allocF32(this.side * this.side * this.outputs);
    this.lineOut = this.engine.allocF32(LINE_POINTS * this.outputs);
  }
}
