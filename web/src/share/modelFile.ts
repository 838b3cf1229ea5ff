// Saved models: a JSON file with a magic string, a format version, the lab
// it comes from, the lab's config, the network as a layer list, the loss and
// the parameters as base64 little-endian float32 in the core's layout (per
// layer: weight [out x in] row-major, then bias [out]; the core hands out
// the blocks, model.paramLayout()).
//
// Format 2 (every lab): { magic, formatVersion: 2, lab, config, layers:
// [...], loss, epoch, params }, a layer being one of
//   { kind: "dense", inputs, units, activation }
//   { kind: "conv2d", input: [c, h, w], filters, kernel, stride, padding, activation }
//   { kind: "maxpool", input: [c, h, w], kernel, stride, activation: "linear" }
//   { kind: "flatten", input: [c, h, w], activation: "linear" }
//   { kind: "rnn" | "lstm", input: [steps, features, 1], hidden, returnSequences, activation }
//   { kind: "dense", inputs: features, units, activation, steps } (per step)
// (conv weight [filters x c x k x k]; max-pool and flatten have no parameters).
// MNIST files written before its layer list (config hidden/activations) are
// read as the same MLP.
// Format 1 (the playground before labs): { ..., config, sizes, activations,
// loss, epoch, params }; still read, as the playground's.
// Loading validates everything before returning anything, so a bad file
// never half-applies; the parameters come back bit-identical. It has two
// steps: the page reads the envelope (magic, version, lab, config, layer
// fields, loss, epoch, finite numbers: parseModelEnvelope), then the core
// judges the layers (do they chain, how many parameters, which blocks) and
// runs the probes for overflow (checkWithCore, through an AskCore: the
// worker host on the page). readLabModelFile does both. No layout is
// computed here.
//
// No lab is named here: each lab's config schema comes from its registry
// entry (labs/<id>/lab.ts) and the rest (its network check, probes, file
// name, older configs, whether format 1 is its) from its model-file.ts
// (labs/model-files.ts). The playground's page form of a model (sizes +
// activations) is labs/playground/saved-model.ts.

import { ACTIVATIONS } from '../state/schema';
import type { LabCodec } from '../state/labCodec';
import { LINK_LABS, type LabId, type LabLinkParts } from '../state/link';
import { LAB_IDS } from '../labs';
import { MODEL_FILES } from '../labs/model-files';
import type { LabModelFile } from '../labs/types';
import { base64ToBytes, floatsToBase64 } from './base64';
import { OUTPUT_HEAD, type LayerActivation, type LossName } from './network';
import { blocksLength, denseLayers, LAYER_KINDS, type LayerSpec, type ParamBlock, type Shape3 } from './layers';
import type { AskCore, CoreVerdict } from './coreLayout';

export const MODEL_MAGIC = 'nn-playground-model';
export const MODEL_FORMAT_VERSION = 2;
/** The playground's format before labs (sizes + activations instead of layers). */
export const MODEL_FORMAT_V1 = 1;
/** Largest file read (bytes of text): room for MNIST-sized models. */
export const MAX_MODEL_FILE_CHARS = 64 * 1024 * 1024;
const MAX_LAYERS = 16;
const MAX_WIDTH = 4096;
/** Largest flat input of a dense layer (a flattened feature map) and largest c*h*w. */
const MAX_VALUES = 1 << 20;
/** Largest side, channel count, kernel, stride or padding of a spatial layer. */
const MAX_SPATIAL = 1024;
const MAX_PARAMS = 16 * 1024 * 1024;

const ACTS: readonly LayerActivation[] = [...ACTIVATIONS, 'softmax'];
/** The output activation each loss trains with (OUTPUT_HEAD, keyed by loss). */
const OUTPUT_FOR_LOSS = Object.fromEntries(Object.values(OUTPUT_HEAD).map((h) => [h.loss, h.activation])) as Readonly<Record<LossName, LayerActivation>>;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

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

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** A trained model of any lab, as a file holds it, before the core judged its layers. */
export type LabModelContent = {
  [L in LabId]: { lab: L; config: LabLinkParts[L]['config']; layers: LayerSpec[]; loss: LossName; epoch: number; params: Float32Array }
}[LabId];

