/**
 * Runs started by the web console: each `strata run` in a worker thread of its own (run-worker.ts), so the
 * server's event loop only forwards requests while a run loads, trains and draws its report. The service
 * creates the run's registry record here, on the server's thread, and the worker fills it in (run-record.ts);
 * a worker that dies without a word leaves its run Failed, with the reason. Outputs go to
 * `$STRATA_HOME/runs/<run id>/`. Progress is read back from the registry (registry/run-store.ts), the same
 * way for runs started here and from a terminal.
 * @module
 */

import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { StrataError } from "../errors.js";
import type { RegistryDb } from "../registry/db.js";
import { createOwner, releaseOwner } from "../registry/owner.js";
import { RunStore } from "../registry/run-store.js";
import { checkRunName } from "../serving/register-run-models.js";
import { terminateWorker } from "../util/native-guard.js";
import { startWorkerModule } from "../util/worker-module.js";
import { checkStaticOptions, type SegmentationOptions } from "./options.js";
import type { RunOptions } from "./run.js";
import { newRunId, storedOptions } from "./run-record.js";
import type { RunWorkerMessage } from "./run-worker.js";

/** At most this many runs at once per server: each holds its table and two training jobs. */
export const MAX_CONCURRENT_RUNS = 2;

export class RunService {
  readonly store: RunStore;
  readonly #running = new Map<string, Worker>();
  #closing = false;

  constructor(
    db: RegistryDb,
    private readonly home: string,
  ) {
    this.store = new RunStore(db);
  }

  /** Where a console run writes its out dir. */
  outDir(id: string): string {
    return join(this.home, "runs", id);
  }

  /**
   * Starts a run; returns its id at once. The options are checked as `strata run` checks its flags; the
   * data-dependent checks happen in the run, which then ends Failed with their message.
   * @throws StrataError for options out of range, and INVALID_ARGUMENT past MAX_CONCURRENT_RUNS
   */
  start(options: SegmentationOptions & Pick<RunOptions, "name" | "report">): string {
    checkStaticOptions(options);
    if (options.name !== undefined) checkRunName(options.name);
    if (this.#running.size >= MAX_CONCURRENT_RUNS)
      throw new StrataError(
        "INVALID_ARGUMENT",
        `${MAX_CONCURRENT_RUNS} runs are in progress; start this one when one of them has ended.`,
      );
    const id = newRunId();
    const outDir = this.outDir(id);
    const owner = createOwner();
    this.store.start({ id, source: options.source, options: storedOptions(options), outDir }, owner);
    const runOptions: RunOptions = { ...options, outDir, home: this.home, runId: id };
    let worker: Worker;
    try {
      worker = startWorkerModule(new URL("./run-worker", import.meta.url), {
        workerData: runOptions,
        name: `strata-run-${id}`,
      });
    } catch (error) {
      releaseOwner(owner);
      this.store.fail(id, `The run's worker thread could not start: ${(error as Error).message}`);
      throw error;
    }
    this.#running.set(id, worker);
    let heard = false;
    worker.on("message", (message: RunWorkerMessage) => {
      heard = true;
      // A run that failed before it took over its record (executeRun's own checks) fails the record here.
      if (message.type === "failed" && this.store.get(id)?.status === "InProgress")
        this.store.fail(id, message.message);
    });
    worker.on("error", (error) => {
      if (!heard) this.store.fail(id, `The run's worker thread failed: ${error.message}`);
      heard = true;
    });
    worker.on("exit", (code) => {
      this.#running.delete(id);
      releaseOwner(owner);
      if (heard) return;
      this.store.fail(
        id,
        this.#closing
          ? "The server stopped before the run ended."
          : `The run's worker thread exited (code ${code}) before the run ended.`,
      );
    });
    return id;
  }

  /**
   * Starts run `id` again with `clusters` segments instead of its k or k sweep, every other option as it was
   * stored (the console's "run with this k" after a sweep).
   * @throws StrataError INVALID_ARGUMENT for an unknown run, and as {@link start}
   */
  rerun(id: string, clusters: number): string {
    const run = this.store.get(id);
    if (run === null) throw new StrataError("INVALID_ARGUMENT", `No run has the id ${JSON.stringify(id)}.`);
    // What is the run's own (where it wrote, its record) or the CLI's (report names, replacing models) stays behind.
    const {
      clusterRange: _range,
      outDir: _outDir,
      home: _home,
      runId: _runId,
      reportOptions: _reportOptions,
      replaceModels: _replace,
      ...options
    } = run.options;
    return this.start({ ...(options as Omit<SegmentationOptions, "source">), source: run.source, clusters });
  }

  /** Ends every run in progress (the server is stopping): they read Failed. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.#running.values()].map((worker) => terminateWorker(worker)));
  }

  /** Runs this service has in progress. */
  get running(): number {
    return this.#running.size;
  }
}
