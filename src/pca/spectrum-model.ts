/**
 * The last step of every PCA fit, whichever way its spectrum was found (regular mode's eigensolve of the
 * scatter, randomized mode's sketch or Rayleigh–Ritz estimate): the checks of the fit's shape against the
 * parameters, and the {@link PCAModel} built from the top eigenpairs — singular values √λ, explained variance
 * λ/(n − 1), exact ratios λ/trace, components sign-fixed (scikit-learn's `svd_flip` rule), a warning for each
 * numerically zero component.
 * @module
 */
import { StrataError } from "../errors.js";
import { resolveFeatureNames } from "../linalg/checks.js";
import type { Matrix } from "../linalg/matrix.js";
import { flipSigns } from "../linalg/sign-flip.js";
import { type Logger, silentLogger } from "../util/logger.js";
import type { PCAParams } from "./hyperparameters.js";
import { PCAModel } from "./pca-model.js";

/** Options of a PCA finalize. */
export interface FinalizeOptions {
  /** Column names, length numFeatures; default "x0".."x{d-1}". */
  readonly featureNames?: readonly string[];
  /** Receives non-fatal events (numerically zero components kept). */
  readonly logger?: Logger;
}

/**
 * A fit of n rows over d features can give params.numComponents components.
 * @throws INVALID_ARGUMENT (fewer than 2 rows), INVALID_HYPERPARAMETER (num_components above the number of
 *   features, or feature_dim ≠ width).
 */
export function checkFitShape(n: number, d: number, params: PCAParams): void {
  const C = params.numComponents;
  if (n < 2) {
    throw new StrataError("INVALID_ARGUMENT", `PCA needs at least 2 rows to estimate variance; got ${n}.`, {
      details: { minimum: 2, received: n },
    });
  }
  if (params.featureDim !== undefined && params.featureDim !== d) {
    throw new StrataError(
      "INVALID_HYPERPARAMETER",
      `feature_dim=${params.featureDim} is invalid: expected ${d} (the number of features in the data).`,
      { details: { name: "feature_dim", value: params.featureDim, expected: d } },
    );
  }
  if (C > d) {
    throw new StrataError(
      "INVALID_HYPERPARAMETER",
      `num_components=${C} is invalid: expected an integer from 1 to ${d} (the number of features).`,
      { details: { name: "num_components", value: C, maximum: d } },
    );
  }
}

/** The top of a spectrum: what {@link modelFromSpectrum} turns into a model. */
export interface Spectrum {
  /** Rows fitted. */
  readonly count: number;
  /** The data's column means (stored only when subtract_mean is true). */
  readonly mean: Float64Array;
  /** Trace of the matrix the components are eigenvectors of: the total (centred) sum of squares. */
  readonly trace: number;
  /** numComponents eigenvalues of that matrix, largest first (a tiny negative one is read as 0). */
  readonly eigenvalues: ArrayLike<number>;
  /** numComponents×d: row c is the unit eigenvector of eigenvalues[c], any sign. */
  readonly vectors: Matrix;
  /** The largest eigenvalue, against which a component counts as numerically zero. */
  readonly largest: number;
}

/**
 * The fitted model of a spectrum.
 * @throws WIDTH_MISMATCH (featureNames length).
 */
export function modelFromSpectrum(
  spectrum: Spectrum,
  params: PCAParams,
  options: FinalizeOptions = {},
): PCAModel {
  const { count: n, trace, vectors } = spectrum;
  const { rows: C, cols: d } = vectors;
  const logger = options.logger ?? silentLogger;
  const singularValues = new Float64Array(C);
  const explainedVariance = new Float64Array(C);
  const explainedVarianceRatio = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const value = spectrum.eigenvalues[c]!;
    const lambda = Math.max(value, 0);
    singularValues[c] = Math.sqrt(lambda);
    explainedVariance[c] = lambda / (n - 1);
    explainedVarianceRatio[c] = trace > 0 ? lambda / trace : 0;
    if (lambda <= d * Number.EPSILON * spectrum.largest) {
      logger.log(
        "warn",
        `PCA component ${c} has (numerically) zero variance: the data has rank below ${C}.`,
        {
          component: c,
          eigenvalue: value,
        },
      );
    }
  }
  return new PCAModel({
    featureNames: resolveFeatureNames(options.featureNames, d),
    subtractMean: params.subtractMean,
    mean: params.subtractMean ? Float64Array.from(spectrum.mean) : new Float64Array(d),
    components: flipSigns(vectors).components,
    singularValues,
    explainedVariance,
    explainedVarianceRatio,
    nSamplesSeen: n,
    totalVariance: trace / (n - 1),
    varianceRatioBasis: "all-features",
  });
}