/** A trained model of any lab with the core's parameter layout of its layers
 *  (a live model's paramLayout(), or the core's answer for a file). */
export type LabModel = LabModelContent & { blocks: readonly ParamBlock[] };

export type LabLoadResult = { ok: true; model: LabModel } | { ok: false; error: string };

/** What model files need of a lab: its config schema and its model-file part. */
type ModelLab<C> = LabModelFile<C> & { codec: LabCodec<C> };

function modelLab(lab: LabId): ModelLab<unknown> {
  return { ...(MODEL_FILES[lab] as LabModelFile<unknown>), codec: (LINK_LABS[lab] as { codec: LabCodec<unknown> }).codec };
}

/** The lab whose files of format 1 are (written before labs had ids), if any. */
const FORMAT_1_LAB: LabId | undefined = LAB_IDS.find((id) => MODEL_FILES[id].readsFormat1);

/** The output layer a loss needs (any lab): sigmoid + 1 for bce, softmax + several for ce, linear for mse. */
function checkHead(layers: readonly LayerSpec[], loss: LossName): string | null {
  const last = layers[layers.length - 1]!;
  if (last.kind !== 'dense') return 'The output layer must be a dense layer.';
  if (last.activation !== OUTPUT_FOR_LOSS[loss]) return `A ${loss} loss needs a ${OUTPUT_FOR_LOSS[loss]} output layer.`;
  if ((loss === 'ce') !== (last.units > 1)) return `A ${loss} network with ${last.units} output${last.units === 1 ? '' : 's'} is not one this page builds.`;
  for (const l of layers.slice(0, -1)) if (l.activation === 'softmax') return 'Only the output layer may be a softmax.';
  return null;
}

/** The text of a model file (JSON, format 2). Throws if the model is inconsistent: a bug in the caller. */
export function serializeLabModel(model: LabModel): string {
  if (model.params.length !== blocksLength(model.blocks)) throw new Error('serializeLabModel: params do not match the layers');
  const lab = modelLab(model.lab);
  const problems = lab.codec.validate(model.config);
  if (problems.length > 0) throw new Error(`serializeLabModel: ${problems[0]}`);
  return `${JSON.stringify({
    magic: MODEL_MAGIC,
    formatVersion: MODEL_FORMAT_VERSION,
    lab: model.lab,
    config: model.config,
    layers: model.layers.map(layerJson),
    loss: model.loss,
    epoch: model.epoch,
    params: floatsToBase64(model.params),
  }, null, 1)}\n`;
}

/** A layer as a file holds it (fixed key order). */
export function layerJson(l: LayerSpec): Record<string, unknown> {
  switch (l.kind) {
    case 'dense': return { kind: l.kind, inputs: l.inputs, units: l.units, activation: l.activation, ...(l.steps !== undefined ? { steps: l.steps } : {}) };
    case 'rnn': case 'lstm': return { kind: l.kind, input: [...l.input], hidden: l.hidden, returnSequences: l.returnSequences, activation: l.activation };
    case 'conv2d': return { kind: l.kind, input: [...l.input], filters: l.filters, kernel: l.kernel, stride: l.stride, padding: l.padding, activation: l.activation };
    case 'maxpool': return { kind: l.kind, input: [...l.input], kernel: l.kernel, stride: l.stride, activation: l.activation };
    case 'flatten': return { kind: l.kind, input: [...l.input], activation: l.activation };
  }
}

/** A file name such as "nn-circle-2-4-2-1.json" or "nn-mnist-784-128-10.json". */
export function labModelFileName(model: Pick<LabModel, 'lab' | 'config' | 'layers'>): string {
  return `${modelLab(model.lab).baseName(model.config, model.layers)}.json`;
}

/** A model file whose envelope the page checked; the core has not judged its layers yet. */
export interface ModelEnvelope {
  model: LabModelContent;
  /** The params text's bytes (their count is checked against the core's). */
  bytes: Uint8Array;
  /** The first parameter that is not a finite number, if any. */
  nonFinite: { index: number; value: number } | null;
  /** Inputs where the outputs must be finite (the lab's probes). */
  probes: { input: Float32Array; where: string }[];
}

