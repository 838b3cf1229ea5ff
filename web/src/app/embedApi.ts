// The course-page API when the page runs inside an iframe: the namespaced
// postMessage protocol of web/src/embed/protocol.ts (validation, origins,
// throttling live there). This hook connects it to the playground's state.
//
// A command's `state` answer describes the state AFTER the command: the
// bridge posts it right after run(), so the answer to a command that goes
// to the engine (play, pause, step, reset) is held back here until the
// engine says it has applied it, and carries the engine's status then (after
// `pause`, the epoch that stays; after `step` 5, the epoch 5 further on).

import { useEffect, useRef } from 'preact/hooks';
import { startEmbedBridge, type Command, type EmbedBridge, type Metrics } from '../embed/protocol';
import type { Config } from '../state/config';
import type { LabStatus } from '../engine/protocol';
import type { CommandResult } from '../engine/client';
import type { Playground } from '../labs/playground/usePlayground';
import type { Speed } from '../state/speed';
import { useMetricsToHost, watchFrameHeight, windowBridgeHost } from '../labs/page-kit';

type Target = { postMessage(message: unknown, targetOrigin: string): void };

/** A parent window whose `state` answer to the command just run waits for
 *  `applied` and then reports that status. One message object is posted to
 *  every allowed origin: each copy waits for the same status. */
export function deferStateAnswers(parent: Target) {
  let applied: Promise<LabStatus | null> | null = null;
  let held: { message: object; status: Promise<LabStatus | null> } | null = null;
  const target: Target = {
    postMessage(message, origin) {
      const isState = typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'state';
      if (isState && applied) {
        held = { message, status: applied };
        applied = null;
      }
      if (!held || held.message !== message) {
        parent.postMessage(message, origin);
        return;
      }
      void held.status.then((status) => {
        try {
          parent.postMessage(status ? { ...message, running: status.running, epoch: status.epoch } : message, origin);
        } catch {
          // A closed parent: nothing to tell.
        }
      });
    },
  };
  return {
    target,
    /** The bridge accepts commands only from the window it answers (it
     *  compares identities): messages from the real parent count as from
     *  `target`. */
    sender: (source: unknown): unknown => (source === parent ? target : source),
    /** The command being run now answers once `p` settles (a refused or
     *  lost command answers with the state as it is). */
    answerAfter(p: Promise<CommandResult> | undefined): void {
      applied = p ? p.then((r) => r.status, () => null) : null;
      // The bridge answers synchronously after running the command; an
      // answer that never came (a refused command) must not hold the next one.
      queueMicrotask(() => { applied = null; });
    },
  };
}

export function useEmbedApi(pg: Playground): void {
  const bridge = useRef<EmbedBridge | null>(null);
  const latest = useRef(pg);
  latest.current = pg;
  // setConfig answers with the new state before React re-renders: keep the
  // configuration the host just set here until the state catches up.
  const configNow = useRef<Config>(pg.config);
  configNow.current = pg.config;
  const speedNow = useRef<Speed>(pg.speed);
  speedNow.current = pg.speed;

  useEffect(() => {
    if (typeof window === 'undefined' || window.parent === window) return;
    const parent = deferStateAnswers(window.parent);
    const run = (command: Command) => {
      const { actions } = latest.current;
      switch (command.type) {
        case 'setConfig':
          configNow.current = command.config;
          actions.replaceConfig(command.config);
          if (command.speed !== undefined) {
            speedNow.current = command.speed;
            actions.setSpeed(command.speed);
          }
          break;
        case 'play': parent.answerAfter(actions.play()); break;
        case 'pause': parent.answerAfter(actions.pause()); break;
        case 'reset': parent.answerAfter(actions.reset()); break;
        case 'step': parent.answerAfter(actions.stepN(command.steps, command.unit ?? 'epochs')); break;
        case 'getState': break;
      }
    };
    bridge.current = startEmbedBridge(
      windowBridgeHost((source) => parent.sender(source), parent.target),
      {
        getConfig: () => configNow.current,
        getStatus: () => latest.current.actions.engineStatus(),
        getSpeed: () => speedNow.current,
        run,
      },
      pg.view.origins,
    );
    const unwatch = watchFrameHeight((h) => bridge.current?.resize(h));
    return () => { unwatch(); bridge.current?.stop(); bridge.current = null; };
  }, []);

  const ready = pg.run.status === 'ready';
  useEffect(() => { if (ready) bridge.current?.ready(); }, [ready]);
  useEffect(() => { if (ready) bridge.current?.state(); }, [pg.config, pg.run.running, pg.speed]);

  // Rate-limited by the bridge; the last ones of a burst (after a pause or a step) still go out.
  const s = pg.run.snapshot;
  useMetricsToHost<Metrics>(bridge, () => (s ? {
    epoch: s.epoch, trainLoss: s.trainLoss, testLoss: s.testLoss,
    accuracy: pg.task === 'regression' || !Number.isFinite(s.testAccuracy) ? null : s.testAccuracy,
    handSet: s.handSet,
    gradientChecks: pg.gradientChecks,
  } : null), [s, pg.gradientChecks]);
}
