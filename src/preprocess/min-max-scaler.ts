/**
 * Min-max scaling, as scikit-learn's `MinMaxScaler` (the census notebook's only preprocessing step): each
 * column is mapped linearly so that its training minimum lands on `featureRange[0]` and its maximum on
 * `featureRange[1]`. Same arithmetic as scikit-learn 1.2: `scale = (hi − lo) / range`, `min = lo −
 * dataMin·scale`, `transform(x) = x·scale + min`; a (near-)constant column (range < 10·ε) gets range 1
 * (`_handle_zeros_in_scale`), so it maps to `lo` instead of dividing by zero.
 * @module
 */
import { runShard, wholeShard } from "../contract/contract.js";
import { StrataError } from "../errors.js";
import { checkFinite, checkRows, checkWidth, resolveFeatureNames } from "../linalg/checks.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { MIN_MAX_STATS, type MinMaxStats } from "./scaler-stats.js";
import { checkHeader, readCount, readNumbers, readStrings } from "./serialization.js";

/** Caller-facing options of {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  /** Target [lo, hi] with lo < hi, both finite. Default [0, 1]. */
  readonly featureRange?: readonly [number, number];
}

/** Validated, frozen parameters. */
export interface MinMaxScalerParams {
  readonly featureRange: readonly [number, number];
}

/** Options of `fit`. */
export interface FitOptions {
  /** Column names (length = number of columns); default "x0".."x{d-1}". */
  readonly featureNames?: readonly string[];
}

const KIND = "strata.MinMaxScalerModel";
const FORMAT_VERSION = 1;
const EPS = 2 ** -52;

/**
 * The estimator: holds validated params and fits {@link MinMaxScalerModel}s.
 * @throws INVALID_ARGUMENT when `featureRange` is not two finite numbers with lo < hi.
 * @example
 * const model = new MinMaxScaler().fit(x, { featureNames });
 * const scaled = model.transform(x);
 */
export class MinMaxScaler {
  readonly params: MinMaxScalerParams;

  constructor(options: MinMaxScalerOptions = {}) {
    const range = options.featureRange ?? [0, 1];
    const [lo, hi] = range;
    if (range.length !== 2 || !Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new StrataError(
        "INVALID_ARGUMENT",
        `featureRange=${JSON.stringify(range)} is invalid: expected two finite numbers [lo, hi] with lo < hi.`,
      );
    }
    this.params = Object.freeze({ featureRange: Object.freeze([lo, hi] as [number, number]) });
  }

  /**
   * Learns per-column minimum and maximum of x (n×d, n ≥ 1). x is not modified.
   * @throws INVALID_ARGUMENT for no rows, NON_NUMERIC_VALUE for NaN/±Infinity, WIDTH_MISMATCH for names.
   */
  fit(x: Matrix, options: FitOptions = {}): MinMaxScalerModel {
    checkRows(x, 1, "MinMaxScaler.fit");
    const featureNames = resolveFeatureNames(options.featureNames, x.cols);
    checkFinite(x, featureNames);
    return this.fromStatistics(runShard(MIN_MAX_STATS, null, wholeShard(x)), featureNames);
  }

  /**
   * The model of merged min-max statistics — the contract's (src/contract), from any executor and any cut
   * of the rows into shards; `fit` is this over one shard.
   */
  fromStatistics(stats: MinMaxStats, featureNames?: readonly string[]): MinMaxScalerModel {
    const d = stats.dataMin.length;
    const { dataMin, dataMax } = stats;
    const [lo, hi] = this.params.featureRange;
    const scale = new Float64Array(d);
    const min = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const range = dataMax[j]! - dataMin[j]!;
      scale[j] = (hi - lo) / (range < 10 * EPS ? 1 : range);
      min[j] = lo - dataMin[j]! * scale[j]!;
    }
    return new MinMaxScalerModel({
      featureNames: resolveFeatureNames(featureNames, d),
      featureRange: [lo, hi],
      dataMin,
      dataMax,
      scale,
      min,
      nSamplesSeen: stats.count,
    });
  }
}

