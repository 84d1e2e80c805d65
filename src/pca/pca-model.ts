/**
 * The fitted PCA model: readonly fields in scikit-learn's layout (components C×d, largest variance first,
 * sign-fixed), projection and reconstruction, and conversion to and from SageMaker's artifact layout
 * (`s` ascending, `v` d×C, `mean` 1×d — spec §1.3, regular mode, component index 0 = least significant).
 *
 * subtract_mean=false (spec §8 item 1, unconfirmed): the components are the eigenvectors of Σ xxᵀ, `mean` is
 * all zeros and the projection is x·v. SageMaker's notebook claims `mean` is then absent from the artifact;
 * {@link PCAModel.toSageMaker} still writes the zeros, which any reader computing (x − mean)·v treats right.
 * @module
 */
import { StrataError } from "../errors.js";
import { checkWidth, resolveFeatureNames } from "../linalg/checks.js";
import { multiply, multiplyTransposed } from "../linalg/kernels.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { type Logger, silentLogger } from "../util/logger.js";

/**
 * What `explainedVarianceRatio` is relative to: "all-features" — the total variance of the data (exact,
 * scikit-learn's meaning; fitted models); "kept-components" — only the C stored components' s², the most an
 * imported SageMaker artifact allows (an upper bound on the exact ratios).
 */
export type VarianceRatioBasis = "all-features" | "kept-components";

/** The fields of a PCAModel; C = numComponents, d = numFeatures. */
export interface PCAModelFields {
  readonly featureNames: readonly string[];
  readonly subtractMean: boolean;
  /** Length d: what is subtracted before projecting (zeros when subtractMean is false). */
  readonly mean: Float64Array;
  /** C×d, one unit-norm component per row, largest variance first. */
  readonly components: Matrix;
  /** Length C, descending: singular values of the centred data matrix (√ scatter eigenvalue, clamped at 0). */
  readonly singularValues: Float64Array;
  /** Length C: s²/(n − 1); NaN when n is unknown (imported without nSamplesSeen). */
  readonly explainedVariance: Float64Array;
  /** Length C: share of variance per component, relative to `varianceRatioBasis`. */
  readonly explainedVarianceRatio: Float64Array;
  /** Rows the model was fitted on; undefined for an imported artifact without that information. */
  readonly nSamplesSeen: number | undefined;
  /** Sum of all d feature variances (trace of scatter / (n − 1)); undefined when not known. */
  readonly totalVariance: number | undefined;
  readonly varianceRatioBasis: VarianceRatioBasis;
}

/** SageMaker's regular-mode artifact arrays (`model_algo-1`: names s, v, mean). */
export interface SageMakerPCAArrays {
  /** Length C, ascending. */
  readonly s: Float64Array;
  /** d×C; column j pairs with s[j]. */
  readonly v: Matrix;
  /** Length d (stored 1×d). */
  readonly mean: Float64Array;
}

/** Input of {@link PCAModel.fromSageMaker}: any numeric arrays (float32 from an artifact is fine). */
export interface SageMakerPCAInput {
  readonly s: ArrayLike<number>;
  readonly v: Matrix;
  /** Absent ⇒ subtract_mean=false. */
  readonly mean?: ArrayLike<number>;
}

/** Options of {@link PCAModel.fromSageMaker}. */
export interface FromSageMakerOptions {
  readonly featureNames?: readonly string[];
  /** Training rows, if known: enables explainedVariance. */
  readonly nSamplesSeen?: number;
  /** Receives a warning when NaN singular values are read as 0. */
  readonly logger?: Logger;
}

/** One entry of {@link PCAModel.topFeatures}. */
export interface FeatureWeight {
  readonly feature: string;
  readonly weight: number;
}

/**
 * A fitted PCA model. Immutable: the object is frozen and its arrays are private copies (treat them as
 * read-only). Create it with `PCA.fit`, `finalize`, or {@link PCAModel.fromSageMaker}.
 */
