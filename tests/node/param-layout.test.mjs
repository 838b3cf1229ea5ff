// param-layout.test.mjs — the parameter layout the page uses for a model file
// or an export (web/src/share/coreLayout.ts coreVerdict: the core's answer
// for the file's layer list, which the worker host gives the page) must be
// the live model's (model.paramLayout(), from nn_param_blocks): same blocks,
// order, offsets, shapes and count, for dense and convolutional networks.
// And no module of the page computes a layout itself: web/src/share has no
// paramLayout/blockShapes any more (the core is the one source).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';
import { loadEngine } from './core-load.mjs';

const shareDir = fileURLToPath(new URL('../../web/src/share/', import.meta.url));
const ENTRY = `
export { denseLayers } from '${shareDir}layers.ts';
export { coreVerdict } from '${shareDir}coreLayout.ts';
`;

async function loadLayers() {
  const dir = mkdtempSync(join(tmpdir(), 'param-layout-'));
  try {
    const entry = { name: 'entry', resolveId: (id) => (id === 'virtual:entry' ? id : null), load: (id) => (id === 'virtual:entry' ? ENTRY : null) };
    const bundle = await rolldown({ input: 'virtual:entry', plugins: [entry], platform: 'node', logLevel: 'silent' });
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

/** The core's answer for a file's layer list against a live model's layout. */
function assertSameLayout(verdict, m, what) {
  assert.equal(verdict.ok, true, `${what}: the core accepts the layers`);
  assert.equal(verdict.refused, null, `${what}: the core builds them`);
  const core = m.paramLayout();
  assert.equal(verdict.count, m.paramCount, `${what}: count`);
  assert.equal(verdict.blocks.length, core.length, `${what}: number of blocks`);
  verdict.blocks.forEach((b, i) => {
    const c = core[i];
    assert.equal(b.layer, c.layer, `${what} block ${i}: layer`);
    assert.equal(b.block, c.block, `${what} block ${i}: which block`);
    assert.equal(b.offset, c.offset, `${what} block ${i}: offset`);
    assert.deepEqual(b.shape, c.shape, `${what} block ${i}: shape`);
    assert.equal(b.length, c.length, `${what} block ${i}: length`);
  });
  const last = core[core.length - 1];
  assert.equal(last.offset + last.length, m.paramCount, `${what}: the blocks cover the flat array`);
}

test('the core\'s layout of a file\'s layer list (coreVerdict) equals the live model\'s paramLayout()', async () => {
  const { coreVerdict, denseLayers } = await loadLayers();
  const engine = await loadEngine();
  for (const net of NETWORKS) {
    const m = engine.createModel({ ...net, seed: 1, maxBatch: 4 });
    try {
      const verdict = coreVerdict(engine, { layers: denseLayers(net.sizes, net.activations), loss: net.loss, maxParams: 1 << 24 });
      assertSameLayout(verdict, m, net.sizes.join('-'));
    } finally {
      m.destroy();
    }
  }
  // A CNN as a model file lists it (conv, max-pool, flatten; a dense layer right after a pool reads it flat).
  const cnn = [
    { kind: 'conv2d', input: [1, 28, 28], filters: 8, kernel: 5, stride: 1, padding: 2, activation: 'relu' },
    { kind: 'maxpool', input: [8, 28, 28], kernel: 2, stride: 2, activation: 'linear' },
    { kind: 'conv2d', input: [8, 14, 14], filters: 16, kernel: 5, stride: 1, padding: 0, activation: 'relu' },
    { kind: 'maxpool', input: [16, 10, 10], kernel: 2, stride: 2, activation: 'linear' },
    { kind: 'dense', inputs: 400, units: 32, activation: 'tanh' },
    { kind: 'flatten', input: [32, 1, 1], activation: 'linear' },
    { kind: 'dense', inputs: 32, units: 10, activation: 'softmax' },
  ];
  const m = engine.createModel({
    input: [1, 28, 28], loss: 'ce', seed: 1, maxBatch: 4,
    layers: [
      { kind: 'conv2d', activation: 'relu', ints: [8, 5, 5, 1, 2] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'conv2d', activation: 'relu', ints: [16, 5, 5, 1, 0] }, { kind: 'maxpool', activation: 'linear', ints: [2, 2] },
      { kind: 'dense', activation: 'tanh', ints: [32] }, { kind: 'flatten', activation: 'linear', ints: [] },
      { kind: 'dense', activation: 'softmax', ints: [10] },
    ],
  });
  try {
    assertSameLayout(coreVerdict(engine, { layers: cnn, loss: 'ce', maxParams: 1 << 24 }), m, 'cnn');
  } finally {
    m.destroy();
  }
});

test('no page module computes a parameter layout (the core hands it out)', () => {
  for (const f of readdirSync(shareDir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    const text = readFileSync(join(shareDir, f), 'utf8');
    assert.doesNotMatch(text, /function (paramLayout|blockShapes|paramCount|outputLogits)\b/, `web/src/share/${f} recomputes the layout`);
  }
});
