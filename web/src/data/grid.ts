// Sampling points over the plane [-e, e]², shared by the worker (the engine
// evaluates the model there) and the page (input-feature thumbnails).

/** Grid of cell centres over [-e, e]², row 0 at the top (x2 = +e). */
export function gridPoints(size: number, extent: number): Float32Array {
  const pts = new Float32Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    const x2 = extent - ((r + 0.5) * 2 * extent) / size;
    for (let c = 0; c < size; c++) {
      const x1 = -extent + ((c + 0.5) * 2 * extent) / size;
      const i = r * size + c;
      pts[2 * i] = x1;
      pts[2 * i + 1] = x2;
    }
  }
  return pts;
}

/** Points along x1 (x2 = 0) for drawing 1-D models as curves. */
export function linePoints(size: number, extent: number): Float32Array {
  const pts = new Float32Array(size * 2);
  for (let i = 0; i < size; i++) pts[2 * i] = -extent + (i * 2 * extent) / (size - 1);
  return pts;
}
