// The worker side of the labs registry (labs/index.ts): each lab's
// session.ts, found by its file name and loaded by the worker host when the
// page opens that lab. It imports no schema (the worker needs none); the
// registry test checks that every lab has its session.
import type { LabSessionFactory } from '../engine/lab-session';
import type { LabId } from './index';
import { byFolder } from './glob';

export type SessionModule = { createSession: LabSessionFactory };

export const SESSIONS = byFolder(import.meta.glob<SessionModule>('./*/session.ts')) as Record<LabId, () => Promise<SessionModule>>;

export type { LabId };
