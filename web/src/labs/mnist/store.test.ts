// The MNIST store and the core's plan: every edit of the layers asks the
// worker for a plan; the answer is kept only for the layers it was asked for;
// a list the core refuses is never sent to be built (not on Reset, not as the
// first model when the data arrives). The worker is a scripted stand-in that
// answers 'plan' as the test says (the real plan is covered by the e2e test).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MnistStore } from './store';
import { defaultTrain } from './store';
import type { FromHost, ToHost } from '../../engine/protocol';
import type { LayerPlan, MnistCommand } from './protocol';
import { MODEL_PRESETS, parseLayers, type MnistLayer } from './model-layers';

class ScriptedWorker {
  sent: ToHost[] = [];
  onmessage: ((e: MessageEvent<FromHost>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  constructor(private readonly plan: (layers: MnistLayer[]) => LayerPlan) {}
  postMessage(msg: ToHost): void {
    this.sent.push(msg);
    if (msg.kind === 'ping') this.reply({ kind: 'pong', id: msg.id });
    if (msg.kind === 'command' && msg.command.op === 'lab' && (msg.command.msg as MnistCommand).type === 'plan') {
      const layers = (msg.command.msg as { layers: MnistLayer[] }).layers;
      queueMicrotask(() => this.reply({ kind: 'done', id: msg.id, status: { running: false, epoch: 0 }, result: this.plan(layers) }));
    }
  }
  terminate(): void {}
  reply(msg: FromHost): void { this.onmessage?.({ data: msg } as MessageEvent<FromHost>); }
  labTypes(): string[] {
    return this.sent.flatMap((m) => (m.kind === 'command' && m.command.op === 'lab' ? [(m.command.msg as MnistCommand).type] : []));
  }
}

const layersOf = (text: string): MnistLayer[] => {
  const r = parseLayers(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value as MnistLayer[];
};
const BAD = layersOf('conv:4:5,pool:2,conv:8:13,flatten,dense:10:softmax');
const GOOD = MODEL_PRESETS['cnn-fast'].layers.map((l) => ({ ...l }));
/** The stand-in core: refuses any conv with a 13x13 kernel (layer index), accepts the rest. */
const fakePlan = (layers: MnistLayer[]): LayerPlan => {
  const bad = layers.findIndex((l) => l.kind === 'conv' && l.kernel === 13);
  return bad < 0
    ? { ok: true, layers: layers.map(() => ({ shape: [1, 1, 1], params: 1 })) }
    : { ok: false, layer: bad, message: 'does not fit', before: layers.slice(0, bad).map(() => ({ shape: [4, 12, 12], params: 0 })) };
};

describe('MnistStore and the core\'s plan', () => {
  let worker: ScriptedWorker;
  let store: MnistStore;
  const settle = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };
  beforeEach(() => {
    vi.stubGlobal('requestAnimationFrame', undefined);
    store = new MnistStore(() => {
      worker = new ScriptedWorker(fakePlan);
      return worker as unknown as Worker;
    }, { model: { layers: BAD }, train: defaultTrain() });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('a refused list is planned but never built; a fixed one is', async () => {
    store.setModel({ layers: BAD });
    await settle();
    expect(store.state.plan?.plan).toEqual(fakePlan(BAD));
    // The data arrives: the first model waits for the plan, which refuses it.
    worker.reply({ kind: 'event', event: { type: 'loaded', nTrain: 60000, nTest: 10000, seconds: 1 } });
    await settle();
    store.build(); // Reset, too
    expect(worker.labTypes()).not.toContain('build');
    // Fixed: planned again, then built.
    store.setModel({ layers: GOOD });
    await settle();
    expect(store.state.plan?.plan.ok).toBe(true);
    store.build();
    expect(worker.labTypes().filter((t) => t === 'build')).toHaveLength(1);
  });

  it('a plan answered for older layers is not kept for newer ones', async () => {
    store.setModel({ layers: BAD });
    store.setModel({ layers: GOOD }); // before the first answer
    await settle();
    expect(worker.labTypes().filter((t) => t === 'plan')).toHaveLength(2);
    expect(store.state.plan?.plan.ok).toBe(true);
    expect(store.state.plan?.layers).toBe('conv:8:5:1:0:relu,pool:2:2,conv:16:5:1:0:relu,pool:2:2,flatten,dense:10:softmax');
  });

  it('data that arrives before the plan of a refused link builds nothing', async () => {
    store.setModel({ layers: BAD });
    worker.reply({ kind: 'event', event: { type: 'loaded', nTrain: 60000, nTest: 10000, seconds: 1 } });
    await settle();
    expect(worker.labTypes()).toEqual(['plan']);
  });

  it('a good link\'s first model is built once its plan is in', async () => {
    store.setModel({ layers: GOOD });
    worker.reply({ kind: 'event', event: { type: 'loaded', nTrain: 60000, nTest: 10000, seconds: 1 } });
    await settle();
    expect(worker.labTypes()).toEqual(['plan', 'build']);
  });
});
