// The sequence lab's registry entry (labs/index.ts finds it by its file name).
import type { LabEntry } from '../types';
import { SEQUENCE_LAB, SEQUENCE_METRICS, sequenceCodec, sequenceView, type SequenceConfig, type SequencePanel } from './config';

export const lab: LabEntry<SequenceConfig, SequencePanel> & { id: typeof SEQUENCE_LAB } = {
  id: SEQUENCE_LAB, order: 30, title: 'Sequences', codec: sequenceCodec, view: sequenceView, metrics: SEQUENCE_METRICS,
  embedSize: { width: 720, height: 640 },
};

declare module '../types' {
  interface LabRegistry { sequence: typeof lab }
}
