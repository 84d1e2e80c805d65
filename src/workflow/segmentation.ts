/**
 * The segmentation workflow behind `strata run`: the SageMaker census notebook, step by step.
 *
 *   source ──load──▶ Frame (3220 x 37) ──clean──▶ dropna, index "State-County", drop ids ──▶ 3218 x 34
 *     ──describe──▶ pandas-style statistics (raw and scaled)
 *     ──scale──▶ MinMax to [0, 1] (fitted parameters kept)
 *     ──pca──▶ PCA training (num_components = features - 1) ──▶ PCAModel
 *     ──project──▶ top n components of every row (n = --components)
 *     ──kmeans──▶ K-Means training on the projections (k = --clusters) ──▶ KMeansModel
 *     ──assign──▶ closest_cluster, distance_to_cluster (Euclidean) for every row
 *     ──explain──▶ component makeup and names, cluster sizes, centroids, silhouette
 *
 * Each step is timed. Nothing here writes files: the caller turns the result into outputs (see outputs.ts),
 * so a failure anywhere leaves the out dir untouched. How models are trained is a `Trainers` strategy: in
 * process for tests and benchmarks, or as registered training jobs for `strata run`.
 * @module
 */
import { type CleanOptions, cleanTable } from "../data/clean/clean-table.js";
import { type ColumnChoices, type ColumnPlan, planColumns } from "../data/clean/column-roles.js";
import { type DescribeResult, describe } from "../data/describe.js";
import type { Frame } from "../data/frame.js";
import { loadTable } from "../data/load.js";
import { isStrataError, StrataError } from "../errors.js";
import { detectGeography, type Entity, entityFor, type Geography } from "../explain/entity.js";
import { KMeans } from "../kmeans/kmeans.js";
import type { KMeansModel } from "../kmeans/kmeans-model.js";
import { silhouetteScore } from "../kmeans/metrics.js";
import type { Matrix } from "../linalg/matrix.js";
import { PCA } from "../pca/pca.js";
import type { PCAModel } from "../pca/pca-model.js";
import { applyTransforms, type FeatureTransforms } from "../preprocess/feature-transform.js";
import { MinMaxScaler, type MinMaxScalerModel } from "../preprocess/min-max-scaler.js";
import { StandardScaler, type StandardScalerModel } from "../preprocess/standard-scaler.js";
import { cappedList } from "../util/capped-list.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { type KSweep, sweepK } from "./k-sweep.js";
import {
  autoComponents,
  COMPONENTS_AUTO_SHARE,
  checkDataOptions,
  checkStaticOptions,
  type SegmentationOptions,
} from "./options.js";
import { clusterStability, type Stability } from "./stability.js";

/** How the two models are trained: in process, or through training jobs. */
/** Up to this many rows the silhouette is exact (O(n²): about 0.5 s here); above, a seeded sample of this many. */
export const SILHOUETTE_EXACT_ROWS = 10_000;

export interface Trainers {
  /** `scaler` is what produced x, for trainers that record it with the model. */
  pca(
    x: Matrix,
    featureNames: readonly string[],
    numComponents: number,
    context?: { scaler: MinMaxScalerModel | StandardScalerModel },
  ): Promise<PCAModel>;
  /** `weights`: each row's sample weight (`--weight`), or undefined. */
  kmeans(
    z: Matrix,
    featureNames: readonly string[],
    options: { k: number; seed: number; restarts: number | "auto"; weights?: Float64Array | undefined },
  ): Promise<KMeansModel>;
}

/** Trains both models directly in this thread. */
export const inProcessTrainers: Trainers = {
  async pca(x, featureNames, numComponents) {
    return new PCA({ numComponents }).fit(x, { featureNames });
  },
  async kmeans(z, _featureNames, { k, seed, restarts, weights }) {
    return new KMeans({ k, seed, restarts, initMethod: "kmeans++" }).fit(
      z,
      weights === undefined ? {} : { sampleWeight: weights },
    );
  },
};

export type StepName =
  | "load"
  | "clean"
  | "describe"
  | "scale"
  | "pca"
  | "project"
  | "kmeans"
  | "assign"
  | "explain";
export const STEPS: readonly StepName[] = [
  "load",
  "clean",
  "describe",
  "scale",
  "pca",
  "project",
  "kmeans",
  "assign",
  "explain",
];

export interface StepHooks {
  onStepStart?(step: StepName): void;
  onStepDone?(step: StepName, elapsedMs: number, detail: string): void;
}

/** Restarts per k in a sweep: enough to compare k, quick enough for eleven of them. */
export const SWEEP_RESTARTS = 3;

/** A sweep's restarts per k: SWEEP_RESTARTS, or fewer when the run asks for fewer. */
export function sweepRestarts(restarts: number | "auto"): number {
  return restarts === "auto" ? SWEEP_RESTARTS : Math.min(restarts, SWEEP_RESTARTS);
}

