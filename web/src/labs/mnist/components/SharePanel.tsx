// MNIST's share bar: Copy link, Copy embed code, Save model / Load model (or
// drop the file on the page), Export to PyTorch / NumPy; the same data-testids as
// the playground's (app/ShareBar.tsx).
import { useRef, useState } from 'preact/hooks';
import { embedSnippet, labShareUrl } from '../../../embed/snippet';
import { labEntry } from '../../index';
import { copyText } from '../../../app/ShareBar';
import { exportLabNumpyScript, exportLabScript, readLabModelFile, saveLabModel } from '../../../app/modelIO';
import type { LabModel } from '../../../share/modelFile';
import type { AskCore } from '../../../share/coreLayout';
import type { MnistConfig } from '../config';
import type { Theme } from '../../../state/view';
import { useFileDrop } from '../../../lib/use-file-drop';

interface Props {
  config: MnistConfig;
  theme: Theme | null;
  /** The model as a file holds it (asks the worker for the weights). */
  model: () => Promise<LabModel>;
  /** The core's verdict on a file's layers (through the lab's worker). */
  askCore: AskCore;
  /** Applies a checked model file. */
  load: (model: LabModel & { lab: 'mnist' }) => Promise<void>;
  busy: boolean;
}

export function SharePanel({ config, theme, model, askCore, load, busy }: Props) {
  const [status, setStatus] = useState('');
  const [manual, setManual] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const loadRef = useRef(load);
  loadRef.current = load;

  const copy = async (what: 'link' | 'embed') => {
    const view = { ...(what === 'embed' ? { embed: true } : {}), ...(theme ? { theme } : {}) };
    const { url } = labShareUrl('mnist', config, { base: `${location.origin}${location.pathname}`, view });
    const text = what === 'link' ? url : embedSnippet({ url, title: 'MNIST digits, trained in the browser', ...labEntry('mnist').embedSize });
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
    const r = await readLabModelFile(file, 'mnist', askCore);
    if (!r.ok) { setError(r.error); return; }
    setError(null);
    try {
      await loadRef.current(r.model as LabModel & { lab: 'mnist' });
      setStatus(`Loaded ${file.name}: its settings and weights are in the model now.`);
    } catch (err) {
      setError(`${file.name} could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  // Drop a model file anywhere on the page.
  useFileDrop((file) => void open(file));

  return (
    <section class="mn-panel mn-share" aria-label="share and export">
      <div class="mn-run">
        <button type="button" class="mn-btn" data-testid="copy-link" onClick={() => void copy('link')}>Copy link</button>
        <button type="button" class="mn-btn" data-testid="copy-embed" onClick={() => void copy('embed')}>Copy embed code</button>
        <button type="button" class="mn-btn" data-testid="save-model" disabled={busy} onClick={() => void act(saveLabModel)}>Save model</button>
        <button type="button" class="mn-btn" data-testid="load-model" disabled={busy} onClick={() => fileRef.current?.click()}>Load model…</button>
        <input ref={fileRef} type="file" accept=".json,application/json" hidden data-testid="model-file"
               onChange={(e) => { const input = e.target as HTMLInputElement; void open(input.files?.[0]); input.value = ''; }} />
        <button type="button" class="mn-btn" data-testid="export-pytorch" disabled={busy} onClick={() => void act(exportLabScript)}>Export to PyTorch</button>
        <button type="button" class="mn-btn" data-testid="export-numpy" disabled={busy} onClick={() => void act(exportLabNumpyScript)}>Export to NumPy</button>
      </div>
      <p class="mn-hint">Drop a saved model file anywhere on the page to load it.</p>
      {status && <p class="mn-hint" role="status" data-testid="share-status">{status}</p>}
      {error && <p class="mn-notice mn-notice-warning" role="alert" data-testid="model-error">{error}</p>}
      {manual && <textarea class="manual-copy" readOnly rows={3} value={manual} data-testid="share-text"
                           onFocus={(e) => (e.target as HTMLTextAreaElement).select()} />}
    </section>
  );
}
