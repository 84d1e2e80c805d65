/**
 * The K-Means estimator: holds validated params (SageMaker's `kmeans:1` hyperparameters plus Strata's
 * extensions) and fits them; `fit` returns a new {@link KMeansModel}. How it trains is full-batch.ts's:
 * Lloyd with restarts, each restart from k-means++ or random seeds, the lowest inertia winning.
 * @module
 */
import type { RoundExecutor } from "../contract/executor.js";
import type { Matrix } from "../linalg/matrix.js";
import type { KMeansFitOptions } from "./fit-options.js";
import { fitFullBatch, fitFullBatchOn } from "./full-batch.js";
import { type KMeansOptions, type KMeansParams, resolveKMeansParams } from "./hyperparameters.js";
import type { KMeansModel } from "./kmeans-model.js";

export type { KMeansFitOptions, KMeansIterationEvent } from "./fit-options.js";
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
   */
  constructor(options: KMeansOptions) {
    this.params = resolveKMeansParams(options);
    Object.freeze(this);
  }

  /**
   * Fits k centroids to the rows of `x` (n × d; not mutated).
   *
   * @throws StrataError WIDTH_MISMATCH (d ≠ featureDim), INVALID_HYPERPARAMETER (k > n), INVALID_ARGUMENT
   *   (fewer than 2 rows), NON_NUMERIC_VALUE (a value that is not finite); the signal's reason when aborted
   */
  fit(x: Matrix, options: KMeansFitOptions = {}): KMeansModel {
    return fitFullBatch(x, this.params, options);
  }

  /**
   * The same fit with its Lloyd iterations as rounds of the algorithm contract on `executor` (inline, worker
   * threads, or a cluster's), over the engine's shard plan: the same model, bit for bit, as {@link fit}.
   * Seeding runs here, on the caller's data. Training jobs fit this way.
   * @throws as {@link fit}
   * @example
   * const model = await new KMeans({ k: 7 }).fitOn(new InlineExecutor(), x);
   */
  fitOn(
    executor: RoundExecutor,
    x: Matrix,
    options: Omit<KMeansFitOptions, "algorithm" | "kernels"> = {},
  ): Promise<KMeansModel> {
    return fitFullBatchOn(executor, x, this.params, options);
  }
}