export type EnvelopeResult = { ok: true; file: ModelEnvelope } | { ok: false; error: string };

/**
 * Reads and checks a model file of any lab completely, the core judging its
 * layers and parameters (format 2, or format 1 as the playground's). With
 * `lab`, a file of another lab is refused and says where it belongs. Never
 * rejects; errors are plain English.
 */
export async function readLabModelFile(text: unknown, lab: LabId | undefined, askCore: AskCore): Promise<LabLoadResult> {
  const r = parseModelEnvelope(text, lab);
  if (!r.ok) return r;
  const { model, nonFinite, bytes } = r.file;
  let verdict: CoreVerdict;
  try {
    // The parameters go along for the probes when they can be loaded (finite, whole floats).
    const params = nonFinite === null && bytes.length % 4 === 0 ? model.params : undefined;
    verdict = await askCore({ layers: model.layers, loss: model.loss, maxParams: MAX_PARAMS, params, probes: r.file.probes.map((p) => p.input) });
  } catch (err) {
    return fail(`The engine could not check the file: ${err instanceof Error ? err.message : String(err)}.`);
  }
  return checkWithCore(r.file, verdict);
}

/**
 * The page's half of reading a model file: everything but the layers'
 * fit and the parameter count, which only the core knows. Never throws.
 */
export function parseModelEnvelope(text: unknown, lab?: LabId): EnvelopeResult {
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
  const r = d.formatVersion === MODEL_FORMAT_V1 ? readV1(d) : readV2(d);
  if (r.ok && lab !== undefined && r.file.model.lab !== lab) {
    return fail(`This model was saved from the ${r.file.model.lab} lab; open it there (this is the ${lab} lab).`);
  }
  return r;
}

/** The core's half: the layers chain and fit (the core's plan), the parameter count, the probes. */
export function checkWithCore(file: ModelEnvelope, verdict: CoreVerdict): LabLoadResult {
  if (!verdict.ok) return fail(verdict.error);
  const { count } = verdict;
  if (count > MAX_PARAMS) return fail(`The network in the file is too large (${count} parameters; at most ${MAX_PARAMS}).`);
  const { model, bytes, nonFinite, probes } = file;
  const wrong = modelLab(model.lab).checkNetwork(model.config, model.layers, model.loss) ?? checkHead(model.layers, model.loss);
  if (wrong) return fail(wrong);
  if (verdict.refused !== null) return fail(verdict.refused);
  if (bytes.length !== count * 4) {
    return fail(`The file holds ${Math.floor(bytes.length / 4)} parameters${bytes.length % 4 ? ' and a partial one' : ''}; this network needs ${count}.`);
  }
  if (nonFinite) return fail(`Parameter ${nonFinite.index} is ${String(nonFinite.value)}; a model file holds finite numbers only.`);
  if (blocksLength(verdict.blocks) !== count || verdict.logits.length !== probes.length) return fail('The engine gave no layout for this network.');
  // Valid finite weights can still overflow (a hostile or corrupted file): such a model would only ever show NaN.
  for (let i = 0; i < probes.length; i++) {
    const z = verdict.logits[i]!;
    if (!z.every((v) => Number.isFinite(v) && (model.loss !== 'mse' || Math.abs(v) <= MAX_MSE_OUTPUT))) {
      return fail(`The weights are so large that the network's output overflows (it is not a finite number ${probes[i]!.where}); this page cannot train or show such a model.`);
    }
  }
  return { ok: true, model: { ...model, blocks: verdict.blocks } };
}

/** A lab's config from a file, checked by the lab's link codec (GAN files pass it as their readConfig). */
export function readConfig<C>(codec: LabCodec<C>, raw: unknown): { ok: true; config: C } | { ok: false; error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'The file has no "config" object.' };
  const missing = codec.fields.find((f) => !Object.prototype.hasOwnProperty.call(raw, f.key));
  if (missing) return { ok: false, error: `The file's config lacks the setting "${missing.key}".` };
  const parsed = codec.fromObject(raw);
  if (parsed.rejected.length > 0) {
    const r = parsed.rejected[0]!;
    return { ok: false, error: `The file's config is invalid: ${r.key} "${r.value}" ${r.reason.replace(/; the default.*$/, '')}.` };
  }
  const invalid = codec.validate(parsed.config);
  if (invalid.length > 0) return { ok: false, error: `The file's config is invalid: ${invalid[0]}.` };
  return { ok: true, config: parsed.config };
}

