import { describe, expect, test } from 'vitest';
import type { Config } from './config';
import {
  configFromObject, CURRENT_VERSION, MAX_QUERY_LENGTH, MAX_VALUE_LENGTH, parseConfigFromQuery, parseQuery,
  validateConfig, writeConfigToQuery, writeQuery,
} from './codec';
import {
  ACTIVATIONS, CONFIG_FIELDS, DATASET_VALUES, defaultConfig, FEATURE_VALUES, OPTIMIZERS, PANELS, REGULARIZATIONS,
} from './schema';

/** Values to try for every setting: the edges of each range and a few inside. */
const SAMPLES: { [K in keyof Config]: Config[K][] } = {
  dataset: [...DATASET_VALUES],
  noise: [0, 0.5, 12.5, 50],
  trainRatio: [10, 33.3, 90],
  dataSeed: [0, 42, 2147483647],
  hidden: [[], [1], [64], [8, 8, 8, 8, 8, 8], [1, 2, 3, 4, 5, 6, 7, 8]],
  activations: [['relu', 'leaky_relu'], ['sigmoid', 'linear']],
  features: [['x1'], ['sinx2', 'x1'], [...FEATURE_VALUES]],
  optimizer: [...OPTIMIZERS],
  learningRate: [1e-5, 0.0003, 0.1 + 0.2, 10],
  momentum: [0, 0.5, 0.999],
  regularization: [...REGULARIZATIONS],
  regRate: [0, 1e-4, 10],
  batchSize: [1, 17, 256],
  seed: [0, 123456789, 2147483647],
  init: ['random', 'zeros'],
  showTestData: [true, false],
  discretize: [true, false],
  drawClass: [0, 1, 2, 3],
};

function withValue<K extends keyof Config>(key: K, value: Config[K]): Config {
  const c = defaultConfig();
  c[key] = value;
  // Keep activations consistent with hidden when hidden changes.
  if (key === 'hidden') c.activations = (value as number[]).map((_, i) => ACTIVATIONS[i % ACTIVATIONS.length]!);
  return c;
}

describe('round trip', () => {
  for (const f of CONFIG_FIELDS) {
    test(`every sample value of ${f.key} survives write -> parse`, () => {
      const samples = SAMPLES[f.key] as unknown[];
      expect(samples.length).toBeGreaterThan(1);
      for (const v of samples) {
        const c = withValue(f.key, v as never);
        expect(validateConfig(c)).toEqual([]);
        const q = writeConfigToQuery(c);
        const parsed = parseQuery(q);
        expect(parsed.rejected).toEqual([]);
        expect(parsed.ignored).toEqual([]);
        expect(parsed.config).toEqual(c);
      }
    });
  }

  test('the link starts with the version and lists every setting', () => {
    const q = writeConfigToQuery(defaultConfig());
    expect(q.startsWith(`v=${CURRENT_VERSION}&`)).toBe(true);
    for (const f of CONFIG_FIELDS) expect(q).toContain(`&${f.url}=`);
    expect(q).toContain('hidden=6,3');
  });

  test('view options and drawn points round trip', () => {
    const c = { ...defaultConfig(), dataset: 'custom' as const };
    const points = [{ x: -6, y: 6, cls: 0 }, { x: 0, y: 0, cls: 3 }, { x: 6, y: -6, cls: 2 }];
    const q = writeQuery(c, {
      view: { embed: true, hide: ['loss-chart', 'share'], lock: ['dataset', 'learningRate'], autoplay: true, theme: 'dark', origins: ['https://course.example.org'] },
      points,
    });
    const p = parseQuery(`?${q}`);
    expect(p.rejected).toEqual([]);
    expect(p.config).toEqual(c);
    expect(p.view).toEqual({ embed: true, hide: ['loss-chart', 'share'], lock: ['dataset', 'learningRate'], autoplay: true, theme: 'dark', origins: ['https://course.example.org'] });
    expect(p.points).toEqual(points);
  });

  test('points are only written for the custom data set', () => {
    expect(writeQuery(defaultConfig(), { points: [{ x: 1, y: 1, cls: 1 }] })).not.toContain('pts=');
  });
});

