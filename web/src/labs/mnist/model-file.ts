// MNIST's part of model files (share/modelFile.ts reads it through
// labs/model-files.ts): the config's layer list over a 1x28x28 digit, ending
// in 10 softmax outputs trained with cross-entropy. Files saved before the
// layer list (config hidden/activations) are read as the same MLP.
import type { LayerSpec } from '../../share/layers';
import { denseSizes, inputSize } from '../../share/layers';
import type { LabModelFile } from '../types';
import { MNIST_INPUTS, MNIST_OUTPUTS, upgradeConfigObject, type MnistConfig } from './config';
import { layersText, type MnistLayer } from './model-layers';

/** The config's layer as a file's layer kind and settings (shapes aside), for comparison. */
function configLayerKey(l: MnistLayer): string {
  return layersText([l]);
}
function fileLayerKey(l: LayerSpec): string {
  switch (l.kind) {
    case 'dense': return `dense:${l.units}:${l.activation}`;
    case 'conv2d': return `conv:${l.filters}:${l.kernel}:${l.stride}:${l.padding}:${l.activation}`;
    case 'maxpool': return `pool:${l.kernel}:${l.stride}`;
    case 'flatten': return 'flatten';
    case 'rnn': case 'lstm': return `${l.kind}:${l.hidden}`; // no MNIST config layer is recurrent
  }
}

export const modelFile: LabModelFile<MnistConfig> = {
  checkNetwork: (config, layers, loss) => {
    const first = layers[0]!;
    const reads = first.kind === 'dense' ? first.inputs === MNIST_INPUTS : first.input.join('x') === '1x28x28';
    if (!reads) return `The network reads ${inputSize(first)} values; an MNIST network reads ${MNIST_INPUTS} pixels (1x28x28).`;
    const last = layers[layers.length - 1]!;
    if (last.kind !== 'dense' || last.units !== MNIST_OUTPUTS || loss !== 'ce') return `An MNIST network ends in ${MNIST_OUTPUTS} softmax outputs trained with ce.`;
    if (layers.length !== config.layers.length || layers.some((l, i) => fileLayerKey(l) !== configLayerKey(config.layers[i]!))) {
      return 'The network\'s layers do not match the config.';
    }
    return null;
  },
  probes: () => [
    { input: new Float32Array(MNIST_INPUTS), where: 'for a blank image' },
    { input: new Float32Array(MNIST_INPUTS).fill(1), where: 'for an all-ink image' },
  ],
  baseName: (config, layers) => (layers.every((l) => l.kind === 'dense') ? `nn-mnist-${denseSizes(layers).sizes.join('-')}` : `nn-mnist-cnn-${config.layers.length}-layers`),
  upgradeConfig: upgradeConfigObject,
};
