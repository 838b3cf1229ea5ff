// The sequence lab's part of model files (share/modelFile.ts reads it through
// labs/model-files.ts). Model files do not hold recurrent layers yet (the
// `layout` work adds RNN/LSTM layer specs to share/layers.ts): until then a
// file naming this lab is refused with this sentence, and the page's Save
// and Export buttons say so instead of writing a file that cannot be read.
import type { LabModelFile } from '../types';
import type { SequenceConfig } from './config';

/** Why the page cannot save or export this lab's models yet (shown on its disabled buttons). */
export const SAVE_UNAVAILABLE = 'Model files and the PyTorch export do not hold RNN/LSTM layers yet.';

/** Inputs per step: waves 1 value, memory a one-hot bit, names 27 symbols, text 40. */
const FEATURES: Record<SequenceConfig['task'], number> = { waves: 1, memory: 2, names: 27, text: 40 };

export const modelFile: LabModelFile<SequenceConfig> = {
  checkNetwork: () => SAVE_UNAVAILABLE,
  probes: (config) => [{ input: new Float32Array(config.seqLen * FEATURES[config.task]), where: 'for an all-zero sequence' }],
  baseName: (config) => `nn-sequence-${config.task}-${config.cell}-${config.layers}x${config.hidden}`,
};
