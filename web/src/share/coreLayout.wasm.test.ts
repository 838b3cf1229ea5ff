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