const LOSSES: readonly LossName[] = ['mse', 'bce', 'ce'];

/** Format 1: sizes + activations, of the lab whose model-file part reads it (the playground). */
function readV1(d: Record<string, unknown>): EnvelopeResult {
  if (FORMAT_1_LAB === undefined) return fail(`This page reads no model files of format ${MODEL_FORMAT_V1}.`);
  const c = readConfig(modelLab(FORMAT_1_LAB).codec, d.config);
  if (!c.ok) return c;
  const sizes = d.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.length > MAX_LAYERS + 1 || !sizes.every((s) => isIntIn(s, 1, MAX_WIDTH))) {
    return fail(`The file's "sizes" must be 2 to ${MAX_LAYERS + 1} whole numbers from 1 to ${MAX_WIDTH}.`);
  }
  const loss = d.loss;
  if (!(LOSSES as readonly unknown[]).includes(loss)) return fail('The file\'s "loss" must be "mse", "bce" or "ce".');
  const acts = d.activations;
  if (!Array.isArray(acts) || acts.length !== sizes.length - 1 || !acts.every((a) => (ACTS as readonly unknown[]).includes(a))) {
    return fail(`The file's "activations" must list ${sizes.length - 1} names from: ${ACTS.join(', ')}.`);
  }
  return finishEnvelope(FORMAT_1_LAB, c.config, denseLayers(sizes as number[], acts as LayerActivation[]), loss as LossName, d);
}

/** Format 2: any lab, a layer list (whether they chain is the core's verdict). */
function readV2(d: Record<string, unknown>): EnvelopeResult {
  if (typeof d.lab !== 'string' || !(LAB_IDS as readonly string[]).includes(d.lab)) {
    return fail(`The file is for a lab this page does not have (${JSON.stringify(d.lab)?.slice(0, 40) ?? 'none'}; it has ${LAB_IDS.join(', ')}).`);
  }
  const labId = d.lab as LabId;
  const lab = modelLab(labId);
  const c = readConfig(lab.codec, lab.upgradeConfig ? lab.upgradeConfig(d.config) : d.config);
  if (!c.ok) return c;
  const raw = d.layers;
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_LAYERS) return fail(`The file's "layers" must list 1 to ${MAX_LAYERS} layers.`);
  const layers: LayerSpec[] = [];
  for (let i = 0; i < raw.length; i++) {
    const l = readLayer(raw[i], i);
    if (typeof l === 'string') return fail(l);
    layers.push(l);
  }
  if (!(LOSSES as readonly unknown[]).includes(d.loss)) return fail('The file\'s "loss" must be "mse", "bce" or "ce".');
  return finishEnvelope(labId, c.config, layers, d.loss as LossName, d);
}

const shapeOk = (v: unknown): v is Shape3 =>
  Array.isArray(v) && v.length === 3 && v.every((n) => isIntIn(n, 1, MAX_SPATIAL)) && (v as number[]).reduce((a, b) => a * b, 1) <= MAX_VALUES;

