// Saved models: a JSON file with a magic string, a format version, the
// Config, the network (sizes, activations, loss) and the parameters as
// base64 little-endian float32 in the core's nn_params layout (per layer:
// weight [out x in] row-major, then bias [out]).
// Loading validates everything before returning anything, so a bad file
// never half-applies; the parameters come back bit-identical.

import type { Config, Feature } from '../state/config';
import { configFromObject, validateConfig } from '../state/codec';
import { ACTIVATIONS, CONFIG_FIELDS } from '../state/schema';
import { base64ToBytes, floatsToBase64 } from './base64';
import { networkSpec, OUTPUT_HEAD, paramCount, type LayerActivation, type LossName, type NetworkSpec } from './network';
import { datasetInfo } from '../data/datasets';
import { featurize } from '../data/features';
import { DOMAIN } from '../data/types';

export const MODEL_MAGIC = 'nn-playground-model';
export const MODEL_FORMAT_VERSION = 1;
/** Largest file read (bytes of text): room for MNIST-sized models. */
export const MAX_MODEL_FILE_CHARS = 64 * 1024 * 1024;
const MAX_LAYERS = 16;
const MAX_WIDTH = 4096;
const MAX_PARAMS = 16 * 1024 * 1024;

export interface SavedModel extends NetworkSpec {
  config: Config;
  /** [paramCount(sizes)] */
  params: Float32Array;
  /** Epoch reached when saved (informational). */
  epoch: number;
}

export type LoadResult = { ok: true; model: SavedModel } | { ok: false; error: string };

const ACTS: readonly LayerActivation[] = [...ACTIVATIONS, 'softmax'];
/** The output activation each loss trains with (OUTPUT_HEAD, keyed by loss). */
const OUTPUT_FOR_LOSS = Object.fromEntries(Object.values(OUTPUT_HEAD).map((h) => [h.loss, h.activation])) as Readonly<Record<LossName, LayerActivation>>;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The file's text (JSON). Throws if the model is inconsistent: a bug in the caller. */
export function serializeModel(model: SavedModel): string {
  if (model.params.length !== paramCount(model.sizes)) throw new Error('serializeModel: params do not match sizes');
  return `${JSON.stringify({
    magic: MODEL_MAGIC,
    formatVersion: MODEL_FORMAT_VERSION,
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

function findForbiddenKey(v: unknown, depth: number): string | undefined {
  if (depth > 8 || typeof v !== 'object' || v === null) return undefined;
  for (const k of Object.keys(v)) {
    if (FORBIDDEN_KEYS.has(k)) return k;
    const inner = findForbiddenKey((v as Record<string, unknown>)[k], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

function isIntIn(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

const fail = (error: string): LoadResult => ({ ok: false, error });

/** Parses and checks a model file. Never throws; errors are plain English. */
export function parseModelFile(text: unknown): LoadResult {
  if (typeof text !== 'string') return fail('The file could not be read as text.');
  if (text.length > MAX_MODEL_FILE_CHARS) return fail(`The file is too large (${text.length} characters; at most ${MAX_MODEL_FILE_CHARS}).`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('This is not a model file: it is not valid JSON (it may be truncated).');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('This is not a model file: it holds no JSON object.');
  const bad = findForbiddenKey(doc, 0);
  if (bad) return fail(`The file contains the key "${bad}", which a model file never has; it was not loaded.`);
  const d = doc as Record<string, unknown>;
  if (d.magic !== MODEL_MAGIC) return fail(`This is not a model file from this page (its "magic" is not "${MODEL_MAGIC}").`);
  if (!isIntIn(d.formatVersion, 1, Number.MAX_SAFE_INTEGER)) return fail('The file has no valid formatVersion.');
  if (d.formatVersion > MODEL_FORMAT_VERSION) {
    return fail(`The file was saved by a newer version of this page (format ${d.formatVersion}; this page reads format ${MODEL_FORMAT_VERSION}).`);
  }

  // Config: complete and valid by the URL schema.
  if (typeof d.config !== 'object' || d.config === null) return fail('The file has no "config" object.');
  const missing = CONFIG_FIELDS.find((f) => !Object.prototype.hasOwnProperty.call(d.config, f.key));
  if (missing) return fail(`The file's config lacks the setting "${missing.key}".`);
  const parsed = configFromObject(d.config);
  if (parsed.rejected.length > 0) {
    const r = parsed.rejected[0]!;
    return fail(`The file's config is invalid: ${r.key} "${r.value}" ${r.reason.replace(/; the default.*$/, '')}.`);
  }
  const config = parsed.config;
  const invalid = validateConfig(config);
  if (invalid.length > 0) return fail(`The file's config is invalid: ${invalid[0]}.`);

  // Network: sizes, activations and loss, consistent with each other and the config.
  const sizes = d.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.length > MAX_LAYERS + 1 || !sizes.every((s) => isIntIn(s, 1, MAX_WIDTH))) {
    return fail(`The file's "sizes" must be 2 to ${MAX_LAYERS + 1} whole numbers from 1 to ${MAX_WIDTH}.`);
  }
  const count = paramCount(sizes as number[]);
  if (count > MAX_PARAMS) return fail(`The network in the file is too large (${count} parameters; at most ${MAX_PARAMS}).`);
  if (sizes[0] !== config.features.length) return fail(`The network has ${String(sizes[0])} inputs but the config lists ${config.features.length} features.`);
  const hidden = (sizes as number[]).slice(1, -1);
  if (hidden.join(',') !== config.hidden.join(',')) return fail('The network\'s hidden layers do not match the config.');
  const loss = d.loss;
  if (loss !== 'mse' && loss !== 'bce' && loss !== 'ce') return fail('The file\'s "loss" must be "mse", "bce" or "ce".');
  const acts = d.activations;
  if (!Array.isArray(acts) || acts.length !== sizes.length - 1 || !acts.every((a) => (ACTS as readonly unknown[]).includes(a))) {
    return fail(`The file's "activations" must list ${sizes.length - 1} names from: ${ACTS.join(', ')}.`);
  }
  if (acts.slice(0, -1).join(',') !== config.activations.join(',')) return fail('The network\'s activations do not match the config.');
  if (acts[acts.length - 1] !== OUTPUT_FOR_LOSS[loss]) return fail(`A ${loss} loss needs a ${OUTPUT_FOR_LOSS[loss]} output layer.`);
  const outputs = sizes[sizes.length - 1] as number;
  if ((loss === 'ce') !== (outputs > 1)) return fail(`A ${loss} network with ${outputs} output${outputs === 1 ? '' : 's'} is not one this page builds.`);
  if (config.dataset !== 'custom') {
    const info = datasetInfo(config.dataset);
    const want = networkSpec(config, info.task, info.nClasses);
    if (want.loss !== loss || want.sizes[want.sizes.length - 1] !== outputs) {
      return fail(`The ${config.dataset} data set trains a ${want.loss} network with ${want.sizes[want.sizes.length - 1]} output(s); the file has ${loss} with ${outputs}.`);
    }
  }
  const epoch = d.epoch === undefined ? 0 : d.epoch;
  if (!isIntIn(epoch, 0, Number.MAX_SAFE_INTEGER)) return fail('The file\'s "epoch" must be a whole number.');

  // Parameters: exact length, every value finite.
  if (typeof d.params !== 'string') return fail('The file has no "params" text.');
  const bytes = base64ToBytes(d.params);
  if (typeof bytes === 'string') return fail(`The parameters are damaged: ${bytes}.`);
  if (bytes.length !== count * 4) {
    return fail(`The file holds ${Math.floor(bytes.length / 4)} parameters${bytes.length % 4 ? ' and a partial one' : ''}; this network needs ${count}.`);
  }
  const params = new Float32Array(count);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) {
    const v = dv.getFloat32(i * 4, true);
    if (!Number.isFinite(v)) return fail(`Parameter ${i} is ${String(v)}; a model file holds finite numbers only.`);
    params[i] = v;
  }
  const overflow = overflowingPoint(sizes as number[], acts as LayerActivation[], loss, params, config.features);
  if (overflow) {
    return fail(`The weights are so large that the network's output overflows (it is not a finite number at x1 = ${overflow[0]}, x2 = ${overflow[1]}); this page cannot train or show such a model.`);
  }
  return { ok: true, model: { config, sizes: sizes as number[], activations: acts as LayerActivation[], loss, params, epoch } };
}

