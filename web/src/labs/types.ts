// What the app shell hands every lab's page.
import type { Theme } from '../state/config';
import type { readInitialState } from './playground/usePlayground';

export interface LabPageProps {
  theme: Theme;
  /** The lab's tab is showing (keyboard shortcuts apply; a hidden lab pauses). */
  active: boolean;
  /** The link the page was opened with, parsed once by the shell (today by
   *  the playground's schema, the only one with a link format). */
  link: ReturnType<typeof readInitialState>;
}
