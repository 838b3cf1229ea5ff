// The playground's registry entry (labs/index.ts finds it by its file name).
import type { Config } from '../../state/config';
import type { Panel } from '../../state/schema';
import type { LabEntry } from '../types';
import { PLAYGROUND_LAB, PLAYGROUND_METRICS, playgroundCodec, playgroundView } from './config';

export const lab: LabEntry<Config, Panel> & { id: typeof PLAYGROUND_LAB } = {
  id: PLAYGROUND_LAB, order: 10, title: 'Playground', codec: playgroundCodec, view: playgroundView, metrics: PLAYGROUND_METRICS,
  embedSize: { width: 760, height: 620 }, keepMounted: true,
  // A drawn data set travels in the link.
  drawnPoints: (config) => config.dataset === 'custom',
};

declare module '../types' {
  interface LabRegistry { playground: typeof lab }
}
