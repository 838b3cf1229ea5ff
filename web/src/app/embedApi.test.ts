// The course-page API's answers describe the state AFTER a command: the
// bridge of embed/protocol.ts with the real LabClient and a scripted worker
// (the browser test drives the real worker from a host page).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmbedBridge, type Command, type MessageEventLike } from '../embed/protocol';
import { parseQuery } from '../state/codec';
import { LabClient } from '../engine/client';
import type { FromHost, ToHost } from '../engine/protocol';
import { deferStateAnswers } from './embedApi';

class ScriptedWorker {
  sent: ToHost[] = [];
  onmessage: ((e: MessageEvent<FromHost>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  postMessage(msg: ToHost): void { this.sent.push(msg); }
  terminate(): void {}
  reply(msg: FromHost): void { this.onmessage?.({ data: msg } as MessageEvent<FromHost>); }
  lastCommandId(): number {
    const ids = this.sent.flatMap((m) => (m.kind === 'command' ? [m.id] : []));
    return ids[ids.length - 1]!;
  }
}

describe('the course-page API answers with the state after the command', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const worker = new ScriptedWorker();
    const client = new LabClient<{ type: 'step'; epochs: number }>('playground',
      { snapshot: () => {}, diverged: () => {}, error: () => {}, fatal: () => {}, restarted: () => {}, ready: () => {} },
      () => worker as unknown as Worker);
    client.start();
    const posted: Record<string, unknown>[] = [];
    const parentWindow = { postMessage: (m: unknown) => { posted.push(m as Record<string, unknown>); } };
    const parent = deferStateAnswers(parentWindow);
    let deliver: (e: MessageEventLike) => void = () => {};
    startEmbedBridge(
      { listen: (fn) => { deliver = (e) => fn({ ...e, source: parent.sender(e.source) }); return () => {}; }, parent: parent.target, now: () => 0 },
      {
        getConfig: () => parseQuery('').config,
        getStatus: () => client.status,
        run: (c: Command) => {
          if (c.type === 'pause') parent.answerAfter(client.run(false));
          if (c.type === 'play') parent.answerAfter(client.run(true));
          if (c.type === 'step') parent.answerAfter(client.request({ type: 'step', epochs: c.steps }));
        },
      },
      null,
    );
    const send = (type: string, extra: object = {}) =>
      deliver({ data: { ns: 'nn-playground', v: 1, type, id: `h-${type}`, ...extra }, origin: 'https://host.example', source: parentWindow });
    const states = () => posted.filter((m) => m.type === 'state');
    return { worker, client, send, states };
  }

  it('pause: no answer until the worker has paused, then the epoch it paused at', async () => {
    const { worker, client, send, states } = setup();
    worker.reply({ kind: 'ready', abiVersion: 2 });
    send('play');
    worker.reply({ kind: 'done', id: worker.lastCommandId(), status: { running: true, epoch: 3 }, result: undefined });
    await vi.advanceTimersByTimeAsync(0);
    expect(states().at(-1)).toMatchObject({ id: 'h-play', running: true });
    // Training goes on while the pause travels to the worker.
    worker.reply({ kind: 'snapshot', seq: worker.lastCommandId(), status: { running: true, epoch: 40 }, snap: {} });
    send('pause');
    await vi.advanceTimersByTimeAsync(0);
    expect(states().filter((m) => m.id === 'h-pause')).toHaveLength(0);
    worker.reply({ kind: 'done', id: worker.lastCommandId(), status: { running: false, epoch: 700 }, result: undefined });
    await vi.advanceTimersByTimeAsync(0);
    const answer = states().find((m) => m.id === 'h-pause');
    expect(answer).toMatchObject({ running: false, epoch: 700 });
    // getState afterwards agrees.
    send('getState');
    expect(states().find((m) => m.id === 'h-getState')).toMatchObject({ running: false, epoch: 700 });
    client.dispose();
  });

  it('step 5: answered after the steps ran, with the epoch 5 further on', async () => {
    const { worker, client, send, states } = setup();
    worker.reply({ kind: 'ready', abiVersion: 2 });
    send('step', { steps: 5 });
    const step = worker.sent.at(-1)!;
    expect(step.kind === 'command' && step.command).toEqual({ op: 'lab', msg: { type: 'step', epochs: 5 } });
    await vi.advanceTimersByTimeAsync(0);
    expect(states()).toHaveLength(0);
    worker.reply({ kind: 'done', id: worker.lastCommandId(), status: { running: false, epoch: 5 }, result: undefined });
    await vi.advanceTimersByTimeAsync(0);
    expect(states().find((m) => m.id === 'h-step')).toMatchObject({ running: false, epoch: 5 });
    client.dispose();
  });

  it('a command the worker refused still gets an answer', async () => {
    const { worker, client, send, states } = setup();
    send('step', { steps: 2 });
    worker.reply({ kind: 'error', id: worker.lastCommandId(), message: 'no model yet' });
    await vi.advanceTimersByTimeAsync(0);
    expect(states().find((m) => m.id === 'h-step')).toBeDefined();
    client.dispose();
  });
});
