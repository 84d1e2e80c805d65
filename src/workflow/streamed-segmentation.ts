/**
 * The segmentation workflow on a table too large for memory: the same steps as segmentation.ts, each a pass
 * over the table read in chunks (src/data/stream/table-chunks.ts), so memory is bounded by a chunk and a
 * sample, not by the table. The models are trained as registered jobs over channels the run writes, as the
 * SageMaker notebook does (RecordIO-protobuf, then a training job per model), streamed by the jobs:
 *
 *   load   ── the files, their typed relation, and column roles from the first ROLE_SAMPLE_ROWS rows
 *   clean  ── pass 1 over the table: drop rows missing a feature, transform; the scaler's statistics
 *             (min/max, mean and variance, mergeable per chunk) and describe's exact moments
 *   scale  ── pass 2: every used row scaled, written as data/pca-train.pbr (weights as labels)
 *   pca    ── a PCA training job in Pipe mode over that channel
 *   project── the PCA channel streamed once: each row's top components, written as data/kmeans-train.pbr;
 *             with a k range, a uniform sample of the projections chooses k (k-sweep.ts)
 *   kmeans ── a K-Means training job in Pipe mode: web-scale K-Means (its log says so)
 *   assign ── pass 3: every row's segment and distance, written to assignments.csv as it goes; exact sizes
 *             (and weights) per segment; a seeded uniform sample (Algorithm R) of SAMPLE_ROWS rows
 *   explain── profiles, quartiles, histograms, typical members and the cluster metrics from that sample
 *
 * The result has the in-memory workflow's shape, with the sample in place of the matrices and `streamed`
 * saying so; a table of at most SAMPLE_ROWS used rows is explained from every row.
 * @module
 */
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { cleanTable } from "../data/clean/clean-table.js";
import { type ColumnPlan, planColumns } from "../data/clean/column-roles.js";
import { type DescribeResult, describe } from "../data/describe.js";
import { type ColumnData, Frame } from "../data/frame.js";
import { objectChunks } from "../data/stream/object-chunks.js";
import {
  openStreamedTable,
  type StreamedTable,
  type TableChunk,
  tableChunks,
  tableHead,
} from "../data/stream/table-chunks.js";
import { StrataError } from "../errors.js";
import { detectGeography, entityFor } from "../explain/entity.js";
import { encodeDenseRows } from "../formats/dense-rows.js";
import type { KMeansModel } from "../kmeans/kmeans-model.js";
import { silhouetteScore } from "../kmeans/metrics.js";
import { type Matrix, matrix } from "../linalg/matrix.js";
import { createRng, type Rng } from "../linalg/rng.js";
import type { PCAModel } from "../pca/pca-model.js";
import { applyTransforms, type FeatureTransforms } from "../preprocess/feature-transform.js";
import { MinMaxScaler, type MinMaxScalerModel } from "../preprocess/min-max-scaler.js";
import {
  MIN_MAX_STATS,
  type MinMaxStats,
  MOMENT_STATS,
  type MomentStats,
} from "../preprocess/scaler-stats.js";
import { StandardScaler, type StandardScalerModel } from "../preprocess/standard-scaler.js";
import { type Logger, silentLogger } from "../util/logger.js";
import type { ChannelFile, StreamedTrainers } from "./job-trainers.js";
import { sweepK } from "./k-sweep.js";
import { autoComponents, checkDataOptions, checkStaticOptions, type SegmentationOptions } from "./options.js";
import { assignmentLines, assignmentsHeader } from "./outputs.js";
import {
  AUTO_COMPONENTS_RULE,
  cleanOptions,
  columnChoices,
  featureTransforms,
  numberedRows,
  range,
  rowWeights,
  type SegmentationResult,
  SILHOUETTE_EXACT_ROWS,
  type StepHooks,
  stepTimer,
  sweepRestarts,
  withDataHint,
} from "./segmentation.js";

/** Rows column roles are detected from: the table's first rows. */
export const ROLE_SAMPLE_ROWS = 50_000;

