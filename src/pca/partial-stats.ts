/**
 * Mergeable PCA statistics: the exact summary SageMaker's regular mode builds per worker (spec §1.2), kept
 * in centred form for accuracy — row count n, column mean (d) and centred scatter Σ (xᵢ − mean)(xᵢ − mean)ᵀ
 * (d×d). Shards are summarised independently with {@link accumulate} and combined with {@link mergeStats},
 * the pairwise update of Chan, Golub & LeVeque ("Updating formulae and a pairwise algorithm for computing
 * sample variances", Stanford CS-79-773, 1979), generalised from variances to the scatter matrix. The
 * uncentred second moment Σ xᵢxᵢᵀ needed by subtract_mean=false is recovered exactly as scatter + n·mean·meanᵀ.
 * Stats are plain frozen objects of numbers and Float64Arrays (structured-clone safe for worker threads).
 * @module
 */
import { StrataError } from "../errors.js";
import { checkFinite, checkWidth } from "../linalg/checks.js";
import { DEFAULT_PANEL_ROWS, mirrorUpper } from "../linalg/kernels.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { accumulateScatterRange, rangeMeans } from "../linalg/scatter.js";
import { symmetricEigen } from "../linalg/sym-eigen.js";
import type { PCAParams } from "./hyperparameters.js";
import type { PCAModel } from "./pca-model.js";
import { checkFitShape, type FinalizeOptions, modelFromSpectrum } from "./spectrum-model.js";

export type { FinalizeOptions } from "./spectrum-model.js";

/** Sufficient statistics of a set of rows. Treat as immutable. */
export interface PCAStats {
  readonly numFeatures: number;
  /** Number of rows summarised. */
  readonly count: number;
  /** Column means, length numFeatures (zeros when count = 0). */
  readonly mean: Float64Array;
  /** Centred scatter, numFeatures×numFeatures row-major, exactly symmetric. */
  readonly scatter: Float64Array;
}

/** Options of {@link accumulate}. */
export interface AccumulateOptions {
  /** Rows per panel of the blocked scatter kernel (default 128); affects speed, not the result's meaning. */
  readonly panelRows?: number;
}

function stats(numFeatures: number, count: number, mean: Float64Array, scatter: Float64Array): PCAStats {
  return Object.freeze({ numFeatures, count, mean, scatter });
}

/** The identity of {@link mergeStats}: no rows over d features. */
export function emptyStats(numFeatures: number): PCAStats {
  return stats(numFeatures, 0, new Float64Array(numFeatures), new Float64Array(numFeatures * numFeatures));
}

/**
 * Returns new stats covering the rows of `stats` plus those of x (n×d). The batch is centred on its own mean
 * (two-pass, no cancellation) and merged in. Neither argument is modified.
 * @throws WIDTH_MISMATCH when x.cols ≠ stats.numFeatures; NON_NUMERIC_VALUE for NaN/±Infinity.
 * @example
 * const s = accumulate(emptyStats(x.cols), x);
 */
export function accumulate(current: PCAStats, x: Matrix, options: AccumulateOptions = {}): PCAStats {
  checkWidth(x, current.numFeatures, `the statistics cover ${current.numFeatures} features`);
  checkFinite(x);
  return mergeStats(current, rowRangeStats(x.data, x.cols, 0, x.rows, options.panelRows));
}

/**
 * The statistics of rows start ≤ i < end of a row-major array of d columns, centred on their own mean (two
 * passes, no cancellation). Values are not checked: callers check (a chunk, a matrix) or scan only when the
 * sums come out non-finite (PCA.fit). The one kernel of every PCA fit: chunks, pool shards, executors.
 */
export function rowRangeStats(
  data: Float64Array,
  d: number,
  start: number,
  end: number,
  panelRows = DEFAULT_PANEL_ROWS,
): PCAStats {
  const mean = rangeMeans(data, d, start, end, new Float64Array(d));
  const scatter = accumulateScatterRange(data, d, start, end, mean, new Float64Array(d * d), panelRows);
  return stats(d, end - start, mean, scatter);
}

/**
 * Combines the stats of two disjoint row sets (Chan et al.): n = na + nb, mean = (na·ma + nb·mb)/n,
 * scatter = Ma + Mb + (na·nb/n)·δδᵀ with δ = mb − ma. Written so that mergeStats(a, b) and mergeStats(b, a)
 * are bit-identical; associative up to rounding. Returns new stats.
 * @throws WIDTH_MISMATCH when the widths differ.
 */
export function mergeStats(a: PCAStats, b: PCAStats): PCAStats {
  if (a.numFeatures !== b.numFeatures) {
    throw new StrataError(
      "WIDTH_MISMATCH",
      `Cannot merge statistics over ${a.numFeatures} and ${b.numFeatures} features.`,
      { details: { expected: a.numFeatures, received: b.numFeatures } },
    );
  }
  const d = a.numFeatures;
  if (a.count === 0 || b.count === 0) {
    const src = a.count === 0 ? b : a;
    return stats(d, src.count, Float64Array.from(src.mean), Float64Array.from(src.scatter));
  }
  const n = a.count + b.count;
  const mean = new Float64Array(d);
  const delta = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    mean[j] = (a.count * a.mean[j]! + b.count * b.mean[j]!) / n;
    delta[j] = b.mean[j]! - a.mean[j]!;
  }
  const f = (a.count * b.count) / n;
  const scatter = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const fi = f * delta[i]!;
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      scatter[k] = a.scatter[k]! + b.scatter[k]! + fi * delta[j]!;
    }
  }
  return stats(d, n, mean, scatter);
}

/**
 * Turns stats into a fitted model: symmetric eigen-decomposition of the scatter (or of the uncentred second
 * moment when `params.subtractMean` is false), top numComponents kept, signs fixed.
 * @throws INVALID_ARGUMENT (fewer than 2 rows), INVALID_HYPERPARAMETER (num_components above the number of
 *   features, or feature_dim ≠ width), WIDTH_MISMATCH (featureNames length).
 */
export function finalize(s: PCAStats, params: PCAParams, options: FinalizeOptions = {}): PCAModel {
  const d = s.numFeatures;
  const n = s.count;
  const C = params.numComponents;
  checkFitShape(n, d, params);
  // The matrix whose eigenvectors are the components: centred scatter, or Σ xxᵀ = scatter + n·mean·meanᵀ.
  const moment = Float64Array.from(s.scatter);
  if (!params.subtractMean) {
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) moment[i * d + j] = moment[i * d + j]! + n * s.mean[i]! * s.mean[j]!;
    }
    mirrorUpper(moment, d);
  }
  let trace = 0;
  for (let i = 0; i < d; i++) trace += moment[i * d + i]!;
  const { values, vectors } = symmetricEigen(matrix(d, d, moment));
  const raw = matrix(C, d);
  const eigenvalues = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const idx = d - 1 - c; // eigenvalues ascend; component 0 is the largest
    eigenvalues[c] = values[idx]!;
    for (let j = 0; j < d; j++) raw.data[c * d + j] = vectors.data[j * d + idx]!;
  }
  return modelFromSpectrum(
    { count: n, mean: s.mean, trace, eigenvalues, vectors: raw, largest: values[d - 1]! },
    params,
    options,
  );
}
