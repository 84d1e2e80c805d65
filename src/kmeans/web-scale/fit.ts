/**
 * Web-scale K-Means as a fit (training_mode=web-scale): the contract's web-scale rounds over a shard plan —
 * synchronously on the caller's thread (`fitWebScale`) or on any executor (`fitWebScaleOn`), the same model
 * bit for bit for the same plan — then one measuring round over the rows (measure-rounds.ts), for the
 * inertia, `train:msd`, cluster sizes and weights of the final centres. The log says what SageMaker's says
 * ("shrinking 70 centers into 7", "local kmeans attempt #0 … Current mean square distance …").
 *
 *   rows ─▶ shards of WEB_SCALE_SHARD_ROWS ─▶ per shard: mini-batches ─▶ K weighted centres   (× epochs)
 *        ─▶ union in shard order ─▶ weighted Lloyd K·shards → k ─▶ measure the rows ─▶ KMeansModel
 *
 * The plan is fixed by the number of rows (and `shardRows`), never by the thread count: more shards are more
 * streams, so another plan gives another (equally good) model, and a fixed one keeps models repeatable.
 * @module
 */
import { fitPlan, type RowShard, rowShards, type StreamShard } from "../../contract/contract.js";
import { fitRounds, type RoundExecutor } from "../../contract/executor.js";
import { StrataError } from "../../errors.js";
import type { Matrix } from "../../linalg/matrix.js";
import { type Logger, silentLogger } from "../../util/logger.js";
import { checkFitInput } from "../fit-checks.js";
import type { KMeansEpochEvent, KMeansFitOptions } from "../fit-options.js";
import type { KMeansParams } from "../hyperparameters.js";
import { KMeansModel } from "../kmeans-model.js";
import {
  type MeasureModel,
  type MeasurePartial,
  type MeasureState,
  WEB_SCALE_MEASURE,
  WEB_SCALE_MEASURE_REF,
} from "./measure-rounds.js";
import { initSampleRows, type WebScaleSettings, webScaleSettings } from "./settings.js";
import {
  WEB_SCALE_ROUNDS,
  WEB_SCALE_ROUNDS_REF,
  type WebScaleModel,
  type WebScalePartial,
  type WebScaleRoundState,
  webScaleStart,
} from "./web-scale-rounds.js";

/**
 * Rows per shard of a web-scale fit's default plan: 2^20, so 10M rows are 10 streams (enough to keep 8
 * threads busy) and a data set of under a million rows is one stream, as on one SageMaker instance.
 */
export const WEB_SCALE_SHARD_ROWS = 1 << 20;

/** The plan of a web-scale fit: consecutive shards of `shardRows` rows, each read as one chunk. */
export function webScalePlan(x: Matrix, shardRows: number, weights?: Float64Array): RowShard[] {
  return rowShards(x, { shardRows, chunkRows: shardRows }, weights);
}

/**
 * Fits k centroids to the rows of `x` (n × d; not mutated) by web-scale k-means, on the caller's thread.
 * @throws StrataError as `KMeans.fit`, and INVALID_ARGUMENT for `initialCentres` or a `shardRows` that is not
 *   a positive integer
 * @example const model = fitWebScale(x, resolveKMeansParams({ k: 7, trainingMode: "web-scale" }));
 */
export function fitWebScale(x: Matrix, params: KMeansParams, options: KMeansFitOptions = {}): KMeansModel {
  const fit = prepare(x, params, options);
  const streamed = fitPlan(WEB_SCALE_ROUNDS, fit.start, fit.plan, {
    signal: options.signal,
    onRound: (e) => reportEpoch(e.state, e.merged, options.onEpoch),
  });
  const measured = fitPlan(WEB_SCALE_MEASURE, measureStart(streamed), fit.plan);
  return modelOf(x.rows, fit.settings, streamed, measured, totalOf(fit.weights), options);
}

/**
 * The same fit with its rounds on `executor` (inline, worker threads, a cluster's): each shard streams where
 * it runs. The same model, bit for bit, as {@link fitWebScale} for the same plan.
 * @throws as {@link fitWebScale}
 */
