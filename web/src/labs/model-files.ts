// The model-file side of the labs registry (labs/index.ts): each lab's
// model-file.ts (what share/modelFile.ts needs of it: the network check,
// probes, file name, older configs), found by its file name. Eager: reading
// a file must know every lab. The registry test checks every lab has one.
import { byLab, type LabId } from './index';
import type { LabConfig, LabModelFile } from './types';

const found = import.meta.glob<LabModelFile>('./*/model-file.ts', { eager: true, import: 'modelFile' });

/** Each lab's model-file part by lab id. Throws at load, naming the file, when a lab lacks it. */
export const MODEL_FILES = byLab(found, 'model-file.ts') as unknown as { readonly [L in LabId]: LabModelFile<LabConfig<L>> };
