// The GAN lab's link schema: defaults round-trip, every setting is read
// back, hostile values keep their defaults with a reason, both networks'
// activations follow their hidden layers, and a drawing travels as pts=.
import { describe, expect, it } from 'vitest';
import { parseLink, writeLink } from '../../state/link';
import { ganCodec, ganLayers, type GanConfig } from './config';
import { needsRebuild } from './store';

const parse = (q: string) => {
  const link = parseLink(q);
  if (link.lab !== 'gan') throw new Error(`not the GAN lab: ${link.lab}`);
  return link;
};

describe('GAN link schema', () => {
  it('round-trips the defaults and a full custom config', () => {
    const d = ganCodec.defaults();
    expect(parse(writeLink('gan', d)).config).toEqual(d);
    const c: GanConfig = {
      dist: 'spiral', noiseDim: 1, noise: 'gaussian', gHidden: [32, 8, 4], gActivations: ['tanh', 'leaky_relu', 'relu'],
      dHidden: [], dActivations: [], loss: 'least_squares', gOptimizer: 'sgd', gLearningRate: 0.05, dOptimizer: 'momentum',
      dLearningRate: 0.002, dSteps: 3, gSteps: 2, batch: 64, seed: 42,
    };
    const q = writeLink('gan', c);
    expect(q).toMatch(/^lab=gan&v=1&data=spiral&zdim=1&noise=gaussian&ghidden=32,8,4&gact=tanh,leaky_relu,relu&dhidden=none&dact=none&loss=least_squares/);
    const back = parse(q);
    expect(back.config).toEqual(c);
    expect(back.notices).toEqual([]);
    expect(ganCodec.validate(c)).toEqual([]);
  });

  it('keeps defaults for hostile or out-of-range values, with a reason each', () => {
    const d = ganCodec.defaults();
    const l = parse('lab=gan&data=<script>&zdim=3&ghidden=999&dhidden=1,2,3,4,5,6&glr=NaN&batch=-4&dsteps=1e9&loss=wasserstein&seed=1.5');
    expect(l.config).toEqual(d);
    const keys = l.notices.map((n) => n.key).sort();
    expect(keys).toEqual(['batch', 'data', 'dhidden', 'dsteps', 'ghidden', 'glr', 'loss', 'seed', 'zdim']);
    for (const n of l.notices) expect(n.reason.length).toBeGreaterThan(10);
  });

  it('a newer link version gives a notice and reads what it understands', () => {
    const l = parse('lab=gan&v=9&data=moons');
    expect(l.config.dist).toBe('moons');
    expect(l.notices.some((n) => n.key === 'v')).toBe(true);
  });

  it('fits each network\'s activations to its hidden layers', () => {
    const l = parse('lab=gan&ghidden=8,8,8&gact=tanh&dhidden=4&dact=relu,tanh');
    expect(l.config.gActivations).toEqual(['tanh', 'tanh', 'tanh']);
    expect(l.config.dActivations).toEqual(['relu']);
    expect(l.notices.map((n) => n.key)).toEqual(['dact']);
    expect(ganCodec.validate({ ...ganCodec.defaults(), dSteps: 0, gSteps: 0 })).toEqual(['an iteration needs at least one D or G step']);
  });

  it('builds G ending in 2 linear outputs and D in one linear logit', () => {
    const l = ganLayers({ ...ganCodec.defaults(), gHidden: [5], gActivations: ['tanh'], dHidden: [], dActivations: [] });
    expect(l.generator).toEqual([{ units: 5, activation: 'tanh' }, { units: 2, activation: 'linear' }]);
    expect(l.discriminator).toEqual([{ units: 1, activation: 'linear' }]);
  });

  it('carries a drawing as pts= only for the custom distribution; a broken one is a notice', () => {
    const pts = [{ x: 0.5, y: -1, cls: 0 }, { x: -1.25, y: 0.75, cls: 0 }];
    const c = { ...ganCodec.defaults(), dist: 'custom' as const };
    const q = writeLink('gan', c, { points: pts });
    expect(q).toMatch(/&pts=/);
    const back = parse(q);
    expect(back.points?.length).toBe(2);
    expect(back.points![0]!.x).toBeCloseTo(0.5, 2);
    expect(writeLink('gan', ganCodec.defaults(), { points: pts })).not.toMatch(/pts=/);
    const bad = parse('lab=gan&data=custom&pts=!!!');
    expect(bad.points).toBeNull();
    expect(bad.notices.map((n) => n.key)).toEqual(['pts']);
  });

  it('rebuilds for the data and the networks, not for learning rates or steps', () => {
    const d = ganCodec.defaults();
    expect(needsRebuild(d, { ...d, gLearningRate: 0.1, dSteps: 3, loss: 'least_squares' })).toBe(false);
    expect(needsRebuild(d, { ...d, gHidden: [16, 16, 16], gActivations: ['relu', 'relu', 'relu'] })).toBe(true);
    expect(needsRebuild(d, { ...d, dist: 'moons' })).toBe(true);
  });
});