/** Rows of the uniform sample a streamed run explains its segments from. */
export const SAMPLE_ROWS = 50_000;

/** Dropped rows listed by label (all are counted). */
const DROPPED_LISTED = 1_000;

/** Reads of the table a streamed run makes (statistics, scaled channel, assignments). */
const TABLE_PASSES = 3;

export interface StreamedRunContext {
  readonly trainers: StreamedTrainers;
  /** Where the run writes the jobs' channels (the staging data/ directory). */
  readonly dataDir: string;
  /** Where assignments.csv is written as the rows are assigned. */
  readonly assignmentsFile: string;
  readonly checkFeatures?: (features: readonly string[]) => void;
  readonly hooks?: StepHooks;
  readonly logger?: Logger;
}

/** How every chunk becomes rows of features: the plan fixed from the first rows, applied to each chunk. */
interface RowPlan {
  readonly columns: ColumnPlan;
  readonly features: readonly string[];
  readonly transforms: FeatureTransforms;
  readonly transformed: boolean;
}

/** One chunk's used rows. */
interface PreparedChunk {
  readonly loaded: number;
  readonly identifiers: Frame;
  readonly labels: readonly string[];
  /** The features as in the data. */
  readonly raw: Matrix;
  /** The features after `--transform` (raw itself when there is none). */
  readonly x: Matrix;
  readonly weights: Float64Array | null;
  readonly dropped: readonly string[];
  readonly missingByColumn: Readonly<Record<string, number>>;
}

/**
 * Runs the workflow over a table streamed in chunks; see the module comment.
 * @throws StrataError as runSegmentation, and INVALID_ARGUMENT for options a streamed run cannot honour
 *   (`--impute`, `--stability`)
 */
