// LabClient's supervision logic: replaying the configuration into a
// replacement worker, the heartbeat, frame pacing, and answers that carry the
// state after a command. The Worker here is a scripted stand-in (the real
// host worker + WASM are covered by the e2e tests); what is under test is
// the client's own bookkeeping.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabClient, type LabEvents } from './client';
import type { FromHost, HostCommand, ToHost } from './protocol';

type Msg = { type: 'build'; net: string } | { type: 'hyper'; lr: number } | { type: 'data'; n: number } | { type: 'step'; epochs: number };

class ScriptedWorker {
  sent: ToHost[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromHost>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  answerPings = true;
  postMessage(msg: ToHost): void {
    this.sent.push(msg);
    if (msg.kind === 'ping' && this.answerPings) this.reply({ kind: 'pong', id: msg.id });
  }
  terminate(): void { this.terminated = true; }
  reply(msg: FromHost): void { this.onmessage?.({ data: msg } as MessageEvent<FromHost>); }
  commands(): HostCommand[] {
    return this.sent.flatMap((m) => (m.kind === 'command' ? [m.command] : []));
  }
  /** Commands by name: the op, or a lab message's type. */
  types(): string[] {
    return this.commands().map((c) => (c.op === 'lab' ? (c.msg as Msg).type : c.op));
  }
  acks(): number { return this.sent.filter((m) => m.kind === 'ack').length; }
  lastCommandId(): number {
    const ids = this.sent.flatMap((m) => (m.kind === 'command' ? [m.id] : []));
    return ids[ids.length - 1]!;
  }
}

function events(): LabEvents<{ epoch: number }, never> & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    snapshot: () => log.push('snapshot'),
    diverged: (m) => log.push(`diverged:${m}`),
    error: (m) => log.push(`error:${m}`),
    fatal: (m) => log.push(`fatal:${m}`),
    restarted: (m) => log.push(`restarted:${m}`),
    ready: () => log.push('ready'),
  };
}

