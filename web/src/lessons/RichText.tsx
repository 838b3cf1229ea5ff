// A lesson's text as Preact nodes: paragraphs with *emphasis*, **strong**,
// `code` and [links](?lesson=layer), formulas on their own line and lists.
// Nothing is ever parsed as HTML: a lesson file from anywhere can only
// produce text, these few elements, and links to http(s) or this site.

import type { ComponentChildren } from 'preact';
import type { Block } from './format';

/** Links a lesson may make: this site's pages (?…, ./…) and http(s) pages. */
export function safeHref(href: string): string | null {
  const h = href.trim();
  if (/^\?[^\s]*$/.test(h) || /^\.\/[^\s:]*$/.test(h)) return h;
  try {
    const u = new URL(h);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

const TOKEN = /\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const key = out.length;
    if (m[1] !== undefined) out.push(<strong key={key}>{m[1]}</strong>);
    else if (m[2] !== undefined) out.push(<em key={key}>{m[2]}</em>);
    else if (m[3] !== undefined) out.push(<code key={key}>{m[3]}</code>);
    else {
      const href = safeHref(m[5]!);
      const external = href !== null && /^https?:/.test(href);
      out.push(href === null ? m[4]! : <a key={key} href={href} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>{m[4]}</a>);
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function RichText({ blocks }: { blocks: readonly Block[] }) {
  return (
    <>
      {blocks.map((b, i) =>
        typeof b === 'string' ? <p key={i}>{inline(b)}</p>
          : 'formula' in b ? <p key={i} class="lesson-formula" role="math" aria-label={b.formula}>{b.formula}</p>
            : <ul key={i}>{b.list.map((item, j) => <li key={j}>{inline(item)}</li>)}</ul>)}
    </>
  );
}