/** Largest output pre-activation a squared-error loss can square in float32. */
const MAX_MSE_OUTPUT = 1e18;

/**
 * A point of the data domain where the network, evaluated with float32
 * rounding after each layer as the engine does, gives a non-finite output
 * (or one too large for the loss), or null when it gives none. Valid finite
 * weights can still overflow (a hostile or corrupted file): such a model
 * would only ever show NaN.
 */
function overflowingPoint(sizes: readonly number[], acts: readonly LayerActivation[], loss: LossName,
                          params: Float32Array, features: readonly Feature[]): [number, number] | null {
  const at = [-DOMAIN, 0, DOMAIN];
  for (const x1 of at) {
    for (const x2 of at) {
      let a: number[] = Array.from(featurize(Float32Array.of(x1, x2), features));
      let off = 0;
      for (let l = 0; l + 1 < sizes.length; l++) {
        const nIn = sizes[l]!;
        const nOut = sizes[l + 1]!;
        const bias = off + nOut * nIn;
        const z: number[] = [];
        for (let r = 0; r < nOut; r++) {
          let sum = params[bias + r]!;
          for (let c = 0; c < nIn; c++) sum += params[off + r * nIn + c]! * a[c]!;
          z.push(Math.fround(sum));
        }
        off = bias + nOut;
        const last = l + 2 === sizes.length;
        if (last) {
          if (!z.every((v) => Number.isFinite(v) && (loss !== 'mse' || Math.abs(v) <= MAX_MSE_OUTPUT))) return [x1, x2];
        } else {
          a = z.map((v) => activate(acts[l]!, v));
        }
      }
    }
  }
  return null;
}

function activate(act: LayerActivation, v: number): number {
  switch (act) {
    case 'relu': return v > 0 ? v : 0;
    case 'leaky_relu': return v > 0 ? v : Math.fround(0.01 * v);
    case 'tanh': return Math.fround(Math.tanh(v));
    case 'sigmoid': return Math.fround(1 / (1 + Math.exp(-v)));
    default: return v;
  }
}
