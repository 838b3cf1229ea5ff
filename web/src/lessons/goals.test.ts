import { describe, expect, test } from 'vitest';
import { checkCondition, describeCondition, goalMet, type Observed } from './goals';
import type { Condition } from './format';

const seen = (metrics: Record<string, number | null> | null, settings: Record<string, string> = {}): Observed => ({ metrics, settings });
const c = (x: Omit<Condition, 'of'> & { of?: Condition['of'] }): Condition => ({ of: 'value', ...x });

describe('goals', () => {
  test('metric comparisons, including the edges', () => {
    expect(checkCondition(c({ metric: 'testLoss', below: 0.1 }), seen({ testLoss: 0.09 })).met).toBe(true);
    expect(checkCondition(c({ metric: 'testLoss', below: 0.1 }), seen({ testLoss: 0.1 })).met).toBe(false);
    expect(checkCondition(c({ metric: 'testLoss', atMost: 0.1 }), seen({ testLoss: 0.1 })).met).toBe(true);
    expect(checkCondition(c({ metric: 'accuracy', atLeast: 1 }), seen({ accuracy: 1 })).met).toBe(true);
    expect(checkCondition(c({ metric: 'accuracy', above: 0.5 }), seen({ accuracy: 0.5 })).met).toBe(false);
  });

  test('no numbers yet, a null (not applicable) or a missing metric: not met', () => {
    expect(checkCondition(c({ metric: 'accuracy', atMost: 1 }), seen(null))).toEqual({ met: false, now: null });
    expect(checkCondition(c({ metric: 'accuracy', atMost: 1 }), seen({ accuracy: null })).met).toBe(false);
    expect(checkCondition(c({ metric: 'epoch', atMost: 0 }), seen({})).met).toBe(false);
  });

  test('settings by link key, aggregated over comma lists', () => {
    const s = seen(null, { hidden: '4,2', data: 'xor', feat: 'x1,x2', layers: 'conv:8:5:1:0:relu,dense:10:softmax' });
    expect(checkCondition(c({ setting: 'hidden', of: 'sum', atMost: 6 }), s).met).toBe(true);
    expect(checkCondition(c({ setting: 'hidden', of: 'sum', atMost: 5 }), s).met).toBe(false);
    expect(checkCondition(c({ setting: 'hidden', of: 'count', equals: 2 }), s).met).toBe(true);
    expect(checkCondition(c({ setting: 'hidden', of: 'max', equals: 4 }), s).met).toBe(true);
    expect(checkCondition(c({ setting: 'hidden', of: 'min', atLeast: 2 }), s).met).toBe(true);
    expect(checkCondition(c({ setting: 'data', equals: 'xor' }), s).met).toBe(true);
    expect(checkCondition(c({ setting: 'data', oneOf: ['and', 'or'] }), s).met).toBe(false);
    expect(checkCondition(c({ setting: 'layers', contains: 'conv:' }), s).met).toBe(true);
    expect(checkCondition(c({ setting: 'feat', equals: 'x1,x2' }), s).met).toBe(true);
    // "none" and "" are the empty list; a list that is not numbers cannot be summed.
    expect(checkCondition(c({ setting: 'hidden', of: 'count', equals: 0 }), seen(null, { hidden: 'none' })).met).toBe(true);
    expect(checkCondition(c({ setting: 'hidden', of: 'sum', equals: 0 }), seen(null, { hidden: '' })).met).toBe(true);
    expect(checkCondition(c({ setting: 'data', of: 'sum', atLeast: 0 }), s).met).toBe(false);
  });

  test('every condition must hold at once', () => {
    const goal = [c({ metric: 'testLoss', below: 0.1 }), c({ setting: 'hidden', of: 'sum', atMost: 4 })];
    expect(goalMet(goal, seen({ testLoss: 0.05 }, { hidden: '8' }))).toBe(false);
    expect(goalMet(goal, seen({ testLoss: 0.2 }, { hidden: '4' }))).toBe(false);
    expect(goalMet(goal, seen({ testLoss: 0.05 }, { hidden: '2,2' }))).toBe(true);
  });

  test('conditions in words; the author\'s label wins', () => {
    expect(describeCondition(c({ metric: 'testLoss', below: 0.1 }))).toBe('test loss below 0.1');
    expect(describeCondition(c({ setting: 'hidden', of: 'sum', atMost: 4 }))).toBe('the sum of the setting hidden at most 4');
    expect(describeCondition(c({ metric: 'accuracy', atLeast: 0.97, label: 'test accuracy at least 97 %' }))).toBe('test accuracy at least 97 %');
  });
});
