// The digits GAN lab's registry entry (labs/index.ts finds it by its file name).
import type { LabEntry } from '../types';
import { GAN_DIGITS_LAB, GAN_DIGITS_METRICS, ganDigitsCodec, ganDigitsView, type GanDigitsConfig, type GanDigitsPanel } from './config';

export const lab: LabEntry<GanDigitsConfig, GanDigitsPanel> & { id: typeof GAN_DIGITS_LAB } = {
  id: GAN_DIGITS_LAB, order: 50, title: 'GAN digits', codec: ganDigitsCodec, view: ganDigitsView, metrics: GAN_DIGITS_METRICS,
  embedSize: { width: 720, height: 620 },
};

declare module '../types' {
  interface LabRegistry { digits: typeof lab }
}
