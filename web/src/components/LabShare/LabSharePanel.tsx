// A lab's share bar (MNIST, sequences): Copy link, Copy embed code, Save
// model / Load model (or drop the file on the page), Export to PyTorch (and
// to NumPy where the lab has it); the same data-testids as the playground's
// (app/ShareBar.tsx).
import { useRef, useState } from 'preact/hooks';
import { embedSnippet, labShareUrl } from '../../embed/snippet';
import { labEntry, type LabId } from '../../labs/index';
import type { LabConfig } from '../../labs/types';
import { copyText } from '../../app/ShareBar';
import { exportLabNumpyScript, exportLabScript, readLabModelFile, saveLabModel } from '../../app/modelIO';
import type { LabModel } from '../../share/modelFile';
import type { AskCore } from '../../share/coreLayout';
import type { Theme } from '../../state/view';
import { useFileDrop } from '../../lib/use-file-drop';

interface Props<L extends LabId> {
  lab: L;
  /** The lab's settings as the store holds them now: a setting changed a
   * moment ago is there before the throttled redraw brings it to the page. */
  config: () => LabConfig<L>;
  theme: Theme | null;
  /** The lab's class prefix (mn, sq) and the class of its row of buttons. */
  prefix: string;
  buttonsClass: string;
  /** The embed snippet's title. */
  title: string;
  /** What the panel says under its buttons. */
  hint: string;
  /** Offer Export to NumPy. */
  numpy?: boolean;
  /** The model as a file holds it (asks the worker for the weights). */
  model: () => Promise<LabModel>;
  /** The core's verdict on a file's layers (through the lab's worker). */
  askCore: AskCore;
  /** Applies a checked model file. */
  load: (model: LabModel & { lab: L }) => Promise<void>;
  /** No model yet: nothing to save or export. */
  busy: boolean;
  /** Load model… is offered only once a model exists. */
  loadNeedsModel?: boolean;
}

export function LabSharePanel<L extends LabId>({ lab, config, theme, prefix, buttonsClass, title, hint, numpy = false, model, askCore, load, busy, loadNeedsModel = false }: Props<L>) {
  const [status, setStatus] = useState('');
  const [manual, setManual] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const loadRef = useRef(load);
  loadRef.current = load;

  const copy = async (what: 'link' | 'embed') => {
    const view = { ...(what === 'embed' ? { embed: true } : {}), ...(theme ? { theme } : {}) };
    const { url } = labShareUrl(lab, config(), { base: `${location.origin}${location.pathname}`, view });
    const text = what === 'link' ? url : embedSnippet({ url, title, ...labEntry(lab).embedSize });
    const ok = await copyText(text);
    setManual(text);
    setStatus(ok ? (what === 'link' ? 'Link copied.' : 'Embed code copied.') : 'Copy it from the box below.');
  };
  const act = async (fn: (m: LabModel) => string) => {
    try {
      setStatus(fn(await model()));
    } catch (err) {
      setStatus(`That did not work: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const open = async (file: File | undefined) => {
    if (!file) return;
    const r = await readLabModelFile(file, lab, askCore);
    if (!r.ok) { setError(r.error); return; }
    setError(null);
    try {
      await loadRef.current(r.model as LabModel & { lab: L });
      setStatus(`Loaded ${file.name}: its settings and weights are in the model now.`);
    } catch (err) {
      setError(`${file.name} could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  // Drop a model file anywhere on the page.
  useFileDrop((file) => void open(file));

  const btn = `${prefix}-btn`;
  return (
    <section class={`${prefix}-panel ${prefix}-share`} aria-label="share and export">
      <div class={buttonsClass}>
        <button type="button" class={btn} data-testid="copy-link" onClick={() => void copy('link')}>Copy link</button>
        <button type="button" class={btn} data-testid="copy-embed" onClick={() => void copy('embed')}>Copy embed code</button>
        <button type="button" class={btn} data-testid="save-model" disabled={busy} onClick={() => void act(saveLabModel)}>Save model</button>
        <button type="button" class={btn} data-testid="load-model" disabled={loadNeedsModel && busy} onClick={() => fileRef.current?.click()}>Load model…</button>
        <input ref={fileRef} type="file" accept=".json,application/json" hidden data-testid="model-file"
               onChange={(e) => { const input = e.target as HTMLInputElement; void open(input.files?.[0]); input.value = ''; }} />
        <button type="button" class={btn} data-testid="export-pytorch" disabled={busy} onClick={() => void act((m) => exportLabScript(m))}>Export to PyTorch</button>
        {numpy && <button type="button" class={btn} data-testid="export-numpy" disabled={busy} onClick={() => void act(exportLabNumpyScript)}>Export to NumPy</button>}
      </div>
      <p class={`${prefix}-hint`}>{hint}</p>
      {status && <p class={`${prefix}-hint`} role="status" data-testid="share-status">{status}</p>}
      {error && <p class={`${prefix}-notice ${prefix}-notice-warning`} role="alert" data-testid="model-error">{error}</p>}
      {manual && <textarea class="manual-copy" readOnly rows={3} value={manual} data-testid="share-text"
                           onFocus={(e) => (e.target as HTMLTextAreaElement).select()} />}
    </section>
  );
}
