// The one registry of labs, in tab order: id (also lab= in a link), title,
// the link codec and view options (state/link.ts reads every address through
// this list), and the size its embed snippet proposes. It imports only the
// labs' schemas, so link parsing, model files and tests use it without
// loading any page. Each lab's page is listed in pages.ts (loaded lazily) and
// its worker session in sessions.ts; both are typed Record<LabId, ...>, so a
// lab missing there does not compile.
//
// Adding a lab: a folder labs/<id>/ with config.ts (codec + view spec),
// session.ts, protocol.ts, Page.tsx and its views; then one entry here, one
// line in pages.ts and one in sessions.ts.
import type { LabCodec } from '../state/labCodec';
import type { ViewSpec } from '../state/view';
import type { Config } from '../state/config';
import type { Panel } from '../state/schema';
import { PLAYGROUND_LAB, playgroundCodec, playgroundView } from './playground/config';
import { MNIST_LAB, mnistCodec, mnistView, type MnistConfig, type MnistPanel } from './mnist/config';

export interface LabEntry<C = unknown, P extends string = string> {
  id: string;
  title: string;
  codec: LabCodec<C>;
  view: ViewSpec<P, keyof C & string>;
  /** The <iframe> size Copy embed proposes; the lab's embed layout fits it. */
  embedSize: { width: number; height: number };
  /** Stays mounted, hidden, while another tab shows: its state lives in the
   *  page (the playground). Other labs keep theirs in a store and unmount. */
  keepMounted?: boolean;
}

const playground: LabEntry<Config, Panel> & { id: typeof PLAYGROUND_LAB } = {
  id: PLAYGROUND_LAB, title: 'Playground', codec: playgroundCodec, view: playgroundView,
  embedSize: { width: 760, height: 620 }, keepMounted: true,
};
const mnist: LabEntry<MnistConfig, MnistPanel> & { id: typeof MNIST_LAB } = {
  id: MNIST_LAB, title: 'MNIST', codec: mnistCodec, view: mnistView,
  embedSize: { width: 720, height: 600 },
};

export const LABS = [playground, mnist] as const;

export type LabId = (typeof LABS)[number]['id'];
export const LAB_IDS: readonly LabId[] = LABS.map((l) => l.id);
/** No lab= in a link: the first lab. */
export const DEFAULT_LAB: LabId = LABS[0].id;

export function isLab(s: string): s is LabId {
  return (LAB_IDS as readonly string[]).includes(s);
}

/** A lab's registry entry by id. */
export function labEntry<L extends LabId>(id: L): Extract<(typeof LABS)[number], { id: L }> {
  return LABS.find((l) => l.id === id) as Extract<(typeof LABS)[number], { id: L }>;
}
