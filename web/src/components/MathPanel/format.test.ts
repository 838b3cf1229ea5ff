import { describe, expect, it } from 'vitest';
import { activationText, derivative, flat, num, par, position, posName, relDiff, sub, terms } from './format';

describe('show-the-math text', () => {
  it('writes numbers with 4 significant digits and a real minus sign', () => {
    expect(num(3.14159)).toBe('3.142');
    expect(num(-0.5)).toBe('−0.5');
    expect(num(0)).toBe('0');
    expect(num(0.000123456)).toBe('1.235e−4');
    expect(num(NaN)).toBe('NaN');
    expect(num(undefined)).toBe('undefined');
    expect(par(-2)).toBe('(−2)');
    expect(par(2)).toBe('2');
  });

  it('writes a long sum as its largest terms, in order, and says how many are left out', () => {
    expect(terms(['a', 'b', 'c'])).toBe('a + b + c');
    const list = Array.from({ length: 10 }, (_, i) => ({ text: `t${i}`, size: i % 2 ? -i : i }));
    // |size| 0..9: the 7 largest are t3..t9, kept in their order
    expect(terms(list)).toBe('t3 + t4 + t5 + t6 + t7 + t8 + t9 + … (the 7 largest of 10 terms; 3 more)');
    expect(terms(['x', 'y'], '; ')).toBe('x; y');
  });

  it('names positions in a feature map and subscripts', () => {
    expect(position([2, 3, 4], 17)).toEqual([1, 1, 1]);
    expect(posName('x', [1, 3, 4], 5)).toBe('x[1,1]');
    expect(posName('a₁', [2, 3, 4], 17)).toBe('a₁[1,1,1]');
    expect(sub(120)).toBe('₁₂₀');
    expect(flat([[1, 2], [3, [4]]])).toEqual([1, 2, 3, 4]);
    expect(flat(5)).toEqual([5]);
    expect(flat(undefined)).toEqual([]);
  });

  it('writes activations and their derivatives, linear for an unknown name', () => {
    expect(activationText('relu', -1.5, 0)).toBe('a = max(0, z) = max(0, −1.5) = 0');
    expect(activationText('nonesuch', 2, 2)).toBe('a = z = 2');
    expect(derivative('tanh', 0.5, 0.5)).toEqual(['f′(z) = 1 − a² = 1 − 0.5² = 0.75', 0.75]);
    expect(derivative('relu', -1, 0)[1]).toBe(0);
    expect(relDiff(1, 1.1)).toBeCloseTo(0.1 / 1.1, 12);
    expect(relDiff(0, 0)).toBe(0);
  });
});