export class PCAModel implements PCAModelFields {
  readonly featureNames: readonly string[];
  readonly subtractMean: boolean;
  readonly mean: Float64Array;
  readonly components: Matrix;
  readonly singularValues: Float64Array;
  readonly explainedVariance: Float64Array;
  readonly explainedVarianceRatio: Float64Array;
  readonly nSamplesSeen: number | undefined;
  readonly totalVariance: number | undefined;
  readonly varianceRatioBasis: VarianceRatioBasis;

  constructor(fields: PCAModelFields) {
    const { rows: C, cols: d } = fields.components;
    for (const [name, length] of [
      ["mean", fields.mean.length === d],
      ["singularValues", fields.singularValues.length === C],
      ["explainedVariance", fields.explainedVariance.length === C],
      ["explainedVarianceRatio", fields.explainedVarianceRatio.length === C],
    ] as const) {
      if (!length)
        throw new StrataError("INTERNAL", `PCAModel: ${name} does not match components ${C}x${d}.`);
    }
    this.featureNames = resolveFeatureNames(fields.featureNames, d);
    this.subtractMean = fields.subtractMean;
    this.mean = Float64Array.from(fields.mean);
    this.components = Object.freeze(matrix(C, d, Float64Array.from(fields.components.data)));
    this.singularValues = Float64Array.from(fields.singularValues);
    this.explainedVariance = Float64Array.from(fields.explainedVariance);
    this.explainedVarianceRatio = Float64Array.from(fields.explainedVarianceRatio);
    this.nSamplesSeen = fields.nSamplesSeen;
    this.totalVariance = fields.totalVariance;
    this.varianceRatioBasis = fields.varianceRatioBasis;
    Object.freeze(this);
  }

  /** d: the input width. */
  get numFeatures(): number {
    return this.components.cols;
  }

  /** C: the output width. */
  get numComponents(): number {
    return this.components.rows;
  }

  /**
   * Projects rows: (x − mean)·componentsᵀ, n×d → n×keep, column 0 = largest component; `keep` (default all C)
   * computes only the top components, each the same value the full projection gives. x is not modified.
   * @throws WIDTH_MISMATCH when x.cols ≠ numFeatures; INVALID_ARGUMENT for keep outside 1..C.
   */
  transform(x: Matrix, keep: number = this.numComponents): Matrix {
    checkWidth(x, this.numFeatures);
    if (!(Number.isInteger(keep) && keep >= 1 && keep <= this.numComponents))
      throw new StrataError(
        "INVALID_ARGUMENT",
        `keep=${keep} is invalid: expected an integer from 1 to ${this.numComponents} (the model's components).`,
      );
    const top =
      keep === this.numComponents
        ? this.components
        : matrix(keep, this.numFeatures, this.components.data.subarray(0, keep * this.numFeatures));
    return multiplyTransposed(x, top, matrix(x.rows, keep), this.mean);
  }

  /**
   * Maps projections back: z·components + mean, n×C → n×d (exact inverse when C = d).
   * @throws WIDTH_MISMATCH when z.cols ≠ numComponents.
   */
  inverseTransform(z: Matrix): Matrix {
    checkWidth(z, this.numComponents, `the model has ${this.numComponents} components`);
    const out = multiply(z, this.components, matrix(z.rows, this.numFeatures));
    const d = this.numFeatures;
    for (let k = 0; k < out.data.length; k++) out.data[k] = out.data[k]! + this.mean[k % d]!;
    return out;
  }