describe('rejections', () => {
  const cases: [string, string][] = [
    ['noise=51', 'noise'], ['noise=-1', 'noise'], ['noise=abc', 'noise'], ['noise=NaN', 'noise'], ['noise=Infinity', 'noise'],
    ['noise=1e999', 'noise'], ['noise=0x10', 'noise'], ['noise= 5', 'noise'], ['batch=2.5', 'batch'], ['batch=0', 'batch'],
    ['batch=257', 'batch'], ['lr=0', 'lr'], ['data=mnist', 'data'], ['data=<script>alert(1)</script>', 'data'],
    ['opt=ADAM', 'opt'], ['test=yes', 'test'], ['hidden=9,9,9,9,9,9,9,9,9', 'hidden'], ['hidden=65', 'hidden'],
    ['hidden=0', 'hidden'], ['hidden=', 'hidden'], ['hidden=4,,2', 'hidden'], ['feat=', 'feat'], ['feat=none', 'feat'],
    ['feat=x1,x1', 'feat'], ['feat=x3', 'feat'], ['act=tanh,relu,relu', 'act'], ['act=softmax', 'act'], ['seed=-1', 'seed'],
    ['seed=2147483648', 'seed'], ['cls=4', 'cls'], ['theme=blue', 'theme'], ['embed=2', 'embed'], ['hide=everything', 'hide'],
    ['lock=lr,nope', 'lock'], ['pts=!!!', 'pts'], ['origins=javascript:alert(1)', 'origins'],
  ];
  for (const [query, key] of cases) {
    test(`${query} is rejected, reported, and the rest stays default`, () => {
      const p = parseQuery(query);
      expect(p.rejected.map((r) => r.key)).toContain(key);
      const r = p.rejected.find((x) => x.key === key)!;
      expect(r.reason.length).toBeGreaterThan(10);
      expect(validateConfig(p.config)).toEqual([]);
      // Only view options and pts change something other than the default.
      if (!['hide', 'lock', 'theme', 'embed', 'pts', 'origins'].includes(key)) expect(p.config).toEqual(defaultConfig());
    });
  }

  test('a rejected value keeps the default, never a clamped one', () => {
    const p = parseQuery('batch=1000&lr=0.5');
    expect(p.config.batchSize).toBe(10);
    expect(p.config.learningRate).toBe(0.5);
    expect(p.rejected).toHaveLength(1);
    expect(p.rejected[0]!.reason).toContain('from 1 to 256');
    expect(p.rejected[0]!.reason).toContain('default 10 was kept');
  });

  test('unknown keys are ignored and listed, not reported as errors', () => {
    const p = parseQuery('utm_source=mail&lr=0.1&fbclid=x');
    expect(p.rejected).toEqual([]);
    expect(p.ignored).toEqual(['utm_source', 'fbclid']);
    expect(p.config.learningRate).toBe(0.1);
  });

  test('a repeated key is ambiguous and rejected', () => {
    const p = parseQuery('lr=0.1&lr=0.2');
    expect(p.config.learningRate).toBe(defaultConfig().learningRate);
    expect(p.rejected[0]!.reason).toContain('2 times');
  });

  test('over-long values and links are rejected with their length', () => {
    const long = 'x'.repeat(MAX_VALUE_LENGTH + 1);
    const p = parseQuery(`data=${long}`);
    expect(p.rejected[0]!.reason).toContain('too long');
    expect(p.rejected[0]!.value.length).toBeLessThanOrEqual(41);
    const huge = parseQuery(`lr=0.1&x=${'a'.repeat(MAX_QUERY_LENGTH)}`);
    expect(huge.config).toEqual(defaultConfig());
    expect(huge.rejected[0]!.reason).toContain('too long');
  });

  test('shown values have no control characters', () => {
    const p = parseQuery('data=%0A%1B[31mred%00');
    expect(p.rejected[0]!.value).not.toMatch(/[\u0000-\u001f]/);
  });

  test('one activation name applies to every hidden layer', () => {
    const p = parseQuery('hidden=3,3,3&act=relu');
    expect(p.rejected).toEqual([]);
    expect(p.config.activations).toEqual(['relu', 'relu', 'relu']);
  });

  test('hidden without act keeps the default activation on every layer', () => {
    const p = parseQuery('hidden=5,5,5');
    expect(p.config.hidden).toEqual([5, 5, 5]);
    expect(p.config.activations).toEqual(['tanh', 'tanh', 'tanh']);
    expect(parseQuery('hidden=none').config.activations).toEqual([]);
  });

  test('activations of the wrong length are rejected and fitted to the layers', () => {
    const p = parseQuery('hidden=3,3,3&act=relu,sigmoid');
    expect(p.config.hidden).toEqual([3, 3, 3]);
    expect(p.config.activations).toEqual(['tanh', 'tanh', 'tanh']);
    expect(p.rejected[0]!.key).toBe('act');
    expect(p.rejected[0]!.reason).toContain('2 activations for 3 hidden layers');
  });

  test('lock=all locks every setting; hide drops duplicates', () => {
    const p = parseQuery('lock=all&hide=share,share');
    expect(p.view.lock).toEqual(CONFIG_FIELDS.map((f) => f.key));
    expect(p.view.hide).toEqual(['share']);
    expect(PANELS).toContain('share');
  });

  test('a bad origins list fails closed: no host may send commands', () => {
    expect(parseQuery('origins=https://a.example,evil').view.origins).toEqual([]);
    expect(parseQuery('origins=https://A.example:8443,http://localhost:5173').view.origins).toEqual(['https://a.example:8443', 'http://localhost:5173']);
  });

  test('a failed-closed origins list survives the rewritten URL (reloading must not open the frame to everyone)', () => {
    const closed = parseQuery('origins=https://a.example,evil');
    const rewritten = writeQuery(closed.config, { view: closed.view });
    expect(rewritten).toContain('origins=');
    const again = parseQuery(rewritten);
    expect(again.view.origins).toEqual([]);
    expect(again.rejected).toEqual([]);
  });
});

