// The playground's commands over the generic LabClient: which of them are
// configuration (replayed into a replacement worker), which make the last
// weights meaningless, and which are answered.

import { LabClient, type CommandResult, type LabEvents, type WorkerFactory } from '../../engine/client';
import type { CoreRequest, CoreVerdict } from '../../share/coreLayout';
import type { DataSpec, GradientCheck, HyperParams, NetSpec, PlaygroundCommand, Snapshot, TraceResult, ViewSpec } from './protocol';

/** Marks a promise as handled (callers that do not wait for the answer must
 *  not see an unhandled rejection when a worker is replaced), and returns it. */
function quiet<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

export class PlaygroundClient {
  private readonly lab: LabClient<PlaygroundCommand, Snapshot>;

  constructor(events: LabEvents<Snapshot, never>, factory?: WorkerFactory) {
    this.lab = new LabClient<PlaygroundCommand, Snapshot>('playground', events, factory);
  }

  start(): void { this.lab.start(); }
  dispose(): void { this.lab.dispose(); }
  get status() { return this.lab.status; }

  build(net: NetSpec): void { this.lab.send({ type: 'build', net }, { replay: 'build', dropsWeights: true }); }
  setData(data: DataSpec): void { this.lab.send({ type: 'data', data }, { replay: 'data' }); }
  setHyper(hyper: HyperParams): void { this.lab.send({ type: 'hyper', hyper }, { replay: 'hyper' }); }
  setView(view: ViewSpec): void { this.lab.send({ type: 'view', view }, { replay: 'view' }); }
  setParam(layer: number, which: 0 | 1, row: number, col: number, value: number): void {
    this.lab.send({ type: 'setParam', layer, which, row, col, value });
  }

  /** These resolve once the worker has done it, with the status after it. */
  play(): Promise<CommandResult> { return quiet(this.lab.run(true)); }
  pause(): Promise<CommandResult> { return quiet(this.lab.run(false)); }
  /** Pauses and trains `epochs` epochs' worth of batches (from inside an epoch: to the same point of a later one). */
  step(epochs = 1): Promise<CommandResult> { return quiet(this.lab.step({ epochs })); }
  /** Pauses and trains exactly `batches` batches. */
  stepBatches(batches = 1): Promise<CommandResult> { return quiet(this.lab.step({ batches })); }
  /** At most `stepsPerSecond` batches a second while playing (Infinity: full speed). */
  setPace(stepsPerSecond: number): void { this.lab.setPace(stepsPerSecond); }
  reset(): Promise<CommandResult> { return quiet(this.lab.request({ type: 'reset' }, { dropsWeights: true })); }

  /** The core's verdict on a layer list (a file's, or the model's to save or export). */
  askCore(request: CoreRequest): Promise<CoreVerdict> { return this.lab.askCore(request); }
  async getParams(): Promise<Float32Array> {
    return (await this.lab.request<Float32Array>({ type: 'getParams' })).result;
  }
  async loadParams(params: Float32Array): Promise<void> {
    const copy = params.slice();
    await this.lab.request({ type: 'loadParams', params: copy }, { transfer: [copy.buffer] });
  }
  async predict(points: Float32Array): Promise<Float32Array> {
    const copy = points.slice();
    return (await this.lab.request<Float32Array>({ type: 'predict', points: copy }, { transfer: [copy.buffer] })).result;
  }
  /** One training example traced with the weights of this moment (show the math). */
  async trace(index: number): Promise<TraceResult> {
    return (await this.lab.request<TraceResult>({ type: 'trace', index })).result;
  }
  /** The engine's finite difference for parameter `param` of the last trace. */
  async checkGradient(param: number): Promise<GradientCheck> {
    return (await this.lab.request<GradientCheck>({ type: 'checkGradient', param })).result;
  }
}
