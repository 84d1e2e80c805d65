/**
 * Full-batch K-Means: Lloyd iterations (Lloyd 1982) from k-means++ (Arthur & Vassilvitskii 2007) or random
 * seeds, repeated `numTrials` times (or, for `auto`, until 5 restarts in a row bring no lower inertia:
 * restart-count.ts); the
 * restart with the lowest inertia wins. On up to 65,536 rows each seeded restart's Lloyd optimum is refined by
 * Hartigan's single-row moves (hartigan.ts), a lower optimum that Lloyd cannot leave; Lloyd from given centres
 * (`initialCentres`) is left as Lloyd ends it. Each restart draws from its own
 * `rng.fork()` of the seed, so the same seed gives a bit-identical model. `KMeans` (kmeans.ts) runs this for
 * `training_mode=full-batch`; web-scale training runs it too, for its final K → k reduction over weighted
 * centres (web-scale/reduce.ts).
 *
 * Convergence (scikit-learn's rule, `_kmeans_single_lloyd`): a restart stops after the iteration in which
 * either (a) no row changed cluster ("strict" convergence), or (b) the squared Frobenius norm of the centre
 * shift, Σ_j ‖c_j(new) − c_j(old)‖², is at most `tol × mean_f Var(x_f)`: tol times the mean of the per-feature
 * (population) variances of the data, which makes `tol` independent of the data's scale. `tol = 0` means "run
 * until labels stop changing or maxIterations". After the loop a final assignment pass makes the inertia and
 * cluster sizes consistent with the final centroids.
 *
 * Each restart runs on engine.ts: Hamerly 2010's bounds skip the distance computations that cannot change a
 * row's label (identical results to plain Lloyd), and seeding, assignment and partial sums run as fixed row
 * shards on worker threads for large inputs, merged in shard order so every thread count gives the same bits.
 *
 * Sample weights (`sampleWeight`, scikit-learn's `sample_weight`; e.g. each county's population): a row of
 * weight w counts as w rows in the seeding, the centre means and the inertia (restarts compete on the weighted
 * inertia). The convergence tolerance stays on the plain variance, as in scikit-learn. SageMaker's K-Means
 * takes no weights: this is a Strata extension (hyperparameter `sample_weights`, jobs/algorithms/kmeans.ts).
 * @module
 */
import { rowShards } from "../contract/contract.js";
import { memoKey, type RoundExecutor } from "../contract/executor.js";
import { StrataError } from "../errors.js";
import { columnMeans } from "../linalg/kernels.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { createRng, type Rng } from "../linalg/rng.js";
import { resolveThreads } from "../parallel/pool.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { rowsPerCluster } from "./assign.js";
import { type EngineTrialResult, runTrialFast } from "./engine.js";
import { checkFitInput } from "./fit-checks.js";
import type { KMeansFitOptions } from "./fit-options.js";
import { hartiganRefine } from "./hartigan.js";
import type { KMeansParams } from "./hyperparameters.js";
import { initKMeansPlusPlus } from "./init/kmeans-plus-plus.js";
import { initRandom } from "./init/random.js";
import { KMeansModel } from "./kmeans-model.js";
import { runTrialRounds } from "./lloyd-rounds.js";
import {
  AUTO_RESTARTS,
  autoRestarts,
  fixedRestarts,
  REFINE_MAX_ROWS,
  RestartCounter,
} from "./restart-count.js";
import { KMEANS_SHARD_ROWS } from "./shard-kernels.js";
import type { TrialOptions, TrialResult } from "./trial.js";

/** Below this many rows a full-batch fit stays on the calling thread (thread start-up costs more than the work). */
export const PARALLEL_MIN_ROWS = 65_536;

/**
 * Fits k centroids to the rows of `x` (n × d; not mutated) by Lloyd with restarts, on the in-memory engine.
 * @throws StrataError WIDTH_MISMATCH (d ≠ featureDim), INVALID_HYPERPARAMETER (k > n), INVALID_ARGUMENT
 *   (fewer than 2 rows), NON_NUMERIC_VALUE (a value that is not finite); the signal's reason when aborted
 * @example
 * const model = fitFullBatch(x, resolveKMeansParams({ k: 7 }), { threads: 1 });
 */
export function fitFullBatch(x: Matrix, params: KMeansParams, options: KMeansFitOptions = {}): KMeansModel {
  const threads = x.rows < PARALLEL_MIN_ROWS ? 1 : resolveThreads(options.threads);
  const engine = {
    threads,
    algorithm: options.algorithm ?? "hamerly",
    ...(options.kernels === undefined ? {} : { kernels: options.kernels }),
  } as const;
  const run = restarts(x, params, options, threads);
  let step = run.next();
  while (!step.done) step = run.next(runTrialFast(x, step.value, engine));
  return step.value;
}