describe('versions and migration', () => {
  test('a link from a newer version is read with a warning', () => {
    const p = parseQuery('v=7&lr=0.1&newthing=1');
    expect(p.config.learningRate).toBe(0.1);
    expect(p.rejected.map((r) => r.key)).toEqual(['v']);
    expect(p.rejected[0]!.reason).toContain('newer version');
    expect(p.ignored).toEqual(['newthing']);
  });

  for (const v of ['abc', '-1', '1.5', 'NaN', '']) {
    test(`version "${v}" is reported and the link is read as current`, () => {
      const p = parseQuery(`v=${v}&batch=20`);
      expect(p.version).toBe(CURRENT_VERSION);
      expect(p.config.batchSize).toBe(20);
      expect(p.rejected.map((r) => r.key)).toEqual(['v']);
    });
  }

  // A real TensorFlow Playground link (query form of its #hash).
  const TFP = 'activation=relu&batchSize=20&dataset=spiral&regDataset=reg-plane&learningRate=0.01&regularizationRate=0.001'
    + '&noise=15&networkShape=6,5,4&seed=0.51329&showTestData=true&discretize=false&percTrainData=60&x=true&y=true'
    + '&xTimesY=false&xSquared=true&ySquared=false&cosX=false&sinX=true&cosY=false&sinY=false&collectStats=false'
    + '&problem=classification&initZero=false&hideText=false&regularization=L2&dataset_hide=true';

  test('a TensorFlow Playground (v0) link is translated', () => {
    for (const prefix of ['', 'v=0&', '#']) {
      const p = parseQuery(prefix + TFP);
      expect(p.version).toBe(0);
      expect(p.rejected).toEqual([]);
      expect(p.config).toEqual({
        ...defaultConfig(), dataset: 'spiral', noise: 15, trainRatio: 60, hidden: [6, 5, 4], activations: ['relu', 'relu', 'relu'],
        features: ['x1', 'x2', 'x1sq', 'sinx1'], optimizer: 'sgd', learningRate: 0.01, regularization: 'l2', regRate: 0.001,
        batchSize: 20, seed: Math.floor(0.51329 * 2147483647), showTestData: true, discretize: false,
      });
      expect(p.view.hide).toEqual(['datasets']);
      expect(p.ignored.sort()).toEqual(['collectStats', 'hideText', 'initZero']);
    }
  });

  test('v0: regression sets, empty network, and features without equivalent', () => {
    const p = parseQuery('problem=regression&regDataset=reg-gauss&networkShape=&activation=linear&cosX=true&x=true');
    expect(p.config.dataset).toBe('multigauss');
    expect(p.config.hidden).toEqual([]);
    expect(p.config.activations).toEqual([]);
    expect(p.config.features).toEqual(['x1']);
    expect(p.rejected.map((r) => r.key)).toEqual(['cosX']);
  });

  test('v0: bad legacy values are reported like any other', () => {
    const p = parseQuery('v=0&dataset=moons&learningRate=99&regularization=L3&x=maybe');
    expect(p.rejected.map((r) => r.key).sort()).toEqual(['dataset', 'lr', 'regularization', 'x']);
    expect(validateConfig(p.config)).toEqual([]);
  });

  test('writing a migrated link gives the current format, which reads back the same', () => {
    const p = parseQuery(TFP);
    const again = parseQuery(writeQuery(p.config, { view: p.view }));
    expect(again.version).toBe(CURRENT_VERSION);
    expect(again.config).toEqual(p.config);
    expect(again.view).toEqual(p.view);
  });
});

describe('configFromObject (postMessage and saved files)', () => {
  test('applies valid keys on top of the base', () => {
    const base = { ...defaultConfig(), learningRate: 0.5 };
    const r = configFromObject({ batchSize: 32, hidden: [3] }, base);
    expect(r.rejected).toEqual([]);
    expect(r.config).toEqual({ ...base, batchSize: 32, hidden: [3], activations: ['tanh'] });
  });

  test('wrong types, NaN and prototype keys are rejected or ignored', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 1, "batchSize": "32", "learningRate": null, "noise": 1e400, "features": ["x1", 2]}');
    const r = configFromObject(hostile);
    expect(r.config).toEqual(defaultConfig());
    expect(r.rejected.map((x) => x.key).sort()).toEqual(['batchSize', 'features', 'learningRate', 'noise']);
    expect(r.ignored.sort()).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(configFromObject(Number.NaN).rejected[0]!.reason).toContain('object');
    expect(configFromObject({ momentum: Number.NaN }).rejected[0]!.reason).toContain('from 0 to 0.999');
  });
});

describe('parseConfigFromQuery', () => {
  test('returns the config part', () => {
    const r = parseConfigFromQuery('?lr=0.1&embed=1');
    expect(r.config.learningRate).toBe(0.1);
    expect(r.rejected).toEqual([]);
  });
});