export async function runStreamedSegmentation(
  options: SegmentationOptions,
  context: StreamedRunContext,
): Promise<SegmentationResult> {
  checkStaticOptions(options);
  refuseUnstreamable(options);
  const { trainers, hooks = {}, logger = silentLogger } = context;
  const { step, timings } = stepTimer(hooks);

  const opened = await step(
    "load",
    async () => {
      const table = await openStreamedTable(options.source, { logger }).catch((error: unknown) => {
        throw withDataHint(error);
      });
      return { table, head: await tableHead(table, ROLE_SAMPLE_ROWS) };
    },
    ({ table, head }) =>
      `${table.files.length} file${table.files.length === 1 ? "" : "s"} (${table.format}) x ${head.columnNames.length} columns, streamed; column roles from the first ${head.numRows} rows`,
  );
  const { table, head } = opened;
  const columns = planColumns(head, columnChoices(options));
  const geography = detectGeography(head, columns.identifiers);
  const entity = entityFor(options.entity, geography);
  const features = [...columns.features];
  context.checkFeatures?.(features);
  const transforms = featureTransforms(options, features);
  const plan: RowPlan = { columns, features, transforms, transformed: transforms.some((t) => t !== null) };

  const stats = await step(
    "clean",
    () => statisticsPass(table, plan),
    (s) =>
      `${s.used} used, ${s.droppedCount} dropped${s.dropped.length ? ` (first: ${s.dropped.slice(0, 3).join(", ")})` : ""}`,
  );
  if (stats.used === 0)
    throw new StrataError(
      "NO_ROWS_LEFT",
      `Every one of the ${stats.loaded} rows has a missing value, so cleaning left no rows. Fill the missing values or drop the columns that hold them.`,
      { details: { loadedRows: stats.loaded } },
    );
  const { components: checkedComponents, pcaComponents } = checkDataOptions(options, {
    rows: stats.used,
    features: features.length,
  });
  const scaler =
    options.scale === "standard"
      ? new StandardScaler().fromStatistics(stats.moments, features)
      : new MinMaxScaler().fromStatistics(stats.minMax, features);
  // describe's exact columns come from the statistics pass; its quartiles from the sample, at the end.
  await step(
    "describe",
    async () => features.length,
    (n) => `${n} features: count, mean, std, min, max exact; quartiles from the sample`,
  );

  const dataDir = resolve(context.dataDir);
  await mkdir(dataDir, { recursive: true });
  const weighted = columns.weight !== null;
  const pcaChannel = join(dataDir, "pca-train.pbr");
  await step(
    "scale",
    () => scalePass(table, plan, scaler, pcaChannel),
    () =>
      `${options.scale === "standard" ? "standardised (mean 0, SD 1)" : "min-max to [0, 1]"}, written to data/pca-train.pbr`,
  );
  const pcaInput: ChannelFile = {
    path: pcaChannel,
    rows: stats.used,
    cols: features.length,
    featureNames: features,
    labels: weighted,
  };
  const pca = await step(
    "pca",
    () => trainers.pcaStreamed(pcaInput, pcaComponents, { scaler }),
    (m) => `${m.numComponents} components (a Pipe-mode job)`,
  );
  const kept =
    options.components === "auto"
      ? Math.min(pca.numComponents, autoComponents(Array.from(pca.explainedVarianceRatio)))
      : checkedComponents;

  const kmeansChannel = join(dataDir, "kmeans-train.pbr");
  const projected = await step(
    "project",
    () =>
      projectPass(
        pcaInput,
        pca,
        kept,
        kmeansChannel,
        options.clusterRange === undefined ? 0 : SAMPLE_ROWS,
        options.seed,
      ),
    () => `top ${kept} of ${pca.numComponents}, written to data/kmeans-train.pbr`,
  );
  const sweep =
    options.clusterRange === undefined
      ? null
      : sweepK(projected.sample, options.clusterRange, {
          seed: options.seed,
          restarts: sweepRestarts(options.restarts),
          silhouetteRows: Math.min(projected.sample.rows, SILHOUETTE_EXACT_ROWS),
          weights: projected.sampleWeights ?? undefined,
        });
  const componentNames = range(kept).map((i) => `comp_${i + 1}`);
  const kmeans = await step(
    "kmeans",
    () =>
      trainers.kmeansStreamed(
        { path: kmeansChannel, rows: stats.used, cols: kept, featureNames: componentNames, labels: weighted },
        { k: sweep?.chosen ?? options.clusters, seed: options.seed, restarts: options.restarts, weighted },
      ),
    (m) =>
      `${sweep === null ? "" : `k=${sweep.points[0]!.k}..${sweep.points.at(-1)!.k} swept on a sample of ${projected.sample.rows} rows, `}k=${m.k}, inertia ${m.inertia.toFixed(4)} (a Pipe-mode job)`,
  );

  const assigned = await step(
    "assign",
    () =>
      assignPass(table, plan, { scaler, pca, kept, kmeans }, context.assignmentsFile, {
        seed: options.seed,
        stats,
      }),
    (a) =>
      `${a.rows} rows, written to assignments.csv${a.sample.rows < a.rows ? `; a uniform sample of ${a.sample.rows} kept` : ""}`,
  );
  const sample = assigned.sample;
  const explained = await step(
    "explain",
    async () => {
      const silhouetteRows = Math.min(sample.rows, SILHOUETTE_EXACT_ROWS);
      const score = kmeans.score(sample.projections);
      return {
        silhouette: silhouetteScore(
          sample.projections,
          sample.closestCluster,
          silhouetteRows < sample.rows
            ? { sampleSize: silhouetteRows, seed: options.seed, everyLabel: true }
            : {},
        ),
        silhouetteRows,
        calinskiHarabasz: score.calinskiHarabasz,
        daviesBouldin: score.daviesBouldin,
      };
    },
    (e) =>
      `silhouette ${e.silhouette.toFixed(4)}${e.silhouetteRows < stats.used ? ` (a sample of ${e.silhouetteRows} rows)` : ""}; profiles from ${sample.rows < stats.used ? `a sample of ${sample.rows} rows` : "every row"}`,
  );
  return {
    source: options.source,
    loadedRows: stats.loaded,
    droppedRows: stats.dropped,
    droppedCount: stats.droppedCount,
    usedRows: stats.used,
    streamed: { sampleRows: sample.rows, uniformRows: sample.uniformRows, passes: TABLE_PASSES },
    columns,
    entity,
    transforms,
    sweep,
    stability: null,
    componentsRule: options.components === "auto" ? AUTO_COMPONENTS_RULE : null,
    geography: geography ?? null,
    missingByColumn: stats.missingByColumn,
    imputed: {},
    impute: null,
    weight:
      columns.weight === null
        ? null
        : {
            column: columns.weight,
            values: sample.weights!,
            total: stats.weightTotal,
            perSegment: assigned.segmentWeights,
          },
    features,
    table: sample.table,
    identifiers: sample.identifiers,
    describeRaw: exactDescribe(describe(sample.uniformTable), {
      minMax: stats.rawMinMax,
      moments: stats.rawMoments,
    }),
    describeScaled: exactDescribe(
      describe(Frame.fromMatrix(sample.uniformScaled, features)),
      scaledStatistics(scaler, stats.minMax, stats.moments),
    ),
    scaler,
    scaled: sample.scaled,
    pca,
    kept,
    projections: sample.projections,
    kmeans,
    closestCluster: sample.closestCluster,
    distanceToCluster: sample.distanceToCluster,
    sizes: assigned.sizes,
    silhouette: explained.silhouette,
    silhouetteRows: explained.silhouetteRows,
    calinskiHarabasz: explained.calinskiHarabasz,
    daviesBouldin: explained.daviesBouldin,
    timings,
  };
}

