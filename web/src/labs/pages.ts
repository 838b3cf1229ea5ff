// The page side of the registry (labs/index.ts): each lab's page component.
// Pages other than the first are loaded when their tab is first opened.
import { lazy } from 'preact/compat';
import type { ComponentType } from 'preact';
import type { LabId } from './index';
import type { LabPageProps } from './types';
// The first tab is in the main bundle: it shows at once, without a round trip.
import PlaygroundPage from './playground/Page';

export const PAGES: Record<LabId, ComponentType<LabPageProps>> = {
  playground: PlaygroundPage,
  mnist: lazy(() => import('./mnist/Page')),
};
