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
  let reloadAsked = false;
  const update = registerSW({
    onNeedRefresh() {
      if (topLevel) showNotice(() => {
        reloadAsked = true;
        void update();
      });
    },
    // The new version took control; another tab's Reload does that too, and
    // this page keeps running until its own learner chooses to reload.
    onNeedReload() {
      if (reloadAsked) window.location.reload();
    },
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
}

let host: HTMLElement | null = null;

function showNotice(reload: () => void): void {
  if (!host) {
    host = document.createElement('div');
    host.className = 'update-host';
    document.body.append(host);
  }
  const target = host;
  render(<UpdateNotice onReload={reload} onDismiss={() => render(null, target)} />, target);
}
