// Types for trainer.js (plain JS so the Node test runs the same code).
import type { Engine, HeapBuffer, HeapRef, Model } from '../engine/nn-wasm.js';
import type { AssetHeader, AssetLayout } from './asset-format.js';
import type { Activation, Optimizer } from '../state/config';

export declare const EVAL_CHUNK: number;
export declare const SUBSET_SIZE: number;
export declare const MISCLASSIFIED_KEPT: number;

export declare class MnistHeapData {
  constructor(engine: Engine, header: AssetHeader);
  readonly engine: Engine;
  readonly header: AssetHeader;
  readonly layout: AssetLayout;
  /** The whole uncompressed asset in the heap. */
  readonly raw: HeapBuffer<Uint8Array>;
  readonly received: number;
  readonly ready: boolean;
  readonly trainLabels: Uint8Array;
  readonly testLabels: Uint8Array;
  readonly trainOneHot: HeapBuffer<Uint8Array>;
  readonly testOneHot: HeapBuffer<Uint8Array>;
  readonly trainPixels: HeapRef;
  readonly testPixels: HeapRef;
  write(chunk: Uint8Array, offset: number): void;
  finish(): void;
  testDigit(i: number): Uint8Array;
  static fromBytes(engine: Engine, bytes: Uint8Array): MnistHeapData;
  free(): void;
}

export interface Preset {
  readonly label: string;
  readonly hidden: readonly number[];
  readonly activations: readonly Activation[];
}
export declare const PRESETS: Readonly<{ mlp128: Preset; classic: Preset }>;

export interface TrainingSettings {
  optimizer: Optimizer;
  lr: number;
  momentum?: number;
  batchSize: number;
}
export declare const DEFAULT_TRAINING: Readonly<Required<TrainingSettings> & { seed: number }>;

export interface TrainerSpec extends TrainingSettings {
  hidden: readonly number[];
  activations: readonly Activation[];
  seed: number;
}

export interface MisclassifiedDigit {
  index: number;
  pred: number;
  label: number;
  confidence: number;
  probs: Float32Array;
}

export interface EvalResult {
  scope: 'test' | 'subset';
  n: number;
  loss: number;
  correct: number;
  accuracy: number;
  confusion?: Int32Array;
  misclassified?: MisclassifiedDigit[];
}

export declare class MnistTrainer {
  constructor(engine: Engine, data: MnistHeapData, spec: TrainerSpec);
  readonly model: Model;
  readonly nTrain: number;
  readonly epoch: number;
  readonly position: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  readonly progress: number;
  setTraining(t: TrainingSettings): void;
  step(): number;
  evaluate(scope: 'subset'): EvalResult;
  evaluate(scope?: 'test'): EvalResult & { confusion: Int32Array; misclassified: MisclassifiedDigit[] };
  predict(pixels: Float32Array): Float32Array;
  firstLayerWeights(): { units: number; inputs: number; weights: Float32Array };
  destroy(): void;
}
