// The app shell: header with page tabs (Playground, MNIST) and the theme
// switch. MNIST is loaded only when its tab is opened.

import { lazy, Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import type { Theme } from '../state/config';
import { ErrorBoundary } from './ErrorBoundary';
import { Playground } from './Playground';
import { usePlayground } from './usePlayground';
import { ShareBar } from './ShareBar';
import { useEmbedApi } from './embedApi';

type Tab = 'playground' | 'mnist';

// Resolved at build time: an empty map if the MNIST page is not there, so
// the playground still builds on its own.
const mnistModules = import.meta.glob<{ default: ComponentType<{ theme: Theme }> }>('../mnist/MnistPage.tsx');
const mnistLoader = Object.values(mnistModules)[0];
const MnistPage = mnistLoader ? lazy(mnistLoader) : null;

function tabFromHash(): Tab {
  return location.hash === '#mnist' ? 'mnist' : 'playground';
}

function preferredTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function App() {
  const pg = usePlayground(location.search);
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [theme, setTheme] = useState<Theme>(() => pg.view.theme ?? preferredTheme());
  useEmbedApi(pg);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = (t: Tab) => {
    if (t === 'mnist' && pg.run.running) pg.actions.pause(); // one training job at a time on 2 cores
    history.replaceState(history.state, '', `${location.search}${t === 'mnist' ? '#mnist' : ''}`);
    setTab(t);
  };

  const embed = pg.view.embed;
  const showHeader = !embed && !pg.view.hide.includes('header');
  return (
    <div class="app">
      {showHeader && (
        <header class="app-header">
          <h1>Neural network playground</h1>
          <nav class="tabs" aria-label="pages">
            <button type="button" class="tab" aria-current={tab === 'playground' ? 'page' : undefined} data-testid="tab-playground"
                    onClick={() => go('playground')}>Playground</button>
            {MnistPage && (
              <button type="button" class="tab" aria-current={tab === 'mnist' ? 'page' : undefined} data-testid="tab-mnist"
                      onClick={() => go('mnist')}>MNIST</button>
            )}
          </nav>
          <button type="button" class="btn-text theme-toggle" data-testid="theme-toggle"
                  aria-label={`switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
                  onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
        </header>
      )}
      <div hidden={tab !== 'playground'}>
        <ErrorBoundary where="playground">
          <Playground pg={pg} theme={theme} active={tab === 'playground'} shareBar={<ShareBar pg={pg} />} />
        </ErrorBoundary>
      </div>
      {tab === 'mnist' && MnistPage && (
        <ErrorBoundary where="MNIST page">
          <Suspense fallback={<p class="loading" role="status">Loading the MNIST page…</p>}>
            <MnistPage theme={theme} />
          </Suspense>
        </ErrorBoundary>
      )}
    </div>
  );
}
