// The playground's link schema as one instance of the lab codec: its
// settings (state/schema.ts CONFIG_FIELDS), format version 1 with the
// TensorFlow Playground format as version 0 (state/migrate.ts), and its
// panels for hide=. state/codec.ts keeps the playground's older API on top.

import type { Config } from '../../state/config';
import { createCodec, hiddenActivations, sameLength } from '../../state/labCodec';
import { CURRENT_VERSION, STEPS, versionWithoutV } from '../../state/migrate';
import { CONFIG_FIELDS, fieldByKey, PANELS, type Panel } from '../../state/schema';
import type { ViewSpec } from '../../state/view';

export const PLAYGROUND_LAB = 'playground';
/** The fields of the playground's course-page API metrics messages. */
export const PLAYGROUND_METRICS = ['epoch', 'trainLoss', 'testLoss', 'accuracy', 'handSet', 'gradientChecks'] as const;

export const playgroundCodec = createCodec<Config>({
  lab: PLAYGROUND_LAB,
  version: CURRENT_VERSION,
  fields: CONFIG_FIELDS,
  migrations: STEPS,
  versionWithoutV,
  // act= is read after hidden=: one name may stand for every layer.
  deferred: ['activations'],
  resolve: hiddenActivations<Config>('hidden', 'activations', 'act', fieldByKey('activations').spec, 'tanh'),
  crossCheck: sameLength<Config>('hidden', 'activations'),
});

export const playgroundView: ViewSpec<Panel, keyof Config> = { panels: PANELS, settings: CONFIG_FIELDS };
