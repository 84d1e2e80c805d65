/**
 * DuckDB's native addon, loaded through the native guard (src/util/native-guard.ts): a worker thread ended
 * while the addon starts up, or while one of its calls is in flight, aborts the whole process. Every DuckDB
 * value Strata uses comes from here; types may still be imported from the packages.
 *
 * Both packages are CommonJS, so they are required here, inside the guard, in the order the API needs them
 * (the API requires the bindings, which are then already loaded).
 * @module
 */
import { createRequire } from "node:module";
import { nativeCall, nativeLoad } from "../util/native-guard.js";

const require = createRequire(import.meta.url);

interface Addon {
  readonly bindings: typeof import("@duckdb/node-bindings");
  readonly api: typeof import("@duckdb/node-api");
}

let addon: Addon | undefined;

/**
 * Loaded on first use, not on import: the addon takes ~35 ms to load, and a run whose table is a small CSV
 * (read-small-csv.ts) never touches DuckDB.
 */
function loadAddon(): Addon {
  addon ??= nativeLoad(() => ({
    bindings: require("@duckdb/node-bindings"),
    // Through the module the build replaces with a bundle of it (duckdb-node-api.cts).
    api: require("./duckdb-node-api.cjs"),
  }));
  return addon;
}

/** `@duckdb/node-bindings`: the C API, for reading vectors straight out of DuckDB's memory. */
export const duckdbBindings = (): Addon["bindings"] => loadAddon().bindings;

/** `@duckdb/node-api`. */
export const duckdbApi = (): Addon["api"] => loadAddon().api;

/** A DuckDB call (a query, a chunk fetch, a connection), counted in flight so its thread is not ended mid-call. */
export const duck = nativeCall;
