// GAN files: both networks of a GAN (engine/gan.js's GanPair) in one JSON
// file, for any GAN lab. The lab's config rides along opaque (the lab checks
// it with its own codec, through `readConfig`); everything needed to rebuild
// the pair is here: the noise, the loss, the steps, and per network its layer
// list (model files' layer form), the core's parameter blocks, the
// parameters (base64 little-endian float32, the core's layout) and its
// optimizer.
//
// Format 1:
//   { magic: "nn-playground-gan", formatVersion: 1, lab, config,
//     gan: { noiseDim, noise: "uniform" | "gaussian", loss: "bce" | "least_squares",
//            batch, dSteps, gSteps, seed },
//     generator:     { layers: [...], blocks: [{ layer, block, offset, shape }], optimizer: { kind, lr, beta1, beta2 }, params },
//     discriminator: { ...the same },
//     iterations }
//
// Reading checks the envelope first (magic, version, lab, config, settings,
// layer fields, base64, finite numbers), then asks the core about each
// network (its plan, parameter count and blocks: they must equal the
// file's; outputs at probe inputs must be finite), all before anything is
// returned: a bad file changes nothing. JS never computes the layout.
//
// Where the engine is (the worker, tests): ganSnapshot(pair) reads a live
// pair, restoreGanPair(engine, snapshot) builds one from a file's snapshot.

import type { Engine } from '../engine/nn-wasm.js';
import { GanPair, type GanSpec } from '../engine/gan.js';
import { base64ToBytes, floatsToBase64 } from './base64';
import { engineNetwork, type AskCore, type CoreVerdict } from './coreLayout';
import { blocksLength, inputSize, outputSize, type LayerSpec, type ParamBlock, type Shape3 } from './layers';
import { layerJson, MODEL_MAGIC, readLayer } from './modelFile';
import type { LayerActivation } from './network';

export const GAN_MAGIC = 'nn-playground-gan';
export const GAN_FORMAT_VERSION = 1;
/** Largest file read (characters). */
export const MAX_GAN_FILE_CHARS = 64 * 1024 * 1024;
const MAX_LAYERS = 16;
const MAX_PARAMS = 16 * 1024 * 1024;
const MAX_NOISE = 4096;
const MAX_BATCH = 32768; // D trains on 2 x batch rows, at most the core's 65536
const MAX_STEPS = 100;
/** Largest output pre-activation a squared loss can square in float32 (modelFile.ts's bound). */
const MAX_OUTPUT = 1e18;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type NoiseKind = 'uniform' | 'gaussian';
export type GanLossName = 'bce' | 'least_squares';
export type GanOptimizerName = 'sgd' | 'momentum' | 'adam';
export const NOISE_KINDS: readonly NoiseKind[] = ['uniform', 'gaussian'];
export const GAN_LOSSES: readonly GanLossName[] = ['bce', 'least_squares'];
export const GAN_OPTIMIZERS: readonly GanOptimizerName[] = ['sgd', 'momentum', 'adam'];

/** A network's optimizer with every value resolved (GanPair's defaults filled in). */
export interface GanOptimizerSettings {
  kind: GanOptimizerName;
  lr: number;
  beta1: number;
  beta2: number;
}

/** One network: layers (model files' form), the core's blocks, the parameters, the optimizer. */
export interface GanNetwork {
  layers: LayerSpec[];
  blocks: ParamBlock[];
  params: Float32Array;
  optimizer: GanOptimizerSettings;
}

/** What rebuilds the pair besides the networks (GanSpec's other fields). */
export interface GanSettings {
  noiseDim: number;
  noise: NoiseKind;
  loss: GanLossName;
  batch: number;
  dSteps: number;
  gSteps: number;
  seed: number;
}

/** A GAN as a file holds it, without the lab's part. */
export interface GanSnapshot {
  settings: GanSettings;
  generator: GanNetwork;
  discriminator: GanNetwork;
  iterations: number;
}

/** A GAN file's content: the lab, its config (the lab's, opaque here) and the GAN. */
export interface GanModel<C = unknown> extends GanSnapshot {
  lab: string;
  config: C;
}

