/**
 * What a run explains beyond the fitted models: automatic names for the kept components, each segment's
 * profile from its members (mean, median and index per feature, member-profiles.ts) with its typical counties,
 * name and one-line description, the overall medians and means they are read against, the centroid's
 * reconstruction in original units (labelled as such), and a histogram of every raw feature. With row
 * weights (`--weight`) the profiles and the overall median, mean and spread they are read against are
 * weighted, and each segment carries its members' total weight. buildSummary stores all of it in summary.json, which is
 * what lets `strata report` rebuild the report from summary.json and assignments.csv alone.
 * @module
 */
import type { DescribeResult } from "../data/describe.js";
import type { Frame } from "../data/frame.js";
import type { KMeansModel } from "../kmeans/kmeans-model.js";
import { weightedMedianInPlace } from "../linalg/median.js";
import type { PCAModel } from "../pca/pca-model.js";
import type { FeatureTransforms } from "../preprocess/feature-transform.js";
import { MinMaxScalerModel } from "../preprocess/min-max-scaler.js";
import type { StandardScalerModel } from "../preprocess/standard-scaler.js";
import { loadingsOf, nameComponents } from "./component-names.js";
import type { Entity } from "./entity.js";
import { type Histogram, histogram } from "./histogram.js";
import { type MemberProfile, memberProfiles } from "./member-profiles.js";
import { type BackMapping, type ScalerParams, segmentCentres, unscaleRange } from "./segment-centres.js";
import { describeSegment, nameSegments, type SegmentProfile, typicalMembers } from "./segment-names.js";

/** What an explanation is made from: a segmentation's data, models and assignments (the workflow's result). */
export interface ExplainInput {
  readonly features: readonly string[];
  /** The cleaned features, indexed (e.g. "State-County"). */
  readonly table: Frame;
  readonly describeRaw: DescribeResult;
  readonly scaler: MinMaxScalerModel | StandardScalerModel;
  /** Per feature, the transform applied before scaling (null: none). */
  readonly transforms: FeatureTransforms;
  readonly pca: PCAModel;
  readonly kept: number;
  readonly kmeans: KMeansModel;
  readonly closestCluster: Int32Array;
  readonly distanceToCluster: Float64Array;
  readonly sizes: readonly number[];
  /** What the rows are (words). */
  readonly entity: Entity;
  /** The column that weights the rows and each row's weight, or null. */
  readonly weight: {
    readonly column: string;
    readonly values: Float64Array;
    /** Each segment's total weight over every row, when `values` are a sample's (a streamed run). */
    readonly perSegment?: readonly number[];
  } | null;
}

/** One segment (cluster) as summary.json stores it. */
export interface SegmentSummary {
  /** The cluster id (closest_cluster in assignments.csv). */
  readonly id: number;
  readonly name: string;
  readonly autoName: string;
  readonly description: string;
  readonly size: number;
  /** The members' total weight, in a run weighted by a column (`--weight`). */
  readonly weight?: number;
  /** The members' mean, median and index (mean ÷ overall mean × 100) per feature, in original units. */
  readonly profile: MemberProfile;
  /**
   * The centroid mapped back through the kept components (inverse PCA, then inverse scaling), feature order,
   * unclamped: the model's point, which can lie outside the data's range and far from the members' values.
   */
  readonly reconstructedCentre: number[];
  /** The counties closest to the centroid, closest first. */
  readonly typicalCounties: string[];
}

/** The explanation of one run. */
export interface Explanation {
  readonly componentNames: string[];
  readonly mapping: BackMapping;
  readonly nationalMedian: number[];
  readonly overallMean: number[];
  readonly nationalStd: number[];
  readonly segments: SegmentSummary[];
  readonly histograms: Record<string, Histogram>;
}

/** How many typical counties each segment lists. */
export const TYPICAL_COUNTIES = 5;

/**
 * Explains a finished segmentation (no I/O).
 * @example explainSegmentation(await runSegmentation(options)).segments[0].name
 */
