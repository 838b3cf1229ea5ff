// The labs registry is the lab folders: each has lab.ts, Page.tsx and
// session.ts, its id is its folder's name, and tabs follow `order`.
import { describe, expect, it } from 'vitest';
import { byLab, DEFAULT_LAB, LAB_IDS, LABS, labEntry } from './index';
import { labFolder } from './glob';
import { PAGES } from './pages';
import { SESSIONS } from './sessions';

// Lazy globs: only the file names, nothing is loaded.
const files = import.meta.glob(['./*/lab.ts', './*/Page.tsx', './*/session.ts', './*/config.ts']);
const sources = import.meta.glob<string>('./*/lab.ts', { query: '?raw', import: 'default', eager: true });

describe('labs registry', () => {
  it('finds every lab folder, and each has its entry, page and session', () => {
    const folders = [...new Set(Object.keys(files).map(labFolder))].sort();
    expect(folders).toEqual([...LAB_IDS].sort());
    for (const id of folders) {
      for (const file of ['lab.ts', 'Page.tsx', 'session.ts']) {
        expect(files[`./${id}/${file}`], `labs/${id}/${file}`).toBeTypeOf('function');
      }
      expect(PAGES[id as (typeof LAB_IDS)[number]]).toBeDefined();
      expect(SESSIONS[id as (typeof LAB_IDS)[number]]).toBeTypeOf('function');
    }
  });

  it('lists labs in tab order; ids are folder names; the first is the default', () => {
    const orders = LABS.map((l) => l.order);
    expect(new Set(orders).size).toBe(orders.length);
    expect([...orders].sort((a, b) => a - b)).toEqual(orders);
    expect(DEFAULT_LAB).toBe('playground');
    expect(labEntry('mnist').title).toBe('MNIST');
    for (const l of LABS) expect(l.codec.lab).toBe(l.id);
  });

  it('names the missing file of a lab', () => {
    const onlyPlayground = { './playground/Page.tsx': 1 };
    expect(() => byLab(onlyPlayground, 'Page.tsx')).toThrow('lab mnist has no Page.tsx');
    expect(byLab({ './playground/x.ts': 1, './mnist/x.ts': 2 }, 'x.ts')).toEqual({ playground: 1, mnist: 2 });
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
