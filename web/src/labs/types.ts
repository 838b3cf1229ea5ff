// What a lab is to the rest of the page: its registry entry (labs/<id>/lab.ts),
// its model-file part (labs/<id>/model-file.ts) and the props the app shell
// hands its page.
import type { Theme } from '../state/config';
import type { ParsedLink } from '../state/link';
import type { LabCodec } from '../state/labCodec';
import type { ViewSpec } from '../state/view';
import type { LayerSpec } from '../share/layers';
import type { LossName } from '../share/network';

/** A lab's light description, exported as `lab` by labs/<id>/lab.ts. It
 *  imports only the lab's schema (config.ts), never its page or session. */
export interface LabEntry<C = unknown, P extends string = string> {
  /** Its folder's name; also lab= in a link. */
  id: string;
  /** Tab position: labs are shown in ascending order; the first is the default lab. */
  order: number;
  title: string;
  codec: LabCodec<C>;
  view: ViewSpec<P, keyof C & string>;
  /** The fields of its course-page API metrics messages (lessons' goals read them). */
  metrics: readonly string[];
  /** The <iframe> size Copy embed proposes; the lab's embed layout fits it. */
  embedSize: { width: number; height: number };
  /** Stays mounted, hidden, while another tab shows: its state lives in the
   *  page (the playground). Other labs keep theirs in a store and unmount. */
  keepMounted?: boolean;
  /** The lab's links carry drawn points (pts=, share/points.ts) when this
   *  says so for the config (the playground's "custom" data set). Labs
   *  without drawn points leave it out: their links never read pts=. */
  drawnPoints?: (config: C) => boolean;
}

/**
 * What model files (share/modelFile.ts) need of a lab besides its config
 * schema: exported as `modelFile` by labs/<id>/model-file.ts. It may import
 * the lab's schema and shared modules, never share/modelFile.ts itself
 * (which loads every lab's part).
 */
export interface LabModelFile<C = unknown> {
  /** Why these layers and loss are not the network this config trains, or null. */
  checkNetwork(config: C, layers: readonly LayerSpec[], loss: LossName): string | null;
  /** Inputs where the outputs must be finite, each with words for the error ("at x1 = 6, x2 = 0"). */
  probes(config: C): { input: Float32Array; where: string }[];
  /** A file name without extension, such as "nn-circle-2-4-2-1". */
  baseName(config: C, layers: readonly LayerSpec[]): string;
  /** The config object of an older file in today's form (before it is checked). */
  upgradeConfig?(raw: unknown): unknown;
  /** Files of format 1 (written before labs, without a lab id) are this lab's. At most one lab says so. */
  readsFormat1?: boolean;
}

/**
 * Every lab's entry type by id. Empty here: each labs/<id>/lab.ts adds its
 * own (declaration merging), so the lab ids are a type (LabId) without a
 * list of labs anywhere:
 *
 *     declare module '../types' { interface LabRegistry { cnn: typeof lab } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LabRegistry {}

/** A registered lab's config type, from its entry's codec. */
export type LabConfig<L extends keyof LabRegistry> = LabRegistry[L] extends { codec: LabCodec<infer C> } ? C : never;
/** A registered lab's panel names (hide=), from its entry's view spec. */
export type LabPanel<L extends keyof LabRegistry> = LabRegistry[L] extends { view: { panels: readonly (infer P extends string)[] } } ? P : never;

export interface LabPageProps {
  theme: Theme;
  /** The lab's tab is showing (keyboard shortcuts apply; a hidden lab pauses). */
  active: boolean;
  /** The address the page was opened with, parsed once by the shell
   *  (state/link.ts parseLink). A page uses it when link.lab is its own id;
   *  otherwise it starts from its defaults. */
  link: ParsedLink;
}
