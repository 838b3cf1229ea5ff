// The learning-rate schedule: the rate of each step, and its link keys (sched=, lrend=).
import { beforeAll, describe, expect, test } from 'vitest';
import { parseLink, writeLink } from '../../state/link';
import { mnistCodec, mnistProtocol, type MnistConfig } from './config';
import { LR_SCHEDULES, scheduledRate, type ScheduleSettings } from './schedule.js';
import { fileLayers, mlpLayers } from './model-layers';
import { readLabModelFile, serializeLabModel, type LabModel } from '../../share/modelFile';
import { coreBlocks, testAskCore } from '../../share/test-core';
import type { AskCore, } from '../../share/coreLayout';
import type { ParamBlock } from '../../share/layers';

const settings = (over: Partial<ScheduleSettings>): ScheduleSettings => ({ lr: 0.002, lrSchedule: 'none', lrEnd: 0.01, epochs: 4, ...over });

describe('scheduledRate', () => {
  test('none keeps the rate, at any point of the run and past it', () => {
    for (const e of [0, 0.5, 3.99, 4, 17]) expect(scheduledRate(settings({}), e)).toBe(0.002);
  });

  test('every decay starts at lr and ends at lr * lrEnd, and stays there after the last epoch', () => {
    for (const lrSchedule of ['step', 'exp', 'cos'] as const) {
      const s = settings({ lrSchedule });
      expect(scheduledRate(s, 0)).toBeCloseTo(0.002, 15);
      expect(scheduledRate(s, 4)).toBeCloseTo(0.00002, 15);
      expect(scheduledRate(s, 9.5)).toBeCloseTo(0.00002, 15);
    }
  });

  test('step drops once per epoch by lrEnd ** (1 / epochs), constant within an epoch', () => {
    const s = settings({ lrSchedule: 'step', lrEnd: 0.0625 }); // 0.0625 ** (1/4) = 0.5
    expect(scheduledRate(s, 0.99)).toBeCloseTo(0.002, 15);
    expect(scheduledRate(s, 1)).toBeCloseTo(0.001, 15);
    expect(scheduledRate(s, 1.5)).toBeCloseTo(0.001, 15);
    expect(scheduledRate(s, 2.25)).toBeCloseTo(0.0005, 15);
    expect(scheduledRate(s, 3.999)).toBeCloseTo(0.00025, 15);
  });

  test('exp is geometric in the epochs trained (fractions too)', () => {
    const s = settings({ lrSchedule: 'exp', lrEnd: 0.0625 });
    expect(scheduledRate(s, 1)).toBeCloseTo(0.001, 15);
    expect(scheduledRate(s, 0.5)).toBeCloseTo(0.002 * Math.SQRT1_2, 15);
    expect(scheduledRate(s, 3)).toBeCloseTo(0.00025, 15);
  });

  test('cos is a half cosine from lr to lr * lrEnd: halfway at half the run, flat at both ends', () => {
    const s = settings({ lrSchedule: 'cos', lrEnd: 0.1, lr: 1 });
    expect(scheduledRate(s, 2)).toBeCloseTo(0.55, 12);
    expect(scheduledRate(s, 1)).toBeCloseTo(0.1 + 0.9 * (1 + Math.SQRT1_2) / 2, 12);
    // Steps of a run: always falling, never below the end rate, never 0.
    let prev = Infinity;
    for (let k = 0; k <= 400; k++) {
      const r = scheduledRate(s, (4 * k) / 400);
      expect(r).toBeLessThanOrEqual(prev);
      expect(r).toBeGreaterThanOrEqual(0.1 - 1e-12);
      prev = r;
    }
  });

  test('the rate of a schedule depends on nothing but its settings and the point (same run, same rates)', () => {
    for (const lrSchedule of LR_SCHEDULES) {
      const s = settings({ lrSchedule, lrEnd: 1e-6 });
      const points = Array.from({ length: 50 }, (_, i) => i * 0.0937);
      expect(points.map((e) => scheduledRate(s, e))).toEqual(points.map((e) => scheduledRate({ ...s }, e)));
      for (const e of points) expect(scheduledRate(s, e)).toBeGreaterThan(0);
    }
  });
});

