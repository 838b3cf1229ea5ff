// The GAN lab's registry entry (labs/index.ts finds it by its file name).
import type { LabEntry } from '../types';
import { GAN_LAB, GAN_METRICS, ganCodec, ganView, type GanConfig, type GanPanel } from './config';

export const lab: LabEntry<GanConfig, GanPanel> & { id: typeof GAN_LAB } = {
  id: GAN_LAB, order: 40, title: 'GAN', codec: ganCodec, view: ganView, metrics: GAN_METRICS,
  embedSize: { width: 720, height: 640 },
  // A drawn distribution travels in the link as pts=.
  drawnPoints: (c) => c.dist === 'custom',
};

declare module '../types' {
  interface LabRegistry { gan: typeof lab }
}