export type GanReadResult<C = unknown> = { ok: true; model: GanModel<C> } | { ok: false; error: string };

/** The lab's check of its config: the config, or a sentence. */
export type GanConfigReader<C> = (raw: unknown) => { ok: true; config: C } | { ok: false; error: string };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
const isIntIn = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- where the engine is ----

const ACTIVATION_BY_ID: readonly LayerActivation[] = ['linear', 'relu', 'leaky_relu', 'tanh', 'sigmoid', 'softmax'];
const KIND_BY_ID = ['dense', 'conv2d', 'maxpool', 'flatten', 'rnn', 'lstm'] as const;

/** A live model's layers in model files' form, from the core's descriptors and shapes. */
function liveLayers(model: GanPair['g']): LayerSpec[] {
  const shapes = model.layerShapes();
  return model.descriptors().map((d, i): LayerSpec => {
    const [kindId = -1, actId = -1, a = 0, b = 0, c = 0, e = 0, f = 0] = d;
    const kind = KIND_BY_ID[kindId];
    const activation = ACTIVATION_BY_ID[actId];
    const s = shapes[i]!;
    const input: Shape3 = [s[0]!, s[1]!, s[2]!];
    if (!kind || !activation) throw new Error(`ganSnapshot: layer ${i + 1} has a descriptor this page does not know`);
    switch (kind) {
      case 'dense': return b ? { kind, inputs: input[1], units: a, activation, steps: input[0] } : { kind, inputs: input[0] * input[1] * input[2], units: a, activation };
      case 'conv2d':
        if (b !== c) throw new Error('ganSnapshot: a conv2d layer with a non-square kernel has no file form');
        return { kind, input, filters: a, kernel: b, stride: e, padding: f, activation };
      case 'maxpool': return { kind, input, kernel: a, stride: b, activation: 'linear' };
      case 'flatten': return { kind, input, activation: 'linear' };
      case 'rnn': case 'lstm': return { kind, input, hidden: a, returnSequences: b !== 0, activation };
    }
  });
}

function resolvedOptimizer(o: GanSpec['optG']): GanOptimizerSettings {
  // GanPair.setOptimizers' defaults, held as the engine holds them (float32).
  return {
    kind: o.kind,
    lr: Math.fround(o.lr),
    beta1: Math.fround(o.beta1 ?? (o.kind === 'adam' ? 0.5 : 0.9)),
    beta2: Math.fround(o.beta2 ?? 0.999),
  };
}

/** A live pair as a file would hold it (copies; the pair is not changed). */
export function ganSnapshot(pair: GanPair, iterations = pair.iterations): GanSnapshot {
  const s = pair.spec;
  const net = (m: GanPair['g'], o: GanSpec['optG']): GanNetwork => ({ layers: liveLayers(m), blocks: m.paramLayout(), params: m.params(), optimizer: resolvedOptimizer(o) });
  return {
    settings: { noiseDim: s.noiseDim, noise: s.noise, loss: s.loss, batch: s.batch, dSteps: s.dSteps, gSteps: s.gSteps, seed: s.seed >>> 0 },
    generator: net(pair.g, s.optG),
    discriminator: net(pair.d, s.optD),
    iterations,
  };
}

/**
 * The GanSpec that builds a snapshot's pair (its networks freshly
 * initialised); `extra` adds what the file does not hold (e.g. a lab's
 * view sizes) or overrides a setting.
 */
export function ganSpec(snapshot: GanSnapshot, extra: Partial<GanSpec> = {}): GanSpec {
  const { settings: s, generator: g, discriminator: d } = snapshot;
  const gNet = engineNetwork(g.layers);
  const dNet = engineNetwork(d.layers);
  return {
    noiseDim: s.noiseDim,
    noise: s.noise,
    sampleShape: dNet.input,
    generator: gNet.layers,
    discriminator: dNet.layers,
    loss: s.loss,
    optG: { ...g.optimizer },
    optD: { ...d.optimizer },
    batch: s.batch,
    dSteps: s.dSteps,
    gSteps: s.gSteps,
    seed: s.seed,
    ...extra,
  };
}

