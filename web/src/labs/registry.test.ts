// The labs registry is the lab folders: each has lab.ts, Page.tsx,
// session.ts and model-file.ts, its id is its folder's name, and tabs follow
// `order`. Adding a lab is one folder: the shared files that read every lab
// (links, model files) name none.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { byLab, DEFAULT_LAB, LAB_IDS, LABS, labEntry } from './index';
import { labFolder } from './glob';
import { PAGES } from './pages';
import { SESSIONS } from './sessions';
import { MODEL_FILES } from './model-files';
import type { LabConfig, LabPanel } from './types';
import type { MnistConfig, MnistPanel } from './mnist/config';
import type { Config } from '../state/config';
import type { Panel } from '../state/schema';

/** The files every lab folder has. */
const LAB_FILES = ['lab.ts', 'Page.tsx', 'session.ts', 'model-file.ts'];
// Lazy globs: only the file names, nothing is loaded.
const files = import.meta.glob(['./*/lab.ts', './*/Page.tsx', './*/session.ts', './*/model-file.ts', './*/config.ts']);
const sources = import.meta.glob<string>('./*/lab.ts', { query: '?raw', import: 'default', eager: true });
/** The shared modules that read every lab: they must name none. */
const shared = import.meta.glob<string>(['../state/link.ts', '../share/modelFile.ts'], { query: '?raw', import: 'default', eager: true });

/**
 * Where a module's code (comments aside) names one of `ids`: a string that
 * is the id, an import from its folder, or an identifier containing it
 * (PLAYGROUND_LAB, mnistCodec, MnistConfig, a `mnist:` key).
 */
function labNames(source: string, ids: readonly string[]): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
  const strings = [...code.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  const words = code.replace(/'[^'\n]*'|"[^"\n]*"|`[^`]*`/g, ' ').match(/[A-Za-z_$][\w$]*/g) ?? [];
  const found: string[] = [];
  for (const id of ids) {
    for (const t of strings) if (t === id || t.includes(`/labs/${id}/`) || t.startsWith(`./${id}/`)) found.push(`'${t}'`);
    // An identifier names a lab when one of its words is the id (mnistCodec, PLAYGROUND_LAB,
    // SEQUENCE_LAB), not when a word merely contains it (returnSequences is a layer's setting).
    for (const w of words) if (identifierWords(w).includes(id.toLowerCase())) found.push(w);
  }
  return found;
}

/** The words of an identifier, lower-cased: camelCase, PascalCase and SNAKE_CASE parts. */
function identifierWords(w: string): string[] {
  return w.replace(/([a-z0-9])([A-Z])/g, '$1_$2').split(/[_$]+/).filter(Boolean).map((x) => x.toLowerCase());
}

