// The labs of the page, in tab order: id (also the URL hash, #mnist), title,
// and the page, loaded when its tab is first opened. The worker side of each
// lab is listed in sessions.ts (the worker must not load pages); a lab's id
// must be in both, which the LabId type enforces.
//
// Adding a lab: a folder labs/<id>/ with session.ts (createSession, run by
// the worker host), protocol.ts (its commands, snapshot and events), Page.tsx
// (default export, LabPageProps) and its views; then one line here and one
// in sessions.ts.
import { lazy } from 'preact/compat';
import type { ComponentType } from 'preact';
import type { LabId } from './sessions';
import type { LabPageProps } from './types';
// The first tab is in the main bundle: it shows at once, without a round trip.
import PlaygroundPage from './playground/Page';

export interface LabEntry {
  id: LabId;
  title: string;
  Page: ComponentType<LabPageProps>;
  /** Stays mounted, hidden, while another tab shows: its state lives in the
   *  page (the playground). Other labs keep theirs in a store and unmount. */
  keepMounted?: boolean;
}

export const LABS: readonly LabEntry[] = [
  { id: 'playground', title: 'Playground', Page: PlaygroundPage, keepMounted: true },
  { id: 'mnist', title: 'MNIST', Page: lazy(() => import('./mnist/Page')) },
];

export const DEFAULT_LAB: LabId = 'playground';

/** The lab a URL hash names, or the first lab. */
export function labFromHash(hash: string): LabId {
  const id = hash.replace(/^#/, '');
  return LABS.find((l) => l.id === id)?.id ?? DEFAULT_LAB;
}