/**
 * A new pair with a snapshot's parameters and iteration count. The
 * optimizers start fresh (their state is not saved) and the noise stream
 * starts from the seed again. `extra` as for ganSpec (the layers and
 * the noise size must stay the file's). Throws (NnError) if the engine
 * refuses it; a snapshot from readGanFile has been judged by the core already.
 */
export function restoreGanPair(engine: Engine, snapshot: GanSnapshot, extra: Partial<GanSpec> = {}): GanPair {
  const pair = new GanPair(engine, ganSpec(snapshot, extra));
  try {
    pair.g.loadParams(snapshot.generator.params);
    pair.d.loadParams(snapshot.discriminator.params);
  } catch (err) {
    pair.destroy();
    throw err;
  }
  pair.iterations = snapshot.iterations;
  return pair;
}

// ---- writing ----

function networkJson(n: GanNetwork): Record<string, unknown> {
  return {
    layers: n.layers.map(layerJson),
    blocks: n.blocks.map((b) => ({ layer: b.layer, block: b.block, offset: b.offset, shape: [...b.shape] })),
    optimizer: { kind: n.optimizer.kind, lr: n.optimizer.lr, beta1: n.optimizer.beta1, beta2: n.optimizer.beta2 },
    params: floatsToBase64(n.params),
  };
}

/**
 * The text of a GAN file. Pass a live pair (where the engine is) or a
 * snapshot; `iterations` defaults to the pair's (or the snapshot's).
 * Throws on an inconsistent model (a caller bug).
 */
export function ganFileText(input: { lab: string; config: unknown; iterations?: number } & ({ pair: GanPair } | { snapshot: GanSnapshot })): string {
  const snap = 'pair' in input ? ganSnapshot(input.pair) : input.snapshot;
  const iterations = input.iterations ?? snap.iterations;
  for (const [name, n] of [['generator', snap.generator], ['discriminator', snap.discriminator]] as const) {
    if (n.params.length !== blocksLength(n.blocks)) throw new Error(`ganFileText: the ${name}'s parameters do not match its blocks`);
  }
  if (!isIntIn(iterations, 0, Number.MAX_SAFE_INTEGER)) throw new Error('ganFileText: iterations must be a whole number');
  return `${JSON.stringify({
    magic: GAN_MAGIC,
    formatVersion: GAN_FORMAT_VERSION,
    lab: input.lab,
    config: input.config,
    gan: { ...snap.settings },
    generator: networkJson(snap.generator),
    discriminator: networkJson(snap.discriminator),
    iterations,
  }, null, 1)}\n`;
}

/** A file name such as "nn-gan-2-8-2-vs-2-8-1.json" (the networks' flat sizes). */
export function ganFileName(lab: string, snapshot: Pick<GanSnapshot, 'generator' | 'discriminator'>): string {
  const sizes = (layers: readonly LayerSpec[]) => [inputSize(layers[0]!), ...layers.map(outputSize)].join('-');
  return `nn-${lab}-${sizes(snapshot.generator.layers)}-vs-${sizes(snapshot.discriminator.layers)}.json`;
}

// ---- reading ----

/** A network whose fields the page checked; the core has not judged it yet. */
interface NetworkEnvelope {
  name: 'generator' | 'discriminator';
  layers: LayerSpec[];
  blocks: ParamBlock[];
  optimizer: GanOptimizerSettings;
  params: Float32Array;
  bytes: number;
  nonFinite: { index: number; value: number } | null;
}

/** A GAN file whose envelope was checked; the core has not judged its networks yet. */
export interface GanEnvelope<C = unknown> {
  lab: string;
  config: C;
  settings: GanSettings;
  generator: NetworkEnvelope;
  discriminator: NetworkEnvelope;
  iterations: number;
}

