/**
 * How a run's outcome becomes the job's final status (pure; the TrainingService applies it inside one
 * registry transaction):
 *
 * | job status | outcome   | final                                                        |
 * |------------|-----------|--------------------------------------------------------------|
 * | InProgress | completed | Completed, with ModelArtifacts                               |
 * | InProgress | failed    | Failed, with the run's FailureReason                         |
 * | InProgress | stopped   | Stopping -> Stopped (a stop nobody asked for: never expected) |
 * | Stopping   | any       | Stopped, or MaxRuntimeExceeded when the timer asked          |
 * | terminal   | any       | unchanged (recovered or finished meanwhile)                  |
 *
 * A stop that arrives too late to interrupt (the artifact was already written) still ends Stopped and keeps
 * the artifact, as SageMaker keeps what a stopped job saved.
 * @module
 */

import { advance, isTerminal } from "./lifecycle.js";
import type { RunOutcome } from "./runners/runner.js";
import type { RecordPatch, TrainingJobRecord } from "./training-job-store.js";

/** The registry change that ends a job, or null when it already ended. */
export function outcomePatch(record: TrainingJobRecord, outcome: RunOutcome, now: Date): RecordPatch | null {
  const state = record.state;
  if (isTerminal(state.status)) return null;
  const artifacts =
    outcome.kind === "completed"
      ? { artifactUri: outcome.artifactUri, metadataUri: outcome.metadataUri }
      : {};
  if (state.status === "Stopping") {
    const to = record.stopReason === "max-runtime" ? "MaxRuntimeExceeded" : "Stopped";
    return { state: advance(state, to, now), progress: null, progressMessage: null, ...artifacts };
  }
  switch (outcome.kind) {
    case "completed":
      return { state: advance(state, "Completed", now), progress: 1, progressMessage: null, ...artifacts };
    case "failed":
      return {
        state: advance(state, "Failed", now, { failureReason: outcome.reason }),
        progressMessage: null,
      };
    case "stopped":
      return { state: advance(advance(state, "Stopping", now), "Stopped", now), progressMessage: null };
  }
}

/** The last log line of a job. */
export function outcomeLogLine(
  finished: TrainingJobRecord,
  outcome: RunOutcome,
): { level: string; message: string } {
  const { status, failureReason } = finished.state;
  const reason = status === "Failed" && failureReason ? `: ${failureReason}` : "";
  const forced =
    outcome.kind === "stopped" && outcome.forced ? " (the worker was terminated after the grace period)" : "";
  return {
    level: status === "Failed" ? "error" : "info",
    message: `Training job ${status}${reason}${forced}.`,
  };
}