export async function fitWebScaleOn(
  executor: RoundExecutor,
  x: Matrix,
  params: KMeansParams,
  options: KMeansFitOptions = {},
): Promise<KMeansModel> {
  const fit = prepare(x, params, options);
  const { model: streamed } = await fitRounds<WebScaleRoundState, WebScalePartial, WebScaleModel>(
    executor,
    WEB_SCALE_ROUNDS_REF,
    fit.start,
    fit.plan,
    {
      checked: true,
      signal: options.signal,
      onRound: (e) => reportEpoch(e.state, e.merged, options.onEpoch),
    },
  );
  const { model: measured } = await fitRounds<MeasureState, MeasurePartial, MeasureModel>(
    executor,
    WEB_SCALE_MEASURE_REF,
    measureStart(streamed),
    fit.plan,
    { checked: true, signal: options.signal },
  );
  return modelOf(x.rows, fit.settings, streamed, measured, totalOf(fit.weights), options);
}

/**
 * Web-scale K-Means over a channel that is streamed, not held (contract.ts `StreamShard`s, one per object):
 * each shard streams its object's chunks where it runs, once per epoch, and once more for the measuring
 * round. With `weighted`, each chunk's labels are its rows' weights (`sample_weights=label`), and a last,
 * unweighted round counts the rows of each cluster.
 * @throws StrataError the streamed objects' read errors, NON_NUMERIC_VALUE for a value that is not finite
 */
export async function fitWebScaleStreamed(
  executor: RoundExecutor,
  shards: readonly StreamShard[],
  shape: { readonly rows: number; readonly cols: number },
  params: KMeansParams,
  options: Pick<KMeansFitOptions, "logger" | "featureNames" | "signal" | "onEpoch"> & {
    weighted?: boolean;
  } = {},
): Promise<KMeansModel> {
  const settings = webScaleSettings(params);
  const plan = shards.map((s) => ({ ...s, labelsAsWeights: options.weighted === true }));
  const { model: streamed } = await fitRounds<WebScaleRoundState, WebScalePartial, WebScaleModel>(
    executor,
    WEB_SCALE_ROUNDS_REF,
    webScaleStart(settings, shape.cols),
    plan,
    { signal: options.signal, onRound: (e) => reportEpoch(e.state, e.merged, options.onEpoch) },
  );
  const { model: measured } = await fitRounds<MeasureState, MeasurePartial, MeasureModel>(
    executor,
    WEB_SCALE_MEASURE_REF,
    measureStart(streamed),
    plan,
    { signal: options.signal },
  );
  const totalWeight = options.weighted === true ? totalOf(Float64Array.from(measured.weights)) : undefined;
  return modelOf(shape.rows, settings, streamed, measured, totalWeight, options);
}

interface Prepared {
  readonly settings: WebScaleSettings;
  readonly weights: Float64Array | undefined;
  readonly plan: RowShard[];
  readonly start: WebScaleRoundState;
}

function prepare(x: Matrix, params: KMeansParams, options: KMeansFitOptions): Prepared {
  const weights = checkFitInput(x, params, options);
  if (options.initialCentres !== undefined)
    throw new StrataError(
      "INVALID_ARGUMENT",
      "initialCentres starts a full-batch restart; web-scale training draws its k x extra_center_factor centres from each shard's first mini-batch (use trainingMode full-batch to start from given centres).",
      { details: { trainingMode: "web-scale" } },
    );
  const shardRows = options.shardRows ?? WEB_SCALE_SHARD_ROWS;
  if (!(Number.isInteger(shardRows) && shardRows >= 1))
    throw new StrataError(
      "INVALID_ARGUMENT",
      `shardRows=${shardRows} is invalid: expected an integer of at least 1 (rows per web-scale shard).`,
      { details: { shardRows } },
    );
  const settings = webScaleSettings(params);
  return {
    settings,
    weights,
    plan: webScalePlan(x, shardRows, weights),
    start: webScaleStart(settings, x.cols),
  };
}

function reportEpoch(
  state: WebScaleRoundState,
  merged: WebScalePartial,
  onEpoch: ((event: KMeansEpochEvent) => void) | undefined,
): void {
  if (onEpoch === undefined) return;
  let centres = 0;
  for (const s of merged.shards) centres += s.weights.length;
  onEpoch({ epoch: state.epoch + 1, epochs: state.settings.epochs, centres });
}

/** The sum of the sample weights, in order (undefined without weights). */
function totalOf(weights: Float64Array | undefined): number | undefined {
  return weights?.reduce((a, b) => a + b, 0);
}

/** The measuring round of the final centres. */
function measureStart(streamed: WebScaleModel): MeasureState {
  return { centres: streamed.centres };
}