function findForbiddenKey(v: unknown, depth: number): string | undefined {
  if (depth > 8 || !isObject(v) && !Array.isArray(v)) return undefined;
  for (const k of Object.keys(v as object)) {
    if (FORBIDDEN_KEYS.has(k)) return k;
    const inner = findForbiddenKey((v as Record<string, unknown>)[k], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

function readSettings(raw: unknown): GanSettings | string {
  if (!isObject(raw)) return 'The file has no "gan" settings object.';
  const { noiseDim, noise, loss, batch, dSteps, gSteps, seed } = raw;
  if (!isIntIn(noiseDim, 1, MAX_NOISE)) return `The file's "noiseDim" must be a whole number from 1 to ${MAX_NOISE}.`;
  if (!(NOISE_KINDS as readonly unknown[]).includes(noise)) return `The file's "noise" must be one of: ${NOISE_KINDS.join(', ')}.`;
  if (!(GAN_LOSSES as readonly unknown[]).includes(loss)) return `The file's GAN "loss" must be one of: ${GAN_LOSSES.join(', ')}.`;
  if (!isIntIn(batch, 1, MAX_BATCH)) return `The file's "batch" must be a whole number from 1 to ${MAX_BATCH}.`;
  if (!isIntIn(dSteps, 0, MAX_STEPS) || !isIntIn(gSteps, 0, MAX_STEPS)) return `The file's "dSteps" and "gSteps" must be whole numbers from 0 to ${MAX_STEPS}.`;
  if (!isIntIn(seed, 0, 0xffffffff)) return 'The file\'s "seed" must be a whole number from 0 to 4294967295.';
  return { noiseDim, noise: noise as NoiseKind, loss: loss as GanLossName, batch, dSteps, gSteps, seed };
}

function readOptimizer(raw: unknown, who: string): GanOptimizerSettings | string {
  if (!isObject(raw)) return `The ${who} has no "optimizer" object.`;
  const { kind, lr, beta1, beta2 } = raw;
  if (!(GAN_OPTIMIZERS as readonly unknown[]).includes(kind)) return `The ${who}'s optimizer must be one of: ${GAN_OPTIMIZERS.join(', ')}.`;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0 || lr > 10) return `The ${who}'s learning rate must be a number above 0 and at most 10.`;
  const beta = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1;
  if (!beta(beta1) || !beta(beta2)) return `The ${who}'s optimizer "beta1" and "beta2" must be numbers from 0 to below 1.`;
  return { kind: kind as GanOptimizerName, lr, beta1: beta1 as number, beta2: beta2 as number };
}

function readBlocks(raw: unknown, who: string): ParamBlock[] | string {
  const bad = `The ${who}'s "blocks" must list its parameter blocks ({ layer, block, offset, shape }).`;
  if (!Array.isArray(raw) || raw.length > 4 * MAX_LAYERS) return bad;
  const blocks: ParamBlock[] = [];
  for (const b of raw) {
    if (!isObject(b) || !isIntIn(b.layer, 0, MAX_LAYERS) || !isIntIn(b.block, 0, 8) || !isIntIn(b.offset, 0, MAX_PARAMS)) return bad;
    const shape = b.shape;
    if (!Array.isArray(shape) || shape.length < 1 || shape.length > 4 || !shape.every((d) => isIntIn(d, 1, MAX_PARAMS))) return bad;
    const dims = shape as number[];
    blocks.push({ layer: b.layer, block: b.block, offset: b.offset, shape: [...dims], length: dims.reduce((p, d) => p * d, 1) });
  }
  return blocks;
}

function readNetwork(raw: unknown, name: 'generator' | 'discriminator'): NetworkEnvelope | string {
  if (!isObject(raw)) return `The file has no "${name}" object.`;
  const layersRaw = raw.layers;
  if (!Array.isArray(layersRaw) || layersRaw.length < 1 || layersRaw.length > MAX_LAYERS) return `The ${name}'s "layers" must list 1 to ${MAX_LAYERS} layers.`;
  const layers: LayerSpec[] = [];
  for (let i = 0; i < layersRaw.length; i++) {
    const l = readLayer(layersRaw[i], i);
    if (typeof l === 'string') return `The ${name}: ${l}`;
    layers.push(l);
  }
  const blocks = readBlocks(raw.blocks, name);
  if (typeof blocks === 'string') return blocks;
  const optimizer = readOptimizer(raw.optimizer, name);
  if (typeof optimizer === 'string') return optimizer;
  if (typeof raw.params !== 'string') return `The ${name} has no "params" text.`;
  const bytes = base64ToBytes(raw.params);
  if (typeof bytes === 'string') return `The ${name}'s parameters are damaged: ${bytes}.`;
  const n = Math.floor(bytes.length / 4);
  const params = new Float32Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let nonFinite: NetworkEnvelope['nonFinite'] = null;
  for (let i = 0; i < n; i++) {
    const v = dv.getFloat32(i * 4, true);
    if (!Number.isFinite(v) && nonFinite === null) nonFinite = { index: i, value: v };
    params[i] = v;
  }
  return { name, layers, blocks, optimizer, params, bytes: bytes.length, nonFinite };
}

/**
 * The page's half of reading a GAN file: everything but what only the core
 * knows (whether the layers chain, the parameter count and blocks). With
 * `readConfig`, the lab checks its config. Never throws.
 */
export function parseGanEnvelope<C = unknown>(text: unknown, lab: string, readConfig?: GanConfigReader<C>): { ok: true; file: GanEnvelope<C> } | { ok: false; error: string } {
  if (typeof text !== 'string') return fail('The file could not be read as text.');
  if (text.length > MAX_GAN_FILE_CHARS) return fail(`The file is too large (${text.length} characters; at most ${MAX_GAN_FILE_CHARS}).`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('This is not a GAN file: it is not valid JSON (it may be truncated).');
  }
  if (!isObject(doc)) return fail('This is not a GAN file: it holds no JSON object.');
  const bad = findForbiddenKey(doc, 0);
  if (bad) return fail(`The file contains the key "${bad}", which a GAN file never has; it was not loaded.`);
  if (doc.magic === MODEL_MAGIC) return fail(`This is a model file of one network${typeof doc.lab === 'string' ? ` (from the ${doc.lab.slice(0, 40)} lab)` : ''}, not a GAN file with both networks.`);
  if (doc.magic !== GAN_MAGIC) return fail(`This is not a GAN file from this page (its "magic" is not "${GAN_MAGIC}").`);
  if (!isIntIn(doc.formatVersion, 1, Number.MAX_SAFE_INTEGER)) return fail('The file has no valid formatVersion.');
  if (doc.formatVersion > GAN_FORMAT_VERSION) return fail(`The file was saved by a newer version of this page (GAN format ${doc.formatVersion}; this page reads format ${GAN_FORMAT_VERSION}).`);
  if (typeof doc.lab !== 'string') return fail('The file does not say which lab it is from.');
  if (doc.lab !== lab) return fail(`This GAN was saved from the ${doc.lab.slice(0, 40)} lab; open it there (this is the ${lab} lab).`);
  if (!isObject(doc.config)) return fail('The file has no "config" object.');
  let config = doc.config as unknown as C;
  if (readConfig) {
    const c = readConfig(doc.config);
    if (!c.ok) return c;
    config = c.config;
  }
  const settings = readSettings(doc.gan);
  if (typeof settings === 'string') return fail(settings);
  const generator = readNetwork(doc.generator, 'generator');
  if (typeof generator === 'string') return fail(generator);
  const discriminator = readNetwork(doc.discriminator, 'discriminator');
  if (typeof discriminator === 'string') return fail(discriminator);
  const iterations = doc.iterations === undefined ? 0 : doc.iterations;
  if (!isIntIn(iterations, 0, Number.MAX_SAFE_INTEGER)) return fail('The file\'s "iterations" must be a whole number (0 or more).');
  // The pair's fit that the file's own fields show: G reads the noise, D reads G's samples, D gives one linear output.
  const gIn = inputSize(generator.layers[0]!);
  if (gIn !== settings.noiseDim) return fail(`The generator reads ${gIn} values but the noise has ${settings.noiseDim}.`);
  const gOut = outputSize(generator.layers[generator.layers.length - 1]!);
  const dIn = inputSize(discriminator.layers[0]!);
  if (gOut !== dIn) return fail(`The generator makes samples of ${gOut} values but the discriminator reads ${dIn}.`);
  const last = discriminator.layers[discriminator.layers.length - 1]!;
  if (last.kind !== 'dense' || last.units !== 1 || last.activation !== 'linear' || last.steps !== undefined) {
    return fail('The discriminator must end with one dense unit with a linear activation (its logit or score).');
  }
  return { ok: true, file: { lab: doc.lab, config, settings, generator, discriminator, iterations } };
}

/** Inputs where a network's outputs must be finite: zeros, ones and minus ones (noise: its typical range). */
function probesFor(inputs: number, scale: number): Float32Array[] {
  return [0, scale, -scale].map((v) => new Float32Array(inputs).fill(v));
}

const sameBlocks = (a: readonly ParamBlock[], b: readonly ParamBlock[]) =>
  a.length === b.length && a.every((x, i) => {
    const y = b[i]!;
    return x.layer === y.layer && x.block === y.block && x.offset === y.offset && x.shape.join('x') === y.shape.join('x');
  });

/** The core's half for one network: its plan and count, the blocks the file lists, the parameters, finite outputs. */
export function checkNetworkWithCore(net: NetworkEnvelope, verdict: CoreVerdict): string | null {
  const who = `The ${net.name}`;
  if (!verdict.ok) return `${who}: ${verdict.error}`;
  if (verdict.count > MAX_PARAMS) return `${who} is too large (${verdict.count} parameters; at most ${MAX_PARAMS}).`;
  if (verdict.refused !== null) return `${who}: ${verdict.refused}`;
  if (net.bytes !== verdict.count * 4) {
    return `${who} has ${Math.floor(net.bytes / 4)} parameters${net.bytes % 4 ? ' and a partial one' : ''} in the file; its layers need ${verdict.count}.`;
  }
  if (net.nonFinite) return `${who}'s parameter ${net.nonFinite.index} is ${String(net.nonFinite.value)}; a GAN file holds finite numbers only.`;
  if (!sameBlocks(net.blocks, verdict.blocks)) return `${who}'s parameter blocks in the file are not the engine's layout of its layers (the file is damaged or from another version).`;
  for (const z of verdict.logits) {
    if (!z.every((v) => Number.isFinite(v) && Math.abs(v) <= MAX_OUTPUT)) return `${who}'s weights are so large that its output overflows; this page cannot train or show such a GAN.`;
  }
  return null;
}

/**
 * Reads and checks a GAN file completely: the envelope, then the core's
 * verdict on each network. Never rejects; an error is plain English and
 * ends with "Nothing was changed." (nothing is, until the caller applies
 * the model).
 */
export async function readGanFile<C = unknown>(text: unknown, lab: string, askCore: AskCore, readConfig?: GanConfigReader<C>): Promise<GanReadResult<C>> {
  const done = (error: string) => fail(`${error} Nothing was changed.`);
  const r = parseGanEnvelope(text, lab, readConfig);
  if (!r.ok) return done(r.error);
  const { file } = r;
  const nets = [file.generator, file.discriminator] as const;
  for (const net of nets) {
    let verdict: CoreVerdict;
    try {
      const whole = net.nonFinite === null && net.bytes % 4 === 0;
      const inputs = inputSize(net.layers[0]!);
      const probes = probesFor(inputs, net.name === 'generator' && file.settings.noise === 'gaussian' ? 3 : 1);
      // The core's loss is not used by GAN steps; mse fits any output layer.
      verdict = await askCore({ layers: net.layers, loss: 'mse', maxParams: MAX_PARAMS, params: whole ? net.params : undefined, probes: whole ? probes : [] });
    } catch (err) {
      return done(`The engine could not check the file: ${err instanceof Error ? err.message : String(err)}.`);
    }
    const wrong = checkNetworkWithCore(net, verdict);
    if (wrong) return done(wrong);
    if (verdict.ok) net.blocks = verdict.blocks;
  }
  const network = (n: NetworkEnvelope): GanNetwork => ({ layers: n.layers, blocks: n.blocks, params: n.params, optimizer: n.optimizer });
  return {
    ok: true,
    model: { lab: file.lab, config: file.config, settings: file.settings, generator: network(file.generator), discriminator: network(file.discriminator), iterations: file.iterations },
  };
}
