/**
 * The training-job status machine, as SageMaker's DescribeTrainingJob shows it (spec §6.2). The
 * `SecondaryStatus` drives everything; the primary `TrainingJobStatus` is derived from it:
 *
 * ```
 *  Starting -> Downloading -> Training -> Uploading -> Completed                 (InProgress -> Completed)
 *     \____________\______________\___________\_____-> Failed                     (-> Failed)
 *     \____________\______________\___________\_____-> Stopping -> Stopped         (-> Stopping -> Stopped)
 *                                                               \-> MaxRuntimeExceeded (-> Stopped)
 *                                                               \-> Failed  (owner process died while stopping)
 * ```
 * Each change appends a `SecondaryStatusTransitions` entry and closes the previous one (its EndTime); the
 * terminal entry gets EndTime = StartTime, as SageMaker prints it. Illegal changes throw
 * ILLEGAL_STATUS_TRANSITION: they are bugs, never user errors. Everything here is pure.
 * @module
 */
import { StrataError } from "../errors.js";

export const TRAINING_JOB_STATUSES = ["InProgress", "Completed", "Failed", "Stopping", "Stopped"] as const;
export type TrainingJobStatus = (typeof TRAINING_JOB_STATUSES)[number];

export type SecondaryStatus =
  | "Starting"
  | "Downloading"
  | "Training"
  | "Uploading"
  | "Completed"
  | "Failed"
  | "Stopping"
  | "Stopped"
  | "MaxRuntimeExceeded";

export interface SecondaryStatusTransition {
  readonly Status: SecondaryStatus;
  readonly StartTime: Date;
  readonly EndTime?: Date;
  readonly StatusMessage: string;
}

/** The status fields of one job (everything DescribeTrainingJob reports about its progress). */
export interface JobState {
  readonly status: TrainingJobStatus;
  readonly secondaryStatus: SecondaryStatus;
  readonly transitions: readonly SecondaryStatusTransition[];
  readonly failureReason?: string;
  readonly creationTime: Date;
  readonly trainingStartTime?: Date;
  readonly trainingEndTime?: Date;
  readonly lastModifiedTime: Date;
}

/** The messages SageMaker prints for each secondary status (LOG-IONASEC, LOG-ART). */
export const STATUS_MESSAGES: Readonly<Record<SecondaryStatus, string>> = {
  Starting: "Starting the training job",
  Downloading: "Downloading input data",
  Training: "Training image download completed. Training in progress.",
  Uploading: "Uploading generated training model",
  Completed: "Training job completed",
  Failed: "Training job failed",
  Stopping: "Stopping the training job",
  Stopped: "Training job stopped",
  MaxRuntimeExceeded: "Training job stopped: MaxRuntimeInSeconds exceeded",
};

const NEXT: Readonly<Record<SecondaryStatus, readonly SecondaryStatus[]>> = {
  Starting: ["Downloading", "Failed", "Stopping"],
  Downloading: ["Training", "Failed", "Stopping"],
  Training: ["Uploading", "Failed", "Stopping"],
  Uploading: ["Completed", "Failed", "Stopping"],
  Stopping: ["Stopped", "MaxRuntimeExceeded", "Failed"],
  Completed: [],
  Failed: [],
  Stopped: [],
  MaxRuntimeExceeded: [],
};

/** The primary status a secondary status belongs to (spec §6.2 grouping table). */
export function primaryStatus(secondary: SecondaryStatus): TrainingJobStatus {
  switch (secondary) {
    case "Starting":
    case "Downloading":
    case "Training":
    case "Uploading":
      return "InProgress";
    case "Stopping":
      return "Stopping";
    case "Stopped":
    case "MaxRuntimeExceeded":
      return "Stopped";
    case "Completed":
      return "Completed";
    case "Failed":
      return "Failed";
  }
}

/** True for Completed, Failed and Stopped: the job will not change again. */
export function isTerminal(status: TrainingJobStatus): boolean {
  return status === "Completed" || status === "Failed" || status === "Stopped";
}

/** Whether `from -> to` is a legal secondary-status change. */
export function canTransition(from: SecondaryStatus, to: SecondaryStatus): boolean {
  return NEXT[from].includes(to);
}

/**
 * A new job: InProgress / Starting, created at `now`.
 * @example
 * initialState(new Date()).secondaryStatus; // "Starting"
 */
export function initialState(now: Date): JobState {
  return {
    status: "InProgress",
    secondaryStatus: "Starting",
    transitions: [{ Status: "Starting", StartTime: now, StatusMessage: STATUS_MESSAGES.Starting }],
    creationTime: now,
    lastModifiedTime: now,
  };
}

export interface AdvanceOptions {
  /** Replaces the default StatusMessage of the new entry. */
  readonly message?: string;
  /** Required when moving to Failed (at most 1024 characters are kept, as SageMaker does). */
  readonly failureReason?: string;
}

/**
 * Moves a job to a new secondary status at `now`, returning the new state.
 *
 * TrainingStartTime is set when the job leaves Starting (input download begins on a provisioned
 * "instance"); TrainingEndTime when it reaches a terminal status.
 * @throws StrataError ILLEGAL_STATUS_TRANSITION when `to` does not follow the current status
 * @example
 * advance(initialState(t0), "Downloading", t1).transitions[0].EndTime; // t1
 */
export function advance(
  state: JobState,
  to: SecondaryStatus,
  now: Date,
  options: AdvanceOptions = {},
): JobState {
  const from = state.secondaryStatus;
  if (!canTransition(from, to)) {
    throw new StrataError(
      "ILLEGAL_STATUS_TRANSITION",
      `A training job cannot go from ${from} to ${to}; allowed next: ${NEXT[from].join(", ") || "none (terminal)"}.`,
      { details: { from, to, allowed: NEXT[from] } },
    );
  }
  const status = primaryStatus(to);
  const terminal = isTerminal(status);
  const closed = state.transitions.map((t, i) =>
    i === state.transitions.length - 1 && t.EndTime === undefined ? { ...t, EndTime: now } : t,
  );
  const entry: SecondaryStatusTransition = {
    Status: to,
    StartTime: now,
    ...(terminal ? { EndTime: now } : {}),
    StatusMessage: options.message ?? STATUS_MESSAGES[to],
  };
  let failureReason = state.failureReason;
  if (to === "Failed") failureReason = truncateReason(options.failureReason ?? "The training job failed.");
  return {
    ...state,
    status,
    secondaryStatus: to,
    transitions: [...closed, entry],
    ...(failureReason === undefined ? {} : { failureReason }),
    ...(from === "Starting" && state.trainingStartTime === undefined ? { trainingStartTime: now } : {}),
    ...(terminal ? { trainingEndTime: now } : {}),
    lastModifiedTime: now,
  };
}

/** SageMaker keeps the first 1,024 characters of the failure text (spec §6.1). */
export function truncateReason(reason: string): string {
  return reason.length <= 1024 ? reason : `${reason.slice(0, 1021)}...`;
}

/**
 * The state with the current secondary status's StatusMessage replaced, as SageMaker rewrites it while a
 * status goes on (e.g. which instances a job's shards ran on).
 */
export function withStatusMessage(state: JobState, message: string, now: Date): JobState {
  const last = state.transitions.length - 1;
  return {
    ...state,
    transitions: state.transitions.map((t, i) => (i === last ? { ...t, StatusMessage: message } : t)),
    lastModifiedTime: now,
  };
}
