// A lesson: its text and tasks beside its lab. The lab runs in a same-origin
// <iframe> and the lesson is its host on the course-page API, like any
// course page: it reads the lab's settings (state) and numbers (metrics) and
// checks each task's goal on them as the learner works. Completed tasks are
// kept in the browser and announced to the page embedding the lesson.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { COURSE, courseEntry } from './catalog';
import type { Lesson, Task } from './format';
import { checkCondition, describeCondition, goalMet, type Observed } from './goals';
import { loadLesson, type LoadResult } from './load';
import { lessonProgress, recordTask, resetLesson, type LessonProgress } from './progress';
import { lessonCompleted, parseHostContext, taskCompleted, type HostContext, type LessonRef } from './events';
import { RichText, inline } from './RichText';
import { isAllowedSender, PROTOCOL_NAMESPACE, PROTOCOL_VERSION, targetOrigins } from '../embed/protocol';
import { writeLink } from '../state/link';
import { writePairs } from '../state/query';
import type { LabId } from '../labs';
import { labEntry } from '../labs';
import './lessons.css';

/** The lesson page's own view keys (the lab's panels and locks pass through to it). */
export interface LessonView {
  theme: 'light' | 'dark' | null;
  embed: boolean;
  hide: string | null;
  lock: string | null;
  origins: readonly string[] | null;
}

/** The lab's link for the frame: the preset with the lesson's view keys added. */
export function frameSrc(preset: string, view: LessonView): string {
  const p = new URLSearchParams(preset);
  const join = (key: string, extra: (string | null)[]) => {
    const items = [...(p.get(key) ?? '').split(','), ...extra.flatMap((e) => (e ?? '').split(','))].filter((x) => x && x !== 'none');
    if (items.length) p.set(key, [...new Set(items)].join(','));
  };
  join('hide', view.embed ? [] : ['header', view.hide]);
  if (view.embed && view.hide) join('hide', [view.hide]);
  join('lock', [view.lock]);
  if (view.theme) p.set('theme', view.theme);
  if (view.embed) p.set('embed', '1');
  return `./?${writePairs(p)}`;
}

/** The lab's settings by link key, as its link writes them. */
function settingsOf(lab: LabId, config: unknown): Record<string, string> {
  try {
    const q = writeLink(lab, config as never);
    return Object.fromEntries(new URLSearchParams(q));
  } catch {
    return {};
  }
}

/** The address of a lesson link that keeps this page's view keys. */
function lessonHref(lesson: string, view: LessonView): string {
  const p = new URLSearchParams({ lesson });
  if (view.theme) p.set('theme', view.theme);
  if (view.embed) p.set('embed', '1');
  if (view.origins) p.set('origins', view.origins.join(','));
  return `?${writePairs(p)}`;
}

function nextOf(lesson: Lesson, key: string): { href: string; title: string } | null {
  if (lesson.next) {
    const e = courseEntry(lesson.next);
    return { href: lesson.next, title: e ? `${e.number}. ${e.title}` : 'Next lesson' };
  }
  const here = courseEntry(key);
  const e = here && COURSE.find((l) => l.number === here.number + 1);
  return e ? { href: e.id, title: `${e.number}. ${e.title}` } : null;
}

export function LessonPage({ value, view }: { value: string; view: LessonView }) {
  const [loaded, setLoaded] = useState<LoadResult | null>(null);
  useEffect(() => {
    let live = true;
    void loadLesson(value, location.href).then((r) => { if (live) setLoaded(r); });
    return () => { live = false; };
  }, [value]);
  if (!loaded) return <p class="loading" role="status">Loading the lesson…</p>;
  if ('error' in loaded) {
    return (
      <main class="lesson-error" role="alert">
        <h1>Lesson not opened</h1>
        <p>{loaded.error}</p>
        {loaded.details.length > 0 && <ul>{loaded.details.map((d) => <li key={d}>{d}</li>)}</ul>}
        <p><a href="?course=1">See the course's lessons</a> · <a href="./">Open the playground</a></p>
      </main>
    );
  }
  return <LessonBody key={loaded.key} lesson={loaded.lesson} lessonKey={loaded.key} url={loaded.url} view={view} />;
}

