// 1,000 damaged model files (format 2, both labs): loading never throws,
// and whatever loads is consistent (config valid by its lab's schema,
// parameter count the core's for the layer list, finite values). The core
// judges each file's layers, as on the page (the real engine).
import { expect, test } from 'vitest';
import { defaultConfig } from '../state/schema';
import { LINK_LABS } from '../state/link';
import { mnistCodec } from '../labs/mnist/config';
import { fileLayers, mlpLayers, MODEL_PRESETS } from '../labs/mnist/model-layers';
import { createRng, randomInt } from '../lib/rng.js';
import { denseLayers } from './layers';
import { networkSpec } from './network';
import { readLabModelFile, serializeLabModel, type LabModel } from './modelFile';
import { labModelOf, playgroundLayers } from '../labs/playground/saved-model';
import { coreBlocks, coreCount, testAskCore, withBlocks } from './test-core';

async function models(): Promise<LabModel[]> {
  const layers = denseLayers([784, 8, 10], ['relu', 'softmax']);
  const mn = await withBlocks({ lab: 'mnist', config: { ...mnistCodec.defaults(), layers: mlpLayers([8], ['relu']) }, layers, loss: 'ce', epoch: 1, params: new Float32Array(await coreCount(layers, 'ce')).fill(0.01) });
  const cnnConfig = { ...mnistCodec.defaults(), layers: MODEL_PRESETS['cnn-fast'].layers.map((l) => ({ ...l })) };
  const cnnLayers = fileLayers(cnnConfig.layers, [[1, 28, 28], [8, 24, 24], [8, 12, 12], [16, 8, 8], [16, 4, 4], [256, 1, 1], [10, 1, 1]]);
  const cnn = await withBlocks({ lab: 'mnist', config: cnnConfig, layers: cnnLayers, loss: 'ce', epoch: 1, params: new Float32Array(await coreCount(cnnLayers, 'ce')).fill(0.01) });
  const spec = networkSpec(defaultConfig(), 'binary', 2);
  const pgBlocks = await coreBlocks(playgroundLayers(spec), spec.loss);
  const pg = labModelOf({ ...spec, config: defaultConfig(), params: new Float32Array(await coreCount(playgroundLayers(spec), spec.loss)).fill(0.1), epoch: 3 }, pgBlocks);
  return [mn, cnn, pg];
}

const VALUES: unknown[] = [null, true, 0, -1, 1.5, 1e308, -0, '', 'x', 'mnist', 'playground', 'dense', 'softmax', 'ce', [], [1, 2], {}, { kind: 'dense' },
  '__proto__', 2, 784, 10, 4097, 'AAAA', Number.MAX_SAFE_INTEGER];

// Seconds of JSON, base64 and forward passes: on a loaded 2-core machine it has taken 3-5 s,
// at vitest's default 5 s limit, so it gets the long tests' 60 s (as lod-series.test.ts).
test('1,000 damaged model files: no throw; what loads is consistent', { timeout: 60_000 }, async () => {
  const rng = createRng(4242);
  const askCore = await testAskCore();
  const texts = (await models()).map((m) => serializeLabModel(m));
  const failures: string[] = [];
  let loaded = 0;
  for (let i = 0; i < 1000; i++) {
    const base = texts[randomInt(rng, texts.length)]!;
    let text: string;
    if (rng.next() < 0.1) {
      text = base.slice(0, randomInt(rng, base.length));
    } else {
      const d = JSON.parse(base) as Record<string, unknown>;
      const edits = 1 + randomInt(rng, 3);
      for (let e = 0; e < edits; e++) {
        const targets: Record<string, unknown>[] = [d, d.config as Record<string, unknown>, ...((Array.isArray(d.layers) ? d.layers : []) as Record<string, unknown>[])]
          .filter((t) => typeof t === 'object' && t !== null);
        const t = targets[randomInt(rng, targets.length)]!;
        const keys = Object.keys(t);
        const k = keys.length > 0 && rng.next() < 0.8 ? keys[randomInt(rng, keys.length)]! : 'extra';
        if (rng.next() < 0.2) delete t[k];
        else t[k] = VALUES[randomInt(rng, VALUES.length)];
      }
      text = JSON.stringify(d);
    }
    let r: Awaited<ReturnType<typeof readLabModelFile>>;
    try {
      r = await readLabModelFile(text, undefined, askCore);
    } catch (err) {
      failures.push(`threw ${String(err)}`);
      continue;
    }
    if (!r.ok) {
      if (r.error.length < 10) failures.push(`says too little: ${r.error}`);
      continue;
    }
    loaded++;
    const codec = LINK_LABS[r.model.lab].codec as { validate(c: unknown): string[] };
    for (const p of codec.validate(r.model.config)) failures.push(`loaded an invalid config: ${p}`);
    if (r.model.params.length !== await coreCount(r.model.layers, r.model.loss)) failures.push('parameter count does not match the layers');
    if (r.model.blocks.reduce((n, b) => n + b.length, 0) !== r.model.params.length) failures.push('the blocks do not cover the parameters');
    if (!r.model.params.every(Number.isFinite)) failures.push('non-finite parameter loaded');
  }
  expect(failures).toEqual([]);
  // Some edits are harmless (epoch, an extra key): the generator is not all-rejecting.
  expect(loaded).toBeGreaterThan(20);
});
