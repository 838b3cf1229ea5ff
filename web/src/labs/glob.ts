// Lab modules found by file name (Vite's import.meta.glob over labs/*/),
// keyed by lab id, i.e. the folder's name. No imports: the worker uses it
// without loading the registry's schemas.

/** './cnn/Page.tsx' → 'cnn'. */
export function labFolder(globKey: string): string {
  return globKey.split('/')[1] ?? '';
}

/** A glob's modules by lab folder. */
export function byFolder<T>(modules: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(modules).map(([key, m]) => [labFolder(key), m]));
}