/** How `--components auto` chooses, in words. */
export const AUTO_COMPONENTS_RULE = `the fewest components that explain ${COMPONENTS_AUTO_SHARE * 100}% of the variance`;

export interface SegmentationResult {
  readonly source: string;
  readonly loadedRows: number;
  /** Labels of the rows dropped for missing feature values (1-based row numbers when there is no index). */
  readonly droppedRows: readonly string[];
  /** Every column's role: index, identifiers, features, and why the others are not used. */
  readonly columns: ColumnPlan;
  /** What the rows are, in words. */
  readonly entity: Entity;
  /** Per feature, the transform applied before scaling (null: none). */
  readonly transforms: FeatureTransforms;
  /** The k sweep, when k was chosen by one (`--clusters auto` or a range). */
  readonly sweep: KSweep | null;
  /** Each segment's bootstrap stability, when asked for (`--stability N`). */
  readonly stability: Stability | null;
  /** How the kept components were chosen, when `--components auto` chose them. */
  readonly componentsRule: string | null;
  /** The identifier column that places rows on a US map (county or state), if any. */
  readonly geography: Geography | null;
  /** Per feature, how many loaded rows missed a value there. */
  readonly missingByColumn: Readonly<Record<string, number>>;
  /** Per feature, how many values were filled in, and with what (with `impute`). */
  readonly imputed: Readonly<Record<string, { readonly count: number; readonly value: number }>>;
  readonly impute: "median" | "mean" | null;
  /**
   * The column that weights the rows (`--weight`) and each used row's weight (the sample's, streamed), or
   * null; streamed, also the total and each segment's total over every row.
   */
  readonly weight: {
    readonly column: string;
    readonly values: Float64Array;
    readonly total?: number;
    readonly perSegment?: readonly number[];
  } | null;
  /** Rows used: every row's, where the matrices below hold only a sample (a streamed run). */
  readonly usedRows: number;
  /** How many rows were dropped (droppedRows may list only the first of them, streamed). */
  readonly droppedCount: number;
  /** A streamed run: the sample the matrices below hold, and how many passes over the data it took. */
  readonly streamed: {
    readonly sampleRows: number;
    /** Of the sample's rows, the uniform sample's; the others are rows of segments it held too few of. */
    readonly uniformRows: number;
    readonly passes: number;
  } | null;
  readonly features: readonly string[];
  /** The cleaned features, indexed "State-County". */
  readonly table: Frame;
  /** Id and index columns (CensusId, State, County) of the used rows, in the same order. */
  readonly identifiers: Frame;
  readonly describeRaw: DescribeResult;
  readonly describeScaled: DescribeResult;
  readonly scaler: MinMaxScalerModel | StandardScalerModel;
  readonly scaled: Matrix;
  readonly pca: PCAModel;
  readonly kept: number;
  /** rows x kept: each row's coordinates on the top components, largest first. */
  readonly projections: Matrix;
  readonly kmeans: KMeansModel;
  readonly closestCluster: Int32Array;
  readonly distanceToCluster: Float64Array;
  readonly sizes: readonly number[];
  readonly silhouette: number;
  /** Rows the silhouette was computed on: all of them, or a seeded sample of SILHOUETTE_EXACT_ROWS. */
  readonly silhouetteRows: number;
  readonly calinskiHarabasz: number;
  readonly daviesBouldin: number;
  readonly timings: Readonly<Record<StepName, number>>;
}

export interface RunContext {
  /** Called with the feature names right after cleaning, to reject options that name features (`--hist`). */
  readonly checkFeatures?: (features: readonly string[]) => void;
  readonly trainers?: Trainers;
  readonly hooks?: StepHooks;
  readonly logger?: Logger;
}

