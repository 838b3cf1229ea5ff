// The embed builder: a form on the left (what to embed, its preset, panels to
// hide, settings to lock, display, size), the live preview on the right at
// exactly the chosen size, and the link and <iframe> snippet to copy. Every
// value comes from builder/model.ts; this file only renders and reports.

import { useMemo, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { LABS, labEntry, type LabId } from '../labs';
import { COURSE, courseEntry } from '../lessons/catalog';
import { SPEEDS, speedLabel, type Speed } from '../state/speed';
import type { Rejection } from '../state/codec-types';
import { Notices } from '../components/Notices/Notices';
import { copyText } from '../lib/clipboard';
import { useDebounced } from '../lib/use-debounced';
import {
  applyPastedLink, buildLink, buildSnippet, frameTitle, initialState, parseDimension, SIZE_PRESETS, targetLab,
  viewSpecOf, withSizePreset, withTarget, MIN_SIZE, MAX_SIZE, type BuilderState, type SizePreset,
} from './model';

/** The preview reloads once the author has paused this long. */
const PREVIEW_DELAY_MS = 400;

/** The app's address: the builder sits beside index.html. */
function appBase(): string {
  return new URL('.', location.href).href;
}

/** A setting's name from its one-line doc (the words before the first comma,
 *  semicolon or example), or from its key when that leaves a bare value ("bce"). */
function settingName(doc: string, key: string): string {
  const name = doc.split(/[,;:(]| e\.g\./)[0]!.trim();
  return name.length >= 4 ? name : key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

type Change = JSX.TargetedEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, Event>;
const value = (e: Change) => e.currentTarget.value;

export function Builder() {
  const [state, setState] = useState<BuilderState>(() => initialState());
  const base = useMemo(appBase, []);
  const { url, note } = buildLink(state, base);
  const snippet = buildSnippet(state, base);
  const title = frameTitle(state);
  const lab = targetLab(state.target);
  const spec = viewSpecOf(state.target);
  const codec = labEntry(lab).codec as { fieldByUrl(url: string): { doc: string } | undefined };
  const isLesson = state.target.kind === 'lesson';

  // The preview follows the form once it holds still (a reload per keystroke would thrash the engine).
  const preview = JSON.parse(useDebounced(JSON.stringify({ url, width: state.width, height: state.height, title }), PREVIEW_DELAY_MS)) as
    { url: string; width: number; height: number; title: string };

  const [paste, setPaste] = useState('');
  const [pasteResult, setPasteResult] = useState<{ error: string; notices: Rejection[] } | { applied: string } | null>(null);
  const usePasted = () => {
    const r = applyPastedLink(state, paste);
    if (!r.ok) { setPasteResult({ error: r.error, notices: r.notices }); return; }
    setState(r.state);
    setSizeText(null);
    setSizeError(null);
    const what = r.state.target.kind === 'lesson' ? `lesson "${courseEntry(r.state.target.lesson)!.title}"` : `${labEntry(targetLab(r.state.target)).title} settings`;
    const ignored = r.ignored.length > 0 ? ` Keys this page does not know were left out: ${r.ignored.join(', ')}.` : '';
    setPasteResult({ applied: `The link's ${what} and view options are in the form now.${ignored}` });
  };

  const [sizeText, setSizeText] = useState<{ width: string; height: string } | null>(null);
  const [sizeError, setSizeError] = useState<string | null>(null);
  const typeSize = (what: 'width' | 'height', text: string) => {
    const shown = sizeText ?? { width: String(state.width), height: String(state.height) };
    setSizeText({ ...shown, [what]: text });
    const r = parseDimension(text, what);
    // A bad number keeps the last good size (and the preview with it) and says why.
    if (!r.ok) { setSizeError(r.error); return; }
    setSizeError(null);
    setState((s) => ({ ...s, sizePreset: 'custom', [what]: r.value }));
  };
  const set = (patch: Partial<BuilderState>) => setState((s) => ({ ...s, ...patch }));
  const toggle = (list: string[], item: string, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  const [copyStatus, setCopyStatus] = useState('');
  const copy = async (what: 'link' | 'snippet') => {
    const ok = await copyText(what === 'link' ? url : snippet);
    setCopyStatus(ok ? (what === 'link' ? 'Link copied.' : 'Embed code copied.') : 'The browser did not allow copying: select the text in the box and copy it.');
  };

  const chooseTarget = (kind: 'lab' | 'lesson', id: string) => {
    setState((s) => withTarget(s, kind === 'lab' ? { kind, lab: id as LabId } : { kind, lesson: id }));
    setPasteResult(null);
    setSizeText(null);
    setSizeError(null);
  };

  return (
    <div class="builder">
      <header class="builder-header">
        <h1>Embed builder</h1>
        <p>Pick a lab or a lesson, choose what learners see and may change, and copy the link or the code for your course page.
          {' '}<a href="./">Back to the labs</a></p>
      </header>
      <main class="builder-grid">
        <form class="builder-form" onSubmit={(e) => e.preventDefault()} aria-label="embed options">
          <fieldset>
            <legend>What to embed</legend>
            <label class="bf-check"><input type="radio" name="kind" checked={!isLesson} data-testid="kind-lab"
                                      onChange={() => chooseTarget('lab', LABS[0]!.id)} /> A lab</label>
            <label class="bf-check"><input type="radio" name="kind" checked={isLesson} data-testid="kind-lesson"
                                      onChange={() => chooseTarget('lesson', COURSE[0]!.id)} /> A lesson</label>
            {state.target.kind === 'lab' ? (
              <label class="bf-field">Lab
                <select data-testid="lab" value={state.target.lab} onChange={(e) => chooseTarget('lab', value(e))}>
                  {LABS.map((l) => <option key={l.id} value={l.id}>{l.title}</option>)}
                </select>
              </label>
            ) : (
              <label class="bf-field">Lesson
                <select data-testid="lesson" value={state.target.lesson} onChange={(e) => chooseTarget('lesson', value(e))}>
                  {COURSE.map((l) => <option key={l.id} value={l.id}>{l.number}. {l.title}</option>)}
                </select>
              </label>
            )}
          </fieldset>

          <fieldset>
            <legend>Preset</legend>
            <p class="bf-hint" data-testid="preset-summary">
              {isLesson ? 'A lesson opens its lab with its own preset.'
                : state.preset ? `Settings from a pasted ${labEntry(lab).title} link.` : `The ${labEntry(lab).title} lab's defaults.`}
            </p>
            {!isLesson && state.preset && (
              <button type="button" class="btn-text" data-testid="preset-defaults" onClick={() => { set({ preset: null }); setPasteResult(null); }}>
                Use the defaults instead
              </button>
            )}
            <label class="bf-field" for="paste-link">Or paste a link from a lab's "Copy link"</label>
            <textarea id="paste-link" rows={3} data-testid="paste-link" value={paste} onInput={(e) => setPaste(value(e))} />
            <button type="button" class="btn-text" data-testid="use-link" onClick={usePasted}>Use this link</button>
            {pasteResult && 'applied' in pasteResult && <p class="notice info" role="status" data-testid="paste-ok">{pasteResult.applied}</p>}
            {pasteResult && 'error' in pasteResult && (
              <div data-testid="paste-error">
                <p class="notice" role="alert">{pasteResult.error}</p>
                <Notices rejected={pasteResult.notices} message={null} fatal={null} note={null}
                         onDismissRejected={() => setPasteResult(null)} onDismissMessage={() => undefined} />
              </div>
            )}
          </fieldset>

          <fieldset data-testid="hide-panels">
            <legend>Hide panels{isLesson ? ` of the lesson's lab (${labEntry(lab).title})` : ''}</legend>
            <div class="bf-checks">
              {spec.panels.map((p) => (
                <label key={p} class="bf-check"><input type="checkbox" data-testid={`hide-${p}`} checked={state.hide.includes(p)}
                                                  onChange={(e) => set({ hide: toggle(state.hide, p, e.currentTarget.checked) })} /> {p}</label>
              ))}
            </div>
          </fieldset>

          <fieldset data-testid="lock-settings">
            <legend>Lock settings (learners cannot change them)</legend>
            <label class="bf-check"><input type="checkbox" data-testid="lock-all" checked={state.lock === 'all'}
                                      onChange={(e) => set({ lock: e.currentTarget.checked ? 'all' : [] })} /> <strong>all settings</strong></label>
            <div class="bf-checks">
              {spec.settings.map((s) => (
                <label key={s.url} class="bf-check" title={codec.fieldByUrl(s.url)?.doc}>
                  <input type="checkbox" data-testid={`lock-${s.url}`} disabled={state.lock === 'all'}
                         checked={state.lock === 'all' || state.lock.includes(s.url)}
                         onChange={(e) => set({ lock: toggle(state.lock === 'all' ? [] : state.lock, s.url, e.currentTarget.checked) })} />
                  <span>{settingName(codec.fieldByUrl(s.url)?.doc ?? s.key, s.key)} <code>{s.url}</code></span>
                </label>
              ))}
            </div>
          </fieldset>

          <fieldset>
            <legend>Display</legend>
            <label class="bf-check"><input type="checkbox" data-testid="embed-mode" checked={state.embed}
                                      onChange={(e) => set({ embed: e.currentTarget.checked })} /> Embed mode: only the essentials, fitted to the frame</label>
            <label class="bf-field">Theme
              <select data-testid="theme" value={state.theme ?? ''} onChange={(e) => set({ theme: value(e) === '' ? null : (value(e) as 'light' | 'dark') })}>
                <option value="">The reader's preference</option>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
              </select>
            </label>
            <label class="bf-check"><input type="checkbox" data-testid="autoplay" checked={state.autoplay && !isLesson} disabled={isLesson}
                                      onChange={(e) => set({ autoplay: e.currentTarget.checked })} /> Start training when loaded</label>
            <label class="bf-field">Training speed
              <select data-testid="speed" value={String(state.speed)} disabled={isLesson}
                      onChange={(e) => set({ speed: (value(e) === 'max' ? 'max' : Number(value(e))) as Speed })}>
                {SPEEDS.map((s) => <option key={s} value={String(s)}>{speedLabel(s)}</option>)}
              </select>
            </label>
            {isLesson && <p class="bf-hint">A lesson sets its own training start and speed.</p>}
          </fieldset>

          <fieldset>
            <legend>Size</legend>
            <label class="bf-field">Frame
              <select data-testid="size-preset" value={state.sizePreset}
                      onChange={(e) => { setState((s) => withSizePreset(s, value(e) as SizePreset)); setSizeText(null); setSizeError(null); }}>
                <option value="default">{isLesson ? 'The lesson\'s size' : 'The lab\'s size'}</option>
                {SIZE_PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label} ({p.width} × {p.height})</option>)}
                <option value="custom">Custom</option>
              </select>
            </label>
            <div class="bf-size">
              <label class="bf-field">Width (px)
                <input type="number" inputMode="numeric" min={MIN_SIZE} max={MAX_SIZE} data-testid="width"
                       value={sizeText?.width ?? String(state.width)} onInput={(e) => typeSize('width', value(e))} />
              </label>
              <span aria-hidden="true">×</span>
              <label class="bf-field">Height (px)
                <input type="number" inputMode="numeric" min={MIN_SIZE} max={MAX_SIZE} data-testid="height"
                       value={sizeText?.height ?? String(state.height)} onInput={(e) => typeSize('height', value(e))} />
              </label>
            </div>
            {sizeError && <p class="notice" role="alert" data-testid="size-error">{sizeError} The preview keeps {state.width} × {state.height}.</p>}
            <label class="bf-field">Frame title (read out by screen readers)
              <input type="text" data-testid="frame-title" placeholder={title} value={state.title} maxLength={120}
                     onInput={(e) => set({ title: value(e) })} />
            </label>
          </fieldset>
        </form>

        <section class="builder-out" aria-label="preview and code">
          <h2>Preview <span class="bf-hint" data-testid="preview-size">{preview.width} × {preview.height} px</span></h2>
          {/* Focusable: a frame larger than the box scrolls it, and keyboard users must reach the scroll. */}
          <div class="preview-box" tabIndex={0} role="region" aria-label={`preview at ${preview.width} × ${preview.height} pixels`}>
            <iframe class="preview-frame" data-testid="preview" src={preview.url} width={preview.width} height={preview.height}
                    title={`Preview: ${preview.title}`} />
          </div>
          <h2>Copy</h2>
          <label class="bf-field" for="out-link">Link</label>
          <input id="out-link" type="text" readOnly class="manual-copy" data-testid="out-link" value={url}
                 onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="btn-text" data-testid="copy-link" onClick={() => void copy('link')}>Copy link</button>
          {note && <p class="notice" role="status">{note} The link keeps the settings but not the drawn points.</p>}
          <label class="bf-field" for="out-snippet"><span>Embed code (<code>&lt;iframe&gt;</code>)</span></label>
          <textarea id="out-snippet" readOnly rows={4} class="manual-copy" data-testid="out-snippet" value={snippet}
                    onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="btn-text" data-testid="copy-snippet" onClick={() => void copy('snippet')}>Copy embed code</button>
          <p class="bf-hint" role="status" data-testid="copy-status">{copyStatus}</p>
        </section>
      </main>
    </div>
  );
}
