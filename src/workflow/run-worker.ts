/**
 * The entry point of a run's worker thread (run-service.ts): one `executeRun` on the options it was started
 * with, recorded under the run id its parent created, then a last message and exit. The run's loading,
 * training jobs (in worker threads of their own) and report all happen here, off the server's event loop.
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";
import { executeRun, type RunOptions } from "./run.js";

/** What the parent hears: the run ended, or failed with a message (also in the run's record). */
export type RunWorkerMessage =
  | { readonly type: "done" }
  | { readonly type: "failed"; readonly message: string };

const port = parentPort;
if (port === null) throw new Error("run-worker.ts must run in a worker thread.");
const options = workerData as RunOptions;
try {
  await executeRun(options);
  port.postMessage({ type: "done" } satisfies RunWorkerMessage);
} catch (error) {
  port.postMessage({
    type: "failed",
    message: error instanceof Error ? error.message : String(error),
  } satisfies RunWorkerMessage);
}
