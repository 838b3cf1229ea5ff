// The core's answer about a layer list that is not a live model yet (a model
// file being loaded, a model about to be saved or exported): its plan
// (engine.planLayers: each layer's output shape, or the layer it refuses),
// its parameter layout (the blocks of a scratch model built from the same
// descriptors, model.paramLayout()) and, given parameters, the output
// pre-activations at probe inputs (model.explain: the overflow check).
// Nothing here multiplies sizes: the core is the one source of the layout.
//
// coreVerdict runs where the engine is: in the worker host (op 'core',
// asked through LabClient.askCore) and in tests. The page never loads the
// engine itself.

import type { Engine, LayerSpec as EngineLayer } from '../engine/nn-wasm.js';
import { declaredInput, readsShape, type LayerSpec, type ParamBlock, type Shape3 } from './layers';
import type { LossName } from './network';

/** What the page asks the core about a layer list. */
export interface CoreRequest {
  layers: readonly LayerSpec[];
  loss: LossName;
  /** Refuse (without building anything) a network with more parameters. */
  maxParams: number;
  /** With params of the planned length: the output pre-activations at each probe. */
  params?: Float32Array;
  probes?: readonly Float32Array[];
}

export type CoreVerdict =
  | {
    ok: true;
    /** The parameter count (the planned layers' sum). */
    count: number;
    /** The core's blocks; empty when count > maxParams or the model was refused (nothing was built). */
    blocks: ParamBlock[];
    /** Why the core would not build the planned layers (the loss against the output, …), if it would not. */
    refused: string | null;
    /** One row per probe: the last layer's pre-activations (given params of length count). */
    logits: number[][];
  }
  | { ok: false; error: string };

/** The page's way to ask (through the worker host, or an engine at hand in tests). */
export type AskCore = (request: CoreRequest) => Promise<CoreVerdict>;

/** The network's input shape and its layers as core descriptors (kind, activation, the kind's ints). */
export function engineNetwork(layers: readonly LayerSpec[]): { input: Shape3; layers: EngineLayer[] } {
  const first = layers[0];
  const input: Shape3 = !first ? [0, 0, 0] : first.kind !== 'dense' ? [...first.input] : first.steps !== undefined ? [first.steps, first.inputs, 1] : [first.inputs, 1, 1];
  return {
    input,
    layers: layers.map((l): EngineLayer => {
      switch (l.kind) {
        case 'dense': return { kind: 'dense', activation: l.activation, ints: l.steps !== undefined ? [l.units, 1] : [l.units] };
        case 'rnn': case 'lstm': return { kind: l.kind, activation: l.activation, ints: [l.hidden, l.returnSequences ? 1 : 0] };
        case 'conv2d': return { kind: 'conv2d', activation: l.activation, ints: [l.filters, l.kernel, l.kernel, l.stride, l.padding] };
        case 'maxpool': return { kind: 'maxpool', activation: l.activation, ints: [l.kernel, l.stride] };
        case 'flatten': return { kind: 'flatten', activation: l.activation, ints: [] };
      }
    }),
  };
}

/**
 * The core's verdict on a layer list: refused (the layer and the core's
 * sentence), or its parameter count and blocks, and the logits at the
 * probes when params fit. Never throws for a bad request.
 */
export function coreVerdict(engine: Engine, request: CoreRequest): CoreVerdict {
  const { layers, loss, maxParams, params, probes = [] } = request;
  const net = engineNetwork(layers);
  const plan = engine.planLayers(net.layers, net.input);
  // The layers the core accepted (all, or those before the one it refuses).
  const accepted = plan.ok ? plan : plan.layer > 0 ? engine.planLayers(net.layers.slice(0, plan.layer), net.input) : null;
  const shapes = accepted?.ok ? accepted.layers.map((l) => l.shape) : [];
  // Each layer of a file declares its input; the core says what the layer before gives.
  for (let i = 1; i <= shapes.length && i < layers.length; i++) {
    const gives = shapes[i - 1]!;
    const l = layers[i]!;
    if (!readsShape(l, gives)) {
      const given = l.kind === 'dense' && l.steps === undefined ? String(gives[0] * gives[1] * gives[2]) : gives.join('x');
      return { ok: false, error: `Layer ${i + 1} takes ${declaredInput(l)} inputs but layer ${i} gives ${given}.` };
    }
  }
  if (!plan.ok) {
    const bad = layers[plan.layer];
    return {
      ok: false,
      error: bad ? `Layer ${plan.layer + 1} does not fit its ${declaredInput(bad)} input: ${plan.message}` : `The engine refuses this network: ${plan.message}`,
    };
  }
  const count = plan.layers.reduce((n, l) => n + l.params, 0);
  if (count > maxParams) return { ok: true, count, blocks: [], logits: [], refused: null };
  let model;
  try {
    model = engine.createModel({ input: net.input, layers: net.layers, loss, maxBatch: 1 });
  } catch (err) {
    return { ok: true, count, blocks: [], logits: [], refused: `The engine refuses this network: ${err instanceof Error ? err.message : String(err)}.` };
  }
  try {
    const blocks = model.paramLayout();
    const logits: number[][] = [];
    if (params && params.length === model.paramCount) {
      model.loadParams(params);
      const target = new Float32Array(model.outputs);
      for (const x of probes) {
        if (x.length !== model.inputs) return { ok: false, error: `A probe has ${x.length} values; the network reads ${model.inputs}.` };
        const shown = model.explain(x, target).layers;
        logits.push(Array.from(shown[shown.length - 1]!.z));
      }
    }
    return { ok: true, count: model.paramCount, blocks, logits, refused: null };
  } catch (err) {
    return { ok: false, error: `The engine refuses these parameters: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    model.destroy();
  }
}

/** An AskCore over an engine at hand (tests, Node scripts). */
export function askEngine(engine: Engine): AskCore {
  return (request) => Promise.resolve(coreVerdict(engine, request));
}
