// The digits GAN lab's part of single-network model files (share/modelFile.ts):
// such a file holds the generator (noise in, 784 tanh pixels out); the
// pair's own files (both networks) are share/gan*.ts's.
import type { LayerSpec } from '../../share/layers';
import type { LabModelFile } from '../types';
import type { GanDigitsConfig } from './config';

/** G as model files hold it: dense layers from the noise to 784 tanh pixels. */
export function generatorLayers(c: GanDigitsConfig): LayerSpec[] {
  const sizes = [c.noiseDim, ...c.gHidden, 784];
  return sizes.slice(1).map((units, i) => ({ kind: 'dense', inputs: sizes[i]!, units, activation: i === sizes.length - 2 ? 'tanh' : c.gActivations[i] ?? 'leaky_relu' }));
}

/** D as files hold it: dense layers from 784 pixels to one linear score. */
export function discriminatorLayers(c: GanDigitsConfig): LayerSpec[] {
  const sizes = [784, ...c.dHidden, 1];
  return sizes.slice(1).map((units, i) => ({ kind: 'dense', inputs: sizes[i]!, units, activation: i === sizes.length - 2 ? 'linear' : c.dActivations[i] ?? 'leaky_relu' }));
}

const layerKey = (l: LayerSpec) => (l.kind === 'dense' ? `${l.inputs}:${l.units}:${l.activation}` : l.kind);

/** Why a GAN file's networks are not the ones its config trains, or null. */
export function checkGanNetworks(config: GanDigitsConfig, generator: readonly LayerSpec[], discriminator: readonly LayerSpec[]): string | null {
  const same = (a: readonly LayerSpec[], b: readonly LayerSpec[]) => a.length === b.length && a.every((l, i) => layerKey(l) === layerKey(b[i]!));
  if (!same(generator, generatorLayers(config))) return `The file's generator is not the one its settings describe (${config.noiseDim} noise values, hidden ${config.gHidden.join(',') || 'none'}, 784 tanh pixels).`;
  if (!same(discriminator, discriminatorLayers(config))) return `The file's discriminator is not the one its settings describe (784 pixels, hidden ${config.dHidden.join(',') || 'none'}, one linear score).`;
  return null;
}

export const modelFile: LabModelFile<GanDigitsConfig> = {
  checkNetwork: (config, layers, loss) => {
    if (loss !== 'mse') return `A digits GAN file holds the generator, saved with the mse head, not ${loss}.`;
    const want = generatorLayers(config);
    if (layers.length !== want.length || layers.some((l, i) => layerKey(l) !== layerKey(want[i]!))) {
      return `The network's layers do not match the generator of this config (${config.noiseDim} noise values, hidden ${config.gHidden.join(',') || 'none'}, 784 pixels).`;
    }
    return null;
  },
  probes: (config) => [
    { input: new Float32Array(config.noiseDim), where: 'at zero noise' },
    { input: new Float32Array(config.noiseDim).fill(1), where: 'at noise 1' },
  ],
  baseName: (config) => `nn-gan-digits-g${config.gHidden.join('x') || '0'}`,
};
