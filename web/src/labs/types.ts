// What the app shell hands every lab's page.
import type { Theme } from '../state/config';
import type { ParsedLink } from '../state/link';

export interface LabPageProps {
  theme: Theme;
  /** The lab's tab is showing (keyboard shortcuts apply; a hidden lab pauses). */
  active: boolean;
  /** The address the page was opened with, parsed once by the shell
   *  (state/link.ts parseLink). A page uses it when link.lab is its own id;
   *  otherwise it starts from its defaults. */
  link: ParsedLink;
}
