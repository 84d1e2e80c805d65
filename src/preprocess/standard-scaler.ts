/**
 * Standardisation, as scikit-learn's `StandardScaler`: `(x − mean) / scale` per column, where `scale` is the
 * population standard deviation (ddof = 0). Mean and variance are computed in two passes (mean first, then
 * the centred sum of squares) for accuracy. A column scikit-learn would call constant — variance within the
 * two-pass error bound `n·ε·var + (n·mean·ε)²` of Chan, Golub & LeVeque (1983), `_is_constant_feature` —
 * gets scale 1, so it maps to 0 instead of dividing by (almost) zero.
 * @module
 */
import { runShard, wholeShard } from "../contract/contract.js";
import { checkFinite, checkRows, checkWidth, resolveFeatureNames } from "../linalg/checks.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import type { FitOptions } from "./min-max-scaler.js";
import { MOMENT_STATS, type MomentStats } from "./scaler-stats.js";
import { checkHeader, readBoolean, readCount, readNumbers, readStrings } from "./serialization.js";

/** Caller-facing options of {@link StandardScaler}. */
export interface StandardScalerOptions {
  /** Subtract the column mean (default true). */
  readonly withMean?: boolean;
  /** Divide by the column standard deviation (default true). */
  readonly withStd?: boolean;
}

/** Validated, frozen parameters. */
export interface StandardScalerParams {
  readonly withMean: boolean;
  readonly withStd: boolean;
}

const KIND = "strata.StandardScalerModel";
const FORMAT_VERSION = 1;
const EPS = 2 ** -52;

/**
 * The estimator: holds params and fits {@link StandardScalerModel}s.
 * @example
 * const z = new StandardScaler().fit(x).transform(x); // each column: mean 0, population std 1
 */
export class StandardScaler {
  readonly params: StandardScalerParams;

  constructor(options: StandardScalerOptions = {}) {
    this.params = Object.freeze({ withMean: options.withMean ?? true, withStd: options.withStd ?? true });
  }

  /**
   * Learns per-column mean, population variance and scale of x (n×d, n ≥ 1). x is not modified.
   * @throws INVALID_ARGUMENT for no rows, NON_NUMERIC_VALUE for NaN/±Infinity, WIDTH_MISMATCH for names.
   */
  fit(x: Matrix, options: FitOptions = {}): StandardScalerModel {
    checkRows(x, 1, "StandardScaler.fit");
    const featureNames = resolveFeatureNames(options.featureNames, x.cols);
    checkFinite(x, featureNames);
    return this.fromStatistics(runShard(MOMENT_STATS, null, wholeShard(x)), featureNames);
  }

  /**
   * The model of merged moment statistics — the contract's (src/contract), from any executor and any cut
   * of the rows into shards; `fit` is this over one shard.
   */
  fromStatistics(stats: MomentStats, featureNames?: readonly string[]): StandardScalerModel {
    const { count: n, mean } = stats;
    const d = mean.length;
    const variance = new Float64Array(d);
    const scale = new Float64Array(d).fill(1);
    for (let j = 0; j < d; j++) {
      variance[j] = stats.m2[j]! / n;
      const bound = n * EPS * variance[j]! + (n * mean[j]! * EPS) ** 2;
      if (this.params.withStd && variance[j]! > bound) scale[j] = Math.sqrt(variance[j]!);
    }
    return new StandardScalerModel({
      featureNames: resolveFeatureNames(featureNames, d),
      ...this.params,
      mean,
      variance,
      scale,
      nSamplesSeen: n,
    });
  }
}

/** Fields of a fitted standard scaler (all arrays have length numFeatures). */
export interface StandardScalerFields {
  readonly featureNames: readonly string[];
  readonly withMean: boolean;
  readonly withStd: boolean;
  /** Column means (always learned; subtracted only when withMean). */
  readonly mean: Float64Array;
  /** Population variances (ddof = 0), scikit-learn `var_`. */
  readonly variance: Float64Array;
  /** Divisors: √variance, or 1 for constant columns and when withStd is false. */
  readonly scale: Float64Array;
  readonly nSamplesSeen: number;
}

/** A fitted, immutable standard scaler (frozen; treat its arrays as read-only). */
export class StandardScalerModel implements StandardScalerFields {
  readonly featureNames: readonly string[];
  readonly withMean: boolean;
  readonly withStd: boolean;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly scale: Float64Array;
  readonly nSamplesSeen: number;

  constructor(fields: StandardScalerFields) {
    this.featureNames = Object.freeze([...fields.featureNames]);
    this.withMean = fields.withMean;
    this.withStd = fields.withStd;
    this.mean = Float64Array.from(fields.mean);
    this.variance = Float64Array.from(fields.variance);
    this.scale = Float64Array.from(fields.scale);
    this.nSamplesSeen = fields.nSamplesSeen;
    Object.freeze(this);
  }

  /** Number of columns the scaler was fitted on. */
  get numFeatures(): number {
    return this.scale.length;
  }

  /** (x − mean) / scale per column (mean term only when withMean). @throws WIDTH_MISMATCH. */
  transform(x: Matrix): Matrix {
    checkWidth(x, this.numFeatures);
    const d = x.cols;
    const out = matrix(x.rows, d);
    for (let k = 0; k < x.data.length; k++) {
      const j = k % d;
      out.data[k] = (x.data[k]! - (this.withMean ? this.mean[j]! : 0)) / this.scale[j]!;
    }
    return out;
  }

  /** z·scale + mean per column, undoing {@link transform}. @throws WIDTH_MISMATCH. */
  inverseTransform(z: Matrix): Matrix {
    checkWidth(z, this.numFeatures);
    const d = z.cols;
    const out = matrix(z.rows, d);
    for (let k = 0; k < z.data.length; k++) {
      const j = k % d;
      out.data[k] = z.data[k]! * this.scale[j]! + (this.withMean ? this.mean[j]! : 0);
    }
    return out;
  }

  /** A JSON-ready object with a kind tag and format version (exact). */
  toJSON(): Record<string, unknown> {
    return {
      kind: KIND,
      formatVersion: FORMAT_VERSION,
      featureNames: [...this.featureNames],
      withMean: this.withMean,
      withStd: this.withStd,
      mean: Array.from(this.mean),
      variance: Array.from(this.variance),
      scale: Array.from(this.scale),
      nSamplesSeen: this.nSamplesSeen,
    };
  }

  /** Rebuilds a model from {@link toJSON} output. @throws ARTIFACT_INVALID on a wrong kind, version or shape. */
  static fromJSON(json: unknown): StandardScalerModel {
    const r = checkHeader(json, KIND, FORMAT_VERSION);
    const scale = readNumbers(r, "scale", KIND);
    const d = scale.length;
    return new StandardScalerModel({
      featureNames: readStrings(r, "featureNames", KIND, d),
      withMean: readBoolean(r, "withMean", KIND),
      withStd: readBoolean(r, "withStd", KIND),
      mean: readNumbers(r, "mean", KIND, d),
      variance: readNumbers(r, "variance", KIND, d),
      scale,
      nSamplesSeen: readCount(r, "nSamplesSeen", KIND),
    });
  }
}