describe('labs registry', () => {
  it('finds every lab folder, and each has its entry, page and session', () => {
    const folders = [...new Set(Object.keys(files).map(labFolder))].sort();
    expect(folders).toEqual([...LAB_IDS].sort());
    for (const id of folders) {
      for (const file of LAB_FILES) {
        expect(files[`./${id}/${file}`], `labs/${id}/${file}`).toBeTypeOf('function');
      }
      expect(PAGES[id as (typeof LAB_IDS)[number]]).toBeDefined();
      expect(SESSIONS[id as (typeof LAB_IDS)[number]]).toBeTypeOf('function');
      const modelFile = MODEL_FILES[id as (typeof LAB_IDS)[number]];
      for (const part of ['checkNetwork', 'probes', 'baseName'] as const) expect(modelFile[part], `labs/${id}/model-file.ts ${part}`).toBeTypeOf('function');
    }
    // Files written before labs (format 1) belong to one lab at most.
    expect(LAB_IDS.filter((id) => MODEL_FILES[id].readsFormat1)).toEqual(['playground']);
  });

  it('derives each lab\'s config and panel types from its entry (no table of labs)', () => {
    expectTypeOf<LabConfig<'mnist'>>().toEqualTypeOf<MnistConfig>();
    expectTypeOf<LabPanel<'mnist'>>().toEqualTypeOf<MnistPanel>();
    expectTypeOf<LabConfig<'playground'>>().toEqualTypeOf<Config>();
    expectTypeOf<LabPanel<'playground'>>().toEqualTypeOf<Panel>();
    expect(labEntry('playground').drawnPoints?.({ ...labEntry('playground').codec.defaults(), dataset: 'custom' })).toBe(true);
    expect(labEntry('mnist').drawnPoints).toBeUndefined();
  });

  it('the shared modules that read every lab (links, model files) name no lab', () => {
    expect(Object.keys(shared).sort()).toEqual(['../share/modelFile.ts', '../state/link.ts']);
    for (const [path, text] of Object.entries(shared)) {
      expect(text.length, path).toBeGreaterThan(1000);
      expect(labNames(text, LAB_IDS), path).toEqual([]);
    }
    // The check sees each way of naming a lab, and not a word in a comment.
    const named = labNames([
      "import { PLAYGROUND_LAB } from '../labs/playground/config';",
      "import type { MnistConfig } from '../labs/mnist/config';",
      "const t = { mnist: 1 }; if (lab === 'playground') f(mnistCodec);",
      '// the playground and MNIST are named in comments only',
      "const MAGIC = 'nn-playground-model';",
      'const r = layer.returnSequences; const s = SEQUENCE_LAB;',
    ].join('\n'), LAB_IDS);
    expect(named).toEqual(expect.arrayContaining(['PLAYGROUND_LAB', "'../labs/playground/config'", "'playground'", 'MnistConfig', 'mnist', 'mnistCodec', "'../labs/mnist/config'"]));
    expect(named).toContain('SEQUENCE_LAB');
    expect(named.filter((n) => n.includes('nn-playground-model') || n === 'MNIST' || n === 'returnSequences')).toEqual([]);
  });

  it('lists labs in tab order; ids are folder names; the first is the default', () => {
    const orders = LABS.map((l) => l.order);
    expect(new Set(orders).size).toBe(orders.length);
    expect([...orders].sort((a, b) => a - b)).toEqual(orders);
    expect(DEFAULT_LAB).toBe('playground');
    expect(labEntry('mnist').title).toBe('MNIST');
    expect(labEntry('sequence').title).toBe('Sequences');
    expect(labEntry('gan').title).toBe('GAN');
    for (const l of LABS) expect(l.codec.lab).toBe(l.id);
  });

  it('names the missing file of a lab', () => {
    const onlyPlayground = { './playground/Page.tsx': 1 };
    expect(() => byLab(onlyPlayground, 'Page.tsx')).toThrow('lab mnist has no Page.tsx');
    expect(() => byLab({ './playground/x.ts': 1, './mnist/x.ts': 2 }, 'x.ts')).toThrow('lab sequence has no x.ts');
    expect(() => byLab({ './playground/x.ts': 1, './mnist/x.ts': 2, './sequence/x.ts': 3 }, 'x.ts')).toThrow('lab gan has no x.ts');
    expect(() => byLab({ './playground/x.ts': 1, './mnist/x.ts': 2, './sequence/x.ts': 3, './gan/x.ts': 4 }, 'x.ts')).toThrow('lab digits has no x.ts');
    expect(byLab({ './playground/x.ts': 1, './mnist/x.ts': 2, './sequence/x.ts': 3, './gan/x.ts': 4, './digits/x.ts': 5 }, 'x.ts')).toEqual({ playground: 1, mnist: 2, sequence: 3, gan: 4, digits: 5 });
  });

  it("loads no page for link parsing: a lab.ts imports only its schema and types, and registers its id's type", () => {
    for (const [path, text] of Object.entries(sources)) {
      // The declaration that puts the lab's id into the LabId type.
      expect(text, path).toContain(`interface LabRegistry { ${labFolder(path)}: typeof lab }`);
      const imports = [...text.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)];
      expect(imports.length, path).toBeGreaterThan(0);
      for (const [, typeOnly, from] of imports) {
        if (!typeOnly) expect(from, `${path} imports ${from}`).toBe('./config');
      }
    }
  });
});
