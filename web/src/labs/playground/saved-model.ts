// The playground's model in the form its page holds it (sizes +
// activations, SavedModel), over the lab-neutral model files of
// share/modelFile.ts: reading a file into it, turning it into a LabModel to
// save or export, and the format-1 writer the format-1 reader is tested
// against.
import type { Config } from '../../state/config';
import { floatsToBase64 } from '../../share/base64';
import { denseLayers, denseSizes } from '../../share/layers';
import { paramCount, type NetworkSpec } from '../../share/network';
import { MODEL_FORMAT_V1, MODEL_MAGIC, parseLabModelFile, type LabModel } from '../../share/modelFile';
import { PLAYGROUND_LAB } from './config';

export interface SavedModel extends NetworkSpec {
  config: Config;
  /** [paramCount(sizes)] */
  params: Float32Array;
  /** Epoch reached when saved (informational). */
  epoch: number;
}

export type LoadResult = { ok: true; model: SavedModel } | { ok: false; error: string };

type PlaygroundModel = LabModel & { lab: typeof PLAYGROUND_LAB };

/**
 * A playground model as a format-1 file (JSON). Kept so the format-1 reader
 * stays tested against the writer it was made for; pages save with
 * serializeLabModel (format 2). Throws if the model is inconsistent: a bug in
 * the caller.
 */
export function serializeModel(model: SavedModel): string {
  if (model.params.length !== paramCount(model.sizes)) throw new Error('serializeModel: params do not match sizes');
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

/** The playground's model as a lab model (for serializeLabModel and the export). */
export function labModelOf(m: SavedModel): LabModel {
  return { lab: PLAYGROUND_LAB, config: m.config, layers: denseLayers(m.sizes, m.activations), loss: m.loss, epoch: m.epoch, params: m.params };
}

/** Parses and checks a playground model file (format 1 or 2). Never throws; errors are plain English. */
export function parseModelFile(text: unknown): LoadResult {
  const r = parseLabModelFile(text, PLAYGROUND_LAB);
  if (!r.ok) return r;
  return { ok: true, model: toSavedModel(r.model as PlaygroundModel) };
}