describe('sched= and lrend= in links', () => {
  const mnist = (query: string) => {
    const p = parseLink(query);
    if (p.lab !== 'mnist') throw new Error('not an MNIST link');
    return p as typeof p & { config: MnistConfig };
  };

  test('a schedule round trips through a link, for every kind', () => {
    for (const lrSchedule of LR_SCHEDULES) {
      const config: MnistConfig = { ...mnistCodec.defaults(), lrSchedule, lrEnd: 0.025, epochs: 6 };
      const link = writeLink('mnist', config);
      expect(link).toContain(`&sched=${lrSchedule}&lrend=0.025&`);
      const p = mnist(link);
      expect(p.notices).toEqual([]);
      expect(p.config).toEqual(config);
    }
  });

  test('links written before the schedule existed train at a constant rate', () => {
    const p = mnist('?lab=mnist&v=2&layers=dense:128:relu,dense:10:softmax&opt=adam&lr=0.002&mom=0.9&batch=64&epochs=3&shift=0&seed=1');
    expect(p.notices).toEqual([]);
    expect(p.config.lrSchedule).toBe('none');
    expect(mnist('?lab=mnist&v=1&hidden=64&act=relu').config.lrSchedule).toBe('none');
  });

  test('bad values are refused with the key named and the default kept', () => {
    for (const [q, key] of [['sched=linear', 'sched'], ['lrend=0', 'lrend'], ['lrend=1.5', 'lrend'], ['lrend=abc', 'lrend']] as const) {
      const p = mnist(`?lab=mnist&${q}`);
      expect(p.notices.map((n) => n.key), q).toEqual([key]);
      expect(p.config.lrSchedule).toBe('none');
      expect(p.config.lrEnd).toBe(0.01);
    }
  });

  test('the course-page API\'s setConfig takes the schedule like the other settings', () => {
    const r = mnistProtocol.fromObject({ lrSchedule: 'exp', lrEnd: 0.2 }, mnistCodec.defaults());
    expect(r.rejected).toEqual([]);
    expect(r.config).toMatchObject({ lrSchedule: 'exp', lrEnd: 0.2 });
    expect(mnistProtocol.fromObject({ lrSchedule: 'warmup' }, mnistCodec.defaults()).rejected.length).toBe(1);
  });
});

describe('model files', () => {
  // The core's layout of the 784-10 network, and the page's way to ask it about a file.
  let blocks: ParamBlock[];
  let askCore: AskCore;
  beforeAll(async () => {
    askCore = await testAskCore();
    blocks = await coreBlocks(fileLayers(mlpLayers([], []), [[1, 28, 28], [10, 1, 1]]), 'ce');
  });
  const parseLabModelFile = (text: string, lab: 'mnist') => readLabModelFile(text, lab, askCore);
  const model = (config: MnistConfig): LabModel => ({
    lab: 'mnist', config, layers: fileLayers(config.layers, [[1, 28, 28], [10, 1, 1]]), loss: 'ce', epoch: 1,
    params: Float32Array.from({ length: 7850 }, (_, i) => ((i * 7919) % 997) / 1e4 - 0.05), blocks,
  });

  test('a saved schedule comes back from the file', async () => {
    const config: MnistConfig = { ...mnistCodec.defaults(), layers: mlpLayers([], []), lrSchedule: 'step', lrEnd: 0.3 };
    const r = await parseLabModelFile(serializeLabModel(model(config)), 'mnist');
    if (!r.ok) throw new Error(r.error);
    expect(r.model.config).toEqual(config);
  });

  test('a file saved before the schedule existed opens, at a constant rate', async () => {
    const config: MnistConfig = { ...mnistCodec.defaults(), layers: mlpLayers([], []), lrSchedule: 'cos' };
    const d = JSON.parse(serializeLabModel(model(config))) as { config: Record<string, unknown> };
    delete d.config.lrSchedule;
    delete d.config.lrEnd;
    const r = await parseLabModelFile(JSON.stringify(d), 'mnist');
    if (!r.ok) throw new Error(r.error);
    expect(r.model.config).toEqual({ ...config, lrSchedule: 'none', lrEnd: 0.01 });
    // Only both missing means "older file": one of them alone is an incomplete config.
    const half = JSON.parse(serializeLabModel(model(config))) as { config: Record<string, unknown> };
    delete half.config.lrEnd;
    const h = await parseLabModelFile(JSON.stringify(half), 'mnist');
    expect(h.ok).toBe(false);
  });
});
