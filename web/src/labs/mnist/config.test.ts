// MNIST's layers= key: the text form, its round trip, old links and clear refusals.
import { describe, expect, test } from 'vitest';
import { parseLink, writeLink } from '../../state/link';
import { mnistCodec, PRESET_LINKS, type MnistConfig } from './config';
import { layersText, mlpLayers, MODEL_PRESETS, parseLayer, parseLayers, refusalText, type MnistLayer } from './model-layers';
import { planCell, shapeText } from './components/ModelPanel';

const mnist = (query: string) => {
  const p = parseLink(query);
  if (p.lab !== 'mnist') throw new Error('not an MNIST link');
  return p as typeof p & { config: MnistConfig };
};

describe('layers=', () => {
  test('every preset and hand-made lists round trip through a link', () => {
    const lists: MnistLayer[][] = [
      ...Object.values(MODEL_PRESETS).map((p) => p.layers.map((l) => ({ ...l }))),
      [{ kind: 'conv', filters: 128, kernel: 32, stride: 8, padding: 8, activation: 'leaky_relu' }, { kind: 'pool', kernel: 3, stride: 1 },
        { kind: 'dense', units: 1024, activation: 'linear' }, { kind: 'dense', units: 10, activation: 'softmax' }],
      [{ kind: 'dense', units: 10, activation: 'softmax' }],
    ];
    for (const layers of lists) {
      const config = { ...mnistCodec.defaults(), layers };
      const link = writeLink('mnist', config);
      expect(link).toContain(`layers=${layersText(layers)}&`);
      const p = mnist(link);
      expect(p.notices).toEqual([]);
      expect(p.config).toEqual(config);
    }
    expect(PRESET_LINKS['cnn-fast']).toBe('layers=conv:8:5:1:0:relu,pool:2:2,conv:16:5:1:0:relu,pool:2:2,flatten,dense:10:softmax');
  });

  test('short forms are read with their defaults and written in full', () => {
    const p = mnist('?lab=mnist&layers=conv:8:5,pool:2,flatten,dense:64,dense:10:softmax');
    expect(p.notices).toEqual([]);
    expect(layersText(p.config.layers)).toBe('conv:8:5:1:0:relu,pool:2:2,flatten,dense:64:relu,dense:10:softmax');
    expect(parseLayer('pool:3')).toEqual({ kind: 'pool', kernel: 3, stride: 3 });
  });

  test('old links: v=1 hidden/act, and hidden/act without v=, open the same MLP', () => {
    const want = mlpLayers([64, 32], ['tanh', 'relu']);
    for (const q of ['?lab=mnist&v=1&hidden=64,32&act=tanh,relu', '?lab=mnist&hidden=64,32&act=tanh,relu']) {
      const p = mnist(q);
      expect(p.notices, q).toEqual([]);
      expect(p.config.layers, q).toEqual(want);
      expect(p.version, q).toBe(1);
    }
    // One activation for all layers, as version 1 allowed; no hidden layer.
    expect(mnist('?lab=mnist&v=1&hidden=16,16&act=sigmoid').config.layers).toEqual(mlpLayers([16, 16], ['sigmoid', 'sigmoid']));
    expect(mnist('?lab=mnist&v=1&hidden=none').config.layers).toEqual(mlpLayers([], []));
    // Version 1's own messages for its bad values; the default model is kept.
    const bad = mnist('?lab=mnist&v=1&hidden=64,32&act=tanh,relu,relu');
    expect(bad.notices.map((n) => n.key)).toEqual(['act']);
    expect(bad.notices[0]!.reason).toMatch(/lists 3 activations for 2 hidden layers/);
    expect(bad.config.layers).toEqual(mlpLayers([64, 32], ['relu', 'relu']));
    // lock= named version 1's model keys: they now lock the layers.
    const locked = mnist('?lab=mnist&v=1&hidden=32&lock=hidden,act,lr');
    expect(locked.notices).toEqual([]);
    expect(locked.view.lock).toEqual(['layers', 'learningRate']);
    // A version-2 link reads layers= and no hidden=.
    expect(mnist('?lab=mnist&v=2&layers=dense:10:softmax').config.layers).toEqual(mlpLayers([], []));
  });

  const refusals: [string, RegExp][] = [
    ['conv:8:5:1:0:relu', /must end with the output layer dense:10:softmax/],
    ['conv:0:5,dense:10:softmax', /layer 1 \("conv:0:5"\): conv: its filters 0 is out of range \(1 to 128\)/],
    ['conv:8:33,dense:10:softmax', /layer 1 .*kernel 33 is out of range \(1 to 32\)/],
    ['conv:8:5:1:0:softmax,dense:10:softmax', /layer 1 .*activation "softmax" is not one of/],
    ['conv:8:5:1:0:relu:9,dense:10:softmax', /"conv" takes at most 5 settings/],
    ['pool:2:2,lstm:4,dense:10:softmax', /layer 2 \("lstm:4"\): "lstm" is not a layer kind/],
    ['dense:32:softmax,dense:10:softmax', /layer 1: only the output layer may be a softmax/],
    ['dense:x,dense:10:softmax', /units "x" is not a whole number/],
    ['flatten:2,dense:10:softmax', /flatten takes no settings/],
    ['conv,dense:10:softmax', /conv needs its number of filters/],
    [Array(13).fill('dense:10:softmax').join(','), /must list 1 to 12 layers/],
  ];
  for (const [text, why] of refusals) {
    test(`refused with a reason: ${text.slice(0, 40)}`, () => {
      const r = parseLayers(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(why);
      const p = mnist(`?lab=mnist&layers=${text}`);
      expect(p.notices.map((n) => n.key)).toEqual(['layers']);
      expect(p.notices[0]!.reason).toMatch(/the default dense:128:relu,dense:10:softmax was kept/);
      expect(p.config).toEqual(mnistCodec.defaults());
    });
  }

  test('JSON (course-page API, model files): objects or the URL text; anything else is refused', () => {
    const objs = MODEL_PRESETS.lenet5.layers;
    expect(mnistCodec.fromObject({ layers: objs }).config.layers).toEqual(objs);
    expect(mnistCodec.fromObject({ layers: layersText(objs) }).config.layers).toEqual(objs);
    for (const bad of [[{ kind: 'conv', filters: 8, extra: 1 }], [{ kind: 'dense', units: '10' }], 7, [null]]) {
      const r = mnistCodec.fromObject({ layers: bad });
      expect(r.rejected.map((x) => x.key)).toEqual(['layers']);
    }
    expect(mnistCodec.validate({ ...mnistCodec.defaults(), layers: [{ kind: 'flatten' }] })).toEqual([
      'layers must end with the output layer dense:10:softmax (ten digit probabilities)',
    ]);
  });

  test('shift= is a whole number of pixels 0 to 4', () => {
    expect(mnist('?lab=mnist&shift=2').config.shift).toBe(2);
    for (const v of ['5', '-1', '1.5']) expect(mnist(`?lab=mnist&shift=${v}`).notices.map((n) => n.key)).toEqual(['shift']);
  });
});

describe('the editor shows the core\'s plan', () => {
  test('shapes as height × width × channels; flat outputs as one number', () => {
    expect(shapeText([8, 24, 24])).toBe('24×24×8');
    expect(shapeText([10, 1, 1])).toBe('10');
  });

  test('each row: the planned shape and parameters, or the refusal on the refused layer only', () => {
    const ok = { ok: true as const, layers: [{ shape: [8, 24, 24] as [number, number, number], params: 208 }, { shape: [10, 1, 1] as [number, number, number], params: 46090 }] };
    expect(planCell(ok, 0)).toEqual({ text: '→ 24×24×8 · 208 params', bad: false });
    expect(planCell(ok, 1)).toEqual({ text: '→ 10 · 46,090 params', bad: false });
    const refused = { ok: false as const, layer: 1, message: 'the kernel is larger than its padded input', before: [ok.layers[0]!] };
    expect(planCell(refused, 0)).toEqual({ text: '→ 24×24×8 · 208 params', bad: false });
    expect(planCell(refused, 1)).toEqual({ text: 'refused: the kernel is larger than its padded input', bad: true });
    expect(planCell(refused, 2)).toEqual({ text: 'not checked', bad: false });
    expect(planCell(null, 0)).toEqual({ text: '…', bad: false });
    // The sentence names the layer and its input (the shape the core planned before it).
    const layers = parseLayers('conv:8:5,conv:4:25,dense:10:softmax');
    if (!layers.ok) throw new Error(layers.reason);
    expect(refusalText(layers.value as MnistLayer[], refused)).toBe('Layer 2 (conv 4 25×25) does not fit its 24×24×8 input: the kernel is larger than its padded input');
    expect(refusalText(layers.value as MnistLayer[], { ...refused, layer: 0, before: [] })).toBe('Layer 1 (conv 8 5×5) does not fit its 28×28×1 input: the kernel is larger than its padded input');
  });
});