function LessonBody({ lesson, lessonKey, url, view }: { lesson: Lesson; lessonKey: string; url: string; view: LessonView }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [src, setSrc] = useState(() => frameSrc(lesson.preset, view));
  const [frameHeight, setFrameHeight] = useState(640);
  const [seen, setSeen] = useState<Observed>({ metrics: null, settings: {} });
  const [progress, setProgress] = useState<LessonProgress>(() => lessonProgress(lessonKey));
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(new Set());
  const [announce, setAnnounce] = useState('');
  const [storageNote, setStorageNote] = useState('');
  const host = useRef<HostContext>({});
  const ref: LessonRef = useMemo(() => ({ id: lesson.id, title: lesson.title, url }), [lesson, url]);
  const entry = courseEntry(lessonKey);
  const labTitle = labEntry(lesson.lab).title;

  // To the page embedding the lesson (a course platform), when there is one.
  const post = (msg: object) => {
    if (window.parent === window) return;
    for (const t of targetOrigins(view.origins)) {
      try { window.parent.postMessage(msg, t); } catch { /* a closed parent */ }
    }
  };
  const doneList = () => lesson.tasks.map((t) => ({ id: t.id, title: t.title, done: Boolean(lessonProgress(lessonKey)[t.id]) }));

  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      const d = e.data as Record<string, unknown> | null;
      if (typeof d !== 'object' || d === null || d.ns !== PROTOCOL_NAMESPACE) return;
      if (frame.current && e.source === frame.current.contentWindow) {
        if (d.type === 'ready' || d.type === 'state') {
          const settings = settingsOf(lesson.lab, d.config);
          // New settings make the last numbers another network's: wait for fresh ones.
          setSeen((s) => (JSON.stringify(s.settings) === JSON.stringify(settings) ? s : { metrics: null, settings }));
        } else if (d.type === 'metrics') {
          const m: Record<string, number | null> = {};
          for (const [k, v] of Object.entries(d)) if (typeof v === 'number' || v === null) m[k] = v as number | null;
          setSeen((s) => ({ ...s, metrics: m }));
        } else if (d.type === 'resize' && typeof d.height === 'number' && Number.isFinite(d.height)) {
          setFrameHeight(Math.min(4000, Math.max(360, Math.ceil(d.height))));
        }
        return;
      }
      // Commands from the embedding page: its context for the statements, or the state.
      if (!isAllowedSender(e.origin, e.source, window.parent, view.origins)) return;
      if (d.type === 'setContext') {
        const r = parseHostContext(d);
        if ('ok' in r) host.current = r.ok;
        post({ ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, ...('ok' in r ? { type: 'lessonState', lesson: ref, tasks: doneList() } : { type: 'error', command: 'setContext', message: r.error, rejected: [] }) });
      } else if (d.type === 'getState') {
        post({ ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, type: 'lessonState', lesson: ref, tasks: doneList() });
      }
    };
    window.addEventListener('message', onMessage);
    post({ ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION, type: 'lessonReady', lesson: ref, tasks: doneList() });
    return () => window.removeEventListener('message', onMessage);
  }, []);

  const complete = (task: Task) => {
    if (lessonProgress(lessonKey)[task.id]) return;
    const number = lesson.tasks.indexOf(task) + 1;
    const score = revealed.has(task.id) ? 0.5 : 1;
    const stored = recordTask(lessonKey, task.id, { score, at: new Date().toISOString() });
    if (!stored) setStorageNote('This browser does not keep progress (private window or full storage): it lasts until you leave the page.');
    const now = lessonProgress(lessonKey);
    setProgress(now);
    post(taskCompleted(ref, { id: task.id, title: task.title, number }, score, host.current));
    const all = lesson.tasks.every((t) => now[t.id]);
    setAnnounce(`Task ${number} done: ${task.title}.${all ? ' Every task of this lesson is done.' : ''}`);
    if (all) post(lessonCompleted(ref, lesson.tasks.map((t) => now[t.id]!.score), host.current));
  };

  // Live goals: checked whenever the lab reports.
  useEffect(() => {
    for (const t of lesson.tasks) if (t.goal && !progress[t.id] && goalMet(t.goal, seen)) complete(t);
  }, [seen]);

  const doneCount = lesson.tasks.filter((t) => progress[t.id]).length;
  const next = nextOf(lesson, lessonKey);
  const load = (preset: string) => {
    setSeen({ metrics: null, settings: {} });
    setSrc(frameSrc(preset, view));
  };

  return (
    <div class={`lesson-page${view.embed ? ' lesson-embed' : ''}`}>
      <main class="lesson-text" aria-labelledby="lesson-title">
        <nav class="lesson-crumbs" aria-label="course">
          <a href={`?course=1${view.theme ? `&theme=${view.theme}` : ''}`}>Course</a>
          {entry && <span> · Lesson {entry.number} of {COURSE.length}</span>}
        </nav>
        <h1 id="lesson-title">{lesson.title}</h1>
        <RichText blocks={lesson.text} />
        <p class="lesson-progress" data-testid="lesson-progress">
          {doneCount} of {lesson.tasks.length} tasks done
          {doneCount > 0 && (
            <button type="button" class="btn-text" onClick={() => { resetLesson(lessonKey); setProgress({}); setRevealed(new Set()); setAnnounce('Progress of this lesson cleared.'); }}>
              Reset progress
            </button>
          )}
        </p>
        {storageNote && <p class="lesson-note">{storageNote}</p>}
        <ol class="lesson-tasks">
          {lesson.tasks.map((t, i) => (
            <TaskCard key={t.id} task={t} number={i + 1} done={Boolean(progress[t.id])} score={progress[t.id]?.score}
                      seen={seen} onStart={t.preset ? () => load(t.preset!) : null}
                      onReveal={() => setRevealed((r) => new Set([...r, t.id]))} onComplete={() => complete(t)} />
          ))}
        </ol>
        <p class="lesson-nav">
          <button type="button" class="btn-text" onClick={() => load(lesson.preset)}>Restart the lab from the lesson's setup</button>
          {next && <a class="lesson-next" data-testid="next-lesson" href={lessonHref(next.href, view)}>Next lesson: {next.title} →</a>}
        </p>
        <p class="visually-hidden" role="status" aria-live="polite" data-testid="lesson-announce">{announce}</p>
      </main>
      <iframe ref={frame} class="lesson-lab" src={src} title={`${labTitle} lab for the lesson ${lesson.title}`}
              style={{ height: `${frameHeight}px` }} data-testid="lesson-lab" />
    </div>
  );
}

