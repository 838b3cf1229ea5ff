import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../state/schema';
import { parseQuery } from '../state/codec';
import {
  isAllowedSender, message, MetricsThrottle, parseIncoming, PROTOCOL_NAMESPACE, PROTOCOL_VERSION, startEmbedBridge, targetOrigins,
  type IncomingResult,
} from './protocol';

const ns = { ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION };
const current = defaultConfig();

function command(r: IncomingResult) {
  if (r.kind !== 'command') throw new Error(`expected a command, got ${JSON.stringify(r)}`);
  return r.command;
}
function reply(r: IncomingResult) {
  if (r.kind !== 'invalid') throw new Error(`expected an error reply, got ${JSON.stringify(r)}`);
  return r.reply;
}

describe('incoming commands', () => {
  test('simple commands, with and without an id', () => {
    for (const type of ['play', 'pause', 'reset', 'getState'] as const) {
      expect(command(parseIncoming({ ...ns, type }, current))).toEqual({ type });
      expect(command(parseIncoming({ ...ns, type, id: 'q1' }, current))).toEqual({ type, id: 'q1' });
    }
    expect(command(parseIncoming({ ...ns, type: 'step' }, current))).toEqual({ type: 'step', steps: 1 });
    expect(command(parseIncoming({ ...ns, type: 'step', steps: 25 }, current))).toEqual({ type: 'step', steps: 25 });
  });

  test('step in batches or epochs, one unit at a time', () => {
    expect(command(parseIncoming({ ...ns, type: 'step', batches: 1 }, current))).toEqual({ type: 'step', steps: 1, unit: 'batches' });
    expect(command(parseIncoming({ ...ns, type: 'step', epochs: 2, id: 'e' }, current))).toEqual({ type: 'step', steps: 2, unit: 'epochs', id: 'e' });
    for (const bad of [{ batches: 0 }, { epochs: 1.5 }, { batches: '1' }, { epochs: 1e6 }, { batches: 1, epochs: 1 }, { steps: 1, batches: 1 }]) {
      const r = reply(parseIncoming({ ...ns, type: 'step', ...bad }, current));
      expect(r).toMatchObject({ type: 'error', command: 'step' });
    }
  });

  test('setConfig takes the speed beside the settings, checked against the named stops', () => {
    expect(command(parseIncoming({ ...ns, type: 'setConfig', config: { speed: 10 } }, current))).toEqual({ type: 'setConfig', config: current, speed: 10 });
    expect(command(parseIncoming({ ...ns, type: 'setConfig', config: { speed: 'max', learningRate: 0.1 } }, current)))
      .toEqual({ type: 'setConfig', config: { ...current, learningRate: 0.1 }, speed: 'max' });
    for (const bad of [7, '10', 0, -1, null, 'fast', 1e9, {}]) {
      const r = reply(parseIncoming({ ...ns, type: 'setConfig', config: { speed: bad, learningRate: 0.1 } }, current));
      if (r.type !== 'error') throw new Error('unreachable');
      expect(r.rejected.map((x) => x.key)).toEqual(['speed']);
      expect(r.message).toContain('nothing was changed');
    }
  });

  test('setConfig changes only the given keys, checked like a link', () => {
    const c = command(parseIncoming({ ...ns, type: 'setConfig', config: { learningRate: 0.1, hidden: [3, 3, 3] } }, current));
    expect(c).toEqual({ type: 'setConfig', config: { ...current, learningRate: 0.1, hidden: [3, 3, 3], activations: ['tanh', 'tanh', 'tanh'] } });
  });

  test('setConfig is all or nothing, and lists every problem', () => {
    const r = reply(parseIncoming({ ...ns, type: 'setConfig', id: 'x', config: { learningRate: -1, batchSize: 32, dataset: '<script>' } }, current));
    expect(r).toMatchObject({ type: 'error', command: 'setConfig', id: 'x', ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION });
    if (r.type !== 'error') throw new Error('unreachable');
    expect(r.rejected.map((x) => x.key).sort()).toEqual(['dataset', 'learningRate']);
    expect(r.message).toContain('nothing was changed');
    expect(reply(parseIncoming({ ...ns, type: 'setConfig', config: { learningRate: 0.1, bogus: 1 } }, current)).type).toBe('error');
    expect(reply(parseIncoming({ ...ns, type: 'setConfig', config: 'lr=0.1' }, current)).type).toBe('error');
    expect(reply(parseIncoming({ ...ns, type: 'setConfig' }, current)).type).toBe('error');
  });

  test('foreign messages are ignored, not answered', () => {
    for (const d of [null, undefined, 42, 'play', [], {}, { type: 'play' }, { ns: 'other', v: 1, type: 'play' }, { source: 'react-devtools' }]) {
      expect(parseIncoming(d, current)).toEqual({ kind: 'foreign' });
    }
  });

  test('our namespace with bad content gets an error reply', () => {
    const bad: unknown[] = [
      { ...ns, type: 'explode' }, { ...ns, type: 42 }, { ns: PROTOCOL_NAMESPACE, v: 2, type: 'play' }, { ns: PROTOCOL_NAMESPACE, type: 'play' },
      { ...ns, type: 'step', steps: 0 }, { ...ns, type: 'step', steps: 1e9 }, { ...ns, type: 'step', steps: 1.5 }, { ...ns, type: 'step', steps: '3' },
      { ...ns, type: 'play', id: 7 }, { ...ns, type: 'play', id: 'x'.repeat(100) },
    ];
    for (const d of bad) {
      const r = reply(parseIncoming(d, current));
      expect(r.type).toBe('error');
      if (r.type === 'error') expect(r.message.length).toBeGreaterThan(10);
    }
  });

  test('prototype keys in a command do nothing', () => {
    const d = JSON.parse(`{"ns":"${PROTOCOL_NAMESPACE}","v":1,"type":"setConfig","config":{"__proto__":{"polluted":1}}}`) as unknown;
    expect(reply(parseIncoming(d, current)).type).toBe('error');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('senders and targets', () => {
  const parent = {};
  test('only the parent window, and only listed origins when a list is given', () => {
    expect(isAllowedSender('https://any.example', parent, parent, null)).toBe(true);
    expect(isAllowedSender('https://any.example', {}, parent, null)).toBe(false);
    expect(isAllowedSender('https://any.example', null, null, null)).toBe(false);
    const allowed = parseQuery('origins=https://course.example.org,http://localhost:8080').view.origins;
    expect(isAllowedSender('https://course.example.org', parent, parent, allowed)).toBe(true);
    expect(isAllowedSender('http://localhost:8080', parent, parent, allowed)).toBe(true);
    expect(isAllowedSender('https://evil.example', parent, parent, allowed)).toBe(false);
    expect(isAllowedSender('https://course.example.org.evil.example', parent, parent, allowed)).toBe(false);
    expect(isAllowedSender('null', parent, parent, allowed)).toBe(false);
    expect(isAllowedSender('https://course.example.org', parent, parent, [])).toBe(false);
    expect(targetOrigins(null)).toEqual(['*']);
    expect(targetOrigins(allowed)).toEqual(['https://course.example.org', 'http://localhost:8080']);
  });
});

describe('outgoing messages', () => {
  test('carry the namespace and version', () => {
    expect(message({ type: 'resize', height: 480 })).toEqual({ ...ns, type: 'resize', height: 480 });
    expect(message({ type: 'metrics', epoch: 3, trainLoss: 0.5, testLoss: 0.6, accuracy: null }, 'a')).toEqual({
      ...ns, id: 'a', type: 'metrics', epoch: 3, trainLoss: 0.5, testLoss: 0.6, accuracy: null,
    });
  });

  test('metrics are rate-limited', () => {
    const t = new MetricsThrottle(250);
    const sent = [0, 16, 100, 249, 250, 251, 499, 500, 1000].filter((now) => t.ready(now));
    expect(sent).toEqual([0, 250, 500, 1000]);
  });
});

describe('bridge', () => {
  function setup(allowed: string[] | null) {
    const sent: { msg: Record<string, unknown>; target: string }[] = [];
    const parent = { postMessage: (msg: unknown, target: string) => { sent.push({ msg: msg as Record<string, unknown>, target }); } };
    let listener: ((e: { data: unknown; origin: string; source: unknown }) => void) | null = null;
    let time = 0;
    let config = defaultConfig();
    let running = false;
    const ran: string[] = [];
    const bridge = startEmbedBridge(
      { listen: (fn) => { listener = fn; return () => { listener = null; }; }, parent, now: () => time },
      {
        getConfig: () => config,
        getStatus: () => ({ running, epoch: 7 }),
        run: (c) => {
          ran.push(c.type);
          if (c.type === 'setConfig') config = c.config;
          if (c.type === 'play') running = true;
          if (c.type === 'reset') throw new Error('worker restarting');
        },
      },
      allowed,
    );
    const deliver = (data: unknown, origin = 'https://host.example', source: unknown = parent) => listener?.({ data, origin, source });
    return { sent, bridge, deliver, ran, setTime: (t: number) => { time = t; }, isListening: () => listener !== null };
  }

  test('commands from the parent run and are answered with the new state', () => {
    const s = setup(null);
    s.bridge.ready();
    s.deliver({ ...ns, type: 'play', id: 'p' });
    s.deliver({ ...ns, type: 'setConfig', config: { learningRate: 0.3 } });
    expect(s.ran).toEqual(['play', 'setConfig']);
    expect(s.sent.map((x) => x.msg.type)).toEqual(['ready', 'state', 'state']);
    expect(s.sent[1]!.msg).toMatchObject({ type: 'state', id: 'p', running: true, epoch: 7 });
    expect((s.sent[2]!.msg.config as { learningRate: number }).learningRate).toBe(0.3);
    expect(s.sent.every((x) => x.target === '*')).toBe(true);
  });

  test('strangers get nothing; invalid commands get an error and change nothing', () => {
    const s = setup(['https://host.example']);
    s.deliver({ ...ns, type: 'play' }, 'https://evil.example');
    s.deliver({ ...ns, type: 'play' }, 'https://host.example', {});
    expect(s.ran).toEqual([]);
    expect(s.sent).toEqual([]);
    s.deliver({ ...ns, type: 'setConfig', config: { batchSize: 0 } });
    expect(s.ran).toEqual([]);
    expect(s.sent[0]!.msg).toMatchObject({ type: 'error', command: 'setConfig' });
    expect(s.sent[0]!.target).toBe('https://host.example');
    s.deliver({ ...ns, type: 'reset', id: 'r' });
    expect(s.sent[1]!.msg).toMatchObject({ type: 'error', command: 'reset', id: 'r', message: 'worker restarting' });
  });

  test('metrics are throttled, resize only on change, stop unsubscribes', () => {
    const s = setup(null);
    const m = { epoch: 1, trainLoss: 0.1, testLoss: 0.2, accuracy: 0.9, handSet: 0, gradientChecks: 0 };
    expect([0, 100, 300, 400, 600].map((t) => { s.setTime(t); return s.bridge.metrics(m); })).toEqual([true, false, true, false, true]);
    s.bridge.resize(500.2);
    s.bridge.resize(500.5);
    s.bridge.resize(620);
    expect(s.sent.filter((x) => x.msg.type === 'resize').map((x) => x.msg.height)).toEqual([501, 620]);
    s.bridge.stop();
    expect(s.isListening()).toBe(false);
  });
});
