/**
 * What a caller may tell `KMeans.fit` and `KMeans.fitOn` beyond the hyperparameters: where to log, how to
 * stop, progress callbacks, threads and kernels (which never change the model), and the sample weights.
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

/** Options of `KMeans.fit`. */
export interface KMeansFitOptions {
  /** Receives non-convergence warnings and a summary line; default silent. */
  readonly logger?: Logger;
  /** Checked before every iteration; aborting throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after every Lloyd iteration of every restart. */
  readonly onIteration?: (event: KMeansIterationEvent) => void;
  /**
   * Threads for seeding and Lloyd iterations, the caller's included; default: every core (at most 8). Inputs
   * under 65,536 rows always run on the caller. The model has the same bits for any count.
   */
  readonly threads?: number;
  /** "hamerly" (default) skips distance computations by Hamerly 2010's bounds; "lloyd" computes them all. */
  readonly algorithm?: LloydAlgorithm;
  /** The row loops' language (engine.ts; default: WebAssembly for large inputs). Never changes the model. */
  readonly kernels?: KernelLanguage;
  /**
   * k × d starting centres for a single restart (seeding and `numTrials` are then skipped):
   * benchmarks and comparisons against other tools from the same start.
   */
  readonly initialCentres?: Matrix;
  /** One name per column of x, kept in the model; default "x0".."x{d-1}". */
  readonly featureNames?: readonly string[];
  /** n: each row's sample weight, positive and finite (default: every row weighs 1). */
  readonly sampleWeight?: Float64Array | readonly number[];
}
