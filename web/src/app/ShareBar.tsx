// Sharing: copy a link that reproduces the run (drawn points included) and
// copy an <iframe> snippet for course pages.

import { useState } from 'preact/hooks';
import { writeQuery } from '../state/codec';
import { encodePoints } from '../share/points';
import type { Playground } from './usePlayground';

export function shareUrl(pg: Playground, extra: { embed?: boolean } = {}): { url: string; note: string | null } {
  let note: string | null = null;
  let points = pg.config.dataset === 'custom' ? pg.points : undefined;
  if (points) {
    const enc = encodePoints(points);
    if (!enc.ok) { note = enc.error; points = undefined; }
  }
  const view = { ...(extra.embed ? { embed: true } : {}), ...(pg.view.theme ? { theme: pg.view.theme } : {}) };
  const query = writeQuery(pg.config, { view, ...(points ? { points } : {}) });
  const base = `${location.origin}${location.pathname}`;
  return { url: `${base}?${query}`, note };
}

export function embedSnippet(url: string): string {
  const safe = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${safe}" title="Neural network playground" width="720" height="560" loading="lazy" style="border:0;max-width:100%"></iframe>`;
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function ShareBar({ pg }: { pg: Playground }) {
  const [status, setStatus] = useState<string>('');
  const [manual, setManual] = useState<string | null>(null);
  const copy = async (what: 'link' | 'embed') => {
    const { url, note } = shareUrl(pg, { embed: what === 'embed' });
    const text = what === 'link' ? url : embedSnippet(url);
    const ok = await copyText(text);
    setManual(ok ? null : text);
    const msg = ok ? (what === 'link' ? 'Link copied.' : 'Embed code copied.') : 'Copy it from the box below.';
    setStatus(note ? `${msg} ${note} The link keeps your settings but not the points.` : msg);
  };
  return (
    <section class="panel share-bar" aria-label="share">
      <div class="row">
        <button type="button" class="btn-text" data-testid="copy-link" onClick={() => void copy('link')}>Copy link</button>
        <button type="button" class="btn-text" data-testid="copy-embed" onClick={() => void copy('embed')}>Copy embed code</button>
      </div>
      {status && <p class="hint" role="status" data-testid="share-status">{status}</p>}
      {manual && <textarea class="manual-copy" readOnly rows={3} value={manual} onFocus={(e) => (e.target as HTMLTextAreaElement).select()} />}
    </section>
  );
}
