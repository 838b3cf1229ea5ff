// ExampleTracer on the real WASM engine: a trace without the preview of every
// parameter answers one parameter's preview with the same bits, refuses a
// model it did not trace, and checks a gradient against the finite difference.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, Limits, type Engine } from './nn-wasm.js';
import { ExampleTracer } from './trace.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let engine: Engine;
beforeAll(async () => {
  const factory = createRequire(import.meta.url)(path.join(root, 'build/node/nn.cjs'));
  engine = await createEngine(factory, { wasmBinary: fs.readFileSync(path.join(root, 'build/node/nn.wasm')) });
});

describe('ExampleTracer', () => {
  it('previews one parameter as the whole preview does, and only for the model it traced', () => {
    const model = engine.createModel({ input: [1, 6, 6], layers: [
      { kind: 'conv2d', activation: 'relu', ints: [2, 3, 3, 1, 1] },
      { kind: 'maxpool', activation: 'linear', ints: [2, 2] }, { kind: 'flatten', activation: 'linear', ints: [] },
      { kind: 'dense', activation: 'softmax', ints: [3] },
    ], loss: 'ce', seed: 3, maxBatch: 4 });
    model.setOptimizer('adam', { lr: 0.01 });
    const x = Float32Array.from({ length: 36 * 4 }, (_, i) => ((i * 7) % 11) / 10);
    const y = Float32Array.from({ length: 12 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
    for (let s = 0; s < 3; s++) model.trainStep(x, y, 4);
    const what = { loss: 'ce' as const, x: x.subarray(0, 36), y: y.subarray(0, 3), index: 0, lab: 'test', epoch: 0 };
    const tracer = new ExampleTracer(engine);
    const whole = tracer.trace(model, what).preview;
    expect(whole.length).toBe(model.paramCount * Limits.PREVIEW_FLOATS);
    const lean = tracer.trace(model, { ...what, preview: false });
    expect(lean.preview.length).toBe(0);
    for (const param of [0, 5, model.paramCount - 1]) {
      const one = tracer.preview(model, param);
      expect(Array.from(one.values)).toEqual(Array.from(whole.subarray(param * Limits.PREVIEW_FLOATS, (param + 1) * Limits.PREVIEW_FLOATS)));
      expect(one.optimizer.step).toBe(3);
      const c = tracer.check(param);
      expect(Math.abs(c.finiteDifference - c.backprop) / Math.max(Math.abs(c.backprop), 1e-6)).toBeLessThan(1e-3);
    }
    expect(() => tracer.preview(model, model.paramCount)).toThrow(/no parameter/);
    const other = engine.createModel({ sizes: [2, 3], activations: ['softmax'], loss: 'ce', seed: 1, maxBatch: 1 });
    expect(() => tracer.preview(other, 0)).toThrow(/trace again/);
    tracer.dispose();
    other.destroy();
    model.destroy();
  });
});
