// Sharing and taking the model elsewhere: copy a link that reproduces the
// run (drawn points included), copy an <iframe> snippet, save / load the
// trained model (file picker or drag and drop), export a PyTorch or NumPy script.

import { useRef, useState } from 'preact/hooks';
import { labShareUrl, embedSnippet } from '../embed/snippet';
import { labEntry } from '../labs';
import { exportNumpy, exportPyTorch, readModelFile, saveModel } from './modelIO';
import type { Playground } from '../labs/playground/usePlayground';
import { useFileDrop } from '../lib/use-file-drop';
import { copyText } from '../lib/clipboard';

export function shareUrl(pg: Playground, extra: { embed?: boolean } = {}): { url: string; note: string | null } {
  const view = { ...(extra.embed ? { embed: true } : {}), ...(pg.view.theme ? { theme: pg.view.theme } : {}) };
  return labShareUrl('playground', pg.config, {
    base: `${location.origin}${location.pathname}`, view, ...(pg.config.dataset === 'custom' ? { points: pg.points } : {}),
  });
}

/** The playground's <iframe> snippet for `url`, at the size its embed layout fits
 *  without scrolling (styles/embed.css; tests/e2e/embed-fit checks it, and 360 px wide). */
export function playgroundSnippet(url: string): string {
  return embedSnippet({ url, title: 'Neural network playground', ...labEntry('playground').embedSize });
}

// Its home is lib/clipboard.ts (the embed builder needs it without this bar's exports).
export { copyText };

export function ShareBar({ pg }: { pg: Playground }) {
  const [status, setStatus] = useState<string>('');
  const [manual, setManual] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const pgRef = useRef(pg);
  pgRef.current = pg;
  const busy = pg.run.status !== 'ready';

  const copy = async (what: 'link' | 'embed') => {
    const { url, note } = shareUrl(pg, { embed: what === 'embed' });
    const text = what === 'link' ? url : playgroundSnippet(url);
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
    const r = await readModelFile(file, pgRef.current.actions.askCore);
    if (!r.ok) {
      pgRef.current.actions.setModelNote({ kind: 'error', text: r.error });
      return;
    }
    pgRef.current.actions.loadModel(r.model);
  };

  // Drop a model file anywhere on the page.
  useFileDrop((file) => void load(file));

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
        <button type="button" class="btn-text" data-testid="export-numpy" disabled={busy} onClick={() => void act(() => exportNumpy(pg))}>Export to NumPy</button>
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
