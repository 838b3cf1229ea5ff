// gan_fixtures.mjs — reads tests/reference/gan_fixtures.bin (layout: make_gan_fixtures.py's
// docstring). The error measure is fixtures.mjs's (blockError, paramsError).
import { fileURLToPath } from 'node:url';
import { openFixture } from './fixtures.mjs';

export const GAN_FIXTURE_PATH = fileURLToPath(new URL('./gan_fixtures.bin', import.meta.url));

/** Parses the GAN fixture file; throws a clear error if it is malformed. */
export function readGanFixtures(path = GAN_FIXTURE_PATH) {
  const { i32, ints, f32, name: caseName, end } = openFixture(path, 'NNGF', 'a GAN fixture file');
  const net = () => {
    const nLayers = i32();
    if (nLayers < 1 || nLayers > 64) throw new Error(`${path}: a network with ${nLayers} layers`);
    const inShape = ints(3), desc = ints(nLayers * 8);
    const layers = Array.from({ length: nLayers }, (_, l) => ({ kind: desc[8 * l], activation: desc[8 * l + 1], ints: desc.slice(8 * l + 2, 8 * l + 8) }));
    return { inShape, layers, inputs: inShape[0] * inShape[1] * inShape[2] };
  };
  const blocks = (n) => {
    n.nParams = i32();
    n.blocks = ints(i32());
    if (n.blocks.reduce((a, b) => a + b, 0) !== n.nParams) throw new Error(`${path}: blocks do not add up`);
  };
  const opt = () => { const kind = i32(); const [lr, beta1, beta2, eps] = f32(4); return { kind, lr, beta1, beta2, eps }; };
  const version = i32(), nCases = i32();
  if (version !== 1) throw new Error(`${path}: version ${version}, expected 1`);
  const cases = [];
  for (let c = 0; c < nCases; c++) {
    const name = caseName();
    const g = net(), d = net();
    const [loss, batch, nIters, nTraj] = ints(4);
    blocks(g);
    blocks(d);
    const g0 = f32(g.nParams), d0 = f32(d.nParams);
    const real = Array.from({ length: nIters }, () => f32(batch * d.inputs));
    const noiseD = Array.from({ length: nIters }, () => f32(batch * g.inputs));
    const noiseG = Array.from({ length: nIters }, () => f32(batch * g.inputs));
    const sampleGrad = f32(batch * d.inputs);
    const trajectories = [];
    for (let k = 0; k < nTraj; k++) {
      const optD = opt(), optG = opt();
      const iterations = Array.from({ length: nIters }, () => ({
        dStats: f32(3), dParams: f32(d.nParams), gStats: f32(3), gParams: f32(g.nParams),
      }));
      trajectories.push({ optD, optG, iterations });
    }
    cases.push({ name, g, d, loss, batch, nIters, g0, d0, real, noiseD, noiseG, sampleGrad, trajectories });
  }
  end();
  return cases;
}
