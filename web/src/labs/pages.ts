// The page side of the labs registry (labs/index.ts): each lab's Page.tsx
// (default export), found by its file name and loaded when its tab is first
// opened (the lab a link opens, at once).
import { lazy } from 'preact/compat';
import type { ComponentType } from 'preact';
import { byLab, type LabId } from './index';
import type { LabPageProps } from './types';

type PageModule = { default: ComponentType<LabPageProps> };

const loaders = byLab(import.meta.glob<PageModule>('./*/Page.tsx'), 'Page.tsx');

export const PAGES = Object.fromEntries(
  Object.entries(loaders).map(([id, load]) => [id, lazy(load as () => Promise<PageModule>)]),
) as Record<LabId, ComponentType<LabPageProps>>;
