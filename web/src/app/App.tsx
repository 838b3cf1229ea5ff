// The app shell: header with one tab per lab (labs/index.ts) and the theme
// switch. A lab's page is loaded when its tab is first opened.

import { Suspense } from 'preact/compat';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Theme } from '../state/config';
import { ErrorBoundary } from './ErrorBoundary';
import { LABS, labFromHash, DEFAULT_LAB } from '../labs';
import type { LabId } from '../labs/sessions';
import { readInitialState } from '../labs/playground/usePlayground';

function preferredTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App() {
  const link = useMemo(() => readInitialState(location.search), []);
  const view = link.view;
  const [tab, setTab] = useState<LabId>(() => labFromHash(location.hash));
  const [theme, setTheme] = useState<Theme>(() => view.theme ?? preferredTheme());

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    const onHash = () => setTab(labFromHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = (id: LabId) => {
    history.replaceState(history.state, '', `${location.search}${id === DEFAULT_LAB ? '' : `#${id}`}`);
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
          <button type="button" class="btn-text theme-toggle" data-testid="theme-toggle"
                  aria-label={`switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
                  onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
        </header>
      )}
      {LABS.map(({ id, title, Page, keepMounted }) => {
        const active = tab === id;
        if (!active && !keepMounted) return null;
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
