// parseLink / writeLink: the lab is part of the link; old playground links,
// "#mnist" links and TensorFlow Playground's fragment links keep working.
import { describe, expect, test } from 'vitest';
import { LAB_IDS, LINK_LABS, parseLink, writeLink, type ParsedLink } from './link';
import { parseQuery, writeQuery } from './codec';
import { defaultConfig, MAX_SEED } from './schema';
import { mnistCodec, MNIST_FIELDS, MNIST_PANELS, type MnistConfig } from '../labs/mnist/config';
import { mlpLayers, MODEL_PRESETS } from '../labs/mnist/model-layers';
import { SEQUENCE_PANELS, sequenceCodec } from '../labs/sequence/config';
import { createRng, randomInt } from '../lib/rng.js';

const keys = (p: ParsedLink): string[] => p.notices.map((r) => r.key);

/** A real TensorFlow Playground address's fragment (as the site writes it), with these values changed. */
function tfLink(over: Record<string, string>): string {
  const base: Record<string, string> = {
    activation: 'tanh', batchSize: '10', dataset: 'circle', regDataset: 'reg-plane', learningRate: '0.03',
    regularizationRate: '0', noise: '0', networkShape: '4,2', seed: '0.12345', showTestData: 'false', discretize: 'false',
    percTrainData: '50', x: 'true', y: 'true', xTimesY: 'false', xSquared: 'false', ySquared: 'false', cosX: 'false',
    sinX: 'false', cosY: 'false', sinY: 'false', collectStats: 'false', problem: 'classification', initZero: 'false', hideText: 'false',
  };
  return `#${Object.entries({ ...base, ...over }).map(([k, v]) => `${k}=${v}`).join('&')}`;
}

describe('TensorFlow Playground links in their fragment form', () => {
  test('the issue\'s example opens the same network', () => {
    const p = parseLink('', tfLink({}));
    expect(p.lab).toBe('playground');
    expect(p.version).toBe(0);
    expect(p.notices).toEqual([]);
    expect(p.config).toEqual({
      ...defaultConfig(), dataset: 'circle', noise: 0, trainRatio: 50, hidden: [4, 2], activations: ['tanh', 'tanh'],
      features: ['x1', 'x2'], optimizer: 'sgd', learningRate: 0.03, regularization: 'none', regRate: 0, batchSize: 10,
      seed: Math.floor(0.12345 * MAX_SEED), showTestData: false, discretize: false,
    });
    expect(p.ignored.sort()).toEqual(['collectStats', 'hideText', 'initZero']);
  });

  const cases: [Record<string, string>, Partial<ReturnType<typeof defaultConfig>>][] = [
    [{ dataset: 'xor', activation: 'relu', networkShape: '8,8,8', learningRate: '0.1', xTimesY: 'true', showTestData: 'true' },
      { dataset: 'xor', hidden: [8, 8, 8], activations: ['relu', 'relu', 'relu'], learningRate: 0.1, features: ['x1', 'x2', 'x1x2'], showTestData: true }],
    [{ dataset: 'gauss', activation: 'sigmoid', networkShape: '', noise: '25', percTrainData: '70', batchSize: '1', x: 'false', y: 'true' },
      { dataset: 'gauss', hidden: [], activations: [], noise: 25, trainRatio: 70, batchSize: 1, features: ['x2'] }],
    [{ dataset: 'spiral', networkShape: '6,6,6,6,6,6', regularization: 'L1', regularizationRate: '0.003', discretize: 'true',
      xSquared: 'true', ySquared: 'true', sinX: 'true', sinY: 'true' },
      { dataset: 'spiral', hidden: [6, 6, 6, 6, 6, 6], activations: Array(6).fill('tanh'), regularization: 'l1', regRate: 0.003,
        discretize: true, features: ['x1', 'x2', 'x1sq', 'x2sq', 'sinx1', 'sinx2'] }],
    [{ problem: 'regression', regDataset: 'reg-plane', activation: 'linear', networkShape: '3', learningRate: '0.001' },
      { dataset: 'plane', hidden: [3], activations: ['linear'], learningRate: 0.001 }],
    [{ problem: 'regression', regDataset: 'reg-gauss', networkShape: '5,5', noise: '10', regularization: 'L2', regularizationRate: '0.01' },
      { dataset: 'multigauss', hidden: [5, 5], activations: ['tanh', 'tanh'], noise: 10, regularization: 'l2', regRate: 0.01 }],
  ];
  for (const [over, want] of cases) {
    test(`${over.problem ?? 'classification'} ${over.dataset ?? over.regDataset}: same settings as the query form`, () => {
      const hash = tfLink(over);
      const p = parseLink('', hash);
      expect(p.notices).toEqual([]);
      expect(p.config).toMatchObject(want);
      // The fragment reads exactly like the query form the page already understood.
      expect(p.config).toEqual(parseQuery(`?${hash.slice(1)}`).config);
      expect(p.config).toMatchObject({ optimizer: 'sgd', seed: Math.floor(0.12345 * MAX_SEED) });
    });
  }

  test('fragment pairs and query pairs are read together; a key in both is ambiguous', () => {
    const p = parseLink('?embed=1&theme=dark', tfLink({ networkShape: '3' }));
    expect(p.view.embed).toBe(true);
    expect(p.view.theme).toBe('dark');
    expect(p.lab === 'playground' && p.config.hidden).toEqual([3]);
    const twice = parseLink('?v=1&hidden=2', '#hidden=3');
    expect(keys(twice)).toEqual(['hidden']);
    expect(twice.lab === 'playground' && twice.config.hidden).toEqual(defaultConfig().hidden);
  });
});

