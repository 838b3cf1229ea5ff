import { describe, expect, test } from 'vitest';
import { isValidLanguageTag } from './locale';

describe('isValidLanguageTag', () => {
  test('accepts the tags browsers report', () => {
    for (const tag of ['en', 'en-US', 'de-CH', 'zh-Hant-TW', 'sr-Latn']) expect(isValidLanguageTag(tag)).toBe(true);
  });
  test('rejects a POSIX locale name (WebKitGTK under LANG=C says "C") and non-tags', () => {
    for (const tag of ['C', 'C.UTF-8', 'en_US.UTF-8', '', '*', undefined, null, 42]) expect(isValidLanguageTag(tag)).toBe(false);
  });
  test('Intl really throws on the rejected tag, so uPlot would have', () => {
    expect(() => new Intl.NumberFormat('C')).toThrow(RangeError);
  });
});