function refuseUnstreamable(options: SegmentationOptions): void {
  const refuse = (flag: string, why: string) => {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `${flag} is not available when the table is streamed: ${why}. Leave it out, or hold the table in memory with --no-stream.`,
      { details: { option: flag } },
    );
  };
  if (options.impute !== undefined)
    refuse(
      "--impute",
      "the fill value would need a pass of its own before the scaler's, and medians need the whole column",
    );
  if (options.stability !== undefined && options.stability > 0)
    refuse("--stability", "each resample refits K-Means on the whole table");
}

/**
 * One chunk's used rows: dropped rows (missing a feature or the weight) counted and named, the features
 * transformed, the weights checked. Rows are named as in memory: by the index columns, else 1-based number.
 */
function prepareChunk(chunk: TableChunk, plan: RowPlan): PreparedChunk {
  const { columns, features, transforms } = plan;
  const cleaned = cleanTable(numberedRows(chunk.frame, columns, chunk.firstRow), {
    ...cleanOptions(columns),
    allowEmpty: true,
  });
  const raw = cleaned.frame.toMatrix(features);
  return {
    loaded: chunk.frame.numRows,
    identifiers: cleaned.identifiers,
    labels: cleaned.frame.index,
    raw,
    x: plan.transformed ? applyTransforms(raw, transforms, features) : raw,
    weights:
      columns.weight === null || cleaned.usedRows === 0 ? null : rowWeights(cleaned, columns.weight).values,
    dropped: cleaned.droppedRows,
    missingByColumn: cleaned.missingByColumn,
  };
}

interface TableStatistics {
  readonly loaded: number;
  readonly used: number;
  readonly droppedCount: number;
  readonly dropped: string[];
  readonly missingByColumn: Record<string, number>;
  /** Of the transformed features: what the scaler is fitted to. */
  readonly minMax: MinMaxStats;
  readonly moments: MomentStats;
  /** Of the features as in the data: describe's exact columns. */
  readonly rawMinMax: MinMaxStats;
  readonly rawMoments: MomentStats;
  readonly weightTotal: number;
}

