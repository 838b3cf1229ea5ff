// Saving, loading and exporting a trained model from a lab's page: files in
// format 2 (share/modelFile.ts serializeLabModel) and the PyTorch script
// (exportLabModel), the same for every lab. The parameter layout of every
// model saved, loaded or exported is the core's, asked through the lab's
// worker (AskCore); nothing here computes one.

import {
  labModelFileName, readLabModelFile as readLabModelText, serializeLabModel, MAX_MODEL_FILE_CHARS, type LabLoadResult, type LabModel, type LabModelContent,
} from '../share/modelFile';
import type { AskCore } from '../share/coreLayout';
import { labModelOf, parseModelFile, type LoadResult, type SavedModel } from '../labs/playground/saved-model';
import { networkSpec } from '../share/network';
import { exportLabModel } from '../share/pytorchExport';
import { exportLabModelNumpy } from '../share/numpyExport';
import type { Playground } from '../labs/playground/usePlayground';
import type { LabId } from '../labs';
import type { Dataset } from '../data/types';

/** Offers `text` as a file download. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A live model's content with the core's blocks of its layers; throws when they do not hold its parameters. */
export async function withCoreBlocks(model: LabModelContent, askCore: AskCore): Promise<LabModel> {
  const verdict = await askCore({ layers: model.layers, loss: model.loss, maxParams: Number.MAX_SAFE_INTEGER });
  if (!verdict.ok) throw new Error(verdict.error);
  if (verdict.refused !== null) throw new Error(verdict.refused);
  if (verdict.count !== model.params.length) throw new Error(`the engine lays out ${verdict.count} parameters; the model has ${model.params.length}`);
  return { ...model, blocks: verdict.blocks } as LabModel;
}

async function currentModel(pg: Playground): Promise<LabModel> {
  const spec = networkSpec(pg.config, pg.task, pg.dataset.nClasses);
  const params = await pg.actions.getParams();
  const saved: SavedModel = { ...spec, config: pg.config, params, epoch: pg.run.snapshot?.epoch ?? 0 };
  return withCoreBlocks(labModelOf(saved, []), pg.actions.askCore);
}

/** Offers a lab's model as a format-2 file; returns what to tell the user. */
export function saveLabModel(model: LabModel): string {
  const name = labModelFileName(model);
  download(name, serializeLabModel(model), 'application/json');
  return `Saved ${name}.`;
}

/** Offers a lab's model as a PyTorch script (the playground's with its training set, for its train mode); returns what to tell the user. */
export function exportLabScript(model: LabModel, trainSet?: Dataset): string {
  const name = labModelFileName(model).replace(/\.json$/, '.py');
  download(name, exportLabModel(model, undefined, trainSet), 'text/x-python');
  return `Saved ${name}: run it with python3 (needs PyTorch).`;
}

/** Offers a lab's model as a NumPy script (from-scratch style); returns what to tell the user. */
export function exportLabNumpyScript(model: LabModel): string {
  const name = labModelFileName(model).replace(/\.json$/, '-numpy.py');
  download(name, exportLabModelNumpy(model), 'text/x-python');
  return `Saved ${name}: run it with python3 (needs NumPy only).`;
}

export async function saveModel(pg: Playground): Promise<string> {
  return saveLabModel(await currentModel(pg));
}

export async function exportPyTorch(pg: Playground): Promise<string> {
  return exportLabScript(await currentModel(pg), { ...pg.split.train, task: pg.task, nClasses: pg.dataset.nClasses });
}

export async function exportNumpy(pg: Playground): Promise<string> {
  return exportLabNumpyScript(await currentModel(pg));
}

async function readText(file: File): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  if (file.size > MAX_MODEL_FILE_CHARS) return { ok: false, error: `${file.name} is too large to be a model file.` };
  try {
    return { ok: true, text: await file.text() };
  } catch {
    return { ok: false, error: `${file.name} could not be read.` };
  }
}

/** Reads a playground model file (format 1 or 2), the core judging its layers; the model or what is wrong. */
export async function readModelFile(file: File, askCore: AskCore): Promise<LoadResult> {
  const t = await readText(file);
  if (!t.ok) return t;
  const r = await parseModelFile(t.text, askCore);
  return r.ok ? r : { ok: false, error: `${file.name}: ${r.error} Nothing was changed.` };
}

/** Reads a model file of `lab`, checked completely (the core judging its layers) before anything changes. */
export async function readLabModelFile(file: File, lab: LabId, askCore: AskCore): Promise<LabLoadResult> {
  const t = await readText(file);
  if (!t.ok) return t;
  const r = await readLabModelText(t.text, lab, askCore);
  return r.ok ? r : { ok: false, error: `${file.name}: ${r.error} Nothing was changed.` };
}
