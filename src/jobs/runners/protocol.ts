/**
 * Messages between the thread job runner and its training worker. The worker gets the run, the stop flag and
 * the Strata home as `workerData` — or, for a worker started ahead of its job, in one `run` message — reports
 * progress with the messages below and ends with exactly one `outcome` message.
 * @module
 */
import type { JobRun, RunOutcome, RunPhase } from "./runner.js";

export interface WorkerInput {
  readonly run: JobRun;
  readonly stopFlag: Int32Array;
  readonly home?: string;
}

export type WorkerMessage =
  | { readonly type: "phase"; readonly phase: RunPhase; readonly message?: string }
  | { readonly type: "log"; readonly level: string; readonly message: string; readonly time: number }
  | { readonly type: "progress"; readonly fraction: number; readonly message?: string }
  | { readonly type: "status"; readonly message: string }
  | { readonly type: "outcome"; readonly outcome: RunOutcome };

export type ParentMessage = { readonly type: "stop" } | { readonly type: "run"; readonly input: WorkerInput };