describe('the lab is part of the link', () => {
  test('no lab= is the playground, with today\'s links unchanged', () => {
    const q = writeQuery({ ...defaultConfig(), dataset: 'xor', hidden: [4] , activations: ['relu'] });
    const p = parseLink(`?${q}`);
    expect(p.lab).toBe('playground');
    expect(p.config).toEqual(parseQuery(q).config);
    expect(p.notices).toEqual([]);
  });

  test('an old "#mnist" link opens MNIST; its playground settings are not applied there, its view options are', () => {
    const old = `?${writeQuery({ ...defaultConfig(), hidden: [8, 8], activations: ['relu', 'relu'], learningRate: 0.3, batchSize: 5 })}&embed=1&theme=dark`;
    const p = parseLink(old, '#mnist');
    expect(p.lab).toBe('mnist');
    expect(p.config).toEqual(mnistCodec.defaults());
    expect(p.view.embed).toBe(true);
    expect(p.view.theme).toBe('dark');
    expect(p.notices).toEqual([]);
    expect(p.ignored).toContain('lr');
    expect(parseLink('', '#mnist').lab).toBe('mnist');
  });

  test('lab=mnist reads MNIST\'s keys; lab= wins over an old hash; an unknown lab is reported', () => {
    const p = parseLink('?lab=mnist&hidden=32,32&act=tanh&opt=sgd&lr=0.1&batch=128&epochs=5&seed=9', '#playground');
    expect(p.lab).toBe('mnist');
    expect(p.config).toEqual({ ...mnistCodec.defaults(), layers: mlpLayers([32, 32], ['tanh', 'tanh']), optimizer: 'sgd',
      learningRate: 0.1, batchSize: 128, epochs: 5, seed: 9 });
    expect(p.ignored).toEqual(['#playground']);
    const bad = parseLink('?lab=nope&data=xor');
    expect(bad.lab).toBe('playground');
    expect(keys(bad)).toEqual(['lab']);
    expect(bad.lab === 'playground' && bad.config.dataset).toBe('xor');
    expect(parseLink('', '#section-2').ignored).toEqual(['#section-2']);
  });

  test('writeLink puts the lab first and reads back, for every lab, with view options', () => {
    const mn: MnistConfig = { layers: mlpLayers([256, 64], ['leaky_relu', 'sigmoid']), optimizer: 'momentum', learningRate: 0.01,
      lrSchedule: 'cos', lrEnd: 0.05, momentum: 0.95, batchSize: 512, epochs: 50, shift: 2, seed: 2147483647 };
    const view = { embed: true, hide: ['inside', 'weights'], lock: ['layers', 'shift'], autoplay: true, theme: 'light' as const, origins: ['https://a.org'] };
    const link = writeLink('mnist', mn, { view });
    expect(link.startsWith('lab=mnist&v=2&layers=dense:256:leaky_relu,dense:64:sigmoid,dense:10:softmax&opt=momentum')).toBe(true);
    const p = parseLink(link);
    expect(p.notices).toEqual([]);
    expect(p.lab).toBe('mnist');
    expect(p.config).toEqual(mn);
    expect(p.view).toEqual(view);
    expect(link).toContain('lock=layers,shift');
    // A CNN reads back too.
    const cnn: MnistConfig = { ...mn, layers: MODEL_PRESETS.lenet5.layers.map((l) => ({ ...l })) };
    expect(parseLink(writeLink('mnist', cnn)).config).toEqual(cnn);

    const pg = { ...defaultConfig(), dataset: 'custom' as const };
    const pts = [{ x: 1, y: -2, cls: 1 }];
    const l2 = writeLink('playground', pg, { view: { lock: ['dataset'] }, points: pts });
    expect(l2.startsWith('lab=playground&v=1&data=custom')).toBe(true);
    const p2 = parseLink(l2);
    expect(p2.lab === 'playground' && p2.points?.length).toBe(1);
    expect(p2.config).toEqual(pg);
    expect(p2.view.lock).toEqual(['dataset']);
  });

  test('speed= is a view option of every lab: written when not full speed, read back, hostile values refused', () => {
    for (const lab of ['playground', 'mnist'] as const) {
      const config = parseLink(`lab=${lab}`).config;
      const link = writeLink(lab, config as never, { view: { speed: 3 } });
      expect(link).toContain('speed=3');
      expect(parseLink(link).view.speed).toBe(3);
      expect(writeLink(lab, config as never, { view: { speed: 'max' } })).not.toContain('speed');
      expect(parseLink(`lab=${lab}&speed=max`).view.speed).toBeUndefined();
      expect(parseLink(`lab=${lab}&speed=max`).notices).toEqual([]);
      for (const bad of ['7', '0', '-1', '1e3', 'fast', '1000000', '%3Cscript%3E', '']) {
        const p = parseLink(`lab=${lab}&speed=${bad}`);
        expect(p.view.speed).toBeUndefined();
        expect(p.notices.map((n) => n.key)).toEqual(['speed']);
        expect(p.notices[0]!.reason).toMatch(/full speed is used/);
      }
    }
    // Old links have no speed= and train at full speed as before.
    expect(parseLink('?data=xor&lr=0.1').view.speed).toBeUndefined();
  });

  test('MNIST links: every value beyond the page\'s limits is rejected and keeps its default', () => {
    const bad: [string, string][] = [['hidden', '513'], ['hidden', '1,2,3,4,5'], ['hidden', '0'], ['act', 'softmax'], ['opt', 'rmsprop'],
      ['lr', '0'], ['lr', '11'], ['mom', '1'], ['batch', '513'], ['batch', '1.5'], ['epochs', '0'], ['epochs', '51'], ['seed', '-1'],
      ['seed', '2147483648'], ['lr', 'NaN'], ['hidden', '2.5'], ['shift', '5'], ['shift', '-1'], ['layers', 'dense:10'],
      ['layers', 'conv:0:5,flatten,dense:10:softmax'], ['layers', 'conv:8:5:1:0:softmax,dense:10:softmax'], ['layers', 'pool:2:2:2,dense:10:softmax'],
      ['layers', 'lstm:8,dense:10:softmax'], ['layers', 'dense:10:softmax,dense:10:softmax'], ['layers', 'flatten:3,dense:10:softmax'],
      ['layers', 'dense:1025,dense:10:softmax'], ['layers', 'none'], ['layers', '']];
    for (const [k, v] of bad) {
      const p = parseLink(`?lab=mnist&${k}=${v}`);
      expect(keys(p), `${k}=${v}`).toEqual([k]);
      expect(p.config).toEqual(mnistCodec.defaults());
    }
    // The page's own limits pass.
    const edge = parseLink('?lab=mnist&hidden=512,1,512,1&act=linear&lr=0.000001&mom=0.999&batch=1&epochs=50&seed=0');
    expect(edge.notices).toEqual([]);
    expect((edge.config as MnistConfig).layers).toEqual(mlpLayers([512, 1, 512, 1], ['linear', 'linear', 'linear', 'linear']));
    expect(parseLink('?lab=mnist&hide=weights,loss-chart').notices[0]!.reason).toMatch(/loss-chart/);
    expect(MNIST_FIELDS.map((f) => f.url)).toEqual(['layers', 'opt', 'lr', 'sched', 'lrend', 'mom', 'batch', 'epochs', 'shift', 'seed']);
  });

  test('a MNIST setting from the page (presets, every optimizer) survives write -> parse', () => {
    for (const hidden of [[], [128], [32, 32], [512, 256, 128, 10]]) {
      for (const optimizer of ['sgd', 'momentum', 'adam'] as const) {
        const c: MnistConfig = { ...mnistCodec.defaults(), layers: mlpLayers(hidden, hidden.map(() => 'relu' as const)), optimizer, learningRate: 0.0123 };
        expect(parseLink(writeLink('mnist', c)).config).toEqual(c);
      }
    }
  });
});

