// The worker side of the labs registry: each lab's session module, loaded by
// the worker host when the page opens that lab (labs/index.ts is the page side).
import type { LabSessionFactory } from '../engine/lab-session';

export const SESSIONS = {
  playground: () => import('./playground/session'),
  mnist: () => import('./mnist/session'),
} satisfies Record<string, () => Promise<{ createSession: LabSessionFactory }>>;

export type LabId = keyof typeof SESSIONS;
