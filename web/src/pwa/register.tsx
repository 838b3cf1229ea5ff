/// <reference types="vite-plugin-pwa/vanillajs" />
// Offline use: registers the service worker vite-plugin-pwa builds (sw.js,
// see vite.config.ts) and announces a new version instead of applying it.
// A new version is installed in the background and then waits; the page
// says so in a small notice, and only the learner's Reload switches to it,
// so a running training is never cut short. Frames (a lab inside a lesson
// page or a course page) register too, for their own offline use, but never
// show the notice: the top-level page is the one that speaks to the learner.
import { render } from 'preact';
import { registerSW } from 'virtual:pwa-register';
import { UpdateNotice } from './UpdateNotice';

/** How often a long-open page asks the server for a new version. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

export function startOfflineSupport(): void {
  if (!import.meta.env.PROD) return; // the dev server has no service worker
  try {
    if (!navigator.serviceWorker) return;
  } catch {
    return; // a sandboxed frame without allow-same-origin: no service worker, the page works online
  }
  const topLevel = window.top === window;
  const skipWaiting = registerSW({
    onNeedRefresh() {
      if (topLevel) showNotice(applyUpdate);
    },
    // The new version took control (another tab's Reload does that too):
    // this page keeps running until its own learner reloads it.
    onNeedReload() {},
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      setInterval(() => {
        if (navigator.onLine && document.visibilityState === 'visible') registration.update().catch(() => undefined);
      }, UPDATE_CHECK_MS);
    },
    // Without a service worker (private mode, a refused registration) the
    // page still works online, as before: nothing to tell.
    onRegisterError() {},
  });

  /** The learner's Reload: the waiting version takes over, then the page reloads into it. */
  function applyUpdate(): void {
    const container = navigator.serviceWorker;
    void container.getRegistration().then((registration) => {
      if (!registration?.waiting) {
        window.location.reload(); // another tab applied it already: this page only needs the reload
        return;
      }
      container.addEventListener('controllerchange', () => window.location.reload(), { once: true });
      void skipWaiting();
    });
  }
}

let host: HTMLElement | null = null;

function showNotice(reload: () => void): void {
  if (!host) {
    host = document.createElement('div'); // outside the app's root: the notice outlives any page change
    document.body.append(host);
  }
  const target = host;
  render(<UpdateNotice onReload={reload} onDismiss={() => render(null, target)} />, target);
}