/** Runs the whole workflow; see the module comment for the steps. Throws StrataError on bad input. */
export async function runSegmentation(
  options: SegmentationOptions,
  { trainers = inProcessTrainers, hooks = {}, logger = silentLogger, checkFeatures }: RunContext = {},
): Promise<SegmentationResult> {
  checkStaticOptions(options);
  const { step, timings } = stepTimer(hooks);

  const raw = await step(
    "load",
    () =>
      loadTable(options.source, { logger }).catch((error: unknown) => {
        throw withDataHint(error);
      }),
    (f) => `${f.numRows} rows x ${f.columnNames.length} columns`,
  );
  const columns = planColumns(raw, columnChoices(options));
  const geography = detectGeography(raw, columns.identifiers);
  const entity = entityFor(options.entity, geography);
  const cleaned = await step(
    "clean",
    () => cleanTable(numberedRows(raw, columns, 0), { ...cleanOptions(columns), impute: options.impute }),
    (c) =>
      `${c.usedRows} used, ${c.droppedRows.length} dropped${c.droppedRows.length ? ` (${columns.index.length === 0 ? "data rows " : ""}${cappedList(c.droppedRows)})` : ""}`,
  );
  const features = [...columns.features];
  checkFeatures?.(features);
  const weight = columns.weight === null ? null : rowWeights(cleaned, columns.weight);
  const { components: checkedComponents, pcaComponents } = checkDataOptions(options, {
    rows: cleaned.usedRows,
    features: features.length,
  });
  const transforms = featureTransforms(options, features);
  const untransformed = cleaned.frame.toMatrix(features);
  const x = transforms.some((t) => t !== null)
    ? applyTransforms(untransformed, transforms, features)
    : untransformed;

  const describeRaw = await step(
    "describe",
    () => describe(cleaned.frame.select(features)),
    () => `${features.length} features`,
  );
  const scaled = await step(
    "scale",
    () => {
      const scaler =
        options.scale === "standard"
          ? new StandardScaler().fit(x, { featureNames: features })
          : new MinMaxScaler().fit(x, { featureNames: features });
      return { scaler, matrix: scaler.transform(x) };
    },
    () => (options.scale === "standard" ? "standardised (mean 0, SD 1)" : "min-max to [0, 1]"),
  );
  const describeScaled = describe(cleaned.frame.withNumericColumns(features, scaled.matrix));

  const pca = await step(
    "pca",
    () => trainers.pca(scaled.matrix, features, pcaComponents, { scaler: scaled.scaler }),
    (m) => `${m.numComponents} components`,
  );
  const kept =
    options.components === "auto"
      ? Math.min(pca.numComponents, autoComponents(Array.from(pca.explainedVarianceRatio)))
      : checkedComponents;
  const projections = await step(
    "project",
    () => pca.transform(scaled.matrix, kept),
    () => `top ${kept} of ${pca.numComponents}`,
  );
  const componentNames = range(kept).map((i) => `comp_${i + 1}`);
  // With a range, k is chosen by the sweep (k-sweep.ts) and only that k is trained as the run's job.
  const sweep =
    options.clusterRange === undefined
      ? null
      : sweepK(projections, options.clusterRange, {
          seed: options.seed,
          restarts: sweepRestarts(options.restarts),
          silhouetteRows: Math.min(projections.rows, SILHOUETTE_EXACT_ROWS),
          weights: weight?.values,
        });
  const kmeans = await step(
    "kmeans",
    () =>
      trainers.kmeans(projections, componentNames, {
        k: sweep?.chosen ?? options.clusters,
        seed: options.seed,
        restarts: options.restarts,
        weights: weight?.values,
      }),
    (m) =>
      `${sweep === null ? "" : `k=${sweep.points[0]!.k}..${sweep.points.at(-1)!.k} swept, `}k=${m.k}, inertia ${m.inertia.toFixed(4)}`,
  );
  const assigned = await step(
    "assign",
    () => kmeans.predict(projections),
    () => `${projections.rows} rows`,
  );
  const stability =
    options.stability !== undefined && options.stability > 0
      ? clusterStability(
          projections,
          assigned.closestCluster,
          kmeans.k,
          options.stability,
          options.seed,
          undefined,
          weight?.values,
        )
      : null;
  const explained = await step(
    "explain",
    () => {
      // Silhouette is O(n²): exact up to SILHOUETTE_EXACT_ROWS rows, else on a sample of that many, seeded by
      // the run's seed (scikit-learn's sample_size), and the summary says on how many rows.
      const silhouetteRows = Math.min(projections.rows, SILHOUETTE_EXACT_ROWS);
      const sampled = silhouetteRows < projections.rows;
      const score = kmeans.score(projections);
      return {
        sizes: clusterSizes(assigned.closestCluster, kmeans.k),
        silhouette: silhouetteScore(
          projections,
          assigned.closestCluster,
          sampled ? { sampleSize: silhouetteRows, seed: options.seed, everyLabel: true } : {},
        ),
        silhouetteRows,
        calinskiHarabasz: score.calinskiHarabasz,
        daviesBouldin: score.daviesBouldin,
      };
    },
    (e) =>
      `silhouette ${e.silhouette.toFixed(4)}${e.silhouetteRows < projections.rows ? ` (a sample of ${e.silhouetteRows} rows)` : ""}`,
  );

  return {
    source: options.source,
    loadedRows: raw.numRows,
    droppedRows: cleaned.droppedRows,
    droppedCount: cleaned.droppedRows.length,
    usedRows: cleaned.usedRows,
    streamed: null,
    columns,
    entity,
    transforms,
    sweep,
    stability,
    componentsRule: options.components === "auto" ? AUTO_COMPONENTS_RULE : null,
    geography: geography ?? null,
    missingByColumn: cleaned.missingByColumn,
    imputed: cleaned.imputed,
    impute: options.impute ?? null,
    weight,
    features,
    table: cleaned.frame,
    identifiers: cleaned.identifiers,
    describeRaw,
    describeScaled,
    scaler: scaled.scaler,
    scaled: scaled.matrix,
    pca,
    kept,
    projections,
    kmeans,
    closestCluster: assigned.closestCluster,
    distanceToCluster: assigned.distanceToCluster,
    sizes: explained.sizes,
    silhouette: explained.silhouette,
    silhouetteRows: explained.silhouetteRows,
    calinskiHarabasz: explained.calinskiHarabasz,
    daviesBouldin: explained.daviesBouldin,
    timings,
  };
}

