/**
 * Starting one of Strata's modules as a worker thread, the one way every worker is started (training jobs,
 * the kernel pool, batch transforms). The module sits beside its caller: compiled output has `<name>.js`;
 * running from sources under tsx (`node --import tsx`: the tests, the bench) only `<name>.ts` exists, and
 * Node 20 does not apply the parent's `--import tsx` loader hooks to a worker's entry module, so a short
 * bootstrap registers tsx inside the worker and then imports the .ts entry.
 * @module
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { withNativeGuard } from "./native-guard.js";

const found = new Map<string, URL>();

/** `<base>.js` when it exists (compiled), else `<base>.ts` (sources under tsx). */
function workerModuleUrl(base: URL): URL {
  const cached = found.get(base.href);
  if (cached !== undefined) return cached;
  for (const ext of [".js", ".ts"]) {
    const url = new URL(`${base.href}${ext}`);
    if (existsSync(fileURLToPath(url))) {
      found.set(base.href, url);
      return url;
    }
  }
  throw new Error(`No ${base.pathname.split("/").pop()}.js or .ts beside ${fileURLToPath(base)}.`);
}

/**
 * Starts the module `base` (a URL without its extension) as a worker, with a native guard: end it with
 * `terminateWorker` (native-guard.ts), never `worker.terminate()`.
 * @example
 * startWorkerModule(new URL("./training-worker", import.meta.url), { workerData: input });
 */
export function startWorkerModule(base: URL, options: WorkerOptions = {}): Worker {
  const url = workerModuleUrl(base);
  if (url.pathname.endsWith(".js")) return withNativeGuard(() => new Worker(url, options));
  // Both of tsx's hooks, as `--import tsx` gives the parent: ESM for the .ts modules, CommonJS for a require of
  // a .cts module (src/data/duckdb-node-api.cts, required as ./duckdb-node-api.cjs).
  const esm = JSON.stringify(import.meta.resolve("tsx/esm/api"));
  const cjs = JSON.stringify(import.meta.resolve("tsx/cjs/api"));
  const bootstrap = `Promise.all([import(${esm}), import(${cjs})]).then(([e, c]) => { e.register(); c.register(); return import(${JSON.stringify(url.href)}); });`;
  return withNativeGuard(() => new Worker(bootstrap, { ...options, eval: true }));
}
