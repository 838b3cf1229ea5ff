// The course's core paths in WebKit, Safari's engine (WebKitGTK's MiniBrowser
// through WebKitWebDriver, on a private Xvfb display).
import { coreCourseTests, launchWebKit } from './lib.mjs';

coreCourseTests(launchWebKit);
