// The postMessage protocol for any lab: MNIST's settings checked by MNIST's
// schema, the lab named in ready/state, each lab's metrics fields, and
// answers that wait for commands the page finishes later.
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../state/schema';
import { mnistCodec, mnistProtocol, type MnistConfig } from '../labs/mnist/config';
import { mlpLayers } from '../labs/mnist/model-layers';
import {
  parseLabIncoming, PROTOCOL_NAMESPACE, PROTOCOL_VERSION, startEmbedBridge, startLabBridge, type LabBridgeApp, type LabCommand,
  type LabIncomingResult,
} from './protocol';

const ns = { ns: PROTOCOL_NAMESPACE, v: PROTOCOL_VERSION };
const current = mnistCodec.defaults();

function command<C>(r: LabIncomingResult<C>): LabCommand<C> {
  if (r.kind !== 'command') throw new Error(`expected a command, got ${JSON.stringify(r)}`);
  return r.command;
}

describe('parseLabIncoming with MNIST', () => {
  test('setConfig is checked by MNIST\'s schema, on top of the current config', () => {
    const c = command(parseLabIncoming({ ...ns, type: 'setConfig', config: { hidden: [64, 32], activations: ['tanh'], epochs: 10 } }, current, mnistProtocol));
    // hidden/activations (before layer lists) still set the same MLP.
    expect(c).toEqual({ type: 'setConfig', config: { ...current, layers: mlpLayers([64, 32], ['tanh', 'tanh']), epochs: 10 } });
    const cnn = command(parseLabIncoming({ ...ns, type: 'setConfig', config: { layers: 'conv:4:3,pool:2,dense:10:softmax', shift: 2 } }, current, mnistProtocol));
    expect(cnn).toEqual({ type: 'setConfig', config: { ...current, layers: [
      { kind: 'conv', filters: 4, kernel: 3, stride: 1, padding: 0, activation: 'relu' }, { kind: 'pool', kernel: 2, stride: 2 },
      { kind: 'dense', units: 10, activation: 'softmax' }], shift: 2 } });
  });

  test('all or nothing: a value beyond MNIST\'s limits or a playground-only setting refuses the command', () => {
    const bad = parseLabIncoming({ ...ns, type: 'setConfig', id: 'x', config: { batchSize: 513, hidden: [600], learningRate: 0.1 } }, current, mnistProtocol);
    expect(bad.kind).toBe('invalid');
    if (bad.kind === 'invalid') {
      expect(bad.reply).toMatchObject({ type: 'error', command: 'setConfig', id: 'x' });
      expect((bad.reply as { rejected: { key: string }[] }).rejected.map((r) => r.key).sort()).toEqual(['batchSize', 'hidden']);
    }
    const foreignKey = parseLabIncoming({ ...ns, type: 'setConfig', config: { dataset: 'xor' } }, current, mnistProtocol);
    expect(foreignKey.kind === 'invalid' && (foreignKey.reply as { message: string }).message).toMatch(/unknown settings dataset/);
  });

  test('a command for another lab is refused; one naming this lab runs', () => {
    const r = parseLabIncoming({ ...ns, type: 'play', lab: 'playground' }, current, mnistProtocol);
    expect(r.kind === 'invalid' && (r.reply as { message: string }).message).toMatch(/runs the mnist lab/);
    expect(command(parseLabIncoming({ ...ns, type: 'step', steps: 3, lab: 'mnist' }, current, mnistProtocol))).toEqual({ type: 'step', steps: 3 });
  });
});

describe('startLabBridge', () => {
  function setup(run: LabBridgeApp<MnistConfig>['run']) {
    const sent: Record<string, unknown>[] = [];
    const parent = { postMessage: (msg: unknown) => { sent.push(msg as Record<string, unknown>); } };
    let listener: ((e: { data: unknown; origin: string; source: unknown }) => void) | null = null;
    const status = { running: true, epoch: 1.5 };
    let config = mnistCodec.defaults();
    const bridge = startLabBridge(
      { listen: (fn) => { listener = fn; return () => { listener = null; }; }, parent, now: () => 0 },
      { getConfig: () => config, getStatus: () => ({ ...status }), run: (c) => { if (c.type === 'setConfig') config = c.config; return run(c); } },
      null, mnistProtocol,
    );
    return { sent, bridge, status, deliver: (data: unknown) => listener?.({ data, origin: 'https://course.example', source: parent }) };
  }

  test('ready and state name the lab and carry its config; metrics carry only its fields', () => {
    const s = setup(() => undefined);
    s.bridge.ready();
    s.deliver({ ...ns, type: 'setConfig', config: { learningRate: 0.01 }, id: 'c' });
    expect(s.sent[0]).toMatchObject({ ...ns, type: 'ready', lab: 'mnist', config: current });
    expect(s.sent[1]).toMatchObject({ type: 'state', lab: 'mnist', id: 'c', running: true, epoch: 1.5, config: { ...current, learningRate: 0.01 } });
    s.bridge.metrics({ epoch: 2, trainLoss: 0.1, testLoss: NaN, accuracy: 0.97, examplesPerSec: 50000, secret: 12345 });
    expect(s.sent[2]).toEqual({ ...ns, type: 'metrics', epoch: 2, trainLoss: 0.1, testLoss: null, accuracy: 0.97, examplesPerSec: 50000 });
  });

  test('a command the page finishes later is answered with the state after it', async () => {
    let finish: () => void = () => undefined;
    const s = setup((c) => (c.type === 'pause' ? new Promise<void>((resolve) => { finish = resolve; }) : undefined));
    s.deliver({ ...ns, type: 'pause', id: 'p' });
    expect(s.sent).toEqual([]); // not before the worker confirmed
    s.status.running = false;
    s.status.epoch = 1.75;
    finish();
    await Promise.resolve();
    await Promise.resolve();
    expect(s.sent).toEqual([expect.objectContaining({ type: 'state', id: 'p', running: false, epoch: 1.75 })]);
  });

  test('a command that fails later is answered with an error', async () => {
    const s = setup(() => Promise.reject(new Error('worker restarting')));
    s.deliver({ ...ns, type: 'step', steps: 5, id: 's' });
    await new Promise((r) => setTimeout(r, 0));
    expect(s.sent).toEqual([expect.objectContaining({ type: 'error', command: 'step', id: 's', message: 'worker restarting' })]);
  });

  test('the playground\'s bridge names its lab too', () => {
    const sent: Record<string, unknown>[] = [];
    const b = startEmbedBridge({ listen: () => () => undefined, parent: { postMessage: (m) => { sent.push(m as Record<string, unknown>); } }, now: () => 0 },
      { getConfig: defaultConfig, getStatus: () => ({ running: false, epoch: 0 }), run: () => undefined }, null);
    b.ready();
    expect(sent[0]).toMatchObject({ type: 'ready', lab: 'playground', config: defaultConfig() });
  });
});