/**
 * The same fit with its Lloyd iterations as rounds of the algorithm contract on `executor` (inline, worker
 * threads, or a cluster's), over the engine's shard plan: the same model, bit for bit, as {@link fitFullBatch}.
 * Seeding runs here, on the caller's data.
 * @throws as {@link fitFullBatch}
 */
export async function fitFullBatchOn(
  executor: RoundExecutor,
  x: Matrix,
  params: KMeansParams,
  options: Omit<KMeansFitOptions, "algorithm" | "kernels"> = {},
): Promise<KMeansModel> {
  const threads = x.rows < PARALLEL_MIN_ROWS ? 1 : resolveThreads(options.threads);
  const run = restarts(x, params, options, threads);
  const plan = rowShards(x, { shardRows: KMEANS_SHARD_ROWS, chunkRows: KMEANS_SHARD_ROWS });
  // The restarts share the shards' memos (their copies of the rows); restarts() has checked the rows.
  const fit = { memo: memoKey(), checked: true };
  try {
    let step = run.next();
    while (!step.done) step = run.next(await runTrialRounds(executor, x, plan, step.value, fit));
    return step.value;
  } finally {
    executor.forget(fit.memo);
  }
}

/**
 * The restarts of a fit, whichever way their iterations run: checks the data, seeds each restart and yields
 * its settings, receives its result, and returns the model of the best. `fit` runs the restarts on the
 * in-memory engine, `fitOn` as contract rounds; both drive this one generator.
 */
export function* restarts(
  x: Matrix,
  p: KMeansParams,
  options: KMeansFitOptions,
  threads: number,
): Generator<TrialOptions, KMeansModel, EngineTrialResult> {
  const { signal, onIteration, initialCentres } = options;
  const weights = checkFitInput(x, p, options);
  // tol = 0 (fixed iterations) needs no pass over the data for the variance.
  const tolerance = p.tol === 0 ? 0 : p.tol * meanVariance(x);
  if (initialCentres !== undefined) checkInitialCentres(initialCentres, p.k, x.cols);
  const seeder = createRng(p.seed);
  const trials: RefinedTrial[] = [];
  let best = 0;
  // Given starting centres mean Lloyd from them, as scikit-learn's init=array: only seeded restarts are refined.
  const refine = initialCentres === undefined && (options.refine ?? x.rows <= REFINE_MAX_ROWS);
  const count =
    initialCentres === undefined
      ? new RestartCounter(fixedRestarts(p), refine && autoRestarts(p))
      : new RestartCounter(1, false);
  let moves = 0;
  for (let trial = 0; count.more; trial++) {
    const rng = seeder.fork();
    const initial = initialCentres ?? seedRestart(x, p, rng, threads, weights);
    const lloyd = yield {
      initial,
      maxIterations: p.maxIterations,
      tolerance,
      signal,
      onIteration: onIteration && ((e) => onIteration({ ...e, trial })),
      weights,
    };
    const result = refine ? refined(x, lloyd, p.k, weights) : { ...lloyd, moves: 0 };
    moves += result.moves;
    trials.push(result);
    count.record(result.inertia);
    if (result.inertia < trials[best]!.inertia) best = trial;
  }
  if (refine)
    (options.logger ?? silentLogger).log(
      "info",
      `K-Means: ${trials.length} restarts${autoRestarts(p) ? ` (local_lloyd_num_trials=auto: until ${AUTO_RESTARTS.patience} in a row did not lower the best, ${AUTO_RESTARTS.min} to ${AUTO_RESTARTS.max}; the best came at restart ${count.bestAt})` : ""}, each refined by Hartigan's single-row moves (${moves} rows moved in all).`,
      { restarts: trials.length, bestAt: count.bestAt, hartiganMoves: moves },
    );
  const winner = trials[best]!;
  // Weighted, the restart's counts are the clusters' weights; the sizes count the rows of the same assignment.
  const sizes = weights === undefined ? [...winner.sizes] : rowsPerCluster(x, winner.centres);
  const weighting =
    weights === undefined
      ? {}
      : { clusterWeights: Object.freeze([...winner.sizes]), totalWeight: sum(weights) };
  return bestRestartModel(trials, best, p, { numRows: x.rows, sizes, ...weighting }, options);
}

/** A restart and the rows Hartigan's moves moved after its Lloyd (0: not refined, or nothing to move). */
interface RefinedTrial extends EngineTrialResult {
  readonly moves: number;
}