test('1,000 hostile addresses over every lab: no throw, a valid config, a clean link back', () => {
  const rng = createRng(1010);
  const words = ['lab', 'v', 'hidden', 'act', 'layers', 'shift', 'opt', 'lr', 'mom', 'batch', 'epochs', 'seed', 'data', 'embed', 'hide', 'lock', 'theme',
    'origins', 'autoplay', 'pts', 'networkShape', 'activation', '__proto__', '%zz', '',
    'task', 'cell', 'len', 'clip', 'temp', 'compare', 'delay', 'wave', 'noise',
    'beta1', 'dsteps', 'gsteps',
    'zdim', 'ghidden', 'gact', 'dhidden', 'dact', 'loss', 'gopt', 'glr', 'dopt', 'dlr'];
  const values = ['mnist', 'playground', 'gan', '', 'none', '1', '0', '-1', '1e309', 'NaN', '512', '513', 'relu,relu,relu,relu,relu',
    'all', 'weights', 'share', 'dark', 'https://a.org', '%', '<b>', 'x'.repeat(300), '4,2', 'adam', '0.5', 'true',
    'conv:8:5,pool:2,flatten,dense:10:softmax', 'conv:8:29:1:0:relu,dense:10:softmax', 'dense:10:softmax', 'conv:x',
    'sequence', 'lstm', 'rnn', 'waves', 'memory', 'names', 'text', 'sines', '257', '0.01', 'gates',
    'digits', 'gaussian', 'uniform', 'least_squares', 'leaky_relu', '1025', '256,256,256,256',
    'ring', 'custom', '2', '64,64,64,64,64,64', 'tanh', 'relu,tanh', 'leaky_relu,relu,tanh'];
  const failures: string[] = [];
  let noticed = 0;
  for (let i = 0; i < 1000; i++) {
    const part = (): string => Array.from({ length: randomInt(rng, 8) }, () =>
      `${words[randomInt(rng, words.length)]}=${encodeURIComponent(values[randomInt(rng, values.length)]!)}`).join('&');
    const search = `?${part()}`;
    const hash = ['', '#mnist', '#playground', '#sequence', `#${part()}`, '#%', '#a b'][randomInt(rng, 7)]!;
    let p: ParsedLink;
    try {
      p = parseLink(search, hash);
    } catch (e) {
      failures.push(`threw ${String(e)} on ${search}${hash}`);
      continue;
    }
    noticed += p.notices.length;
    const lab = LINK_LABS[p.lab] as { codec: { validate(c: unknown): string[] } };
    for (const v of lab.codec.validate(p.config)) failures.push(`${p.lab} config invalid: ${v} (${search}${hash})`);
    if (p.lab === 'mnist') for (const h of p.view.hide) if (!(MNIST_PANELS as readonly string[]).includes(h)) failures.push(`hide ${h}`);
    if (p.lab === 'sequence') for (const h of p.view.hide) if (!(SEQUENCE_PANELS as readonly string[]).includes(h)) failures.push(`hide ${h}`);
    const again = parseLink(writeLink(p.lab, p.config as never, { view: p.view }));
    if (again.notices.length > 0 || again.lab !== p.lab) failures.push(`its own link is not clean: ${JSON.stringify(again.notices)}`);
    if (JSON.stringify(again.config) !== JSON.stringify(p.config)) failures.push(`its own link reads back differently (${search}${hash})`);
  }
  expect(failures).toEqual([]);
  expect(noticed).toBeGreaterThan(500);
  expect(LAB_IDS).toEqual(['playground', 'mnist', 'sequence', 'gan', 'digits']);
});

