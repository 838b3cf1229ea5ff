// The GAN lab's part of single-network model files (share/modelFile.ts): such
// a file holds the generator (noise in, a 2-D point out), trained by the lab
// against its discriminator; the pair's own files are share/gan*.ts's.
import type { LayerSpec } from '../../share/layers';
import type { LabModelFile } from '../types';
import { ganLayers, type GanConfig } from './config';

/** G as model files hold it: dense layers from the noise to 2 linear outputs. */
export function generatorLayers(c: GanConfig): LayerSpec[] {
  let inputs = c.noiseDim;
  return ganLayers(c).generator.map((l) => {
    const layer: LayerSpec = { kind: 'dense', inputs, units: l.units, activation: l.activation };
    inputs = l.units;
    return layer;
  });
}

export const modelFile: LabModelFile<GanConfig> = {
  checkNetwork: (config, layers, loss) => {
    if (loss !== 'mse') return `A GAN lab file holds the generator, saved with the mse head, not ${loss}.`;
    const want = generatorLayers(config);
    const key = (l: LayerSpec) => (l.kind === 'dense' ? `${l.inputs}:${l.units}:${l.activation}` : l.kind);
    if (layers.length !== want.length || layers.some((l, i) => key(l) !== key(want[i]!))) {
      return `The network's layers do not match the generator of this config (${config.noiseDim} noise values, hidden ${config.gHidden.join(',') || 'none'}, 2 outputs).`;
    }
    return null;
  },
  probes: (config) => [
    { input: new Float32Array(config.noiseDim), where: 'at zero noise' },
    { input: new Float32Array(config.noiseDim).fill(1), where: 'at noise 1' },
  ],
  baseName: (config) => `nn-gan-${config.dist}-g${config.gHidden.join('x') || '0'}`,
};
