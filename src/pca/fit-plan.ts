/**
 * Which contract algorithm a PCA fit runs, and its rounds on any executor or on the caller's thread: regular
 * mode's exact statistics (pca-rounds.ts), or randomized mode's sketch and power passes (randomized.ts). The
 * estimator (`PCA.fit`, `PCA.fitOn`) and the training job choose and run their rounds here, so the two agree
 * bit for bit over the same shard plan.
 *
 * When randomized mode's sketch would have ℓ = num_components + extra_components ≥ d rows, it saves nothing:
 * the exact d×d scatter is no larger than the ℓ×d sketch, and gives the exact answer in the same single pass.
 * SageMaker's container logs a warning then (spec §1.2); Strata logs the same words and fits regular mode's
 * statistics, so the model equals regular mode's.
 * @module
 */
import {
  type AlgorithmRef,
  mergeInOrder,
  type RoundOutcome,
  type RowShard,
  runShard,
  type Shard,
  type ShardAlgorithm,
} from "../contract/contract.js";
import type { RoundExecutor } from "../contract/executor.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { type PCAParams, sketchSize } from "./hyperparameters.js";
import { finalize, type PCAStats } from "./partial-stats.js";
import type { PCAModel } from "./pca-model.js";
import { PCA_STATS, PCA_STATS_REF } from "./pca-rounds.js";
import {
  finishRandomized,
  RANDOMIZED_PCA,
  RANDOMIZED_PCA_REF,
  type RandomizedPartial,
  type RandomizedState,
  randomizedStart,
} from "./randomized.js";
import type { FinalizeOptions } from "./spectrum-model.js";

/** SageMaker's warning when the sketch is not smaller than the data's width (spec §1.2, observed in a log). */
export const SKETCH_TOO_WIDE_WARNING =
  "The total number of components and extra components should be less than the number of features";

/** A fit's rounds: the algorithm, its first state, and how a merged round ends with finalize's options. */
export interface PCARounds<S = unknown, P = unknown> {
  /** What ran, in SageMaker's words for the log: `PCAExecutor` or `RandomizedPCAExecutor`. */
  readonly executor: "PCAExecutor" | "RandomizedPCAExecutor";
  readonly ref: AlgorithmRef;
  readonly algorithm: ShardAlgorithm<S, P, PCAModel>;
  readonly start: S;
  /** Rounds the fit takes: 1, or 1 + power_iterations. */
  readonly rounds: number;
  finish(merged: P, state: S, options: FinalizeOptions): RoundOutcome<S, PCAModel>;
}

/**
 * The rounds of a fit with `params` over data `width` columns wide. Randomized mode with ℓ ≥ width logs
 * SageMaker's warning and the fallback (warn) to `logger`, and runs regular mode's statistics.
 * @example const rounds = pcaRounds(params, x.cols, logger);
 */
export function pcaRounds(params: PCAParams, width: number, logger: Logger = silentLogger): PCARounds {
  if (params.algorithmMode === "randomized") {
    const ell = sketchSize(params);
    if (ell < width) {
      const randomized: PCARounds<RandomizedState, RandomizedPartial> = {
        executor: "RandomizedPCAExecutor",
        ref: RANDOMIZED_PCA_REF,
        algorithm: RANDOMIZED_PCA,
        start: randomizedStart(params, width),
        rounds: 1 + params.powerIterations,
        finish: finishRandomized,
      };
      return randomized as PCARounds;
    }
    logger.log(
      "warn",
      `${SKETCH_TOO_WIDE_WARNING}: num_components + extra_components = ${ell}, features = ${width}. Fitting regular mode's exact statistics instead (their ${width}x${width} scatter is no larger than the sketch).`,
      { sketchRows: ell, features: width },
    );
  }
  const regular: PCARounds<PCAParams, PCAStats> = {
    executor: "PCAExecutor",
    ref: PCA_STATS_REF,
    algorithm: PCA_STATS,
    start: params,
    rounds: 1,
    finish: (merged, state, options) => ({ done: true, model: finalize(merged, state, options) }),
  };
  return regular as PCARounds;
}

/** Options of {@link fitPCARounds} and {@link fitPCAInline}. */
export interface PCARoundOptions extends FinalizeOptions {
  /** Checked before every round. */
  readonly signal?: AbortSignal | undefined;
  /** Called before each round with its number (1-based) and the fit's total. */
  readonly onRound?: (round: number, of: number) => void;
}

/**
 * The model of `rounds` over a shard plan whose rows were already checked (finite values), on `executor`.
 * @throws as the algorithm's finalize; the signal's reason when aborted.
 */
export async function fitPCARounds(
  executor: RoundExecutor,
  plan: readonly Shard[],
  rounds: PCARounds,
  options: PCARoundOptions = {},
): Promise<PCAModel> {
  let state = rounds.start;
  for (let round = 1; ; round++) {
    options.signal?.throwIfAborted();
    options.onRound?.(round, rounds.rounds);
    const partials = await executor.round(rounds.ref, state, plan);
    options.signal?.throwIfAborted();
    const outcome = rounds.finish(mergeInOrder(rounds.algorithm, partials, state), state, options);
    if (outcome.done) return outcome.model;
    state = outcome.state;
  }
}

/**
 * The same rounds on the caller's thread, synchronously (the estimator's `fit`): shard by shard, merged in
 * the same order, so the model has the bits of {@link fitPCARounds} over the same plan.
 */
export function fitPCAInline(
  plan: readonly RowShard[],
  rounds: PCARounds,
  options: PCARoundOptions = {},
): PCAModel {
  let state = rounds.start;
  for (let round = 1; ; round++) {
    options.signal?.throwIfAborted();
    options.onRound?.(round, rounds.rounds);
    const current = state;
    const partials = plan.map((shard) => runShard(rounds.algorithm, current, shard));
    const outcome = rounds.finish(mergeInOrder(rounds.algorithm, partials, state), state, options);
    if (outcome.done) return outcome.model;
    state = outcome.state;
  }
}
