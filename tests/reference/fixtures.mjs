// fixtures.mjs — reads tests/reference/fixtures.bin (layout: make_fixtures.py's docstring)
// and provides the error measure shared with tests/native/test_reference.c.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_PATH = fileURLToPath(new URL('./fixtures.bin', import.meta.url));
export const REL_TOL = 1e-5;
export const FLOOR_FRACTION = 0.1;

/**
 * A reader of one fixture file (little-endian int32 / float32 records after a
 * 4-byte magic): i32, ints(n), f32(n), name() (a 48-byte NUL-padded case
 * name) and end() (no trailing bytes); throws a clear error on truncation.
 */
export function openFixture(path, magic, what) {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n) => {
    if (at + n > bytes.length) throw new Error(`${path}: truncated at byte ${at}`);
  };
  const i32 = () => { need(4); const v = view.getInt32(at, true); at += 4; return v; };
  const f32 = (n) => {
    need(4 * n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + 4 * i, true);
    at += 4 * n;
    return out;
  };
  need(12);
  if (bytes.toString('latin1', 0, 4) !== magic) throw new Error(`${path}: not ${what}`);
  at = 4;
  return {
    i32,
    ints: (n) => Array.from({ length: n }, i32),
    f32,
    name: () => {
      need(48);
      const s = bytes.toString('latin1', at, at + 48).replace(/\0+$/, '');
      at += 48;
      return s;
    },
    end: () => {
      if (at !== bytes.length) throw new Error(`${path}: ${bytes.length - at} trailing bytes`);
    },
  };
}

/** Parses the fixture file; throws a clear error if it is malformed. */
export function readFixtures(path = FIXTURE_PATH) {
  const { i32, ints, f32, name: caseName, end } = openFixture(path, 'NNRF', 'a fixture file');
  const version = i32(), nCases = i32();
  if (version !== 3) throw new Error(`${path}: version ${version}, expected 3`);
  const cases = [];
  for (let c = 0; c < nCases; c++) {
    const name = caseName();
    const nLayers = i32();
    if (nLayers < 1 || nLayers > 64) throw new Error(`${path}: case ${c} has ${nLayers} layers`);
    const inShape = ints(3), desc = ints(nLayers * 8);
    const [loss, batch, nSteps, nTraj, nParams, nOut, nBlocks] = ints(7);
    const blocks = ints(nBlocks);
    if (blocks.reduce((a, b) => a + b, 0) !== nParams) throw new Error(`${path}: case ${c}: blocks do not add up`);
    const nIn = inShape[0] * inShape[1] * inShape[2];
    const params0 = f32(nParams);
    const xs = Array.from({ length: nSteps }, () => f32(batch * nIn));
    const ys = Array.from({ length: nSteps }, () => f32(batch * nOut));
    const out0 = f32(batch * nOut), loss0 = f32(1), grad0 = f32(nParams);
    const trajectories = [];
    for (let k = 0; k < nTraj; k++) {
      const optimizer = i32();
      const [lr, beta1, beta2, eps] = f32(4);
      const regularization = i32();
      const [rate, clipNorm] = f32(2);
      trajectories.push({ optimizer, lr, beta1, beta2, eps, regularization, rate, clipNorm,
        losses: f32(nSteps), params: f32(nParams) });
    }
    cases.push({ name, inShape, desc, loss, batch, nSteps, nOut, blocks, params0, xs, ys, out0, loss0, grad0, trajectories });
  }
  end();
  return cases;
}

/** Largest |got - want| / max(|want|, floor * max|want|) over one block; NaN counts as Infinity.
 *  Why the floor: see the header of tests/native/test_reference.c. */
export function blockError(got, want, start = 0, end = want.length, floor = FLOOR_FRACTION) {
  let scale = 0, worst = 0;
  for (let i = start; i < end; i++) scale = Math.max(scale, Math.abs(want[i]));
  scale *= floor;
  for (let i = start; i < end; i++) {
    let denom = Math.max(Math.abs(want[i]), scale);
    if (denom === 0) denom = 1; // both exactly zero (dead ReLU units)
    let e = Math.abs(got[i] - want[i]) / denom;
    if (Number.isNaN(e)) e = Infinity;
    worst = Math.max(worst, e);
  }
  return worst;
}

/** blockError over each parameter block (lengths in layout order) of the flat parameter array. */
export function paramsError(got, want, blocks) {
  if (got.length !== want.length) return Infinity;
  let worst = 0, at = 0;
  for (const n of blocks) {
    worst = Math.max(worst, blockError(got, want, at, at + n));
    at += n;
  }
  return worst;
}

/** The case's layers as the wrapper's LayerSpec list (raw descriptor ints). */
export function layerSpecs(c) {
  return Array.from({ length: c.desc.length / 8 }, (_, l) => {
    const d = c.desc.slice(8 * l, 8 * l + 8);
    return { kind: d[0], activation: d[1], ints: d.slice(2) };
  });
}
