/**
 * The JobRunner interface: where a training job's coordinator (run-training.ts) runs — somewhere other than
 * the caller's stack. A runner places the job; the job's algorithm then runs its shards as rounds of the
 * algorithm contract on a round executor (src/contract), which is where the data-parallel work happens: two
 * levels, as in SageMaker, the training job's host and the shards it computes. `threads` runs it in a worker thread (the default: the CLI or server event loop stays free,
 * and a stuck job can be terminated); `inline` runs it on the caller's thread (debugging, differential
 * tests). Both report the same events and outcomes, and both honour `stop()`.
 * @module
 */
import type { AccessRules } from "../../data/sources/access.js";
import type { Channel, FinalMetric } from "../algorithm.js";
import type { TrainingJobSpec } from "../spec.js";

/** The phases a run reports, in order (SecondaryStatus names). */
export type RunPhase = "Downloading" | "Training" | "Uploading";

/** Everything a run needs; structured-cloneable, so it can be posted to a worker. */
export interface JobRun {
  readonly spec: TrainingJobSpec;
  /** Already-decoded channels from an in-process caller (`strata run`); the URIs are then not read. */
  readonly channels?: { readonly train: Channel; readonly test: Channel | null };
  /** Extra fields for strata-model.json (e.g. the scaler fitted before PCA), written under `caller`. */
  readonly callerMetadata?: Record<string, unknown>;
  /** Where the job may read (every object is checked before it is opened); default: anywhere. */
  readonly access?: AccessRules;
  /** A cluster's Redis URL: the job's shards run on its workers (src/cluster). */
  readonly cluster?: string;
  /** The cluster's partials location: large partials go there, not through Redis (cluster/partial-store.ts). */
  readonly clusterPartials?: string;
}

/** Callbacks from a running job, on the caller's thread. */
export interface RunEvents {
  phase(phase: RunPhase, message?: string): void;
  log(level: string, message: string, time: Date): void;
  progress(fraction: number, message?: string): void;
  /** Replaces the current phase's StatusMessage (DescribeTrainingJob's SecondaryStatusTransitions). */
  status(message: string): void;
}

export type RunOutcome =
  | {
      readonly kind: "completed";
      readonly artifactUri: string;
      readonly metadataUri: string;
      readonly metrics: readonly FinalMetric[];
    }
  | { readonly kind: "failed"; readonly reason: string }
  | { readonly kind: "stopped"; readonly forced: boolean };

export interface RunHandle {
  /** Asks the run to stop; it ends with a "stopped" outcome (forced when it had to be terminated). */
  stop(): void;
  /** Settles once with the outcome; never rejects. */
  readonly done: Promise<RunOutcome>;
}

export interface JobRunner {
  readonly name: string;
  start(run: JobRun, events: RunEvents): RunHandle;
  /** Releases idle resources (a pre-started worker); running jobs are the caller's to stop first. */
  close?(): Promise<void>;
}