/** The model of a web-scale fit over `rows` rows, from its streamed centres and the measuring round. */
function modelOf(
  rows: number,
  settings: WebScaleSettings,
  streamed: WebScaleModel,
  measured: MeasureModel,
  totalWeight: number | undefined,
  options: Pick<KMeansFitOptions, "logger" | "featureNames">,
): KMeansModel {
  const { reduction, shards } = streamed;
  const msd = measured.inertia / (totalWeight ?? rows);
  const reductionMsd = reduction.attemptInertias[reduction.bestAttempt]! / reduction.totalWeight;
  logRun(options.logger ?? silentLogger, settings, streamed, msd, rows);
  return new KMeansModel(
    streamed.centres,
    {
      inertia: measured.inertia,
      msd,
      iterations: reduction.iterations,
      converged: reduction.converged,
      numRows: rows,
      bestTrial: reduction.bestAttempt,
      trialInertias: Object.freeze([...reduction.attemptInertias]),
      sizes: Object.freeze([...measured.sizes]),
      ...(totalWeight === undefined
        ? {}
        : { clusterWeights: Object.freeze([...measured.weights]), totalWeight }),
      webScale: {
        miniBatchSize: settings.miniBatchSize,
        epochs: settings.epochs,
        centresPerShard: settings.centresPerShard,
        shards: shards.length,
        miniBatches: shards.reduce((n, s) => n + s.batches, 0),
        reducedCentres: reduction.inputCentres,
        reductionMsd,
      },
    },
    options.featureNames,
  );
}

/** The run in the log, in SageMaker's words where it has them (spec §2.2). */
function logRun(
  logger: Logger,
  settings: WebScaleSettings,
  streamed: WebScaleModel,
  msd: number,
  rows: number,
): void {
  const { reduction, shards } = streamed;
  const B = settings.miniBatchSize;
  const K = settings.centresPerShard;
  const batches = shards.reduce((n, s) => n + s.batches, 0);
  logger.log(
    "info",
    `K-Means web-scale: ${shards.length} shard${shards.length === 1 ? "" : "s"} streamed ${rows} rows ${settings.epochs === 1 ? "once" : `${settings.epochs} times`} in ${batches} mini-batches of up to ${B} rows, each shard into ${K} weighted centres (k=${settings.k} x extra_center_factor=${K / settings.k}).`,
    { shards: shards.length, miniBatches: batches, miniBatchSize: B, centresPerShard: K },
  );
  const want = initSampleRows(settings);
  for (const s of shards) {
    const where = shards.length === 1 ? "" : ` (shard starting at row ${s.firstRow})`;
    if (s.initRows < B)
      logger.log(
        "info",
        `Batch size ${B} is bigger than the first batch data. Effective batch size used to initialize is ${s.initRows}${where}.`,
        { firstRow: s.firstRow, initRows: s.initRows, miniBatchSize: B },
      );
    if (s.centres < K)
      logger.log(
        "warn",
        `K-Means web-scale: a shard of ${s.initRows} rows${where} keeps each row as a centre: fewer than the ${K} centres (the initial sample wants ${want} rows).`,
        { firstRow: s.firstRow, rows: s.initRows, centresPerShard: K },
      );
  }
  logger.log("info", `shrinking ${reduction.inputCentres} centers into ${settings.k}`, {
    centres: reduction.inputCentres,
    k: settings.k,
  });
  if (reduction.droppedCentres > 0)
    logger.log(
      "info",
      `K-Means web-scale: ${reduction.droppedCentres} centres whose weight decayed to 0 (half_life_time_size=${settings.halfLifeTimeSize}) were left out of the reduction.`,
      { dropped: reduction.droppedCentres },
    );
  for (const [i, inertia] of reduction.attemptInertias.entries())
    logger.log(
      "info",
      `local kmeans attempt #${i}. Current mean square distance ${inertia / reduction.totalWeight}`,
      {
        attempt: i,
        msd: inertia / reduction.totalWeight,
      },
    );
  if (!reduction.converged)
    logger.log(
      "warn",
      `K-Means web-scale: the winning reduction attempt did not converge within ${settings.reduction.maxIterations} iterations; raise local_lloyd_max_iter or local_lloyd_tol.`,
      { maxIterations: settings.reduction.maxIterations },
    );
  logger.log(
    "info",
    `K-Means web-scale: attempt ${reduction.bestAttempt} of ${reduction.attemptInertias.length} won after ${reduction.iterations} iterations; mean square distance of the ${rows} rows to the ${settings.k} centres ${msd}.`,
    { bestAttempt: reduction.bestAttempt, iterations: reduction.iterations, msd },
  );
}
