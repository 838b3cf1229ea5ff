// README.md's section on links lists exactly the schema's URL keys.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { CONFIG_FIELDS, PANELS } from '../state/schema';

const doc = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('the URL key table matches the schema', () => {
  const table = doc.slice(doc.indexOf('| Key | Setting |'), doc.indexOf('Data: inputs'));
  const keys = [...table.matchAll(/^\| `([a-z]+)` \|/gm)].map((m) => m[1]);
  expect(keys).toEqual([...CONFIG_FIELDS.map((f) => f.url), 'v', 'pts']);
  for (const f of CONFIG_FIELDS) expect(table).toContain(`| \`${f.url}\` | ${f.doc} |`);
});

test('the hide= list names every panel', () => {
  expect(doc).toContain(PANELS.join(', '));
});
