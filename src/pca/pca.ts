/**
 * The PCA estimator (SageMaker `pca:1`): holds validated {@link PCAParams} and fits {@link PCAModel}s.
 *
 * - Regular mode: `fit` is `finalize` of the statistics of fixed row shards merged with `mergeStats` (Chan et
 *   al.'s pairwise update) in shard order — scatter-shards.ts, on worker threads for large inputs — so it
 *   equals `finalize(accumulate(emptyStats(d), x))` up to rounding (bit for bit up to 32,768 rows), whatever
 *   the thread count.
 * - Randomized mode (randomized.ts): the sketch and its power passes, as contract rounds over the same shard
 *   plan as a training job's, on the caller's thread (`fit`) or on an executor (`fitOn`, e.g. worker threads);
 *   both give the same bits.
 * @module
 */
import { threadsFor } from "../contract/choose-executor.js";
import { type RowShard, rowShards } from "../contract/contract.js";
import type { RoundExecutor } from "../contract/executor.js";
import { checkFinite, checkRows } from "../linalg/checks.js";
import type { Matrix } from "../linalg/matrix.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { fitPCAInline, fitPCARounds, pcaRounds } from "./fit-plan.js";
import { checkPCAWidth, type PCAOptions, type PCAParams, validatePCAOptions } from "./hyperparameters.js";
import { finalize } from "./partial-stats.js";
import type { PCAModel } from "./pca-model.js";
import { SHARD_ROWS, shardedStats } from "./scatter-shards.js";

/** Options of {@link PCA.fit}. */
export interface PCAFitOptions {
  /** Column names (length d); default "x0".."x{d-1}". */
  readonly featureNames?: readonly string[];
  /** Receives non-fatal events (e.g. numerically zero components). */
  readonly logger?: Logger;
  /**
   * Threads for regular mode's scatter accumulation (the caller's included); default: every core (at most
   * 8). Inputs under {@link PARALLEL_MIN_VALUES} values always run on the caller, since starting threads
   * costs more. The model has the same bits for every thread count. Randomized mode's `fit` runs on the
   * caller's thread; `fitOn` takes an executor instead.
   */
  readonly threads?: number;
}

/**
 * The shard plan of every PCA fit through the contract (a job's, `fitOn`'s, randomized `fit`'s): shards of
 * SHARD_ROWS rows read in one chunk — the plan of regular mode's pool path, so all of them agree bit for bit.
 */
export function pcaPlan(x: Matrix): RowShard[] {
  return rowShards(x, { shardRows: SHARD_ROWS, chunkRows: SHARD_ROWS });
}

/**
 * Principal component analysis: by eigen-decomposition of the centred scatter matrix (regular mode: exact,
 * Float64), or from a random sketch refined by power iterations (randomized mode: one pass plus
 * `powerIterations`, for wide data).
 * @example
 * const model = new PCA({ numComponents: 33 }).fit(scaled, { featureNames });
 * const top5 = model.transform(scaled); // 3218×33, column 0 = largest component
 * const quick = new PCA({ numComponents: 10, algorithmMode: "randomized", powerIterations: 2 }).fit(wide);
 */
export class PCA {
  readonly params: PCAParams;

  /**
   * @param paramsOrOptions parsed {@link PCAParams} (from `parsePCAHyperparameters`) or typed options; both
   *   are (re)validated, so a hand-built params object cannot skip the rules.
   * @throws INVALID_HYPERPARAMETER, MISSING_HYPERPARAMETER, UNKNOWN_HYPERPARAMETER, as
   *   `parsePCAHyperparameters`.
   */
  constructor(paramsOrOptions: PCAParams | PCAOptions) {
    this.params = validatePCAOptions(paramsOrOptions);
  }

  /**
   * Fits the model on x (n×d, n ≥ 2). x is not modified; the same x always gives a bit-identical model.
   * @throws INVALID_ARGUMENT (fewer than 2 rows), INVALID_HYPERPARAMETER (num_components > d, or
   *   feature_dim ≠ d), NON_NUMERIC_VALUE (NaN/±Infinity), WIDTH_MISMATCH (featureNames length).
   */
  fit(x: Matrix, options: PCAFitOptions = {}): PCAModel {
    checkRows(x, 2, "PCA.fit");
    checkPCAWidth(x.cols);
    const logger = options.logger ?? silentLogger;
    const rounds = pcaRounds(this.params, x.cols, logger);
    if (rounds.executor === "RandomizedPCAExecutor") {
      checkFinite(x);
      const model = fitPCAInline(pcaPlan(x), rounds, { featureNames: options.featureNames, logger });
      logger.log(
        "debug",
        `Randomized PCA fitted ${model.numComponents} of ${x.cols} components on ${x.rows} rows.`,
      );
      return model;
    }
    const threads = threadsFor(x.rows * x.cols, options.threads);
    const stats = shardedStats(x, { threads });
    // A NaN or ±Infinity anywhere makes the sums non-finite; only then scan for it, to name its row and column.
    if (!stats.mean.every(Number.isFinite) || !stats.scatter.every(Number.isFinite)) checkFinite(x);
    const model = finalize(stats, this.params, { featureNames: options.featureNames, logger });
    logger.log("debug", `PCA fitted ${model.numComponents} of ${x.cols} components on ${x.rows} rows.`);
    return model;
  }

  /**
   * Fits the model as contract rounds on `executor` (worker threads, a cluster, or inline): the same model,
   * bit for bit, as `fit` — either mode — and as a training job over the same rows.
   * @throws as {@link PCA.fit}.
   * @example
   * const model = await new PCA({ numComponents: 5, algorithmMode: "randomized" }).fitOn(new InlineExecutor(), x);
   */
  async fitOn(
    executor: RoundExecutor,
    x: Matrix,
    options: Omit<PCAFitOptions, "threads"> = {},
  ): Promise<PCAModel> {
    checkRows(x, 2, "PCA.fitOn");
    checkPCAWidth(x.cols);
    checkFinite(x);
    const logger = options.logger ?? silentLogger;
    const rounds = pcaRounds(this.params, x.cols, logger);
    return fitPCARounds(executor, pcaPlan(x), rounds, { featureNames: options.featureNames, logger });
  }
}