/** Pass 1: counts, dropped rows, and the mergeable statistics of the features. */
async function statisticsPass(table: StreamedTable, plan: RowPlan): Promise<TableStatistics> {
  const d = plan.features.length;
  let minMax = MIN_MAX_STATS.empty(null, d);
  let moments = MOMENT_STATS.empty(null, d);
  let rawMinMax = minMax;
  let rawMoments = moments;
  let loaded = 0;
  let droppedCount = 0;
  let weightTotal = 0;
  const dropped: string[] = [];
  const missingByColumn: Record<string, number> = {};
  for await (const chunk of tableChunks(table)) {
    const c = prepareChunk(chunk, plan);
    loaded += c.loaded;
    droppedCount += c.dropped.length;
    for (const label of c.dropped) if (dropped.length < DROPPED_LISTED) dropped.push(label);
    for (const [column, n] of Object.entries(c.missingByColumn))
      missingByColumn[column] = (missingByColumn[column] ?? 0) + n;
    if (c.x.rows === 0) continue;
    checkFiniteRows(c, plan.features);
    minMax = MIN_MAX_STATS.update(minMax, c.x, null, 0);
    moments = MOMENT_STATS.update(moments, c.x, null, 0);
    if (plan.transformed) {
      rawMinMax = MIN_MAX_STATS.update(rawMinMax, c.raw, null, 0);
      rawMoments = MOMENT_STATS.update(rawMoments, c.raw, null, 0);
    }
    if (c.weights !== null) for (const w of c.weights) weightTotal += w;
  }
  if (!plan.transformed) {
    rawMinMax = minMax;
    rawMoments = moments;
  }
  return {
    loaded,
    used: moments.count,
    droppedCount,
    dropped,
    missingByColumn,
    minMax,
    moments,
    rawMinMax,
    rawMoments,
    weightTotal,
  };
}

/**
 * Rejects ±Infinity (a cell DuckDB read as "inf"): the in-memory scaler refuses it too.
 * @throws StrataError NON_NUMERIC_VALUE naming the row and the feature
 */
function checkFiniteRows(c: PreparedChunk, features: readonly string[]): void {
  const { x } = c;
  for (let i = 0; i < x.data.length; i++)
    if (!Number.isFinite(x.data[i]!)) {
      const row = Math.floor(i / x.cols);
      throw new StrataError(
        "NON_NUMERIC_VALUE",
        `Row ${c.labels[row]} has ${x.data[i]} in ${JSON.stringify(features[i % x.cols])}; every feature value must be a finite number.`,
        { details: { row: c.labels[row], column: features[i % x.cols] } },
      );
    }
}

/** Pass 2: every used row scaled and appended to the PCA job's channel. */
async function scalePass(
  table: StreamedTable,
  plan: RowPlan,
  scaler: MinMaxScalerModel | StandardScalerModel,
  channel: string,
): Promise<void> {
  await withFile(channel, async (write) => {
    for await (const chunk of tableChunks(table)) {
      const c = prepareChunk(chunk, plan);
      if (c.x.rows === 0) continue;
      await write(encodeRows(scaler.transform(c.x), c.weights));
    }
  });
}

/**
 * The scaled columns' statistics from the unscaled ones: both scalers map each column by y = a·x + b with
 * a > 0 (a and b read off the scaler at x = 0 and x = 1), so min, max and mean map the same way and the
 * centred second moment scales by a². Derived, not accumulated over every scaled row again.
 */
function scaledStatistics(
  scaler: MinMaxScalerModel | StandardScalerModel,
  minMax: MinMaxStats,
  moments: MomentStats,
): { minMax: MinMaxStats; moments: MomentStats } {
  const d = moments.mean.length;
  const b = scaler.transform(matrix(1, d, new Float64Array(d))).data;
  const a = scaler.transform(matrix(1, d, new Float64Array(d).fill(1))).data.map((v, j) => v - b[j]!);
  const map = (values: Float64Array) => values.map((v, j) => a[j]! * v + b[j]!);
  return {
    minMax: { count: minMax.count, dataMin: map(minMax.dataMin), dataMax: map(minMax.dataMax) },
    moments: {
      count: moments.count,
      mean: map(moments.mean),
      m2: moments.m2.map((m, j) => a[j]! * a[j]! * m),
    },
  };
}

/**
 * The projections' pass: the PCA channel streamed once, each row projected on the kept components and
 * appended to the K-Means job's channel; a seeded uniform sample of `sampleRows` projections (for a k sweep;
 * 0 without one).
 */