/** One layer of a format-2 file, or the sentence saying what is wrong with it (its fields; whether it fits its input is the core's verdict). */
export function readLayer(raw: unknown, i: number): LayerSpec | string {
  const n = i + 1;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `Layer ${n} in the file is not an object.`;
  const l = raw as Record<string, unknown>;
  if (!(LAYER_KINDS as readonly unknown[]).includes(l.kind)) return `Layer ${n} has the kind ${JSON.stringify(l.kind)?.slice(0, 40) ?? 'none'}; this page knows: ${LAYER_KINDS.join(', ')}.`;
  if (!(ACTS as readonly unknown[]).includes(l.activation)) return `Layer ${n}'s "activation" must be one of: ${ACTS.join(', ')}.`;
  const activation = l.activation as LayerActivation;
  if (l.kind === 'dense') {
    if (!isIntIn(l.inputs, 1, MAX_VALUES) || !isIntIn(l.units, 1, MAX_WIDTH)) return `Layer ${n}'s "inputs" and "units" must be whole numbers from 1 to ${MAX_VALUES} and ${MAX_WIDTH}.`;
    if (l.steps === undefined) return { kind: 'dense', inputs: l.inputs, units: l.units, activation };
    if (!isIntIn(l.steps, 1, MAX_SPATIAL)) return `Layer ${n}'s "steps" (a per-step dense layer's) must be a whole number from 1 to ${MAX_SPATIAL}.`;
    return { kind: 'dense', inputs: l.inputs, units: l.units, activation, steps: l.steps };
  }
  if (!shapeOk(l.input)) return `Layer ${n}'s "input" must be [channels, height, width], whole numbers from 1 to ${MAX_SPATIAL}.`;
  const input: Shape3 = [l.input[0], l.input[1], l.input[2]];
  if (l.kind === 'rnn' || l.kind === 'lstm') {
    if (!isIntIn(l.hidden, 1, MAX_WIDTH) || typeof l.returnSequences !== 'boolean') {
      return `Layer ${n} (${l.kind}) needs "hidden", a whole number from 1 to ${MAX_WIDTH}, and "returnSequences", true or false.`;
    }
    return { kind: l.kind, input, hidden: l.hidden, returnSequences: l.returnSequences, activation };
  }
  if (l.kind !== 'conv2d' && activation !== 'linear') return `Layer ${n} (${String(l.kind)}) must have the activation "linear".`;
  let layer: LayerSpec;
  if (l.kind === 'flatten') layer = { kind: 'flatten', input, activation: 'linear' };
  else if (l.kind === 'maxpool') {
    if (!isIntIn(l.kernel, 1, MAX_SPATIAL) || !isIntIn(l.stride, 1, MAX_SPATIAL)) return `Layer ${n}'s "kernel" and "stride" must be whole numbers from 1 to ${MAX_SPATIAL}.`;
    layer = { kind: 'maxpool', input, kernel: l.kernel, stride: l.stride, activation: 'linear' };
  } else {
    if (!isIntIn(l.filters, 1, MAX_SPATIAL) || !isIntIn(l.kernel, 1, MAX_SPATIAL) || !isIntIn(l.stride, 1, MAX_SPATIAL) || !isIntIn(l.padding, 0, MAX_SPATIAL)) {
      return `Layer ${n}'s "filters", "kernel", "stride" and "padding" must be whole numbers (1 to ${MAX_SPATIAL}; padding from 0).`;
    }
    layer = { kind: 'conv2d', input, filters: l.filters, kernel: l.kernel, stride: l.stride, padding: l.padding, activation };
  }
  return layer;
}

/** The envelope checks both formats share: the epoch, the parameters' text (the network against the lab waits for the core's plan). */
function finishEnvelope(labId: LabId, config: unknown, layers: LayerSpec[], loss: LossName, d: Record<string, unknown>): EnvelopeResult {
  const lab = modelLab(labId);
  const epoch = d.epoch === undefined ? 0 : d.epoch;
  if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0 || (d.formatVersion === MODEL_FORMAT_V1 && !Number.isInteger(epoch))) {
    return fail('The file\'s "epoch" must be a number of epochs (0 or more).');
  }
  if (typeof d.params !== 'string') return fail('The file has no "params" text.');
  const bytes = base64ToBytes(d.params);
  if (typeof bytes === 'string') return fail(`The parameters are damaged: ${bytes}.`);
  const n = Math.floor(bytes.length / 4);
  const params = new Float32Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let nonFinite: ModelEnvelope['nonFinite'] = null;
  for (let i = 0; i < n; i++) {
    const v = dv.getFloat32(i * 4, true);
    if (!Number.isFinite(v) && nonFinite === null) nonFinite = { index: i, value: v };
    params[i] = v;
  }
  const model = { lab: labId, config, layers, loss, epoch, params } as LabModelContent;
  return { ok: true, file: { model, bytes, nonFinite, probes: lab.probes(config) } };
}

/** Largest output pre-activation a squared-error loss can square in float32. */
const MAX_MSE_OUTPUT = 1e18;