/** Fields of a fitted min-max scaler (all arrays have length numFeatures). */
export interface MinMaxScalerFields {
  readonly featureNames: readonly string[];
  readonly featureRange: readonly [number, number];
  readonly dataMin: Float64Array;
  readonly dataMax: Float64Array;
  /** Per-column factor, scikit-learn `scale_`. */
  readonly scale: Float64Array;
  /** Per-column offset, scikit-learn `min_`. */
  readonly min: Float64Array;
  readonly nSamplesSeen: number;
}

/**
 * A fitted, immutable min-max scaler (the object is frozen; treat its arrays as read-only).
 * `transform` and `inverseTransform` return new matrices and never modify their input.
 */
export class MinMaxScalerModel implements MinMaxScalerFields {
  readonly featureNames: readonly string[];
  readonly featureRange: readonly [number, number];
  readonly dataMin: Float64Array;
  readonly dataMax: Float64Array;
  readonly scale: Float64Array;
  readonly min: Float64Array;
  readonly nSamplesSeen: number;

  constructor(fields: MinMaxScalerFields) {
    this.featureNames = Object.freeze([...fields.featureNames]);
    this.featureRange = Object.freeze([fields.featureRange[0], fields.featureRange[1]] as [number, number]);
    this.dataMin = Float64Array.from(fields.dataMin);
    this.dataMax = Float64Array.from(fields.dataMax);
    this.scale = Float64Array.from(fields.scale);
    this.min = Float64Array.from(fields.min);
    this.nSamplesSeen = fields.nSamplesSeen;
    Object.freeze(this);
  }

  /** Number of columns the scaler was fitted on. */
  get numFeatures(): number {
    return this.scale.length;
  }

  /** x·scale + min per column (n×d → n×d). @throws WIDTH_MISMATCH on the wrong width. */
  transform(x: Matrix): Matrix {
    checkWidth(x, this.numFeatures);
    const d = x.cols;
    const out = matrix(x.rows, d);
    for (let off = 0; off < x.data.length; off += d) scaleRow(x.data, out.data, off, d, this.scale, this.min);
    return out;
  }

  /** (z − min) / scale per column, undoing {@link transform}. @throws WIDTH_MISMATCH on the wrong width. */
  inverseTransform(z: Matrix): Matrix {
    checkWidth(z, this.numFeatures);
    const d = z.cols;
    const out = matrix(z.rows, d);
    for (let k = 0; k < z.data.length; k++)
      out.data[k] = (z.data[k]! - this.min[k % d]!) / this.scale[k % d]!;
    return out;
  }

  /** A JSON-ready object with a kind tag and format version; exact (doubles round-trip through JSON). */
  toJSON(): Record<string, unknown> {
    return {
      kind: KIND,
      formatVersion: FORMAT_VERSION,
      featureNames: [...this.featureNames],
      featureRange: [...this.featureRange],
      dataMin: Array.from(this.dataMin),
      dataMax: Array.from(this.dataMax),
      scale: Array.from(this.scale),
      min: Array.from(this.min),
      nSamplesSeen: this.nSamplesSeen,
    };
  }

  /** Rebuilds a model from {@link toJSON} output. @throws ARTIFACT_INVALID on a wrong kind, version or shape. */
  static fromJSON(json: unknown): MinMaxScalerModel {
    const r = checkHeader(json, KIND, FORMAT_VERSION);
    const scale = readNumbers(r, "scale", KIND);
    const d = scale.length;
    const [lo, hi] = readNumbers(r, "featureRange", KIND, 2);
    return new MinMaxScalerModel({
      featureNames: readStrings(r, "featureNames", KIND, d),
      featureRange: [lo!, hi!],
      dataMin: readNumbers(r, "dataMin", KIND, d),
      dataMax: readNumbers(r, "dataMax", KIND, d),
      scale,
      min: readNumbers(r, "min", KIND, d),
      nSamplesSeen: readCount(r, "nSamplesSeen", KIND),
    });
  }
}

/**
 * out = x·scale + min over the row of `d` values at `off`. A function per row so that V8 optimises it after its
 * first calls (as scaler-stats.ts' `widenRange`).
 */
function scaleRow(
  x: Float64Array,
  out: Float64Array,
  off: number,
  d: number,
  scale: Float64Array,
  min: Float64Array,
): void {
  for (let j = 0; j < d; j++) out[off + j] = x[off + j]! * scale[j]! + min[j]!;
}