  /**
   * The `count` features with the largest |loading| on component `componentIndex` (0 = largest variance),
   * by |weight| descending (ties: feature order). Weights keep their sign.
   * @throws INVALID_ARGUMENT for an index outside 0..C−1 or a negative/non-integer count.
   */
  topFeatures(componentIndex: number, count: number): FeatureWeight[] {
    const C = this.numComponents;
    if (!Number.isInteger(componentIndex) || componentIndex < 0 || componentIndex >= C) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `componentIndex=${componentIndex} is invalid: expected 0 to ${C - 1}.`,
      );
    }
    if (!Number.isInteger(count) || count < 0) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `count=${count} is invalid: expected a non-negative integer.`,
      );
    }
    const d = this.numFeatures;
    const weights = this.components.data.subarray(componentIndex * d, (componentIndex + 1) * d);
    return Array.from(weights, (weight, j) => ({ feature: this.featureNames[j]!, weight, j }))
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.j - b.j)
      .slice(0, count)
      .map(({ feature, weight }) => ({ feature, weight }));
  }

  /**
   * The census notebook's "explained variance" of the top n components: Σ top-n s² / Σ all C kept s²
   * (relative to the kept components only, exactly as the notebook computes it from `s`).
   * @throws INVALID_ARGUMENT unless 1 ≤ n ≤ C.
   */
  keptExplainedVarianceSageMaker(n: number): number {
    const C = this.numComponents;
    if (!Number.isInteger(n) || n < 1 || n > C) {
      throw new StrataError("INVALID_ARGUMENT", `n=${n} is invalid: expected an integer from 1 to ${C}.`);
    }
    let top = 0;
    let all = 0;
    for (let c = 0; c < C; c++) {
      const sq = this.singularValues[c]! ** 2;
      all += sq;
      if (c < n) top += sq;
    }
    return all > 0 ? top / all : 0;
  }

  /** SageMaker's regular-mode arrays: s ascending, v's columns the components in the same (reversed) order. */
  toSageMaker(): SageMakerPCAArrays {
    const { rows: C, cols: d } = this.components;
    const s = new Float64Array(C);
    const v = matrix(d, C);
    for (let j = 0; j < C; j++) {
      const c = C - 1 - j;
      s[j] = this.singularValues[c]!;
      for (let i = 0; i < d; i++) v.data[i * C + j] = this.components.data[c * d + i]!;
    }
    return { s, v, mean: Float64Array.from(this.mean) };
  }

  /**
   * Rebuilds a model from SageMaker arrays (either order of s; sorted descending, ties keep the later index
   * first so regular-mode artifacts round-trip exactly). Signs are kept as stored, so `transform` reproduces
   * the endpoint's projections (only reordered). NaN singular values (√ of tiny negative eigenvalues) become 0.
   * The artifact does not carry the total variance: `explainedVarianceRatio` is then s²/Σ kept s²
   * (`varianceRatioBasis` "kept-components") and `totalVariance` is undefined.
   * @throws ARTIFACT_INVALID when the shapes of s, v and mean disagree.
   */
  static fromSageMaker(input: SageMakerPCAInput, options: FromSageMakerOptions = {}): PCAModel {
    const { rows: d, cols: C } = input.v;
    if (input.s.length !== C || (input.mean !== undefined && input.mean.length !== d) || C === 0) {
      throw new StrataError(
        "ARTIFACT_INVALID",
        `PCA arrays do not fit together: s has ${input.s.length} values, v is ${d}x${C}, mean has ${input.mean?.length ?? "no"} values.`,
      );
    }
    const s = Float64Array.from(input.s);
    if (s.some(Number.isNaN)) {
      (options.logger ?? silentLogger).log("warn", "NaN singular values in the PCA artifact were read as 0.");
      s.forEach((value, j) => {
        if (Number.isNaN(value)) s[j] = 0;
      });
    }
    const order = Array.from(s, (_, j) => j).sort((a, b) => s[b]! - s[a]! || b - a);
    const n = options.nSamplesSeen;
    const components = matrix(C, d);
    const singularValues = new Float64Array(C);
    let kept = 0;
    order.forEach((j, c) => {
      singularValues[c] = s[j]!;
      kept += s[j]! ** 2;
      for (let i = 0; i < d; i++) components.data[c * d + i] = input.v.data[i * C + j]!;
    });
    return new PCAModel({
      featureNames: resolveFeatureNames(options.featureNames, d),
      subtractMean: input.mean !== undefined,
      mean: input.mean === undefined ? new Float64Array(d) : Float64Array.from(input.mean),
      components,
      singularValues,
      explainedVariance: singularValues.map((v) =>
        n === undefined || n < 2 ? Number.NaN : (v * v) / (n - 1),
      ),
      explainedVarianceRatio: singularValues.map((v) => (kept > 0 ? (v * v) / kept : 0)),
      nSamplesSeen: n,
      totalVariance: undefined,
      varianceRatioBasis: "kept-components",
    });
  }
}
