// The playground's part of model files (share/modelFile.ts reads it through
// labs/model-files.ts): a network of dense layers over the config's input
// features, its head fixed by the data set's task; format 1 (the files saved
// before labs existed) is the playground's.
import type { Config } from '../../state/config';
import type { LayerActivation, LossName } from '../../share/network';
import { networkSpec } from '../../share/network';
import { denseSizes } from '../../share/layers';
import { datasetInfo } from '../../data/datasets';
import { featurize } from '../../data/features';
import { DOMAIN } from '../../data/types';
import type { LabModelFile } from '../types';

/** The network checks of the playground, shared by both formats. */
export function checkPlaygroundNetwork(config: Config, sizes: readonly number[], acts: readonly LayerActivation[], loss: LossName): string | null {
  if (sizes[0] !== config.features.length) return `The network has ${String(sizes[0])} inputs but the config lists ${config.features.length} features.`;
  if (sizes.slice(1, -1).join(',') !== config.hidden.join(',')) return 'The network\'s hidden layers do not match the config.';
  if (acts.slice(0, -1).join(',') !== config.activations.join(',')) return 'The network\'s activations do not match the config.';
  const outputs = sizes[sizes.length - 1]!;
  if (config.dataset !== 'custom') {
    const info = datasetInfo(config.dataset);
    const want = networkSpec(config, info.task, info.nClasses);
    if (want.loss !== loss || want.sizes[want.sizes.length - 1] !== outputs) {
      return `The ${config.dataset} data set trains a ${want.loss} network with ${want.sizes[want.sizes.length - 1]} output(s); the file has ${loss} with ${outputs}.`;
    }
  }
  return null;
}

export const modelFile: LabModelFile<Config> = {
  checkNetwork: (config, layers, loss) => {
    if (layers.some((l) => l.kind !== 'dense')) return 'A playground network has dense layers only.';
    const { sizes, activations } = denseSizes(layers);
    return checkPlaygroundNetwork(config, sizes, activations, loss);
  },
  probes: (config) => {
    const at = [-DOMAIN, 0, DOMAIN];
    return at.flatMap((x1) => at.map((x2) => ({ input: featurize(Float32Array.of(x1, x2), config.features), where: `at x1 = ${x1}, x2 = ${x2}` })));
  },
  baseName: (config, layers) => `nn-${config.dataset}-${denseSizes(layers).sizes.join('-')}`,
  readsFormat1: true,
};
