/**
 * The end of web-scale k-means (spec §2.2, step 3): the union of every shard's K weighted centres is reduced
 * to k by Lloyd's algorithm on the weighted centres — full-batch.ts's Lloyd with restarts and sample weights,
 * each centre weighing its (decayed) number of points — seeded by `local_lloyd_init_method`, at most
 * `local_lloyd_max_iter` iterations with `local_lloyd_tol`, `local_lloyd_num_trials` attempts, the lowest
 * weighted loss winning (SageMaker logs "shrinking 70 centers into 7", "local kmeans attempt #0 … Current mean
 * square distance …"). It runs on one thread wherever `finalize` runs: the centres are few (K per shard).
 *
 * A centre whose weight decayed to exactly 0 (a short `half_life_time_size` underflows 2^(−B/h)) holds no
 * point any more and is left out, unless that would leave fewer than k centres: then the zero weights are
 * raised to the smallest positive one, so the reduction still has k centres to choose from.
 * @module
 */

import type { Matrix } from "../../linalg/matrix.js";
import { matrix } from "../../linalg/matrix.js";
import { fitFullBatch } from "../full-batch.js";
import { resolveKMeansParams } from "../hyperparameters.js";
import type { WebScaleSettings } from "./settings.js";
import type { ShardCentres } from "./shard-stream.js";

export interface ReductionResult {
  /** k × d centres. */
  readonly centres: Matrix;
  /** Weighted centres the reduction started from (the union over shards, less those of weight 0). */
  readonly inputCentres: number;
  /** Centres left out because their weight had decayed to 0. */
  readonly droppedCentres: number;
  /** Σ of the input centres' weights. */
  readonly totalWeight: number;
  /**
   * Each attempt's loss, Σ w·‖c − nearest final centre‖² over the input centres; divided by `totalWeight`,
   * SageMaker's "mean square distance" of the attempt.
   */
  readonly attemptInertias: readonly number[];
  /** 0-based winning attempt (lowest loss; ties to the earliest). */
  readonly bestAttempt: number;
  /** Lloyd iterations of the winning attempt, and whether it converged. */
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Reduces the shards' weighted centres (in shard order) to `settings.k` centres.
 * @example const { centres } = reduceCentres(shards, 5, settings);
 */
export function reduceCentres(
  shards: readonly ShardCentres[],
  d: number,
  settings: WebScaleSettings,
): ReductionResult {
  const { centres, weights, dropped } = union(shards, d, settings.k);
  const { k, seed, reduction } = settings;
  const params = resolveKMeansParams({
    k,
    seed,
    initMethod: reduction.initMethod,
    maxIterations: reduction.maxIterations,
    tol: reduction.tol,
    numTrials: reduction.numTrials,
  });
  const fitted = fitFullBatch(centres, params, { sampleWeight: weights, threads: 1 });
  const training = fitted.training!;
  const totalWeight = training.totalWeight!;
  return {
    centres: fitted.centroids,
    inputCentres: centres.rows,
    droppedCentres: dropped,
    totalWeight,
    attemptInertias: training.trialInertias,
    bestAttempt: training.bestTrial,
    iterations: training.iterations,
    converged: training.converged,
  };
}

/** The shards' centres stacked in shard order with their weights, zero weights handled as the header says. */
function union(
  shards: readonly ShardCentres[],
  d: number,
  k: number,
): { centres: Matrix; weights: Float64Array; dropped: number } {
  let total = 0;
  let positive = 0;
  let smallest = Number.POSITIVE_INFINITY;
  for (const s of shards) {
    total += s.weights.length;
    for (const w of s.weights)
      if (w > 0) {
        positive++;
        smallest = Math.min(smallest, w);
      }
  }
  const keepZero = positive < k;
  const rows = keepZero ? total : positive;
  const centres = matrix(rows, d);
  const weights = new Float64Array(rows);
  let at = 0;
  for (const s of shards) {
    for (let j = 0; j < s.weights.length; j++) {
      const w = s.weights[j]!;
      if (w <= 0 && !keepZero) continue;
      centres.data.set(s.centres.subarray(j * d, (j + 1) * d), at * d);
      weights[at] = w > 0 ? w : smallest;
      at++;
    }
  }
  return { centres, weights, dropped: total - rows };
}
