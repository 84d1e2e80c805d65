/**
 * The inline job runner: runs a job on the caller's own thread. For debugging (stack traces in one place) and
 * for differential tests against the thread runner; a CPU-bound job blocks the caller's event loop, so
 * servers and the CLI use threads. Stop aborts the run's signal, which the algorithm's loops check.
 * @module
 */
import { runTraining } from "../run-training.js";
import type { JobRun, JobRunner, RunEvents, RunHandle } from "./runner.js";

export class InlineJobRunner implements JobRunner {
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
