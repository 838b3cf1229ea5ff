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

test('the MNIST key table matches its schema', async () => {
  const { MNIST_FIELDS } = await import('../labs/mnist/config');
  const table = doc.slice(doc.indexOf('| MNIST key | Setting |'), doc.indexOf('**Other forms of address'));
  const keys = [...table.matchAll(/^\| `([a-z]+)` \|/gm)].map((m) => m[1]);
  expect(keys).toEqual(MNIST_FIELDS.map((f) => f.url));
  for (const f of MNIST_FIELDS) expect(table).toContain(`| \`${f.url}\` | ${f.doc} |`);
});

test('the hide= list names every MNIST panel', async () => {
  const { MNIST_PANELS } = await import('../labs/mnist/config');
  expect(doc).toContain(`MNIST: ${MNIST_PANELS.join(', ')}`);
});

test('the sequence key table matches its schema, and the hide= list names its panels', async () => {
  const { SEQUENCE_FIELDS, SEQUENCE_PANELS } = await import('../labs/sequence/config');
  const table = doc.slice(doc.indexOf('| Sequence key | Setting |'), doc.indexOf('**MNIST** (`lab=mnist`'));
  const keys = [...table.matchAll(/^\| `([a-z]+)` \|/gm)].map((m) => m[1]);
  expect(keys).toEqual(SEQUENCE_FIELDS.map((f) => f.url));
  for (const f of SEQUENCE_FIELDS) expect(table).toContain(`| \`${f.url}\` | ${f.doc} |`);
  expect(doc).toContain(`Sequences: ${SEQUENCE_PANELS.join(', ')}`);
});

test('the GAN key table matches its schema, and the hide= list names its panels', async () => {
  const { GAN_FIELDS, GAN_PANELS } = await import('../labs/gan/config');
  // The table ends at its first blank line (another lab's table may follow).
  const start = doc.indexOf('| GAN key | Setting |');
  const table = doc.slice(start, doc.indexOf('\n\n', start));
  const keys = [...table.matchAll(/^\| `([a-z]+)` \|/gm)].map((m) => m[1]);
  expect(keys).toEqual(GAN_FIELDS.map((f) => f.url));
  for (const f of GAN_FIELDS) expect(table).toContain(`| \`${f.url}\` | ${f.doc} |`);
  expect(doc).toContain(`GAN: ${GAN_PANELS.join(', ')}`);
});
