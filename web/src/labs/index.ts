// The one registry of labs: every folder labs/<id>/ with a lab.ts (its id,
// tab order, title, link codec and view options, embed snippet size), found
// at build time and listed in tab order. state/link.ts reads every address
// through it. It loads only the labs' lab.ts (which import only their
// schemas), so link parsing, model files and tests use it without loading
// any page; pages.ts and sessions.ts find each lab's Page.tsx and session.ts
// the same way, loaded lazily.
import type { LabEntry, LabRegistry } from './types';
import { byFolder } from './glob';

export type { LabEntry } from './types';

/** Any registered lab's entry. */
export type AnyLab = LabRegistry[keyof LabRegistry];
export type LabId = AnyLab['id'];

const found = import.meta.glob<LabEntry>('./*/lab.ts', { eager: true, import: 'lab' });

/** Every lab, in tab order. */
export const LABS: readonly AnyLab[] = (Object.values(found) as AnyLab[]).sort((a, b) => a.order - b.order);

export const LAB_IDS: readonly LabId[] = LABS.map((l) => l.id);
/** No lab= in a link: the first lab. */
export const DEFAULT_LAB: LabId = LABS[0]!.id;

export function isLab(s: string): s is LabId {
  return (LAB_IDS as readonly string[]).includes(s);
}

/** A lab's registry entry by id. */
export function labEntry<L extends LabId>(id: L): Extract<AnyLab, { id: L }> {
  return LABS.find((l) => l.id === id) as Extract<AnyLab, { id: L }>;
}

/**
 * Each registered lab's module from a glob over labs/(each lab)/file, by lab id.
 * Throws, naming the file, when a lab lacks it: the page does not start, and
 * the registry test fails.
 */
export function byLab<T>(modules: Record<string, T>, file: string): Record<LabId, T> {
  const folders = byFolder(modules);
  const out = {} as Record<LabId, T>;
  for (const id of LAB_IDS) {
    const m = folders[id];
    if (!m) throw new Error(`lab ${id} has no ${file}: add web/src/labs/${id}/${file}`);
    out[id] = m;
  }
  return out;
}
