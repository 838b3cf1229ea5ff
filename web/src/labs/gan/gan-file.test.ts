// The GAN lab's part of GAN files: the config (with a drawing's points) is
// read with the lab's codec, and a file's networks must be the ones its
// config builds; a saved pair round-trips through share/ganFile.ts.
import { describe, expect, it } from 'vitest';
import { testEngine, testAskCore } from '../../share/test-core';
import { GanPair } from '../../engine/gan.js';
import { ganFileText, readGanFile } from '../../share/ganFile';
import { ganCodec, ganLayers } from './config';
import { checkGanModel, fileConfig, readFileConfig } from './gan-file';

describe('GAN lab files', () => {
  it('reads the config and the drawing, and refuses a bad one with a sentence', () => {
    const c = { ...ganCodec.defaults(), dist: 'custom' as const };
    const r = readFileConfig(fileConfig(c, [{ x: 0.5, y: -0.25, cls: 0 }]));
    expect(r.ok && r.config.config).toEqual(c);
    expect(r.ok && r.config.points.map((p) => [p.x, p.y])).toEqual([[expect.closeTo(0.5, 2), expect.closeTo(-0.25, 2)]]);
    expect(readFileConfig({ ...c })).toEqual({ ok: false, error: expect.stringMatching(/holds no points/) });
    expect(readFileConfig({ ...c, points: [1, 'x'] })).toEqual({ ok: false, error: expect.stringMatching(/pairs of numbers/) });
    expect(readFileConfig({ ...c, batch: 0, points: [0, 0] })).toEqual({ ok: false, error: expect.stringMatching(/batch/) });
    expect(readFileConfig(null).ok).toBe(false);
  });

  it('round-trips a trained pair, and refuses networks its config does not build', async () => {
    const engine = await testEngine();
    const c = { ...ganCodec.defaults(), gHidden: [4], gActivations: ['tanh' as const], dHidden: [3], dActivations: ['relu' as const], batch: 8 };
    const l = ganLayers(c);
    const pair = new GanPair(engine, { noiseDim: 2, noise: 'uniform', sampleShape: 2, generator: l.generator, discriminator: l.discriminator, loss: 'bce',
      optG: { kind: 'adam', lr: 0.01 }, optD: { kind: 'adam', lr: 0.01 }, batch: 8, dSteps: 1, gSteps: 1, seed: 3 });
    const real = new Float32Array(16).fill(0.5);
    pair.iterate(() => real);
    const text = ganFileText({ lab: 'gan', config: fileConfig(c, []), pair });
    const r = await readGanFile(text, 'gan', await testAskCore(), readFileConfig);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(checkGanModel(r.model)).toBeNull();
    expect(r.model.generator.params).toEqual(pair.g.params());
    const other = await readGanFile(ganFileText({ lab: 'gan', config: fileConfig({ ...c, dHidden: [5], dActivations: ['relu'] }, []), pair }), 'gan', await testAskCore(), readFileConfig);
    expect(other.ok && checkGanModel(other.model)).toMatch(/discriminator is not the one its config builds/);
    pair.destroy();
  });
});
