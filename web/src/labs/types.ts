// What a lab is to the rest of the page: its registry entry (labs/<id>/lab.ts)
// and the props the app shell hands its page.
import type { Theme } from '../state/config';
import type { ParsedLink } from '../state/link';
import type { LabCodec } from '../state/labCodec';
import type { ViewSpec } from '../state/view';

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
  /** The <iframe> size Copy embed proposes; the lab's embed layout fits it. */
  embedSize: { width: number; height: number };
  /** Stays mounted, hidden, while another tab shows: its state lives in the
   *  page (the playground). Other labs keep theirs in a store and unmount. */
  keepMounted?: boolean;
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

export interface LabPageProps {
  theme: Theme;
  /** The lab's tab is showing (keyboard shortcuts apply; a hidden lab pauses). */
  active: boolean;
  /** The address the page was opened with, parsed once by the shell
   *  (state/link.ts parseLink). A page uses it when link.lab is its own id;
   *  otherwise it starts from its defaults. */
  link: ParsedLink;
}
