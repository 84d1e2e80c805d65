/**
 * The K-Means estimator: holds validated params (SageMaker's `kmeans:1` hyperparameters plus Strata's
 * extensions) and fits them; `fit` returns a new {@link KMeansModel}. It trains one of two ways, as
 * `trainingMode` (`training_mode`) and training-mode.ts decide:
 *
 * - full-batch (full-batch.ts): Lloyd with restarts, each from k-means++ or random seeds, the lowest inertia
 *   winning — what `auto` picks for a matrix, whose rows are all in memory;
 * - web-scale (web-scale/): SageMaker's streaming mini-batch k-means — each shard streams mini-batches into
 *   k × extra_center_factor weighted centres, and weighted Lloyd reduces their union to k.
 *
 * One estimator for both, because both read the one hyperparameter table: a job's params, `training_mode`
 * included, go to `new KMeans(params)` unchanged, and no setting is silently ignored by a second class.
 * @module
 */
import type { RoundExecutor } from "../contract/executor.js";
import { StrataError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";
import type { KMeansFitOptions } from "./fit-options.js";
import { fitFullBatch, fitFullBatchOn } from "./full-batch.js";
import { type KMeansOptions, type KMeansParams, resolveKMeansParams } from "./hyperparameters.js";
import type { KMeansModel } from "./kmeans-model.js";
import { chooseTrainingMode } from "./training-mode.js";
import { fitWebScale, fitWebScaleOn } from "./web-scale/fit.js";

export type { KMeansEpochEvent, KMeansFitOptions, KMeansIterationEvent } from "./fit-options.js";
export { meanVariance, PARALLEL_MIN_ROWS } from "./full-batch.js";

/** K-Means estimator: holds validated params; `fit` returns a new {@link KMeansModel}. */
export class KMeans {
  /** The validated, frozen settings. */
  readonly params: KMeansParams;

  /**
   * @param options `k` and optional settings (camelCase), or params from `parseKMeansHyperparameters`
   * @throws StrataError INVALID_HYPERPARAMETER, UNKNOWN_HYPERPARAMETER, MISSING_HYPERPARAMETER
   * @example
   * const model = new KMeans({ k: 7, seed: 0 }).fit(x);
   * const streamed = new KMeans({ k: 7, trainingMode: "web-scale", miniBatchSize: 5000 }).fit(x);
   */
  constructor(options: KMeansOptions) {
    this.params = resolveKMeansParams(options);
    Object.freeze(this);
  }

  /**
   * Fits k centroids to the rows of `x` (n × d; not mutated), on this thread (full-batch: and the worker pool
   * for large inputs).
   *
   * @throws StrataError WIDTH_MISMATCH (d ≠ featureDim), INVALID_HYPERPARAMETER (k > n), INVALID_ARGUMENT
   *   (fewer than 2 rows; an option the training mode cannot take), NON_NUMERIC_VALUE (a value that is not
   *   finite); the signal's reason when aborted
   */
  fit(x: Matrix, options: KMeansFitOptions = {}): KMeansModel {
    if (this.#mode(x) === "web-scale") return fitWebScale(x, this.params, options);
    return fitFullBatch(x, this.params, fullBatchOptions(options));
  }

  /**
   * The same fit with its rounds on `executor` (inline, worker threads, or a cluster's): full-batch, each
   * restart's Lloyd iterations over the engine's shard plan (seeding runs here, on the caller's data);
   * web-scale, each shard's stream where the shard runs. The same model, bit for bit, as {@link fit}.
   * Training jobs fit this way.
   * @throws as {@link fit}
   * @example
   * const model = await new KMeans({ k: 7 }).fitOn(new InlineExecutor(), x);
   */
  fitOn(
    executor: RoundExecutor,
    x: Matrix,
    options: Omit<KMeansFitOptions, "algorithm" | "kernels"> = {},
  ): Promise<KMeansModel> {
    if (this.#mode(x) === "web-scale") return fitWebScaleOn(executor, x, this.params, options);
    return fitFullBatchOn(executor, x, this.params, fullBatchOptions(options));
  }

  #mode(x: Matrix): "full-batch" | "web-scale" {
    return chooseTrainingMode(this.params.trainingMode, { inMemory: true, numRows: x.rows }).mode;
  }
}

/**
 * Full-batch fits follow a fixed shard plan that never changes their model: a `shardRows` would do nothing.
 * @throws StrataError INVALID_ARGUMENT
 */
function fullBatchOptions<O extends KMeansFitOptions>(options: O): O {
  if (options.shardRows !== undefined)
    throw new StrataError(
      "INVALID_ARGUMENT",
      "shardRows sets the shards of web-scale training; full-batch training has a fixed plan (use trainingMode web-scale).",
      { details: { shardRows: options.shardRows } },
    );
  return options;
}
