/**
 * Code named by where it lives, so another thread — or a worker on another machine — imports the same code:
 * its module's URL (`import.meta.url` there) and the name of one of its exports. The shared-memory pool's
 * kernels and the contract's algorithms are both named this way; executors and pools move refs, never
 * functions, and list no algorithm: the code lives with its algorithm.
 * @module
 */

/** An export of a module. */
export interface ModuleRef {
  readonly module: string;
  readonly name: string;
}

/** The ref of export `name` of the module at `moduleUrl` (pass `import.meta.url` from that module). */
export function moduleRef(moduleUrl: string, name: string): ModuleRef {
  return Object.freeze({ module: moduleUrl, name });
}

const imported = new Map<string, unknown>();
const keyOf = (ref: ModuleRef) => `${ref.module}#${ref.name}`;

/** The export a ref names, when this thread has imported it already (a synchronous fast path). */
export function importedExport(ref: ModuleRef): unknown {
  return imported.get(keyOf(ref));
}

/**
 * The export a ref names, its module imported once per thread.
 * @throws Error when the module has no such export, or `accepts` refuses it (names what was expected)
 */
export async function importExport<T>(
  ref: ModuleRef,
  accepts: (value: unknown) => boolean,
  what: string,
): Promise<T> {
  const key = keyOf(ref);
  if (imported.has(key)) return imported.get(key) as T;
  const value = ((await import(ref.module)) as Record<string, unknown>)[ref.name];
  if (value === undefined || !accepts(value))
    throw new Error(`${ref.module} exports no ${what} named ${ref.name}`);
  imported.set(key, value);
  return value as T;
}