/** Runs and times the workflow's steps, telling the hooks; `timings` fills as they end. */
export function stepTimer(hooks: StepHooks): {
  step: <T>(name: StepName, work: () => T | Promise<T>, detail: (value: T) => string) => Promise<T>;
  timings: Record<StepName, number>;
} {
  const timings = {} as Record<StepName, number>;
  const step = async <T>(
    name: StepName,
    work: () => T | Promise<T>,
    detail: (value: T) => string,
  ): Promise<T> => {
    hooks.onStepStart?.(name);
    const started = performance.now();
    const value = await work();
    timings[name] = performance.now() - started;
    hooks.onStepDone?.(name, timings[name], detail(value));
    return value;
  };
  return { step, timings };
}

/** A load's error; a missing source also says which option named it (the store names the file). */
export function withDataHint(error: unknown): unknown {
  if (!isStrataError(error, "SOURCE_NOT_FOUND")) return error;
  return new StrataError(error.code, `${error.message} Check the path, or pass another with --data.`, {
    details: error.details,
    cause: error,
  });
}

/** The column choices the run's options make (undefined: detect). */
export function columnChoices(options: SegmentationOptions): ColumnChoices {
  return {
    index: options.indexColumns,
    ids: options.idColumns,
    features: options.features,
    exclude: options.exclude,
    weight: options.weight,
  };
}

/**
 * The rows, named by their 1-based number in the data (after the header) when no column names them;
 * `firstRow`: the table's index of the frame's first row (a streamed chunk's).
 */
export function numberedRows(frame: Frame, columns: ColumnPlan, firstRow: number): Frame {
  return columns.index.length > 0
    ? frame
    : frame.withIndex(frame.index.map((_, i) => String(firstRow + i + 1)));
}

/** How the table is cleaned for a column plan: the unused columns dropped, rows missing a feature or the weight. */
export function cleanOptions(columns: ColumnPlan): CleanOptions {
  return {
    indexColumns: columns.index,
    dropColumns: columns.unused.map((u) => u.column).filter((c) => !columns.index.includes(c)),
    features: columns.features,
    required: columns.weight === null ? [] : [columns.weight],
  };
}

/**
 * The used rows' weights from the cleaned table (the weight column is a feature, or kept with the identifiers).
 * @throws StrataError VALUE_OUT_OF_RANGE naming the rows (capped) whose weight is not a number above 0
 */
export function rowWeights(
  cleaned: { readonly frame: Frame; readonly identifiers: Frame },
  column: string,
): { column: string; values: Float64Array } {
  const from = cleaned.frame.columnNames.includes(column) ? cleaned.frame : cleaned.identifiers;
  const values = Float64Array.from(from.column(column));
  const bad = cleaned.frame.index.filter((_, i) => !(Number.isFinite(values[i]!) && values[i]! > 0));
  if (bad.length > 0)
    throw new StrataError(
      "VALUE_OUT_OF_RANGE",
      `--weight ${JSON.stringify(column)}: ${bad.length} row${bad.length === 1 ? " has" : "s have"} a weight of 0 or below (${cappedList(bad)}); every weight must be a number above 0. Leave those rows out of the data, or weight by another column.`,
      { details: { flag: "--weight", column, rows: bad.length } },
    );
  return { column, values };
}

export function clusterSizes(labels: Int32Array, k: number): number[] {
  const sizes = new Array<number>(k).fill(0);
  for (const label of labels) sizes[label]!++;
  return sizes;
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Each feature's transform from the options, in feature order.
 * @throws StrataError MISSING_COLUMN when `--transform` names a feature the run does not use
 */
export function featureTransforms(
  options: SegmentationOptions,
  features: readonly string[],
): FeatureTransforms {
  const byFeature = options.transform?.byFeature ?? {};
  for (const name of Object.keys(byFeature))
    if (!features.includes(name))
      throw new StrataError(
        "MISSING_COLUMN",
        `--transform names ${JSON.stringify(name)}, which is not a feature of this run; the features are ${features.map((f) => JSON.stringify(f)).join(", ")}.`,
        { details: { flag: "--transform", column: name } },
      );
  return features.map((f) => byFeature[f] ?? options.transform?.all ?? null);
}
