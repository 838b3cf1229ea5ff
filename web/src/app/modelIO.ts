// Saving, loading and exporting the trained model from the page.

import { modelFileName, parseModelFile, serializeModel, MAX_MODEL_FILE_CHARS, type LoadResult, type SavedModel } from '../share/modelFile';
import { networkSpec } from '../share/network';
import { exportPyTorchScript } from '../share/pytorchExport';
import type { Playground } from '../labs/playground/usePlayground';

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

async function currentModel(pg: Playground): Promise<SavedModel> {
  const spec = networkSpec(pg.config, pg.task, pg.dataset.nClasses);
  const params = await pg.actions.getParams();
  return { ...spec, config: pg.config, params, epoch: pg.run.snapshot?.epoch ?? 0 };
}

export async function saveModel(pg: Playground): Promise<string> {
  const model = await currentModel(pg);
  download(modelFileName(model), serializeModel(model), 'application/json');
  return `Saved ${modelFileName(model)}.`;
}

export async function exportPyTorch(pg: Playground): Promise<string> {
  const model = await currentModel(pg);
  const script = exportPyTorchScript({
    sizes: model.sizes, activations: model.activations, loss: model.loss, features: pg.config.features, params: model.params,
  });
  const name = modelFileName(model).replace(/\.json$/, '.py');
  download(name, script, 'text/x-python');
  return `Saved ${name}: run it with python3 (needs PyTorch).`;
}

/** Reads a model file; returns the parsed model or a message saying what is wrong. */
export async function readModelFile(file: File): Promise<LoadResult> {
  if (file.size > MAX_MODEL_FILE_CHARS) return { ok: false, error: `${file.name} is too large to be a model file.` };
  let text: string;
  try {
    text = await file.text();
  } catch {
    return { ok: false, error: `${file.name} could not be read.` };
  }
  const r = parseModelFile(text);
  return r.ok ? r : { ok: false, error: `${file.name}: ${r.error} Nothing was changed.` };
}
