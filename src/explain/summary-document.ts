/**
 * The summary.json document: the machine-readable result of a run, in the shape DESIGN.md fixes (extend, do
 * not rename). The workflow writes it (src/workflow/summary.ts); the report reads it, so `strata report`
 * can rebuild a report from summary.json and assignments.csv alone. It lives here, below both.
 * @module
 */
import type { DescribeResult } from "../data/describe.js";
import { groupDigits } from "../util/group-digits.js";
import type { Entity, Geography } from "./entity.js";
import type { SegmentSummary } from "./explanation.js";
import type { Histogram } from "./histogram.js";

/** 2: segments carry their members' profile, and the centroid's reconstruction is `reconstructedCentre`. */
export const SUMMARY_FORMAT_VERSION = 2;

export interface ComponentSummary {
  /** The name shown everywhere: the automatic one unless the user chose another. */
  readonly name: string;
  readonly autoName: string;
  readonly top: readonly { feature: string; weight: number }[];
}

/**
 * The sample's rows of a streamed run, in assignments.csv's format: what its report is drawn from (the whole
 * assignments.csv can be gigabytes).
 */
export const STREAMED_SAMPLE_FILE = "assignments-sample.csv";

export interface Summary {
  readonly formatVersion: number;
  readonly strataVersion: string;
  readonly source: string;
  readonly rows: {
    loaded: number;
    dropped: number;
    used: number;
    /** Per feature, how many loaded rows missed a value there. */
    missingByColumn: Record<string, number>;
    /** How missing feature values were handled: null (rows dropped), or filled with the median or mean. */
    impute: "median" | "mean" | null;
    imputed: Record<string, { count: number; value: number }>;
  };
  /** Labels of the dropped rows (1-based row numbers when `columns.index` is empty). */
  readonly droppedRows: readonly string[];
  /** What the rows are, in words ("counties", "customers", "rows"), and the area they make up ("US" or null). */
  readonly entity: Entity;
  /**
   * The column that weights the rows (`--weight`: K-Means sample weights; the profiles and the overall
   * median and mean are weighted) and the used rows' total weight; null (or absent, in older files): none.
   */
  readonly weight?: { column: string; total: number } | null;
  /** The column that places rows on a US map, and at which level (null: no map). */
  readonly geography: Geography | null;
  /**
   * A run on a table too large for memory, streamed (null or absent: held in memory). Models, sizes, inertia,
   * the scaler and describe's count, mean, std, min and max come from every row; profiles, quartiles,
   * histograms, typical members and the cluster metrics from `sampleRows` rows: a uniform sample of
   * `uniformRows` used rows, plus up to 200 rows of each segment it held fewer of (describe's quartiles come
   * from the uniform rows alone).
   */
  readonly streamed?: { sampleRows: number; uniformRows: number; passes: number; sampleFile: string } | null;
  /** Every column's role: the row index, the identifiers kept in assignments.csv, and why others are unused. */
  readonly columns: {
    index: string[];
    identifiers: string[];
    unused: { column: string; reason: string }[];
  };
  readonly features: readonly string[];
  readonly pca: {
    numComponents: number;
    kept: number;
    singularValues: number[];
    explainedVarianceRatio: number[];
    keptExplainedVariance: number;
    keptExplainedVarianceSageMaker: number;
    components: ComponentSummary[];
    /** PCA mean of the scaled data, one per feature. */
    mean: number[];
    /** kept × features: every loading of the kept components, largest first. */
    loadings: number[][];
    /** How `kept` was chosen by `--components auto`, in words; null when it was given (or the default). */
    keptRule: string | null;
  };
  /**
   * Each segment's stability by the cluster-wise bootstrap (`--stability N`): the mean best Jaccard similarity
   * over N resamples, by cluster id (else null).
   */
  readonly stability: { resamples: number; jaccard: number[] } | null;
  /** The k sweep of `--clusters auto` or a range: each k's scores, the rule and the k it chose (else null). */
  readonly kSweep: {
    rule: string;
    chosen: number;
    points: {
      k: number;
      inertia: number;
      calinskiHarabasz: number;
      daviesBouldin: number;
      silhouette: number;
    }[];
  } | null;
  /** Per feature, the transform applied before scaling (`--transform`): "log1p", "asinh" or null. */
  readonly transforms: ("log1p" | "asinh" | null)[];
  readonly scaler:
    | { kind: "min-max"; featureRange: [number, number]; dataMin: number[]; dataMax: number[] }
    | { kind: "standard"; mean: number[]; scale: number[] };
  /** The national median of every raw feature (describe's 50%; the weighted median with `weight`). */
  readonly nationalMedian: number[];
  /** The mean of every raw feature over the table: what a segment's index is taken against. */
  readonly overallMean: number[];
  /** One per cluster id: members' profile, name, description, typical counties, reconstructed centre. */
  readonly segments: SegmentSummary[];
  /** A histogram of every raw feature. */
  readonly histograms: Record<string, Histogram>;
  /** How the report is drawn. */
  readonly report: { histFeatures: string[] };
  readonly kmeans: {
    k: number;
    inertia: number;
    sizes: number[];
    centroids: number[][];
    silhouette: number;
    /** Rows the silhouette was computed on (a seeded sample above 10,000 rows). */
    silhouetteRows: number;
    /** Of the rows labelled by their segment (the contract's cluster metrics). */
    calinskiHarabasz: number;
    daviesBouldin: number;
    iterations: number;
    /** Restarts run (kmeans/restart-count.ts); absent in summaries written before it was recorded. */
    restarts?: number;
  };
  readonly describe: { raw: DescribeResult; scaled: DescribeResult };
  readonly timings: Record<string, number>;
}

/** " (best of 12 restarts)" when the summary records its restarts, else "". */
export function restartsNote(kmeans: Summary["kmeans"]): string {
  return kmeans.restarts === undefined
    ? ""
    : ` (best of ${kmeans.restarts} restart${kmeans.restarts === 1 ? "" : "s"})`;
}

/**
 * How a summary's silhouette was computed, for the terminal and the report: "" when on every row, else
 * " (on a seeded sample of 10,000 of 200,000 rows)".
 */
export function silhouetteSampleNote(kmeans: Summary["kmeans"]): string {
  const rows = kmeans.sizes.reduce((a, b) => a + b, 0);
  if (kmeans.silhouetteRows >= rows) return "";
  return ` (on a seeded sample of ${groupDigits(kmeans.silhouetteRows)} of ${groupDigits(rows)} rows)`;
}
