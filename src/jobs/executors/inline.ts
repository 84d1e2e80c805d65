/**
 * The inline executor: runs a job on the caller's own thread. For debugging (stack traces in one place) and
 * for differential tests against the threads executor; a CPU-bound job blocks the caller's event loop, so
 * servers and the CLI use threads. Stop aborts the run's signal, which the algorithm's loops check.
 * @module
 */
import { runTraining } from "../run-training.js";
import type { Executor, JobRun, RunEvents, RunHandle } from "./executor.js";

export class InlineExecutor implements Executor {
  readonly name = "inline";

  constructor(private readonly options: { readonly home?: string } = {}) {}

  start(run: JobRun, events: RunEvents): RunHandle {
    const controller = new AbortController();
    // Start on the next tick, so the caller can record the job before its first event arrives.
    const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      runTraining(run, {
        events,
        signal: controller.signal,
        ...(this.options.home === undefined ? {} : { home: this.options.home }),
      }),
    );
    return { done, stop: () => controller.abort() };
  }
}
