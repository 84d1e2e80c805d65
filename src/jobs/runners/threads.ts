/**
 * The default job runner: each job runs in its own worker thread (node:worker_threads), off the caller's event
 * loop. Stopping raises a shared stop flag that the job's abort signal reads inside the algorithm's loops
 * (stop-signal.ts); a worker that has not ended `graceMs` later is terminated, and the run ends "stopped"
 * (forced). A worker that dies without reporting an outcome ends "failed".
 *
 * The worker is `training-worker` beside this module, started as every Strata worker is
 * (src/util/worker-module.ts).
 * @module
 */
import type { Worker } from "node:worker_threads";
import { terminateWorker } from "../../util/native-guard.js";
import { createStopFlag, raiseStopFlag } from "../../util/stop-flag.js";
import { startWorkerModule } from "../../util/worker-module.js";
import type { WorkerInput, WorkerMessage } from "./protocol.js";
import type { JobRun, JobRunner, RunEvents, RunHandle, RunOutcome } from "./runner.js";

export interface ThreadJobRunnerOptions {
  /** Milliseconds between stop() and terminating an unresponsive worker (default 2000). */
  readonly graceMs?: number;
  /** Strata home passed to the worker (download cache). */
  readonly home?: string;
  /**
   * Workers to start ahead of their jobs (default 0). A caller that knows jobs are coming (`strata run` trains
   * two) lets each worker load its modules while the caller is still loading data, which takes the ~60 ms of
   * worker start-up off every job. One spare is kept at a time; each `start` uses it and starts the next.
   */
  readonly warmWorkers?: number;
}

function createWorker(input: WorkerInput | null, name: string): Worker {
  return startWorkerModule(new URL("./training-worker", import.meta.url), { workerData: input, name });
}

/** Runs jobs in worker threads. */
export class ThreadJobRunner implements JobRunner {
  readonly name = "threads";
  readonly #graceMs: number;
  readonly #home: string | undefined;
  #warmLeft: number;
  #spare: Worker | undefined;

  constructor(options: ThreadJobRunnerOptions = {}) {
    this.#graceMs = options.graceMs ?? 2000;
    this.#home = options.home;
    this.#warmLeft = options.warmWorkers ?? 0;
    this.#startSpare();
  }

  /** Starts the next spare worker while the budget lasts; it must not keep the process alive while idle. */
  #startSpare(): void {
    if (this.#warmLeft <= 0 || this.#spare !== undefined) return;
    this.#warmLeft--;
    const spare = createWorker(null, "strata-training-spare");
    spare.unref();
    const forget = () => {
      if (this.#spare === spare) this.#spare = undefined;
    };
    spare.once("error", forget).once("exit", forget);
    this.#spare = spare;
  }

  /** The spare worker, handed its job, or a new worker started with it. */
  #workerFor(input: WorkerInput, name: string): Worker {
    const spare = this.#spare;
    this.#spare = undefined;
    let worker: Worker;
    if (spare === undefined) {
      worker = createWorker(input, name);
    } else {
      spare.removeAllListeners();
      spare.ref();
      spare.postMessage({ type: "run", input });
      worker = spare;
    }
    this.#startSpare();
    return worker;
  }

  async close(): Promise<void> {
    const spare = this.#spare;
    this.#spare = undefined;
    this.#warmLeft = 0;
    if (spare !== undefined) await terminateWorker(spare);
  }

  start(run: JobRun, events: RunEvents): RunHandle {
    const stopFlag = createStopFlag();
    const input: WorkerInput = { run, stopFlag, ...(this.#home === undefined ? {} : { home: this.#home }) };
    const worker = this.#workerFor(input, `strata-training-${run.spec.request.TrainingJobName}`);
    let settled = false;
    let stopRequested = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let resolveDone!: (outcome: RunOutcome) => void;
    const done = new Promise<RunOutcome>((resolve) => {
      resolveDone = resolve;
    });
    const settle = (outcome: RunOutcome) => {
      if (settled) return;
      settled = true;
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      // The outcome is the worker's last message; ending it now also frees native handles (DuckDB) at once.
      void terminateWorker(worker);
      resolveDone(outcome);
    };

    worker.on("message", (message: WorkerMessage) => {
      if (settled) return;
      switch (message.type) {
        case "phase":
          events.phase(message.phase, message.message);
          break;
        case "log":
          events.log(message.level, message.message, new Date(message.time));
          break;
        case "progress":
          events.progress(message.fraction, message.message);
          break;
        case "status":
          events.status(message.message);
          break;
        case "outcome":
          settle(
            stopRequested && message.outcome.kind === "failed"
              ? { kind: "stopped", forced: false }
              : message.outcome,
          );
          break;
      }
    });
    worker.on("error", (error) => {
      settle(
        stopRequested
          ? { kind: "stopped", forced: false }
          : { kind: "failed", reason: `AlgorithmError: ${error.message}` },
      );
    });
    worker.on("exit", (code) => {
      settle(
        stopRequested
          ? { kind: "stopped", forced: true }
          : {
              kind: "failed",
              reason: `AlgorithmError: the training worker exited (code ${code}) before the job finished.`,
            },
      );
    });

    return {
      done,
      stop: () => {
        if (settled || stopRequested) return;
        stopRequested = true;
        raiseStopFlag(stopFlag);
        worker.postMessage({ type: "stop" });
        graceTimer = setTimeout(() => {
          if (!settled) void terminateWorker(worker);
        }, this.#graceMs);
      },
    };
  }
}
