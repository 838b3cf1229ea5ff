// Geometry of the network drawing: where every node and link sits, and which
// parameter each link and node shows. Pure functions, so the component only
// draws and hit-tests; and the one-line shape caption of the compact view.

import type { Activation } from '../../state/config';
import { ACTIVATION_LABELS } from '../labels';

export interface NodeBox {
  /** 0 = input features, 1.. = dense layers (the last is the output). */
  col: number;
  /** Unit index within the column. */
  index: number;
  x: number; // top-left, px
  y: number;
  size: number;
}

export interface Link {
  /** Dense layer index (nn layer: 0 is the first hidden or the output). */
  layer: number;
  /** Output unit (row of W) and input unit (column of W). */
  row: number;
  col: number;
  /** Offset of this weight in the flat parameter array. */
  offset: number;
  x1: number; y1: number; x2: number; y2: number;
}

export interface NetLayout {
  width: number;
  height: number;
  nodeSize: number;
  /** columns[c][i]: node boxes; column 0 holds only the selected features. */
  columns: NodeBox[][];
  links: Link[];
  /** Offsets of each dense layer's bias block in the parameter array. */
  biasOffset: number[];
  /** Horizontal centre of every column (for the controls above them). */
  columnX: number[];
}

/** Width of one hidden layer's controls above its column (NetworkView sets it). */
export const LAYER_CONTROL_WIDTH = 70;

/** Least drawing height when fitting a box (below it the page scrolls). */
export const MIN_FIT_HEIGHT = 80;

/**
 * sizes: [inputs, ...hidden, outputs] as built. `containerWidth` is the width
 * of the container; the drawing grows wider (and scrolls) when columns would
 * otherwise overlap. With `fitHeight` (an embed, which shows no layer
 * controls) the drawing instead fits the box: at most that tall, exactly
 * `containerWidth` wide, with smaller nodes when columns are many.
 */
export function layoutNetwork(sizes: readonly number[], containerWidth: number, fitHeight?: number): NetLayout {
  const fit = fitHeight !== undefined;
  const nCols = sizes.length;
  const maxNodes = Math.max(...sizes);
  const height = fit
    ? Math.max(MIN_FIT_HEIGHT, Math.min(fitHeight, Math.max(200, maxNodes * 46)))
    : Math.max(200, Math.min(380, maxNodes * 46));
  const slot = height / maxNodes;
  // Room on the left for the feature names drawn beside the input nodes.
  const labelRoom = 44;
  // Nodes at least 4 px, unless 64 of them share a short embedded box.
  const minNode = Math.min(4, slot);
  let nodeSize = Math.max(minNode, Math.min(36, slot * 0.78));
  if (fit && nCols > 1) {
    // A node at most 60% of the step between columns, so links stay visible:
    // stepX = (containerWidth - labelRoom - 16 - nodeSize) / (nCols - 1).
    const room = containerWidth - labelRoom - 16;
    nodeSize = Math.max(minNode, Math.min(nodeSize, (0.6 * room) / (nCols - 1 + 0.6)));
  }
  // Columns never come closer than a hidden layer's "− 64 +" control and its
  // activation menu, or the controls overlap and cannot be clicked.
  const minGap = fit ? 0 : Math.max(nodeSize + 28, LAYER_CONTROL_WIDTH);
  const margin = 8 + nodeSize / 2;
  const width = Math.max(containerWidth, Math.ceil(labelRoom + 2 * margin + (nCols - 1) * minGap));
  const stepX = nCols > 1 ? (width - 2 * margin - labelRoom) / (nCols - 1) : 0;
  const columnX = sizes.map((_, c) => labelRoom + margin + c * stepX);
  const columns: NodeBox[][] = sizes.map((n, c) => {
    const total = n * slot;
    const top = (height - total) / 2;
    return Array.from({ length: n }, (_, i) => ({
      col: c, index: i,
      x: columnX[c]! - nodeSize / 2,
      y: top + i * slot + (slot - nodeSize) / 2,
      size: nodeSize,
    }));
  });
  const links: Link[] = [];
  const biasOffset: number[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < nCols; l++) {
    const nin = sizes[l]!;
    const nout = sizes[l + 1]!;
    for (let j = 0; j < nout; j++) {
      const to = columns[l + 1]![j]!;
      for (let i = 0; i < nin; i++) {
        const from = columns[l]![i]!;
        links.push({
          layer: l, row: j, col: i, offset: offset + j * nin + i,
          x1: from.x + from.size, y1: from.y + from.size / 2,
          x2: to.x, y2: to.y + to.size / 2,
        });
      }
    }
    offset += nout * nin;
    biasOffset.push(offset);
    offset += nout;
  }
  return { width, height, nodeSize, columns, links, biasOffset, columnX };
}

/** Squared distance from (px, py) to the segment of a link. */
function dist2(l: Link, px: number, py: number): number {
  const dx = l.x2 - l.x1;
  const dy = l.y2 - l.y1;
  const len2 = dx * dx + dy * dy || 1;
  const t = Math.max(0, Math.min(1, ((px - l.x1) * dx + (py - l.y1) * dy) / len2));
  const ex = l.x1 + t * dx - px;
  const ey = l.y1 + t * dy - py;
  return ex * ex + ey * ey;
}

/** The link nearest to (px, py) within `tolerance` px, or null. */
export function hitLink(layout: NetLayout, px: number, py: number, tolerance: number): Link | null {
  let best: Link | null = null;
  let bestD = tolerance * tolerance;
  for (const l of layout.links) {
    if (px < Math.min(l.x1, l.x2) - tolerance || px > Math.max(l.x1, l.x2) + tolerance) continue;
    const d = dist2(l, px, py);
    if (d <= bestD) { bestD = d; best = l; }
  }
  return best;
}

/** Width in px of a link drawn for weight w. */
export function linkWidth(w: number): number {
  return Math.max(0.5, Math.min(6, Math.abs(w) * 2));
}

/** The shape in one line, for the compact view that has no layer controls:
 *  "6-3, Tanh" or "5-3, ReLU, Tanh" (one activation per layer when they differ). */
export function shapeCaption(hidden: readonly number[], activations: readonly Activation[]): string {
  if (hidden.length === 0) return '';
  const acts = activations.slice(0, hidden.length).map((a) => ACTIVATION_LABELS[a]);
  const same = acts.every((a) => a === acts[0]);
  return `${hidden.join('-')}, ${same ? acts[0] : acts.join(', ')}`;
}
