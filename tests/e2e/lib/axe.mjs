// axe-core (through @axe-core/playwright) on a page as it is now. Every rule
// axe runs by default applies (WCAG 2.x A/AA and best practices): a rule
// that truly does not fit must be disabled where it is used, with the reason.
import { AxeBuilder } from '@axe-core/playwright';

/** One line per violation and per node: rule id, impact, help, the node's
 *  CSS target and what axe found wrong there. */
export function describeAxeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => {
      const why = (n.failureSummary ?? '').split('\n').slice(1).map((s) => s.trim()).filter(Boolean).join('; ');
      return `    ${n.target.join(' ')}${why ? `: ${why}` : ''}`;
    });
    return `- ${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]\n${nodes.join('\n')}`;
  }).join('\n');
}

/**
 * Runs axe on `page` and fails, naming `where` and every violation, unless
 * there is none. `include`/`exclude`: CSS selectors that narrow the scan
 * (default: the whole page, frames included).
 */
export async function expectNoAxeViolations(page, where, { include, exclude } = {}) {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  if (exclude) builder = builder.exclude(exclude);
  const { violations } = await builder.analyze();
  if (violations.length) {
    throw new Error(`${where}: ${violations.length} accessibility violation(s):\n${describeAxeViolations(violations)}`);
  }
}