async function projectPass(
  input: ChannelFile,
  pca: PCAModel,
  kept: number,
  channel: string,
  sampleRows: number,
  seed: number,
): Promise<{ sample: Matrix; sampleWeights: Float64Array | null }> {
  const reservoir = new Reservoir(sampleRows, seed);
  const projections = new Float64Array(sampleRows * kept);
  const weights = input.labels ? new Float64Array(sampleRows) : null;
  const source = { path: input.path, format: "recordio-protobuf" as const, labelSize: 0, name: input.path };
  await withFile(channel, async (write) => {
    for await (const chunk of objectChunks(source, 32_768)) {
      const z = pca.transform(chunk.matrix, kept);
      await write(encodeRows(z, chunk.labels));
      for (let i = 0; i < z.rows && sampleRows > 0; i++) {
        const slot = reservoir.offer();
        if (slot < 0) continue;
        projections.set(z.data.subarray(i * kept, (i + 1) * kept), slot * kept);
        if (weights !== null) weights[slot] = chunk.labels![i]!;
      }
    }
  });
  const n = reservoir.size;
  return {
    sample: matrix(n, kept, projections.slice(0, n * kept)),
    sampleWeights: weights === null ? null : weights.slice(0, n),
  };
}

interface Models {
  readonly scaler: MinMaxScalerModel | StandardScalerModel;
  readonly pca: PCAModel;
  readonly kept: number;
  readonly kmeans: KMeansModel;
}

/** The rows a streamed run explains from: a uniform sample of the used rows, in table order. */
interface RowSample {
  readonly rows: number;
  /** Of them, the uniform sample's (the rest are rows of segments it held too few of). */
  readonly uniformRows: number;
  /** The uniform sample's features as in the data: describe's quartiles come from these alone. */
  readonly uniformTable: Frame;
  readonly uniformScaled: Matrix;
  readonly table: Frame;
  readonly identifiers: Frame;
  readonly scaled: Matrix;
  readonly projections: Matrix;
  readonly closestCluster: Int32Array;
  readonly distanceToCluster: Float64Array;
  readonly weights: Float64Array | null;
}

/** Rows kept from each segment (uniformly within it) beside the sample, so no segment goes unexplained. */
const SEGMENT_ROWS = 200;

/** Kept rows, by slot: what a streamed run explains its segments from. */
interface RowStore {
  readonly position: Float64Array;
  readonly label: string[];
  readonly ids: (string | number | null)[][];
  readonly raw: Float64Array;
  readonly scaled: Float64Array;
  readonly projections: Float64Array;
  readonly cluster: Int32Array;
  readonly distance: Float64Array;
  readonly weights: Float64Array | null;
}

function rowStore(capacity: number, d: number, kept: number, idCount: number, weighted: boolean): RowStore {
  return {
    position: new Float64Array(capacity),
    label: new Array<string>(capacity),
    ids: Array.from({ length: idCount }, () => new Array<string | number | null>(capacity)),
    raw: new Float64Array(capacity * d),
    scaled: new Float64Array(capacity * d),
    projections: new Float64Array(capacity * kept),
    cluster: new Int32Array(capacity),
    distance: new Float64Array(capacity),
    weights: weighted ? new Float64Array(capacity) : null,
  };
}

/**
 * Pass 3: every used row through the scaler, the PCA and the K-Means model; assignments.csv written chunk by
 * chunk; each segment's size (and weight); a uniform sample of the rows and, beside it, up to SEGMENT_ROWS
 * rows of each segment (uniform within the segment), added where the sample holds fewer of a segment's rows
 * (a segment of 500 rows in 20 million is often absent from a 50,000-row sample).
 */
