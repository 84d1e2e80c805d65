/**
 * What a caller may tell `KMeans.fit` and `KMeans.fitOn` beyond the hyperparameters: where to log, how to
 * stop, progress callbacks, threads and kernels (which never change the model), and the sample weights.
 * Shared by both training modes (full-batch.ts, web-scale/fit.ts), so it lives apart from either.
 * @module
 */
import type { Matrix } from "../linalg/matrix.js";
import type { Logger } from "../util/logger.js";
import type { KernelLanguage, LloydAlgorithm } from "./engine.js";
import type { LloydIterationEvent } from "./trial.js";

/** Progress of one Lloyd iteration, reported to `onIteration` (trial.ts's event plus the restart). */
export interface KMeansIterationEvent extends LloydIterationEvent {
  /** 0-based restart. */
  readonly trial: number;
}

/** Progress of web-scale training: one pass over the data ended. */
export interface KMeansEpochEvent {
  /** 1-based epoch that ended. */
  readonly epoch: number;
  readonly epochs: number;
  /** Weighted centres the shards hold after it (K per shard, fewer for a shard of fewer rows). */
  readonly centres: number;
}

/** Options of `KMeans.fit`. */
export interface KMeansFitOptions {
  /** Receives non-convergence warnings and a summary line; default silent. */
  readonly logger?: Logger;
  /** Checked before every Lloyd iteration (web-scale: every pass over the data); aborting throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** Full-batch: called after every Lloyd iteration of every restart (web-scale training reports `onEpoch`). */
  readonly onIteration?: (event: KMeansIterationEvent) => void;
  /** Web-scale training: called after every pass over the data. */
  readonly onEpoch?: (event: KMeansEpochEvent) => void;
  /**
   * Threads for seeding and Lloyd iterations, the caller's included; default: every core (at most 8). Inputs
   * under 65,536 rows always run on the caller, as does web-scale `fit` (`fitOn` spreads its shards over an
   * executor). The model has the same bits for any count.
   */
  readonly threads?: number;
  /** Full-batch: "hamerly" (default) skips distance computations by Hamerly 2010's bounds; "lloyd" computes them all. */
  readonly algorithm?: LloydAlgorithm;
  /** Full-batch: the row loops' language (engine.ts; default: WebAssembly for large inputs). Never changes the model. */
  readonly kernels?: KernelLanguage;
  /**
   * Full-batch: k × d starting centres for a single restart (seeding and `numTrials` are then skipped):
   * benchmarks and comparisons against other tools from the same start. Refused in web-scale training,
   * which starts from K = k × extra_center_factor centres of its own.
   */
  readonly initialCentres?: Matrix;
  /**
   * Full-batch on rows held in memory: refine each seeded restart by Hartigan's moves (hartigan.ts; default
   * true up to 65,536 rows). false runs plain Lloyd restarts, as a streamed channel's full-batch fit does.
   */
  readonly refine?: boolean;
  /**
   * Web-scale: rows per shard, the plan the model follows (each shard streams its own mini-batches into its
   * own weighted centres); default `WEB_SCALE_SHARD_ROWS`. Full-batch fits have a fixed plan and refuse it.
   */
  readonly shardRows?: number;
  /** One name per column of x, kept in the model; default "x0".."x{d-1}". */
  readonly featureNames?: readonly string[];
  /** n: each row's sample weight, positive and finite (default: every row weighs 1). */
  readonly sampleWeight?: Float64Array | readonly number[];
}
