// The worker side of the labs registry (labs/index.ts): each lab's session
// module, loaded by the worker host when the page opens that lab.
import type { LabSessionFactory } from '../engine/lab-session';
import type { LabId } from './index';

export const SESSIONS: Record<LabId, () => Promise<{ createSession: LabSessionFactory }>> = {
  playground: () => import('./playground/session'),
  mnist: () => import('./mnist/session'),
};

export type { LabId };