async function assignPass(
  table: StreamedTable,
  plan: RowPlan,
  models: Models,
  assignmentsFile: string,
  { seed, stats }: { seed: number; stats: TableStatistics },
): Promise<{ rows: number; sizes: number[]; segmentWeights: number[]; sample: RowSample }> {
  const { scaler, pca, kept, kmeans } = models;
  const d = plan.features.length;
  const idColumns = plan.columns.identifiers;
  const weighted = plan.columns.weight !== null;
  const sizes = new Array<number>(kmeans.k).fill(0);
  const segmentWeights = new Array<number>(kmeans.k).fill(0);
  const reservoir = new Reservoir(Math.min(SAMPLE_ROWS, stats.used), seed);
  const store = rowStore(reservoir.capacity, d, kept, idColumns.length, weighted);
  const perSegment = Array.from({ length: kmeans.k }, (_, c) => new Reservoir(SEGMENT_ROWS, seed + 1 + c));
  const segmentStore = rowStore(kmeans.k * SEGMENT_ROWS, d, kept, idColumns.length, weighted);
  let rows = 0;
  await withFile(assignmentsFile, async (write) => {
    await write(assignmentsHeader(idColumns, kept));
    for await (const chunk of tableChunks(table)) {
      const c = prepareChunk(chunk, plan);
      if (c.x.rows === 0) continue;
      const scaled = scaler.transform(c.x);
      const projections = pca.transform(scaled, kept);
      const { closestCluster, distanceToCluster } = kmeans.predict(projections);
      await write(
        assignmentLines(
          { identifiers: c.identifiers, projections, closestCluster, distanceToCluster },
          idColumns,
        ),
      );
      const idData: ColumnData[] = idColumns.map((name) => c.identifiers.columnData(name));
      const put = (into: RowStore, slot: number, i: number) => {
        into.position[slot] = rows + i;
        into.label[slot] = c.labels[i]!;
        idData.forEach((column, j) => {
          into.ids[j]![slot] = column[i] ?? null;
        });
        into.raw.set(c.raw.data.subarray(i * d, (i + 1) * d), slot * d);
        into.scaled.set(scaled.data.subarray(i * d, (i + 1) * d), slot * d);
        into.projections.set(projections.data.subarray(i * kept, (i + 1) * kept), slot * kept);
        into.cluster[slot] = closestCluster[i]!;
        into.distance[slot] = distanceToCluster[i]!;
        if (into.weights !== null) into.weights[slot] = c.weights![i]!;
      };
      for (let i = 0; i < c.x.rows; i++) {
        const cluster = closestCluster[i]!;
        sizes[cluster]!++;
        if (c.weights !== null) segmentWeights[cluster]! += c.weights[i]!;
        const slot = reservoir.offer();
        if (slot >= 0) put(store, slot, i);
        const own = perSegment[cluster]!.offer();
        if (own >= 0) put(segmentStore, cluster * SEGMENT_ROWS + own, i);
      }
      rows += c.x.rows;
    }
  });
  // The sample's rows, then each under-represented segment's own rows not in it already; in table order.
  const entries: { readonly from: RowStore; readonly slot: number }[] = [];
  const inSample = new Set<number>();
  const perCluster = new Array<number>(kmeans.k).fill(0);
  for (let slot = 0; slot < reservoir.size; slot++) {
    entries.push({ from: store, slot });
    inSample.add(store.position[slot]!);
    perCluster[store.cluster[slot]!]!++;
  }
  for (let cluster = 0; cluster < kmeans.k; cluster++) {
    if (perCluster[cluster]! >= Math.min(SEGMENT_ROWS, sizes[cluster]!)) continue;
    for (let own = 0; own < perSegment[cluster]!.size; own++) {
      const slot = cluster * SEGMENT_ROWS + own;
      if (!inSample.has(segmentStore.position[slot]!)) entries.push({ from: segmentStore, slot });
    }
  }
  entries.sort((a, b) => a.from.position[a.slot]! - b.from.position[b.slot]!);
  const n = entries.length;
  const pick = (values: (s: RowStore) => Float64Array, width: number) => {
    const out = new Float64Array(n * width);
    for (const [i, { from, slot }] of entries.entries())
      out.set(values(from).subarray(slot * width, (slot + 1) * width), i * width);
    return out;
  };
  const labels = entries.map(({ from, slot }) => from.label[slot]!);
  const raw = matrix(
    n,
    d,
    pick((s) => s.raw, d),
  );
  const identifiers = Frame.fromColumns(
    idColumns.map((name, j) => {
      const values = entries.map(({ from, slot }) => from.ids[j]![slot] ?? null);
      const numeric = values.every((v) => typeof v === "number" || v === null);
      const data: ColumnData = numeric
        ? Float64Array.from(values, (v) => (v === null ? Number.NaN : (v as number)))
        : values.map((v) => (v === null ? null : String(v)));
      return [name, data] as const;
    }),
    { index: labels },
  );
  return {
    rows,
    sizes,
    segmentWeights,
    sample: {
      rows: n,
      uniformRows: reservoir.size,
      uniformTable: Frame.fromMatrix(
        matrix(reservoir.size, d, store.raw.slice(0, reservoir.size * d)),
        plan.features,
      ),
      uniformScaled: matrix(reservoir.size, d, store.scaled.slice(0, reservoir.size * d)),
      table: Frame.fromMatrix(raw, plan.features, labels),
      identifiers,
      scaled: matrix(
        n,
        d,
        pick((s) => s.scaled, d),
      ),
      projections: matrix(
        n,
        kept,
        pick((s) => s.projections, kept),
      ),
      closestCluster: Int32Array.from(entries, ({ from, slot }) => from.cluster[slot]!),
      distanceToCluster: Float64Array.from(entries, ({ from, slot }) => from.distance[slot]!),
      weights: weighted ? pick((s) => s.weights!, 1) : null,
    },
  };
}