/** A Lloyd restart refined by Hartigan's moves (hartigan.ts); the centres are the refined clusters' means. */
function refined(
  x: Matrix,
  lloyd: EngineTrialResult,
  k: number,
  weights: Float64Array | undefined,
): RefinedTrial {
  const r = hartiganRefine(x, lloyd.centres.data, k, weights);
  if (r.moves === 0) return { ...lloyd, moves: 0 };
  return {
    ...lloyd,
    centres: matrix(k, x.cols, r.centres),
    inertia: r.inertia,
    sizes: r.sizes,
    moves: r.moves,
  };
}

/**
 * The model of restart `best` of `trials`, logged (restarts that did not converge, empty clusters, the winner).
 * The restart's final pass already assigned every row against the winning centres: its inertia and counts
 * are those of the model (equal to assignNearest's, summed in shard order).
 */
export function bestRestartModel(
  trials: readonly EngineTrialResult[],
  best: number,
  p: KMeansParams,
  rows: {
    readonly numRows: number;
    readonly sizes: readonly number[];
    readonly clusterWeights?: readonly number[];
    readonly totalWeight?: number;
  },
  options: Pick<KMeansFitOptions, "logger" | "featureNames">,
): KMeansModel {
  const winner = trials[best]!;
  const inertia = winner.inertia;
  const { numRows, sizes, clusterWeights, totalWeight } = rows;
  report(options.logger ?? silentLogger, trials, best, p, sizes);
  return new KMeansModel(
    winner.centres,
    {
      inertia,
      msd: inertia / (totalWeight ?? numRows),
      iterations: winner.iterations,
      converged: winner.converged,
      numRows,
      bestTrial: best,
      trialInertias: Object.freeze(trials.map((t) => t.inertia)),
      sizes: Object.freeze([...sizes]),
      ...(clusterWeights === undefined || totalWeight === undefined
        ? {}
        : { clusterWeights: Object.freeze([...clusterWeights]), totalWeight }),
    },
    options.featureNames,
  );
}

/** A restart's k initial centres from the rows of `x`: `init_method` random or k-means++. */
export function seedRestart(
  x: Matrix,
  p: KMeansParams,
  rng: Rng,
  threads: number,
  weights: Float64Array | undefined,
): Matrix {
  return p.initMethod === "random"
    ? initRandom(x, p.k, rng, weights).centres
    : initKMeansPlusPlus(x, p.k, rng, { threads, weights }).centres;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

function checkInitialCentres(c: Matrix, k: number, d: number): void {
  if (c.rows !== k || c.cols !== d || !c.data.every(Number.isFinite)) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `initialCentres is ${c.rows}x${c.cols}; expected ${k}x${d} finite values (k x the number of features).`,
      { details: { expected: [k, d], received: [c.rows, c.cols] } },
    );
  }
}

function report(
  logger: Logger,
  trials: readonly TrialResult[],
  best: number,
  p: KMeansParams,
  sizes: readonly number[],
): void {
  const notConverged = trials.filter((t) => !t.converged).length;
  if (notConverged > 0) {
    logger.log(
      "warn",
      `K-Means: ${notConverged} of ${trials.length} restarts did not converge within ${p.maxIterations} iterations; raise max_iterations or tol.`,
      { notConverged, numTrials: trials.length, maxIterations: p.maxIterations },
    );
  }
  const empty = sizes.flatMap((n, j) => (n === 0 ? [j] : []));
  if (empty.length > 0) {
    logger.log(
      "warn",
      `K-Means: ${empty.length} of ${p.k} clusters (${empty.join(", ")}) have no training rows; the data has fewer distinct rows than k.`,
      { emptyClusters: empty, k: p.k },
    );
  }
  const w = trials[best]!;
  logger.log(
    "info",
    `K-Means: restart ${best} of ${trials.length} won with inertia ${w.inertia} after ${w.iterations} iterations.`,
    {
      bestTrial: best,
      inertia: w.inertia,
      iterations: w.iterations,
    },
  );
}

/** Mean over features of the population variance (two-pass), the scale of scikit-learn's tolerance. */
export function meanVariance(x: Matrix): number {
  const { rows: n, cols: d, data: X } = x;
  const mean = columnMeans(x);
  let total = 0;
  for (let off = 0; off < n * d; off += d) total = addSquaredDeviations(total, X, off, d, mean);
  return total / n / d;
}

/**
 * total plus the squared deviations of the row at `off`, one by one (the order of one loop over the rows). A
 * function per row, as linalg/kernels.ts' column sums.
 */
function addSquaredDeviations(
  total: number,
  X: Float64Array,
  off: number,
  d: number,
  mean: Float64Array,
): number {
  for (let t = 0; t < d; t++) {
    const diff = X[off + t]! - mean[t]!;
    total += diff * diff;
  }
  return total;
}
