/**
 * The K-Means estimator: full-batch Lloyd iterations (Lloyd 1982) from k-means++ (Arthur & Vassilvitskii
 * 2007) or random seeds, repeated `numTrials` times; the restart with the lowest inertia wins. Each restart
 * draws from its own `rng.fork()` of the seed, so the same seed gives a bit-identical model.
 *
 * Convergence (scikit-learn's rule, `_kmeans_single_lloyd`): a restart stops after the iteration in which
 * either (a) no row changed cluster ("strict" convergence), or (b) the squared Frobenius norm of the centre
 * shift, Σ_j ‖c_j(new) − c_j(old)‖², is at most `tol × mean_f Var(x_f)`: tol times the mean of the per-feature
 * (population) variances of the data, which makes `tol` independent of the data's scale. `tol = 0` means "run
 * until labels stop changing or maxIterations". After the loop a final assignment pass makes the inertia and
 * cluster sizes consistent with the final centroids.
 * @module
 */
import { StrataError } from "../errors.js";
import type { Matrix } from "../linalg/matrix.js";
import { createRng, type Rng } from "../linalg/rng.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { assignNearest } from "./assign.js";
import {
  checkParamsAgainstData,
  type KMeansOptions,
  type KMeansParams,
  resolveKMeansParams,
} from "./hyperparameters.js";
import { initKMeansPlusPlus } from "./init/kmeans-plus-plus.js";
import { initRandom } from "./init/random.js";
import { KMeansModel } from "./kmeans-model.js";
import { runTrial, type TrialResult } from "./trial.js";

/** Progress of one Lloyd iteration, reported to `onIteration`. */
export interface KMeansIterationEvent {
  /** 0-based restart. */
  readonly trial: number;
  /** 1-based iteration within the restart. */
  readonly iteration: number;
  /** Inertia of the assignment made in this iteration (against the centres it started from). */
  readonly inertia: number;
  /** Σ‖c(new) − c(old)‖² of this iteration's update. */
  readonly centreShift: number;
  /** Empty clusters relocated in this iteration. */
  readonly relocated: number;
}

/** Options of {@link KMeans.fit}. */
export interface KMeansFitOptions {
  /** Receives non-convergence warnings and a summary line; default silent. */
  readonly logger?: Logger;
  /** Checked before every iteration; aborting throws the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called after every Lloyd iteration of every restart. */
  readonly onIteration?: (event: KMeansIterationEvent) => void;
}

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
   *   (fewer than 2 rows, or a value that is not finite); the signal's reason when aborted
   */
  fit(x: Matrix, options: KMeansFitOptions = {}): KMeansModel {
    const { logger = silentLogger, signal, onIteration } = options;
    const p = this.params;
    if (x.rows < 2) {
      throw new StrataError("INVALID_ARGUMENT", `K-Means needs at least 2 rows; the data has ${x.rows}.`, {
        details: { rows: x.rows },
      });
    }
    checkParamsAgainstData(p, x.rows, x.cols);
    checkFinite(x);
    const tolerance = p.tol * meanVariance(x);
    const seeder = createRng(p.seed);
    const trials: TrialResult[] = [];
    let best = 0;
    for (let trial = 0; trial < p.numTrials; trial++) {
      const rng = seeder.fork();
      const result = runTrial(x, {
        initial: initialCentres(x, p, rng),
        maxIterations: p.maxIterations,
        tolerance,
        signal,
        onIteration: onIteration && ((e) => onIteration({ ...e, trial })),
      });
      trials.push(result);
      if (result.inertia < trials[best]!.inertia) best = trial;
    }
    const winner = trials[best]!;
    const { labels, dist2 } = assignNearest(x, winner.centres);
    let inertia = 0;
    for (let i = 0; i < dist2.length; i++) inertia += dist2[i]!;
    const sizes = new Array<number>(p.k).fill(0);
    for (let i = 0; i < labels.length; i++) sizes[labels[i]!]!++;
    report(logger, trials, best, p, sizes);
    return new KMeansModel(winner.centres, {
      inertia,
      msd: inertia / x.rows,
      iterations: winner.iterations,
      converged: winner.converged,
      numRows: x.rows,
      bestTrial: best,
      trialInertias: Object.freeze(trials.map((t) => t.inertia)),
      sizes: Object.freeze(sizes),
    });
  }
}

function initialCentres(x: Matrix, p: KMeansParams, rng: Rng): Matrix {
  return p.initMethod === "random"
    ? initRandom(x, p.k, rng).centres
    : initKMeansPlusPlus(x, p.k, rng).centres;
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
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t]! += X[i * d + t]!;
  for (let t = 0; t < d; t++) mean[t]! /= n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const diff = X[i * d + t]! - mean[t]!;
      total += diff * diff;
    }
  }
  return total / n / d;
}

function checkFinite(x: Matrix): void {
  const bad = x.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const r = Math.floor(bad / x.cols);
    const c = bad % x.cols;
    throw new StrataError(
      "INVALID_ARGUMENT",
      `Row ${r}, column ${c} is ${x.data[bad]}; K-Means needs finite values (clean or impute the data first).`,
      { details: { row: r, column: c } },
    );
  }
}
