// The core's verdict on a layer list (what the worker host answers the page
// for a model file, a save or an export), against the real WASM engine.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../engine/nn-wasm.js';
import { coreVerdict, engineNetwork } from './coreLayout';
import { denseLayers, type LayerSpec } from './layers';
import { testEngine } from './test-core';

let engine: Engine;
beforeAll(async () => { engine = await testEngine(); });

const cnn: LayerSpec[] = [
  { kind: 'conv2d', input: [1, 8, 8], filters: 2, kernel: 3, stride: 1, padding: 0, activation: 'relu' },
  { kind: 'maxpool', input: [2, 6, 6], kernel: 2, stride: 2, activation: 'linear' },
  { kind: 'flatten', input: [2, 3, 3], activation: 'linear' },
  { kind: 'dense', inputs: 18, units: 3, activation: 'softmax' },
];

describe('coreVerdict', () => {
  test('descriptors: a file\'s layers as the core\'s ints over the first layer\'s input', () => {
    expect(engineNetwork(cnn)).toEqual({
      input: [1, 8, 8],
      layers: [
        { kind: 'conv2d', activation: 'relu', ints: [2, 3, 3, 1, 0] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
        { kind: 'flatten', activation: 'linear', ints: [] }, { kind: 'dense', activation: 'softmax', ints: [3] },
      ],
    });
    expect(engineNetwork(denseLayers([5, 2], ['sigmoid'])).input).toEqual([5, 1, 1]);
  });

  test('the blocks and count of a CNN, as the core lays them out', () => {
    const v = coreVerdict(engine, { layers: cnn, loss: 'ce', maxParams: 1000 });
    if (!v.ok) throw new Error(v.error);
    expect(v.refused).toBeNull();
    expect(v.count).toBe(2 * 9 + 2 + 18 * 3 + 3);
    expect(v.blocks.map((b) => [b.layer, b.block, b.offset, b.shape.join('x')])).toEqual([[0, 0, 0, '2x1x3x3'], [0, 1, 18, '2'], [3, 0, 20, '3x18'], [3, 1, 74, '3']]);
    expect(v.logits).toEqual([]);
  });

  test('a layer that does not fit or does not chain is named, with the core\'s reason', () => {
    const tooBig = cnn.map((l, i) => (i === 0 ? { ...l, kernel: 9 } : l)) as LayerSpec[];
    const r = coreVerdict(engine, { layers: tooBig, loss: 'ce', maxParams: 1000 });
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^Layer 1 does not fit its 1x8x8 input: a layer's kind-specific values do not fit/) as unknown });
    const broken = cnn.map((l, i) => (i === 3 ? { ...l, inputs: 17 } : l)) as LayerSpec[];
    expect(coreVerdict(engine, { layers: broken, loss: 'ce', maxParams: 1000 })).toEqual({ ok: false, error: 'Layer 4 takes 17 inputs but layer 3 gives 18.' });
  });

  test('over maxParams nothing is built; a loss the output cannot take is refused by the core', () => {
    const big = coreVerdict(engine, { layers: cnn, loss: 'ce', maxParams: 10 });
    expect(big).toEqual({ ok: true, count: 77, blocks: [], logits: [], refused: null });
    const bce = coreVerdict(engine, { layers: cnn, loss: 'bce', maxParams: 1000 });
    if (!bce.ok) throw new Error(bce.error);
    expect(bce.refused).toMatch(/loss does not fit the output activation/);
    expect(bce.blocks).toEqual([]);
  });

  test('with parameters, the output pre-activations at each probe (the overflow check); a probe of the wrong size is refused', () => {
    const layers = denseLayers([2, 1], ['sigmoid']);
    const params = Float32Array.of(2, -3, 0.5); // weight [1 x 2], bias
    const v = coreVerdict(engine, { layers, loss: 'bce', maxParams: 10, params, probes: [Float32Array.of(1, 1), Float32Array.of(3e38, -3e38)] });
    if (!v.ok) throw new Error(v.error);
    expect(v.logits[0]).toEqual([2 - 3 + 0.5]);
    expect(Number.isFinite(v.logits[1]![0])).toBe(false);
    // Params of another length: the layout, no probes run.
    expect(coreVerdict(engine, { layers, loss: 'bce', maxParams: 10, params: new Float32Array(2), probes: [Float32Array.of(1, 1)] })).toMatchObject({ ok: true, count: 3, logits: [] });
    expect(coreVerdict(engine, { layers, loss: 'bce', maxParams: 10, params, probes: [Float32Array.of(1)] })).toEqual({ ok: false, error: 'A probe has 1 values; the network reads 2.' });
  });
});

describe('recurrent layers (ABI 6)', () => {
  const seq: LayerSpec[] = [
    { kind: 'lstm', input: [6, 5, 1], hidden: 8, returnSequences: true, activation: 'linear' },
    { kind: 'rnn', input: [6, 8, 1], hidden: 4, returnSequences: false, activation: 'linear' },
    { kind: 'dense', inputs: 4, units: 2, activation: 'linear' },
  ];

  test('descriptors: hidden size and return_sequences; a per-step dense layer sets per_step', () => {
    expect(engineNetwork(seq)).toEqual({
      input: [6, 5, 1],
      layers: [{ kind: 'lstm', activation: 'linear', ints: [8, 1] }, { kind: 'rnn', activation: 'linear', ints: [4, 0] }, { kind: 'dense', activation: 'linear', ints: [2] }],
    });
    const step: LayerSpec = { kind: 'dense', inputs: 5, units: 3, activation: 'softmax', steps: 6 };
    expect(engineNetwork([step])).toEqual({ input: [6, 5, 1], layers: [{ kind: 'dense', activation: 'softmax', ints: [3, 1] }] });
  });

  test('the core\'s blocks: weight_ih, weight_hh, bias_ih, bias_hh per recurrent layer (LSTM: 4 gates)', () => {
    const v = coreVerdict(engine, { layers: seq, loss: 'mse', maxParams: 10000 });
    if (!v.ok) throw new Error(v.error);
    expect(v.blocks.map((b) => [b.layer, b.block, b.shape.join('x')])).toEqual([
      [0, 0, '32x5'], [0, 1, '32x8'], [0, 2, '32'], [0, 3, '32'],
      [1, 0, '4x8'], [1, 1, '4x4'], [1, 2, '4'], [1, 3, '4'],
      [2, 0, '2x4'], [2, 1, '2'],
    ]);
    expect(v.count).toBe(32 * 5 + 32 * 8 + 64 + 4 * 8 + 4 * 4 + 8 + 2 * 4 + 2);
  });

  test('steps and features must chain as the core gives them', () => {
    const broken = seq.map((l, i) => (i === 1 ? { ...l, input: [6, 7, 1] } : l)) as LayerSpec[];
    expect(coreVerdict(engine, { layers: broken, loss: 'mse', maxParams: 10000 })).toEqual({ ok: false, error: 'Layer 2 takes 6x7x1 inputs but layer 1 gives 6x8x1.' });
    const stepAfterLast = [seq[1]!, { kind: 'dense', inputs: 4, units: 2, activation: 'linear', steps: 6 }].map((l, i) => (i === 0 ? { ...l, input: [6, 5, 1] } : l)) as LayerSpec[];
    expect(coreVerdict(engine, { layers: stepAfterLast, loss: 'mse', maxParams: 10000 })).toEqual({ ok: false, error: 'Layer 2 takes 6x4x1 inputs but layer 1 gives 4x1x1.' });
  });
});