function TaskCard({ task, number, done, score, seen, onStart, onReveal, onComplete }: {
  task: Task; number: number; done: boolean; score: number | undefined; seen: Observed;
  onStart: (() => void) | null; onReveal: () => void; onComplete: () => void;
}) {
  const id = `task-${task.id}`;
  return (
    <li class={`lesson-task${done ? ' done' : ''}`} data-testid={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        Task {number}: {task.title}
        <span class="task-status" data-testid={`${id}-status`}>{done ? (score === 1 ? ' ✓ done' : ' ✓ done (answer shown first)') : ' · not done yet'}</span>
      </h2>
      <RichText blocks={task.text} />
      {onStart && <p><button type="button" class="lesson-btn" onClick={onStart}>Set up the lab for this task</button></p>}
      {task.goal && (
        <ul class="task-goal" aria-label={`goal of task ${number}`}>
          {task.goal.map((c, i) => {
            const s = checkCondition(c, seen);
            return (
              <li key={i} class={s.met || done ? 'met' : ''}>
                <span aria-hidden="true">{s.met || done ? '✓' : '○'} </span>
                {describeCondition(c)}{s.now !== null && !done ? ` (now ${s.now})` : ''}
                <span class="visually-hidden">{s.met || done ? ', met' : ', not met yet'}</span>
              </li>
            );
          })}
        </ul>
      )}
      {task.question && !done && <QuestionForm id={id} question={task.question} onCorrect={onComplete} />}
      {task.confirm && !done && <p><button type="button" class="lesson-btn" data-testid={`${id}-confirm`} onClick={onComplete}>{task.confirm}</button></p>}
      {task.hint && <details class="task-hint"><summary>Hint</summary><RichText blocks={task.hint} /></details>}
      {task.answer && (
        <details class="task-answer" onToggle={(e) => { if ((e.currentTarget as HTMLDetailsElement).open) onReveal(); }}>
          <summary>Show the answer</summary>
          <RichText blocks={task.answer} />
        </details>
      )}
    </li>
  );
}

function QuestionForm({ id, question, onCorrect }: { id: string; question: NonNullable<Task['question']>; onCorrect: () => void }) {
  const [choice, setChoice] = useState<number | null>(null);
  const [text, setText] = useState('');
  const [feedback, setFeedback] = useState('');
  const check = (e: Event) => {
    e.preventDefault();
    if ('choices' in question) {
      if (choice === null) { setFeedback('Pick an answer first.'); return; }
      if (choice === question.correct) onCorrect(); else setFeedback('Not quite. Look at the lab again and try another answer.');
    } else {
      const v = Number(text.replace(',', '.'));
      if (text.trim() === '' || !Number.isFinite(v)) { setFeedback('Type a number.'); return; }
      if (Math.abs(v - question.number) <= question.tolerance) onCorrect(); else setFeedback(`${v} is not it yet. Check your working and try again.`);
    }
  };
  return (
    <form class="task-question" onSubmit={check}>
      {'choices' in question ? (
        <fieldset>
          <legend>Your answer</legend>
          {question.choices.map((c, i) => (
            <label key={i} class="choice">
              <input type="radio" name={`${id}-choice`} value={String(i)} checked={choice === i} onChange={() => setChoice(i)} />
              {' '}{inline(c)}
            </label>
          ))}
        </fieldset>
      ) : (
        <label>Your answer <input type="text" inputMode="decimal" value={text} data-testid={`${id}-number`}
                                 onInput={(e) => setText((e.target as HTMLInputElement).value)} /></label>
      )}
      <button type="submit" class="lesson-btn" data-testid={`${id}-check`}>Check</button>
      <span role="status" class="task-feedback">{feedback}</span>
    </form>
  );
}
