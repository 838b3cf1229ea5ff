// Sharing and taking the model elsewhere: copy a link that reproduces the
// run (drawn points included), copy an <iframe> snippet, save / load the
// trained model (file picker or drag and drop), export a PyTorch script.

import { useEffect, useRef, useState } from 'preact/hooks';
import { writeQuery } from '../state/codec';
import { encodePoints } from '../share/points';
import { exportPyTorch, readModelFile, saveModel } from './modelIO';
import type { Playground } from '../labs/playground/usePlayground';

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

/** The frame "Copy embed code" proposes. The embed layout (styles/embed.css)
 *  fits it without scrolling, and phones 360 px wide (tests/e2e/embed-fit). */
export const EMBED_WIDTH = 760;
export const EMBED_HEIGHT = 620;

export function embedSnippet(url: string): string {
  const safe = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<iframe src="${safe}" title="Neural network playground" width="${EMBED_WIDTH}" height="${EMBED_HEIGHT}" loading="lazy" style="border:0;max-width:100%"></iframe>`;
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
  const fileRef = useRef<HTMLInputElement>(null);
  const pgRef = useRef(pg);
  pgRef.current = pg;
  const busy = pg.run.status !== 'ready';

  const copy = async (what: 'link' | 'embed') => {
    const { url, note } = shareUrl(pg, { embed: what === 'embed' });
    const text = what === 'link' ? url : embedSnippet(url);
    const ok = await copyText(text);
    setManual(text);
    const msg = ok ? (what === 'link' ? 'Link copied.' : 'Embed code copied.') : 'Copy it from the box below.';
    setStatus(note ? `${msg} ${note} The link keeps your settings but not the points.` : msg);
  };
  const act = async (fn: () => Promise<string>) => {
    try {
      setStatus(await fn());
    } catch (err) {
      setStatus(`That did not work: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const load = async (file: File | undefined) => {
    if (!file) return;
    const r = await readModelFile(file);
    if (!r.ok) {
      pgRef.current.actions.setModelNote({ kind: 'error', text: r.error });
      return;
    }
    pgRef.current.actions.loadModel(r.model);
  };

  // Drop a model file anywhere on the page.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      if (!e.dataTransfer?.files.length) return;
      e.preventDefault();
      void load(e.dataTransfer.files[0]);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => { window.removeEventListener('dragover', over); window.removeEventListener('drop', drop); };
  }, []);

  const note = pg.modelNote;
  return (
    <section class="panel share-bar" aria-label="share and export">
      <div class="row">
        <button type="button" class="btn-text" data-testid="copy-link" onClick={() => void copy('link')}>Copy link</button>
        <button type="button" class="btn-text" data-testid="copy-embed" onClick={() => void copy('embed')}>Copy embed code</button>
      </div>
      <div class="row">
        <button type="button" class="btn-text" data-testid="save-model" disabled={busy} onClick={() => void act(() => saveModel(pg))}>Save model</button>
        <button type="button" class="btn-text" data-testid="load-model" disabled={busy} onClick={() => fileRef.current?.click()}>Load model…</button>
        <input ref={fileRef} type="file" accept=".json,application/json" hidden data-testid="model-file"
               onChange={(e) => { const input = e.target as HTMLInputElement; void load(input.files?.[0]); input.value = ''; }} />
        <button type="button" class="btn-text" data-testid="export-pytorch" disabled={busy} onClick={() => void act(() => exportPyTorch(pg))}>Export to PyTorch</button>
      </div>
      <p class="hint">Drop a saved model file anywhere on the page to load it.</p>
      {status && <p class="hint" role="status" data-testid="share-status">{status}</p>}
      {note && (
        <p class={`notice ${note.kind === 'error' ? 'warn' : 'info'}`} role="status" data-testid={`model-${note.kind}`}>
          <span>{note.text}</span>
          <button type="button" class="dismiss" aria-label="dismiss" onClick={() => pg.actions.setModelNote(null)}>×</button>
        </p>
      )}
      {manual && <textarea class="manual-copy" readOnly rows={3} value={manual} data-testid="share-text"
                           onFocus={(e) => (e.target as HTMLTextAreaElement).select()} />}
    </section>
  );
}