describe('LabClient', () => {
  let workers: ScriptedWorker[];
  beforeEach(() => {
    vi.useFakeTimers();
    workers = [];
  });
  afterEach(() => vi.useRealTimers());

  const start = (ev = events()) => {
    const client = new LabClient<Msg, { epoch: number }>('playground', ev, () => {
      const w = new ScriptedWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    client.start();
    return { client, ev };
  };

  it('opens its lab in the worker first', () => {
    const { client } = start();
    expect(workers[0]!.commands()[0]).toEqual({ op: 'open', lab: 'playground' });
    client.dispose();
  });

  it('replaces a worker that stops answering and replays the configuration', () => {
    const { client, ev } = start();
    workers[0]!.reply({ kind: 'ready', abiVersion: 2 });
    client.send({ type: 'hyper', lr: 0.01 }, { replay: 'hyper' });
    client.send({ type: 'build', net: 'a' }, { replay: 'build', dropsWeights: true });
    client.send({ type: 'step', epochs: 1 }); // not configuration: not replayed
    client.send({ type: 'hyper', lr: 0.02 }, { replay: 'hyper' }); // replaces the first, keeps its place
    client.setRunning(true);
    workers[0]!.answerPings = false;
    vi.advanceTimersByTime(6000);
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(ev.log.some((l) => l.startsWith('restarted:') && l.includes('stopped answering'))).toBe(true);
    // The new worker gets the same lab and settings, in order, and keeps playing.
    expect(workers[1]!.types()).toEqual(['open', 'hyper', 'build', 'run']);
    const replayed = workers[1]!.commands().flatMap((c) => (c.op === 'lab' ? [c.msg] : []));
    expect(replayed).toEqual([{ type: 'hyper', lr: 0.02 }, { type: 'build', net: 'a' }]);
    expect(workers[1]!.commands().at(-1)).toEqual({ op: 'run', running: true });
    client.dispose();
  });

  it('sends the speed, replays it into a replacement, and steps by batches or epochs answered when done', async () => {
    const { client } = start();
    workers[0]!.reply({ kind: 'ready', abiVersion: 2 });
    client.setPace(3);
    expect(workers[0]!.commands().at(-1)).toEqual({ op: 'pace', stepsPerSecond: 3 });
    const stepped = client.step({ batches: 1 });
    expect(workers[0]!.commands().at(-1)).toEqual({ op: 'step', batches: 1 });
    workers[0]!.reply({ kind: 'done', id: workers[0]!.lastCommandId(), status: { running: false, epoch: 0.04 }, result: undefined });
    expect((await stepped).status).toEqual({ running: false, epoch: 0.04 });
    client.setRunning(true);
    void client.step({ epochs: 2 }).catch(() => undefined); // a step pauses: a replacement does not play
    expect(workers[0]!.commands().at(-1)).toEqual({ op: 'step', epochs: 2 });
    workers[0]!.answerPings = false;
    vi.advanceTimersByTime(6000);
    expect(workers[1]!.types()).toEqual(['open', 'pace']);
    expect(workers[1]!.commands()[1]).toEqual({ op: 'pace', stepsPerSecond: 3 });
    // Full speed is the worker's default: nothing to replay.
    client.setPace(Infinity);
    workers[1]!.reply({ kind: 'ready', abiVersion: 2 });
    workers[1]!.answerPings = false;
    vi.advanceTimersByTime(6000);
    expect(workers[2]!.types()).toEqual(['open']);
    client.dispose();
  });

  it('restores the last weights it saw into the replacement', () => {
    const { client } = start();
    workers[0]!.reply({ kind: 'ready', abiVersion: 2 });
    client.send({ type: 'build', net: 'a' }, { replay: 'build', dropsWeights: true });
    const params = new Float32Array([1, 2, 3]);
    workers[0]!.reply({ kind: 'weights', seq: workers[0]!.lastCommandId(), params });
    workers[0]!.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    expect(workers).toHaveLength(2);
    const restore = workers[1]!.commands().find((c) => c.op === 'restore');
    expect(restore && restore.op === 'restore' && Array.from(restore.params)).toEqual([1, 2, 3]);
    client.dispose();
  });

  it('ignores weights from before a new model', () => {
    const { client } = start();
    client.send({ type: 'build', net: 'a' }, { replay: 'build', dropsWeights: true });
    const before = workers[0]!.lastCommandId();
    client.send({ type: 'build', net: 'b' }, { replay: 'build', dropsWeights: true });
    workers[0]!.reply({ kind: 'weights', seq: before, params: new Float32Array([9]) });
    workers[0]!.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    expect(workers[1]!.types()).not.toContain('restore');
    client.dispose();
  });

  it('gives up after repeated crashes with a fatal message', () => {
    const { client, ev } = start();
    for (let i = 0; i < 4; i++) workers[workers.length - 1]!.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    expect(workers).toHaveLength(4);
    expect(ev.log.filter((l) => l.startsWith('fatal:'))).toHaveLength(1);
    client.dispose();
  });

  it('allows a slow first load, then expects a heartbeat', () => {
    const { client } = start();
    workers[0]!.answerPings = false;
    vi.advanceTimersByTime(10000); // still loading: not replaced
    expect(workers).toHaveLength(1);
    workers[0]!.reply({ kind: 'ready', abiVersion: 2 });
    vi.advanceTimersByTime(6000);
    expect(workers).toHaveLength(2);
    client.dispose();
  });

  it('hands one snapshot per frame to the UI and acks it', () => {
    const { client, ev } = start();
    workers[0]!.reply({ kind: 'ready', abiVersion: 2 });
    const snap = (epoch: number): FromHost => ({ kind: 'snapshot', seq: 0, status: { running: true, epoch }, snap: { epoch } });
    workers[0]!.reply(snap(1));
    workers[0]!.reply(snap(2)); // arrives before the frame: replaces the first
    expect(ev.log.filter((l) => l === 'snapshot')).toHaveLength(0);
    vi.advanceTimersByTime(150); // no document here: the timer fallback delivers
    expect(ev.log.filter((l) => l === 'snapshot')).toHaveLength(1);
    expect(workers[0]!.acks()).toBe(1);
    client.dispose();
  });

  it('resolves a command when the worker applied it, with the state after it', async () => {
    const { client } = start();
    workers[0]!.reply({ kind: 'ready', abiVersion: 2 });
    let settled = false;
    const paused = client.run(false).then((r) => { settled = true; return r; });
    const id = workers[0]!.lastCommandId();
    // A snapshot taken before the pause was applied does not answer it.
    workers[0]!.reply({ kind: 'snapshot', seq: id - 1, status: { running: true, epoch: 650 }, snap: { epoch: 650 } });
    await Promise.resolve();
    expect(settled).toBe(false);
    workers[0]!.reply({ kind: 'done', id, status: { running: false, epoch: 660 }, result: undefined });
    expect((await paused).status).toEqual({ running: false, epoch: 660 });
    expect(client.status).toEqual({ running: false, epoch: 660 });
    const stepped = client.request({ type: 'step', epochs: 5 });
    workers[0]!.reply({ kind: 'done', id: workers[0]!.lastCommandId(), status: { running: false, epoch: 665 }, result: undefined });
    expect((await stepped).status.epoch).toBe(665);
    client.dispose();
  });

  it('rejects a command the worker refused', async () => {
    const { client } = start();
    const p = client.request({ type: 'step', epochs: 1 });
    workers[0]!.reply({ kind: 'error', id: workers[0]!.lastCommandId(), message: 'no model yet' });
    await expect(p).rejects.toThrow(/no model yet/);
    client.dispose();
  });

  it('rejects pending requests when the worker is replaced', async () => {
    const { client } = start();
    const p = client.request({ type: 'step', epochs: 1 });
    workers[0]!.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    await expect(p).rejects.toThrow(/request lost/);
    client.dispose();
  });

  it('does not resume a run that stopped by itself', () => {
    const { client } = start();
    client.setRunning(true);
    workers[0]!.reply({ kind: 'snapshot', seq: workers[0]!.lastCommandId(), status: { running: false, epoch: 3 }, snap: { epoch: 3 } });
    workers[0]!.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    expect(workers[1]!.types()).not.toContain('run');
    client.dispose();
  });
});
