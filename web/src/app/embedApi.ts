// The course-page API when the page runs inside an iframe: the namespaced
// postMessage protocol of web/src/embed/protocol.ts (validation, origins,
// throttling live there). This hook connects it to the playground's state.

import { useEffect, useRef } from 'preact/hooks';
import { METRICS_INTERVAL_MS, startEmbedBridge, type Command, type EmbedBridge, type Metrics } from '../embed/protocol';
import type { Config } from '../state/config';
import type { Playground } from '../labs/playground/usePlayground';

export function useEmbedApi(pg: Playground): void {
  const bridge = useRef<EmbedBridge | null>(null);
  const latest = useRef(pg);
  latest.current = pg;
  // setConfig answers with the new state before React re-renders: keep the
  // configuration the host just set here until the state catches up.
  const configNow = useRef<Config>(pg.config);
  configNow.current = pg.config;

  useEffect(() => {
    if (typeof window === 'undefined' || window.parent === window) return;
    const run = (command: Command) => {
      const { actions } = latest.current;
      switch (command.type) {
        case 'setConfig':
          configNow.current = command.config;
          actions.replaceConfig(command.config);
          break;
        case 'play': actions.play(); break;
        case 'pause': actions.pause(); break;
        case 'reset': actions.reset(); break;
        case 'step': actions.stepN(command.steps); break;
        case 'getState': break;
      }
    };
    bridge.current = startEmbedBridge(
      {
        listen: (fn) => {
          const h = (e: MessageEvent) => fn({ data: e.data, origin: e.origin, source: e.source });
          window.addEventListener('message', h);
          return () => window.removeEventListener('message', h);
        },
        parent: window.parent,
        now: () => performance.now(),
      },
      {
        getConfig: () => configNow.current,
        getStatus: () => ({ running: latest.current.run.running, epoch: latest.current.run.snapshot?.epoch ?? 0 }),
        run,
      },
      pg.view.origins,
    );
    const ro = typeof ResizeObserver !== 'undefined'
      ? new ResizeObserver(() => bridge.current?.resize(document.documentElement.scrollHeight))
      : null;
    ro?.observe(document.body);
    return () => { ro?.disconnect(); bridge.current?.stop(); bridge.current = null; };
  }, []);

  const ready = pg.run.status === 'ready';
  useEffect(() => { if (ready) bridge.current?.ready(); }, [ready]);
  useEffect(() => { if (ready) bridge.current?.state(); }, [pg.config, pg.run.running]);

  // Metrics are rate-limited; the last ones of a burst (e.g. after a step
  // while paused) still go out once the interval has passed.
  const s = pg.run.snapshot;
  const latestMetrics = useRef<Metrics | null>(null);
  const trailing = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!s || !bridge.current) return;
    latestMetrics.current = {
      epoch: s.epoch, trainLoss: s.trainLoss, testLoss: s.testLoss,
      accuracy: pg.task === 'regression' || !Number.isFinite(s.testAccuracy) ? null : s.testAccuracy,
    };
    if (bridge.current.metrics(latestMetrics.current) || trailing.current) return;
    trailing.current = setTimeout(() => {
      trailing.current = null;
      if (latestMetrics.current) bridge.current?.metrics(latestMetrics.current);
    }, METRICS_INTERVAL_MS + 10);
  }, [s]);
  useEffect(() => () => { if (trailing.current) clearTimeout(trailing.current); }, []);
}
