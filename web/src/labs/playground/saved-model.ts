// The playground's model in the form its page holds it (sizes +
// activations, SavedModel), over the lab-neutral model files of
// share/modelFile.ts: reading a file into it, turning it into a LabModel to
// save or export, and the format-1 writer the format-1 reader is tested
// against.
import type { Config } from '../../state/config';
import { floatsToBase64 } from '../../share/base64';
import { denseLayers, denseSizes } from '../../share/layers';
import type { NetworkSpec } from '../../share/network';
import type { ParamBlock } from '../../share/layers';
import type { AskCore } from '../../share/coreLayout';
import { MODEL_FORMAT_V1, MODEL_MAGIC, readLabModelFile, type LabModel } from '../../share/modelFile';
import { PLAYGROUND_LAB } from './config';

export interface SavedModel extends NetworkSpec {
  config: Config;
  /** In the core's layout of these layers. */
  params: Float32Array;
  /** Epoch reached when saved (informational). */
  epoch: number;
}

export type LoadResult = { ok: true; model: SavedModel } | { ok: false; error: string };

type PlaygroundModel = LabModel & { lab: typeof PLAYGROUND_LAB };

/**
 * A playground model as a format-1 file (JSON). Kept so the format-1 reader
 * stays tested against the writer it was made for; pages save with
 * serializeLabModel (format 2). The reader checks the parameter count
 * against the core's layout.
 */
export function serializeModel(model: SavedModel): string {
  return `${JSON.stringify({
    magic: MODEL_MAGIC,
    formatVersion: MODEL_FORMAT_V1,
    config: model.config,
    sizes: model.sizes,
    activations: model.activations,
    loss: model.loss,
    epoch: model.epoch,
    params: floatsToBase64(model.params),
  }, null, 1)}\n`;
}

/** A file name such as "nn-circle-2-4-2-1.json". */
export function modelFileName(model: Pick<SavedModel, 'config' | 'sizes'>): string {
  return `nn-${model.config.dataset}-${model.sizes.join('-')}.json`;
}

/** A playground model from a loaded lab model (the page's SavedModel). */
function toSavedModel(m: PlaygroundModel): SavedModel {
  const { sizes, activations } = denseSizes(m.layers);
  return { config: m.config, sizes, activations, loss: m.loss, params: m.params, epoch: m.epoch };
}

/** The playground's model as a lab model (for serializeLabModel and the export), with the core's blocks of its layers. */
export function labModelOf(m: SavedModel, blocks: readonly ParamBlock[]): LabModel {
  return { lab: PLAYGROUND_LAB, config: m.config, layers: playgroundLayers(m), loss: m.loss, epoch: m.epoch, params: m.params, blocks };
}

/** The playground's network as a layer list (what the core is asked about). */
export function playgroundLayers(m: Pick<SavedModel, 'sizes' | 'activations'>): LabModel['layers'] {
  return denseLayers(m.sizes, m.activations);
}

/** Reads and checks a playground model file (format 1 or 2), the core judging its layers. Never rejects; errors are plain English. */
export async function parseModelFile(text: unknown, askCore: AskCore): Promise<LoadResult> {
  const r = await readLabModelFile(text, PLAYGROUND_LAB, askCore);
  if (!r.ok) return r;
  return { ok: true, model: toSavedModel(r.model as PlaygroundModel) };
}
