// MNIST's registry entry (labs/index.ts finds it by its file name).
import type { LabEntry } from '../types';
import { MNIST_LAB, MNIST_METRICS, mnistCodec, mnistView, type MnistConfig, type MnistPanel } from './config';

export const lab: LabEntry<MnistConfig, MnistPanel> & { id: typeof MNIST_LAB } = {
  id: MNIST_LAB, order: 20, title: 'MNIST', codec: mnistCodec, view: mnistView, metrics: MNIST_METRICS,
  embedSize: { width: 720, height: 600 },
};

declare module '../types' {
  interface LabRegistry { mnist: typeof lab }
}
