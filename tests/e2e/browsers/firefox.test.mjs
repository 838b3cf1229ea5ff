// The course's core paths in Firefox (Debian's firefox-esr over WebDriver BiDi).
import { coreCourseTests, launchFirefox } from './lib.mjs';

coreCourseTests(launchFirefox);