export function explainSegmentation(result: ExplainInput): Explanation {
  const { pca, kept, features, kmeans } = result;
  const d = features.length;
  const loadings = Array.from({ length: kept }, (_, c) =>
    Array.from(pca.components.data.subarray(c * d, (c + 1) * d)),
  );
  const componentNames = nameComponents(loadings.map((row) => loadingsOf(features, row)));
  const mapping: BackMapping = {
    loadings,
    mean: Array.from(pca.mean),
    ...unscaleRange(scalerParams(result.scaler)),
    transforms: result.transforms,
  };
  const centroids = Array.from({ length: kmeans.k }, (_, c) =>
    Array.from(kmeans.centroids.data.subarray(c * kept, (c + 1) * kept)),
  );
  const centres = segmentCentres(centroids, mapping);
  const columns = features.map((f) => result.table.column(f));
  const weights = result.weight?.values;
  const overall =
    weights === undefined
      ? {
          median: [...result.describeRaw.stats["50%"]],
          mean: [...result.describeRaw.stats.mean],
          std: [...result.describeRaw.stats.std],
        }
      : weightedOverall(columns, weights);
  const { median: nationalMedian, mean: overallMean, std: nationalStd } = overall;
  const profiles = memberProfiles(columns, result.closestCluster, kmeans.k, overallMean, weights);
  const segmentWeights =
    weights === undefined
      ? undefined
      : (result.weight?.perSegment ?? weightPerSegment(result.closestCluster, weights, kmeans.k));
  const typical = typicalMembers(
    result.table.index,
    result.closestCluster,
    result.distanceToCluster,
    kmeans.k,
    TYPICAL_COUNTIES,
  );
  // Names and descriptions read the members' medians.
  const named: SegmentProfile[] = profiles.map((profile, c) => ({
    features,
    median: profile.median,
    nationalMedian,
    nationalStd,
    entity: result.entity,
    size: result.sizes[c]!,
    typicalCounties: typical[c]!,
  }));
  const names = nameSegments(named);
  const segments = named.map((p, id) => ({
    id,
    name: names[id]!,
    autoName: names[id]!,
    description: describeSegment({ ...p, typicalCounties: p.typicalCounties.slice(0, 3) }),
    size: p.size,
    ...(segmentWeights === undefined ? {} : { weight: segmentWeights[id]! }),
    profile: profiles[id]!,
    reconstructedCentre: centres[id]!,
    typicalCounties: [...p.typicalCounties],
  }));
  const histograms = Object.fromEntries(features.map((f) => [f, histogram(result.table.column(f))]));
  return { componentNames, mapping, nationalMedian, overallMean, nationalStd, segments, histograms };
}

/** Each feature's weighted median, mean and standard deviation over the whole table. */
function weightedOverall(
  columns: readonly Float64Array[],
  weights: Float64Array,
): { median: number[]; mean: number[]; std: number[] } {
  let total = 0;
  for (const w of weights) total += w;
  const median: number[] = [];
  const mean: number[] = [];
  const std: number[] = [];
  for (const column of columns) {
    let sum = 0;
    for (let i = 0; i < column.length; i++) sum += weights[i]! * column[i]!;
    const m = sum / total;
    let squares = 0;
    for (let i = 0; i < column.length; i++) squares += weights[i]! * (column[i]! - m) ** 2;
    mean.push(m);
    std.push(Math.sqrt(squares / total));
    median.push(weightedMedianInPlace(Float64Array.from(column), Float64Array.from(weights)));
  }
  return { median, mean, std };
}

function weightPerSegment(clusters: Int32Array, weights: Float64Array, k: number): number[] {
  const totals = new Array<number>(k).fill(0);
  for (let i = 0; i < clusters.length; i++) totals[clusters[i]!]! += weights[i]!;
  return totals;
}

/** A fitted scaler as the back-mapping and summary.json describe it. */
export function scalerParams(scaler: MinMaxScalerModel | StandardScalerModel): ScalerParams {
  return scaler instanceof MinMaxScalerModel
    ? { kind: "min-max", dataMin: Array.from(scaler.dataMin), dataMax: Array.from(scaler.dataMax) }
    : { kind: "standard", mean: Array.from(scaler.mean), scale: Array.from(scaler.scale) };
}