/**
 * describe() of the sample with its count, mean, std, min and max replaced by the exact values over every
 * row (the quartiles stay the sample's).
 */
function exactDescribe(
  sample: DescribeResult,
  { minMax, moments }: { minMax: MinMaxStats; moments: MomentStats },
): DescribeResult {
  const n = moments.count;
  const stats = { ...sample.stats };
  stats.count = sample.columns.map(() => n);
  stats.mean = Array.from(moments.mean);
  stats.std = Array.from(moments.m2, (m2) => (n < 2 ? Number.NaN : Math.sqrt(m2 / (n - 1))));
  stats.min = Array.from(minMax.dataMin);
  stats.max = Array.from(minMax.dataMax);
  return { columns: sample.columns, stats };
}

/** Rows as RecordIO-protobuf records, float64, with their weights as labels when there are weights. */
function encodeRows(rows: Matrix, weights: Float64Array | null): Uint8Array {
  return encodeDenseRows(rows, { dtype: "float64", ...(weights === null ? {} : { labels: weights }) });
}

/**
 * Writes a file in pieces with back-pressure; the file is complete when `work` resolves (it sits in the run's
 * staging directory, published only when the whole run succeeds).
 */
async function withFile(
  path: string,
  work: (write: (piece: string | Uint8Array) => Promise<void>) => Promise<void>,
): Promise<void> {
  const out: WriteStream = createWriteStream(path);
  const failed = once(out, "error").then(([e]) => {
    throw new StrataError("OUTPUT_NOT_WRITABLE", `Could not write ${path}: ${(e as Error).message}.`, {
      details: { path },
      cause: e,
    });
  });
  failed.catch(() => {});
  const write = async (piece: string | Uint8Array) => {
    if (!out.write(piece)) await Promise.race([once(out, "drain"), failed]);
  };
  try {
    await work(write);
  } finally {
    out.end();
    await Promise.race([once(out, "close"), failed]);
  }
}

/**
 * A uniform sample of a stream of unknown length (Vitter's Algorithm R), seeded: `offer()` for each item in
 * turn returns the slot to store it in, or −1 to skip it.
 */
class Reservoir {
  private seen = 0;
  private readonly rng: Rng;

  constructor(
    readonly capacity: number,
    seed: number,
  ) {
    this.rng = createRng(seed);
  }

  get size(): number {
    return Math.min(this.seen, this.capacity);
  }

  offer(): number {
    const i = this.seen++;
    if (i < this.capacity) return i;
    const j = this.rng.nextInt(i + 1);
    return j < this.capacity ? j : -1;
  }
}
