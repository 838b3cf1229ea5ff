// EngineClient's supervision logic: replaying the configuration into a
// replacement worker, the heartbeat, and frame pacing. The Worker here is a
// scripted stand-in (the real worker + WASM are covered by the e2e tests);
// what is under test is the client's own bookkeeping.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineClient, type EngineEvents } from './client';
import type { FromWorker, NetSpec, ToWorker } from './protocol';

class ScriptedWorker {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  answerPings = true;
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
    if (msg.type === 'ping' && this.answerPings) this.reply({ type: 'pong', id: msg.id });
  }
  terminate(): void { this.terminated = true; }
  reply(msg: FromWorker): void { this.onmessage?.({ data: msg } as MessageEvent<FromWorker>); }
  types(): string[] { return this.sent.map((m) => m.type).filter((t) => t !== 'ping'); }
}

function events(): EngineEvents & { log: string[] } {
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

const net: NetSpec = { inputs: 2, hidden: [3], activations: ['tanh'], outputs: 1, task: 'binary', seed: 5 };

describe('EngineClient', () => {
  let workers: ScriptedWorker[];
  beforeEach(() => {
    vi.useFakeTimers();
    workers = [];
  });
  afterEach(() => vi.useRealTimers());

  const start = (ev = events()) => {
    const client = new EngineClient(ev, () => {
      const w = new ScriptedWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    client.start();
    return { client, ev };
  };

  it('replaces a worker that stops answering and replays the configuration', () => {
    const { client, ev } = start();
    workers[0]!.reply({ type: 'ready', abiVersion: 2 });
    client.setHyper({ optimizer: 'adam', learningRate: 0.01, momentum: 0.9, regularization: 'none', regRate: 0, batchSize: 10 });
    client.build(net);
    client.play();
    workers[0]!.answerPings = false;
    vi.advanceTimersByTime(6000);
    expect(workers).toHaveLength(2);
    expect(workers[0]!.terminated).toBe(true);
    expect(ev.log.some((l) => l.startsWith('restarted:') && l.includes('stopped answering'))).toBe(true);
    // The new worker gets the same settings and keeps playing.
    expect(workers[1]!.types()).toEqual(['hyper', 'build', 'play']);
    const build = workers[1]!.sent.find((m) => m.type === 'build');
    expect(build).toEqual({ type: 'build', net });
    client.dispose();
  });

  it('restores the last weights it saw into the replacement', () => {
    const { client } = start();
    workers[0]!.reply({ type: 'ready', abiVersion: 2 });
    client.build(net);
    const params = new Float32Array([1, 2, 3]);
    workers[0]!.reply({ type: 'snapshot', snap: { params, running: false } as never });
    workers[0]!.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    expect(workers).toHaveLength(2);
    const load = workers[1]!.sent.find((m) => m.type === 'loadParams');
    expect(load && load.type === 'loadParams' && Array.from(load.params)).toEqual([1, 2, 3]);
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
    workers[0]!.reply({ type: 'ready', abiVersion: 2 });
    vi.advanceTimersByTime(6000);
    expect(workers).toHaveLength(2);
    client.dispose();
  });

  it('hands one snapshot per frame to the UI and acks it', () => {
    const { client, ev } = start();
    workers[0]!.reply({ type: 'ready', abiVersion: 2 });
    const snap = (epoch: number) => ({ type: 'snapshot', snap: { epoch, params: new Float32Array(0), running: true } }) as FromWorker;
    workers[0]!.reply(snap(1));
    workers[0]!.reply(snap(2)); // arrives before the frame: replaces the first
    expect(ev.log.filter((l) => l === 'snapshot')).toHaveLength(0);
    vi.advanceTimersByTime(150); // no document here: the timer fallback delivers
    expect(ev.log.filter((l) => l === 'snapshot')).toHaveLength(1);
    expect(workers[0]!.types().filter((t) => t === 'ack')).toHaveLength(1);
    client.dispose();
  });

  it('rejects pending requests when the worker is replaced', async () => {
    const { client } = start();
    const p = client.getParams();
    workers[0]!.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    await expect(p).rejects.toThrow(/request lost/);
    client.dispose();
  });
});
