// The links bench/cnn-browser.mjs measures issue 11's targets with are the presets' own
// settings as the page writes them (a preset changed without its benchmark link fails here).
import { expect, test } from 'vitest';
import { parseLink, writeLink } from '../../state/link';
import { mnistCodec, type MnistConfig } from './config';
import { MODEL_PRESETS } from './model-layers';
import { LAB_LINKS } from '../../../../bench/cnn-links.mjs';

test('the benchmark opens each CNN preset with the training settings the preset comes with', () => {
  for (const [id, link] of Object.entries(LAB_LINKS) as [keyof typeof LAB_LINKS, string][]) {
    const preset = MODEL_PRESETS[id];
    const t = preset.train!;
    const p = parseLink(`?${link}`);
    expect(p.lab).toBe('mnist');
    expect(p.notices).toEqual([]);
    const config = p.config as MnistConfig;
    expect(config).toMatchObject({
      layers: preset.layers, optimizer: t.optimizer, learningRate: t.lr, batchSize: t.batchSize, lrSchedule: t.lrSchedule,
      ...(t.lrEnd !== undefined ? { lrEnd: t.lrEnd } : {}), ...(t.shift !== undefined ? { shift: t.shift } : {}),
    });
    if (t.epochs !== undefined) expect(config.epochs).toBe(t.epochs);
    // Every key the link does not give is the page's default.
    const given = new Set(new URLSearchParams(link).keys());
    const defaults = mnistCodec.defaults();
    for (const f of ['momentum', 'seed'] as const) if (!given.has(f === 'momentum' ? 'mom' : 'seed')) expect(config[f]).toBe(defaults[f]);
    expect(writeLink('mnist', config)).toContain(`layers=${new URLSearchParams(link).get('layers')}&`);
  }
});
