// createCodec on a small made-up lab: the mechanism every lab's links use.
import { describe, expect, test } from 'vitest';
import { createCodec, type MigrationStep } from './labCodec';

interface Toy { shape: 'round' | 'square'; size: number; tags: string[]; on: boolean }

// Version 1 called size "sz"; version 2 renamed it.
const v1ToV2: MigrationStep = (p, notes) => {
  const out = new Map(p);
  const sz = out.get('sz');
  if (sz !== undefined) { out.delete('sz'); out.set('size', sz); }
  if (out.get('legacy') === '1') { out.delete('legacy'); notes.push({ key: 'legacy', value: '1', reason: 'has no equivalent' }); }
  return out;
};

const codec = createCodec<Toy>({
  lab: 'toy',
  version: 2,
  migrations: [v1ToV2],
  fields: [
    { key: 'shape', url: 'shape', spec: { kind: 'enum', values: ['round', 'square'] }, default: 'round', doc: 'shape' },
    { key: 'size', url: 'size', spec: { kind: 'number', min: 1, max: 9, integer: true }, default: 3, doc: 'size' },
    { key: 'tags', url: 'tags', spec: { kind: 'enumList', values: ['a', 'b', 'c'], minLength: 0, maxLength: 2, unique: true }, default: ['a'], doc: 'tags' },
    { key: 'on', url: 'on', spec: { kind: 'bool' }, default: false, doc: 'on' },
  ],
});

function parse(q: string): { config: Toy; rejected: string[]; rest: string[]; version: number } {
  const rejected: { key: string; value: string; reason: string }[] = [];
  const params = new Map(new URLSearchParams(q));
  const version = codec.readVersion(params, rejected);
  const m = codec.migrate(params, version);
  rejected.push(...m.notes);
  const config = codec.parseParams(m.params, rejected);
  return { config, rejected: rejected.map((r) => `${r.key}: ${r.reason}`), rest: [...m.params.keys()], version };
}

describe('createCodec', () => {
  test('writes the version first and every key; reads it back', () => {
    const c: Toy = { shape: 'square', size: 9, tags: [], on: true };
    expect(codec.write(c)).toBe('v=2&shape=square&size=9&tags=none&on=1');
    expect(parse(codec.write(c)).config).toEqual(c);
    expect(parse(codec.write(codec.defaults())).config).toEqual(codec.defaults());
  });

  test('a bad value keeps its default and says why; unknown keys are left for the caller', () => {
    const r = parse('shape=oval&size=10&tags=a,a&on=2&utm_source=x');
    expect(r.config).toEqual(codec.defaults());
    expect(r.rejected).toEqual([
      'shape: must be one of: round, square; the default round was kept',
      'size: is out of range: must be a whole number from 1 to 9; the default 3 was kept',
      'tags: lists an entry twice; the default a was kept',
      'on: must be 1 or 0; the default 0 was kept',
    ]);
    expect(r.rest).toEqual(['utm_source']);
  });

  test('older links are migrated step by step; newer ones are read with a warning', () => {
    const old = parse('v=1&sz=7&legacy=1');
    expect(old.version).toBe(1);
    expect(old.config.size).toBe(7);
    expect(old.rejected).toEqual(['legacy: has no equivalent']);
    const newer = parse('v=3&size=4');
    expect(newer.config.size).toBe(4);
    expect(newer.rejected[0]).toMatch(/^v: comes from a newer version/);
    expect(parse('v=0&size=4').rejected[0]).toMatch(/^v: is not a link format version/);
  });

  test('fromObject checks JSON types and never reads prototype keys', () => {
    const r = codec.fromObject(JSON.parse('{"size": "4", "shape": "square", "__proto__": {"on": true}, "x": 1}'));
    expect(r.config).toEqual({ ...codec.defaults(), shape: 'square' });
    expect(r.rejected.map((x) => x.key)).toEqual(['size']);
    expect(r.ignored).toEqual(['__proto__', 'x']);
    expect(codec.validate({ shape: 'square', size: 0, tags: ['z'], on: true })).toEqual([
      'size is out of range: must be a whole number from 1 to 9', 'tags each entry must be one of: a, b, c',
    ]);
  });

  test('reserved and repeated keys are refused when the lab is declared', () => {
    const field = { key: 'v' as const, url: 'v', spec: { kind: 'bool' as const }, default: false, doc: '' };
    expect(() => createCodec<{ v: boolean }>({ lab: 'bad', version: 1, fields: [field] })).toThrow(/reserved/);
    const twice = { ...field, url: 'a' };
    expect(() => createCodec<{ v: boolean }>({ lab: 'bad', version: 1, fields: [twice, twice] })).toThrow(/twice/);
  });
});
