/**
 * Code named by where it lives, so another thread — or a worker on another machine — imports the same code:
 * its module's URL (`import.meta.url` there) and the name of one of its exports. The shared-memory pool's
 * kernels and the contract's algorithms are both named this way (each defined beside its code with
 * `definedRef`); executors and pools move refs, never functions, and list no algorithm: the code lives with
 * its algorithm.
 * @module
 */

/** An export of a module. */
export interface ModuleRef {
  readonly module: string;
  readonly name: string;
}

/** The ref of export `name` of the module at `moduleUrl`. */
function moduleRef(moduleUrl: string, name: string): ModuleRef {
  return Object.freeze({ module: moduleUrl, name });
}

const imported = new Map<string, unknown>();
const keyOf = (ref: ModuleRef) => `${ref.module}#${ref.name}`;

/**
 * The ref of export `name` of the module at `moduleUrl` (its `import.meta.url`), whose value is `value`: this
 * thread then finds it without importing the module by URL. That matters in the CLI's bundle
 * (scripts/build-cli-bundle.mjs), where a module's code runs from a chunk while its URL still names its own
 * file in dist, as other threads and machines need: importing that file here would load a second copy of it
 * and of all it imports, a second StrataError class among them.
 * @example export const PCA_STATS_REF = definedRef(import.meta.url, "PCA_STATS", PCA_STATS);
 */
export function definedRef(moduleUrl: string, name: string, value: unknown): ModuleRef {
  const ref = moduleRef(moduleUrl, name);
  imported.set(keyOf(ref), value);
  return ref;
}

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
