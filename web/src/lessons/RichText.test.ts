import { describe, expect, test } from 'vitest';
import { isValidElement, type VNode } from 'preact';
import { inline, safeHref } from './RichText';

/** Element types in the output, and all its text. */
function walk(nodes: unknown[]): { types: string[]; text: string } {
  const types: string[] = [];
  let text = '';
  const visit = (n: unknown): void => {
    if (typeof n === 'string') { text += n; return; }
    if (Array.isArray(n)) { n.forEach(visit); return; }
    if (isValidElement(n)) {
      const v = n as VNode<{ children?: unknown; href?: string }>;
      types.push(String(v.type));
      visit(v.props.children);
    }
  };
  nodes.forEach(visit);
  return { types, text };
}

describe('lesson text', () => {
  test('emphasis, strong, code and safe links become elements', () => {
    const r = walk(inline('a *b* **c** `d` [e](?lesson=layer)'));
    expect(r.types).toEqual(['em', 'strong', 'code', 'a']);
    expect(r.text).toBe('a b c d e');
  });

  test('markup and script in a lesson stay text', () => {
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script> [x](javascript:alert(3)) [y](data:text/html,hi)';
    const r = walk(inline(hostile));
    expect(r.types).toEqual([]);
    expect(r.text).toContain('<img src=x onerror="alert(1)">');
    expect(r.text).toContain('<script>alert(2)</script>');
  });

  test('links: this site and http(s) only', () => {
    expect(safeHref('?lesson=layer')).toBe('?lesson=layer');
    expect(safeHref('./lesson-host.html')).toBe('./lesson-host.html');
    expect(safeHref('https://pytorch.org/docs')).toBe('https://pytorch.org/docs');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', '//evil.example', './x:y']) expect(safeHref(bad)).toBeNull();
  });
});
