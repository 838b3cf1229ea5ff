// The sequence lab's corpora: the preparation rules, and the build step that
// writes them from the @stdlib packages (run into a temporary folder).
import { describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { checkCorpusManifest, checkNamesAsset, checkTextAsset, encodeChars, prepareNames, prepareText, RARE_SYMBOL, TEXT_VOCAB } from './corpus.js';
import { makeSequenceAssets } from '../../../scripts/make-sequence-assets.mjs';
import { HASHED_NAME_SHAPE } from '../../../scripts/asset-build.mjs';

describe('sequence corpora', () => {
  it('names: lower-cased, letters only, deduplicated, a fixed split with no overlap', () => {
    const female = ['Anna', 'Mary-Jo', 'Zoe', 'anna', ' Eve ', "O'Neil"];
    const male = ['Adam', 'Zoe', 'Bob'];
    const a = prepareNames(female, male);
    expect([...a.train, ...a.val].sort()).toEqual(['adam', 'anna', 'bob', 'eve', 'zoe']);
    expect(a.vocab.startsWith('.')).toBe(true);
    expect(a.vocab).toBe('.abdemnovz');
    expect(prepareNames(female, male)).toEqual(a); // seeded: the same split every time
    expect(a.val.filter((n) => a.train.includes(n))).toEqual([]);
  });

  it('text: case-folded, quotes and dashes normalised, hard wraps joined, rare characters one symbol', () => {
    const t = prepareText('CHAPTER 1. Loomings.\n\nCall me “Ishmael”—never\nmind $5.\r\n\r\n  End’s  here');
    expect(t).toBe(`chapter ${RARE_SYMBOL}. loomings.\ncall me "ishmael"-never mind ${RARE_SYMBOL}${RARE_SYMBOL}.\nend's here`);
    for (const c of t) expect(TEXT_VOCAB).toContain(c);
    expect(Array.from(encodeChars('ab', TEXT_VOCAB))).toEqual([TEXT_VOCAB.indexOf('a'), TEXT_VOCAB.indexOf('b')]);
    expect(() => encodeChars('A', TEXT_VOCAB)).toThrow('not in the vocabulary');
  });

  it('the build step writes both assets from the packages, and they pass the reader\'s checks', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq-assets-'));
    try {
      fs.writeFileSync(path.join(dir, 'seq-text.gz.bin'), 'an earlier build\'s fixed name');
      const r = makeSequenceAssets({ outDir: dir, log: () => undefined });
      expect(r.skipped).toBe(false);
      // Content-hashed names, named by the manifest beside them; nothing else is left.
      const manifest = checkCorpusManifest(JSON.parse(fs.readFileSync(path.join(dir, 'seq.json'), 'utf8')));
      const hash = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex').slice(0, 16);
      expect(manifest).toEqual({ names: `seq-names.${hash(manifest.names)}.json`, text: `seq-text.${hash(manifest.text)}.gz.bin` });
      for (const f of [manifest.names, manifest.text]) expect(f).toMatch(new RegExp(`^${HASHED_NAME_SHAPE}$`)); // cached on use
      expect([r.namesPath, r.textPath]).toEqual([path.join(dir, manifest.names), path.join(dir, manifest.text)]);
      expect(fs.readdirSync(dir).sort()).toEqual([manifest.names, manifest.text, 'seq.json'].sort());
      const names = checkNamesAsset(JSON.parse(fs.readFileSync(r.namesPath, 'utf8')));
      expect(names.vocab).toBe('.abcdefghijklmnopqrstuvwxyz');
      expect(names.train.length).toBeGreaterThan(7000);
      expect(names.val.length / (names.train.length + names.val.length)).toBeCloseTo(0.1, 2);
      expect(names.train).toContain('mary');
      const text = checkTextAsset(JSON.parse(zlib.gunzipSync(fs.readFileSync(r.textPath)).toString('utf8')));
      expect(text.vocab).toBe(TEXT_VOCAB);
      expect(text.text.length).toBeGreaterThan(1_000_000);
      expect(text.text.startsWith('chapter #. loomings.\ncall me ishmael.')).toBe(true);
      expect(fs.statSync(r.textPath).size).toBeLessThan(600_000);
      expect(makeSequenceAssets({ outDir: dir, log: () => undefined }).skipped).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the readers refuse a malformed file with a sentence', () => {
    expect(() => checkNamesAsset({ version: 1, vocab: '.ab', train: ['abc'], val: [] })).toThrow('outside its vocabulary');
    expect(() => checkNamesAsset(null)).toThrow('not a sequence-lab names file');
    expect(() => checkTextAsset({ version: 2, vocab: 'a', text: 'a' })).toThrow('not a sequence-lab text file');
    expect(() => checkCorpusManifest({ version: 1, names: '../secret.json', text: 'seq-text.0123456789abcdef.gz.bin' })).toThrow('malformed');
    expect(() => checkCorpusManifest('seq.json')).toThrow('malformed');
    expect(() => checkCorpusManifest({ version: 9, names: 'a.json', text: 'b.gz.bin' })).toThrow('format version 9, this page reads 1');
  });
});
