// The app shell: header with one tab per lab (labs/index.ts) and the theme
// switch. The address is read once (state/link.ts parseLink): its lab opens.
// Switching tabs writes the new lab's link (lab= first) into the address.
// A lab's page is loaded when its tab is first opened.

import { lazy, Suspense } from 'preact/compat';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Theme } from '../state/config';
import { ErrorBoundary } from './ErrorBoundary';
import { LABS, type LabId } from '../labs';
import { PAGES } from '../labs/pages';
import { parseLink } from '../state/link';
import { parseView } from '../state/view';
import type { LessonView } from '../lessons/LessonPage';

const LessonPage = lazy(() => import('../lessons/LessonPage').then((m) => m.LessonPage));
const CoursePage = lazy(() => import('../lessons/CoursePage').then((m) => m.CoursePage));

/** ?lesson= and ?course=: the course's pages instead of the lab tabs. */
function coursePageOf(search: string): { lesson: string | null; view: LessonView } | null {
  const p = new URLSearchParams(search);
  if (!p.has('lesson') && !p.has('course')) return null;
  // theme=, embed=1 and origins= read as every lab reads them (state/view.ts); hide= and lock= go to the lab inside.
  const own = new Map([...p].filter(([k]) => k === 'theme' || k === 'embed' || k === 'origins'));
  const v = parseView(own, [], { panels: [], settings: [] });
  return {
    lesson: p.get('lesson'),
    view: { theme: v.theme, embed: v.embed, hide: p.get('hide'), lock: p.get('lock'), origins: v.origins },
  };
}

function preferredTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App() {
  const course = useMemo(() => coursePageOf(location.search), []);
  if (course) return <CourseApp lesson={course.lesson} view={course.view} />;
  return <LabsApp />;
}

function CourseApp({ lesson, view }: { lesson: string | null; view: LessonView }) {
  useEffect(() => {
    document.documentElement.dataset.theme = view.theme ?? preferredTheme();
  }, []);
  return (
    <ErrorBoundary where="lesson page">
      <Suspense fallback={<p class="loading" role="status">Loading…</p>}>
        {lesson !== null ? <LessonPage value={lesson} view={view} /> : <CoursePage theme={view.theme} />}
      </Suspense>
    </ErrorBoundary>
  );
}

function LabsApp() {
  const link = useMemo(() => parseLink(location.search, location.hash), []);
  const view = link.view;
  const [tab, setTab] = useState<LabId>(link.lab);
  const [theme, setTheme] = useState<Theme>(() => view.theme ?? preferredTheme());

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  // The page of the lab being left keeps the address up to date while it
  // shows; the lab switched to writes its own link as soon as it renders
  // (each page mirrors its settings with history.replaceState). Until then
  // the address names the new lab with its defaults.
  // A lab that stays mounted is mounted once first opened: an MNIST link
  // does not start the playground's engine behind it.
  const [opened, setOpened] = useState<ReadonlySet<LabId>>(() => new Set([link.lab]));
  const go = (id: LabId) => {
    if (id === tab) return;
    setOpened((o) => new Set([...o, id]));
    history.replaceState(history.state, '', `${location.pathname}?lab=${id}`);
    setTab(id);
  };

  const showHeader = !view.embed && !view.hide.includes('header');
  return (
    <div class="app">
      {showHeader && (
        <header class="app-header">
          <h1>Neural network playground</h1>
          <nav class="tabs" aria-label="pages">
            {LABS.map((lab) => (
              <button key={lab.id} type="button" class="tab" aria-current={tab === lab.id ? 'page' : undefined}
                      data-testid={`tab-${lab.id}`} onClick={() => go(lab.id)}>{lab.title}</button>
            ))}
          </nav>
          <a class="btn-text course-link" href="?course=1" data-testid="course-link">Course</a>
          <a class="btn-text course-link" href="builder.html" data-testid="builder-link">Embed builder</a>
          <button type="button" class="btn-text theme-toggle" data-testid="theme-toggle"
                  aria-label={`switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
                  onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
        </header>
      )}
      {LABS.map(({ id, title, keepMounted }) => {
        const active = tab === id;
        const Page = PAGES[id];
        if (!active && !(keepMounted && opened.has(id))) return null;
        return (
          <div key={id} hidden={!active}>
            <ErrorBoundary where={`${title} page`}>
              <Suspense fallback={<p class="loading" role="status">Loading the {title} page…</p>}>
                <Page theme={theme} active={active} link={link} />
              </Suspense>
            </ErrorBoundary>
          </div>
        );
      })}
    </div>
  );
}