describe('MNIST config and the page', () => {
  test('the schema\'s defaults are the page\'s first model and training settings; presets are links', async () => {
    const { DEFAULT_TRAINING, PRESETS } = await import('../labs/mnist/trainer.js');
    const { mnistChoices, mnistConfigOf, PRESET_LINKS } = await import('../labs/mnist/config');
    const d = mnistCodec.defaults();
    expect(mnistChoices(d)).toEqual({
      model: { layers: mlpLayers(PRESETS.mlp128.hidden, PRESETS.mlp128.activations) },
      train: { optimizer: DEFAULT_TRAINING.optimizer, lr: DEFAULT_TRAINING.lr, lrSchedule: 'none', lrEnd: 0.01, momentum: DEFAULT_TRAINING.momentum,
        batchSize: DEFAULT_TRAINING.batchSize, epochs: 3, shift: 0, seed: DEFAULT_TRAINING.seed },
    });
    const { model, train } = mnistChoices(d);
    expect(mnistConfigOf(model, train)).toEqual(d);
    for (const key of ['mlp128', 'classic'] as const) {
      const p = parseLink(`?lab=mnist&${PRESET_LINKS[key]}`);
      expect(p.notices).toEqual([]);
      expect(p.config).toMatchObject({ layers: mlpLayers(PRESETS[key].hidden, PRESETS[key].activations) });
      // The same MLP as version 1 wrote it (hidden=/act=) opens the same model.
      const old = parseLink(`?lab=mnist&v=1&hidden=${PRESETS[key].hidden.join(',')}&act=${PRESETS[key].activations.join(',')}`);
      expect(old.notices).toEqual([]);
      expect(old.config).toEqual(p.config);
    }
    for (const key of Object.keys(MODEL_PRESETS) as (keyof typeof MODEL_PRESETS)[]) {
      const p = parseLink(`?lab=mnist&${PRESET_LINKS[key]}`);
      expect(p.notices).toEqual([]);
      expect((p.config as MnistConfig).layers).toEqual(MODEL_PRESETS[key].layers);
    }
  });
});

describe('sequence config and links', () => {
  test('a link round trip restores every setting; bad values are reported, not used', () => {
    const c = { ...sequenceCodec.defaults(), task: 'memory' as const, cell: 'rnn' as const, hidden: 24, layers: 2, seqLen: 40, delay: 12, clipNorm: 1.5, temperature: 0.6, compare: true };
    const link = writeLink('sequence', c);
    expect(link.startsWith('lab=sequence&v=1&task=memory&cell=rnn&hidden=24&layers=2&len=40')).toBe(true);
    const p = parseLink(`?${link}`);
    expect(p.lab).toBe('sequence');
    expect(p.notices).toEqual([]);
    expect(p.config).toEqual(c);
    const bad = parseLink('?lab=sequence&cell=gru&hidden=0&len=9999&temp=NaN');
    expect(bad.notices.map((n) => n.key).sort()).toEqual(['cell', 'hidden', 'len', 'temp']);
    expect(bad.config).toEqual(sequenceCodec.defaults());
  });
});
