/**
 * Full-batch K-Means over a channel that is streamed, not held (contract.ts `StreamShard`s, one per object or
 * row range): Lloyd with restarts as full-batch.ts runs it in memory, with every pass over the data a round of
 * the contract on any executor — a cluster's workers each reading their own objects. SageMaker's K-Means
 * always trains web-scale; this is what `training_mode=full-batch` asks for when the rows cannot be held.
 *
 *   pass 1 (tol > 0)  the data's per-feature moments: the tolerance's scale, mean_f Var(x_f), as in memory
 *   pass 2            a uniform sample of SEED_SAMPLE_ROWS rows (init/sample-rounds.ts), plan-independent
 *   per restart       k-means++ (or random) seeding on the sample with the restart's `rng.fork()`, then Lloyd
 *                     rounds over every row (lloyd-rounds.ts) until the rule of full-batch.ts holds
 *
 * The restart of lowest inertia wins. A channel of at most SEED_SAMPLE_ROWS rows is its own sample, so its
 * seeds are the in-memory fit's; the iterations then sum per shard and merge in shard order, so the model
 * equals the in-memory one to rounding (and the same plan anywhere gives the same bits).
 * @module
 */
import type { StreamShard } from "../contract/contract.js";
import { fitRounds, type RoundExecutor } from "../contract/executor.js";
import { StrataError } from "../errors.js";
import { createRng } from "../linalg/rng.js";
import { MOMENT_STATS_REF, type MomentStats } from "../preprocess/scaler-stats.js";
import { silentLogger } from "../util/logger.js";
import type { EngineTrialResult } from "./engine.js";
import type { KMeansFitOptions } from "./fit-options.js";
import { bestRestartModel, seedRestart } from "./full-batch.js";
import type { KMeansParams } from "./hyperparameters.js";
import {
  ROW_SAMPLE_REF,
  type RowSample,
  type SamplePartial,
  type SampleState,
} from "./init/sample-rounds.js";
import type { KMeansModel } from "./kmeans-model.js";
import {
  iterationEvents,
  LLOYD_ROUNDS_REF,
  type LloydModel,
  type LloydRoundPartial,
  type LloydRoundState,
} from "./lloyd-rounds.js";
import { fixedRestarts } from "./restart-count.js";

/** Rows the restarts seed from: k-means++ over 65,536 rows takes milliseconds, and spreads k centres well. */
export const SEED_SAMPLE_ROWS = 65_536;

/**
 * Fits k centroids by Lloyd with restarts over streamed shards on `executor`.
 * @throws StrataError INVALID_HYPERPARAMETER when k exceeds the rows; the shards' read errors; the signal's
 *   reason when aborted
 */
export async function fitFullBatchStreamed(
  executor: RoundExecutor,
  shards: readonly StreamShard[],
  shape: { readonly rows: number; readonly cols: number },
  p: KMeansParams,
  options: Pick<KMeansFitOptions, "logger" | "featureNames" | "signal" | "onIteration"> = {},
): Promise<KMeansModel> {
  const logger = options.logger ?? silentLogger;
  if (p.k > shape.rows)
    throw new StrataError(
      "INVALID_HYPERPARAMETER",
      `k=${p.k} is more than the ${shape.rows} rows of the data: K-Means needs at least k rows.`,
      { details: { hyperparameter: "k", k: p.k, rows: shape.rows } },
    );
  const signal = options.signal;
  let tolerance = 0;
  if (p.tol > 0) {
    const { model } = await fitRounds<null, MomentStats, MomentStats>(
      executor,
      MOMENT_STATS_REF,
      null,
      shards,
      {
        signal,
      },
    );
    tolerance = p.tol * meanVariance(model);
  }
  const { model: drawn } = await fitRounds<SampleState, SamplePartial, RowSample>(
    executor,
    ROW_SAMPLE_REF,
    // k-means++ needs at least k rows: a k above the sample's size takes a sample of k.
    { size: Math.max(SEED_SAMPLE_ROWS, p.k), seed: p.seed },
    shards,
    { signal },
  );
  const sample = drawn.sample;
  logger.log(
    "info",
    `K-Means full-batch: the restarts seed from ${sample.rows === shape.rows ? `all ${sample.rows} rows` : `a uniform sample of ${sample.rows} of the ${shape.rows} rows`}; every iteration is a pass over the ${shards.length} shards on ${executor.where}.`,
    { sampleRows: sample.rows, rows: shape.rows, shards: shards.length },
  );
  const seeder = createRng(p.seed);
  const trials: EngineTrialResult[] = [];
  let best = 0;
  for (let trial = 0; trial < fixedRestarts(p); trial++) {
    const rng = seeder.fork();
    const initial = seedRestart(sample, p, rng, 1, undefined);
    const { model } = await fitRounds<LloydRoundState, LloydRoundPartial, LloydModel>(
      executor,
      LLOYD_ROUNDS_REF,
      { centres: initial, iteration: 0, maxIterations: p.maxIterations, tol: tolerance },
      shards,
      {
        signal,
        onRound: iterationEvents(options.onIteration && ((e) => options.onIteration!({ ...e, trial }))),
      },
    );
    trials.push(model);
    if (model.inertia < trials[best]!.inertia) best = trial;
  }
  return bestRestartModel(trials, best, p, { numRows: shape.rows, sizes: trials[best]!.sizes }, options);
}

/** mean_f Var(x_f) (population variance) from the data's moments. */
function meanVariance(m: MomentStats): number {
  let total = 0;
  for (let t = 0; t < m.m2.length; t++) total += m.m2[t]!;
  return total / m.count / m.m2.length;
}
