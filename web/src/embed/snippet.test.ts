import { expect, test } from 'vitest';
import { embedSnippet, labShareUrl } from './snippet';
import { parseLink } from '../state/link';
import { mnistCodec } from '../labs/mnist/config';
import { MODEL_PRESETS } from '../labs/mnist/model-layers';
import { defaultConfig } from '../state/schema';

test('a lab\'s share link opens the same lab, settings and view options', () => {
  const config = { ...mnistCodec.defaults(), layers: MODEL_PRESETS.lenet5.layers.map((l) => ({ ...l })) };
  const { url, note } = labShareUrl('mnist', config, { base: 'https://x.org/nn/', view: { embed: true, theme: 'dark' } });
  expect(note).toBeNull();
  const u = new URL(url);
  expect(u.origin + u.pathname).toBe('https://x.org/nn/');
  const p = parseLink(u.search, u.hash);
  expect(p.lab).toBe('mnist');
  expect(p.config).toEqual(config);
  expect(p.view).toMatchObject({ embed: true, theme: 'dark' });
});

test('points that cannot be encoded are left out with a note', () => {
  const points = [{ x: Number.NaN, y: 0, cls: 0 }];
  const { url, note } = labShareUrl('playground', { ...defaultConfig(), dataset: 'custom' }, { base: 'https://x.org/', points });
  expect(note).toMatch(/./);
  expect(url).not.toContain('pts=');
});

test('the snippet escapes the address and the title', () => {
  const s = embedSnippet({ url: 'https://x.org/?a=1&b="><script>', title: 'MNIST <b>', width: 720, height: 900.4 });
  expect(s).toBe('<iframe src="https://x.org/?a=1&amp;b=&quot;&gt;&lt;script&gt;" title="MNIST &lt;b&gt;" width="720" height="900" loading="lazy" style="border:0;max-width:100%"></iframe>');
});
