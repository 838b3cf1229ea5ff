// param-layout.test.mjs — the page's parameter layout (web/src/share/layers.ts
// paramLayout, used by model files and the PyTorch export) must be the real
// engine's (model.paramLayout(), from nn_param_blocks): same blocks, order,
// offsets, shapes and count, for several networks. If the core's layout
// changes, this fails instead of files and exports silently misplacing weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';
import { loadEngine } from './core-load.mjs';

const layersTs = fileURLToPath(new URL('../../web/src/share/layers.ts', import.meta.url));

async function loadLayers() {
  const dir = mkdtempSync(join(tmpdir(), 'param-layout-'));
  try {
    const bundle = await rolldown({ input: layersTs, platform: 'node', logLevel: 'silent' });
    const file = join(dir, 'layers.mjs');
    await bundle.write({ file, format: 'esm' });
    await bundle.close();
    return await import(pathToFileURL(file).href);
  } finally {
    // The module is already loaded; the file is not needed any more.
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 0);
  }
}

const NETWORKS = [
  { sizes: [2, 1], activations: ['sigmoid'], loss: 'bce' },
  { sizes: [2, 4, 1], activations: ['tanh', 'sigmoid'], loss: 'bce' },
  { sizes: [3, 6, 3, 3], activations: ['relu', 'leaky_relu', 'softmax'], loss: 'ce' },
  { sizes: [7, 8, 8, 8, 8, 8, 8, 1], activations: ['tanh', 'tanh', 'tanh', 'tanh', 'tanh', 'tanh', 'linear'], loss: 'mse' },
  { sizes: [784, 128, 10], activations: ['relu', 'softmax'], loss: 'ce' },
  { sizes: [784, 32, 32, 10], activations: ['relu', 'relu', 'softmax'], loss: 'ce' },
];

test('share/layers.ts paramLayout equals the engine\'s paramLayout()', async () => {
  const { paramLayout, denseLayers } = await loadLayers();
  const engine = await loadEngine();
  for (const net of NETWORKS) {
    const m = engine.createModel({ ...net, seed: 1, maxBatch: 4 });
    try {
      const core = m.paramLayout();
      const js = paramLayout(denseLayers(net.sizes, net.activations));
      const what = net.sizes.join('-');
      assert.equal(js.count, m.paramCount, `${what}: count`);
      assert.equal(js.blocks.length, core.length, `${what}: number of blocks`);
      js.blocks.forEach((b, i) => {
        const c = core[i];
        assert.equal(b.layer, c.layer, `${what} block ${i}: layer`);
        assert.equal(b.name, ['weight', 'bias'][c.block], `${what} block ${i}: which block`);
        assert.equal(b.offset, c.offset, `${what} block ${i}: offset`);
        assert.deepEqual(b.shape, c.shape, `${what} block ${i}: shape`);
        assert.equal(b.size, c.length, `${what} block ${i}: length`);
      });
      const last = core[core.length - 1];
      assert.equal(last.offset + last.length, m.paramCount, `${what}: the blocks cover the flat array`);
    } finally {
      m.destroy();
    }
  }
});
