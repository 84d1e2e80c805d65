/**
 * K-Means as a training-job algorithm: SageMaker's `kmeans:1` hyperparameters (src/kmeans), trained as
 * rounds of the algorithm contract on the runner's executor (`KMeans.fitOn`: the same model, bit for bit, as
 * `KMeans.fit`), and `model_algo-1` as an NDArray list of one float32 array [k, D] of centroids (spec §5.1).
 *
 * How it trains is `training_mode`'s (a Strata extension), decided here by `chooseTrainingMode` from the
 * channel and logged with the reason: `full-batch` Lloyd with restarts (each restart's iterations as rounds),
 * or `web-scale`, SageMaker's streaming mini-batch k-means (each shard of the train channel streams its own
 * mini-batches into k × extra_center_factor weighted centres, reduced to k by weighted Lloyd). `auto` is
 * full-batch for a channel held in memory — every channel today — and web-scale for a streamed one.
 *
 * The model is the k centroids only. SageMaker's artifacts sometimes add a `state_<uuid>` file (K centres and
 * one weight each, spec §2.2), but its meaning is unconfirmed and SageMaker's own readers ignore it, so Strata
 * writes none rather than guess its contract; strata-model.json records the web-scale run instead.
 *
 * Metrics as SageMaker documents them (spec §2.3): `train:msd` always; with a test channel, `test:msd` and
 * `test:ssd` for each of them that `eval_metrics` lists (default `["msd"]`). The training sum of squares is
 * in strata-model.json (`inertia`), not a SageMaker metric.
 * The fit checks the abort signal before every Lloyd round, so StopTrainingJob and MaxRuntimeInSeconds
 * take effect within one iteration.
 *
 * `sample_weights=label` (a Strata extension, as XGBoost's `csv_weights` is SageMaker's for XGBoost) takes each
 * record's label as its sample weight: the seeding, centres and `train:msd` are then weighted (kmeans.ts).
 * SageMaker's K-Means has no weights and would refuse the unknown hyperparameter, so a weighted job cannot
 * silently run unweighted there.
 * @module
 */

import { rowShards } from "../../contract/contract.js";
import { fitRounds } from "../../contract/executor.js";
import { DEFAULT_CHUNK_ROWS } from "../../data/stream/object-chunks.js";
import { StrataError } from "../../errors.js";
import { encodeKMeansArtifactFile } from "../../formats/ndarray-models.js";
import { fitFullBatchStreamed } from "../../kmeans/full-batch-streamed.js";
import {
  chooseTrainingMode,
  KMeans,
  type KMeansParams,
  parseKMeansHyperparameters,
  WEB_SCALE_SHARD_ROWS,
} from "../../kmeans/index.js";
import type { KMeansModel } from "../../kmeans/kmeans-model.js";
import {
  CLUSTER_METRICS_REF,
  type ClusterMetrics,
  type MetricRoundState,
} from "../../kmeans/metric-rounds.js";
import { autoRestarts, fixedRestarts } from "../../kmeans/restart-count.js";
import { KMEANS_SHARD_ROWS } from "../../kmeans/shard-kernels.js";
import { fitWebScaleStreamed } from "../../kmeans/web-scale/fit.js";
import { modelToFile } from "../../models/model-file.js";
import {
  type Channel,
  type ChannelData,
  type FinalMetric,
  isStreamed,
  type StreamedChannel,
  streamShards,
  type TrainingAlgorithm,
  type TrainingContext,
  type TrainingResult,
} from "../algorithm.js";

export const kmeansAlgorithm: TrainingAlgorithm<KMeansParams> = {
  name: "kmeans",
  // A streamed channel trains web-scale (full-batch Lloyd seeds from, and iterates over, rows in memory).
  streams: true,

  checkHyperParameters(map) {
    // The data width is unknown yet: a placeholder feature_dim lets the other rows of the table be checked.
    const withDim = map["feature_dim"] === undefined ? { ...map, feature_dim: "1" } : map;
    parseKMeansHyperparameters(withDim, {} as { featureDim: number });
  },

  parseHyperParameters(map, shape, logger) {
    const withDim =
      map["feature_dim"] === undefined ? { ...map, feature_dim: String(shape.featureDim) } : map;
    return parseKMeansHyperparameters(
      withDim,
      { featureDim: shape.featureDim, numRows: shape.numRows },
      logger,
    );
  },

  async train(train: Channel, test: Channel | null, params, context) {
    if (isStreamed(train)) return trainStreamed(train, test, params, context);
    const x = train.matrix;
    const sampleWeight = params.sampleWeights === "label" ? weightsFromLabels(train) : undefined;
    context.progress(0, `fitting K-Means k=${params.k} on ${x.rows} rows x ${x.cols} features`);
    if (sampleWeight !== undefined)
      context.logger.log(
        "info",
        "K-Means with sample weights from the records' labels (sample_weights=label, a Strata extension).",
      );
    // Every channel is held in memory today; a streamed channel will say inMemory: false (auto: web-scale).
    const choice = chooseTrainingMode(params.trainingMode, { inMemory: true, numRows: x.rows });
    const webScale = choice.mode === "web-scale";
    context.logger.log(
      "info",
      `K-Means training mode: ${webScale ? "web-scale (SageMaker's streaming mini-batch k-means)" : "full-batch Lloyd with restarts"}, because ${choice.reason}.`,
      { trainingMode: choice.mode },
    );
    const shardRows = webScale ? WEB_SCALE_SHARD_ROWS : KMEANS_SHARD_ROWS;
    const shards = Math.max(1, Math.ceil(x.rows / shardRows));
    context.logger.log(
      "info",
      `K-Means ${webScale ? "web-scale streams" : "Lloyd rounds"} over ${shards} shard${shards === 1 ? "" : "s"} on ${context.rounds.where}.`,
    );
    let lastReport = 0;
    // The mode chosen here is the one that runs, whatever the estimator would choose for a matrix.
    const model = await new KMeans({ ...params, trainingMode: choice.mode }).fitOn(context.rounds, x, {
      ...(train.featureNames === null ? {} : { featureNames: train.featureNames }),
      ...(sampleWeight === undefined ? {} : { sampleWeight }),
      logger: context.logger,
      signal: context.signal,
      onEpoch: (e) =>
        context.progress(e.epoch / e.epochs, `epoch ${e.epoch}/${e.epochs}, ${e.centres} weighted centres`),
      onIteration: (e) => {
        const now = Date.now();
        if (now - lastReport < 200) return;
        lastReport = now;
        // auto restarts may run past their first 10 (restart-count.ts): the bar waits at 99% for them.
        const restarts = fixedRestarts(params);
        const fraction = (e.trial + Math.min(1, e.iteration / params.maxIterations)) / restarts;
        context.progress(
          Math.min(0.99, fraction),
          `restart ${e.trial + 1}${autoRestarts(params) ? "" : `/${restarts}`}, iteration ${e.iteration}` +
            (Number.isNaN(e.moved) ? "" : `, ${e.moved} rows moved`),
        );
      },
    });
    const metrics = trainMetrics(model, context);
    if (test !== null) metrics.push(...(await testMetrics(model, test, params, context)));
    context.progress(1);
    return trainingResult(model, train.featureNames, choice.mode, metrics);
  },
};

/**
 * The train channel's labels as sample weights.
 * @throws StrataError INVALID_JOB_REQUEST when the records have no labels; NON_NUMERIC_VALUE naming the first
 *   record (1-based) whose label is not a finite number above 0
 */
function weightsFromLabels(train: ChannelData): Float64Array {
  const labels = train.labels;
  if (labels == null) throw noLabels();
  const bad = labels.findIndex((w) => !(Number.isFinite(w) && w > 0));
  if (bad >= 0)
    throw new StrataError(
      "NON_NUMERIC_VALUE",
      `Record ${bad + 1} of the train channel has a label of ${labels[bad]}; with sample_weights=label every label is a sample weight, a finite number above 0.`,
      { details: { record: bad + 1, hyperparameter: "sample_weights" } },
    );
  return labels;
}

/**
 * A K-Means job over a streamed channel: web-scale (training_mode=auto or web-scale), each object a shard
 * streamed once per epoch; or, with training_mode=full-batch, Lloyd with restarts reading the channel again
 * every iteration.
 * @throws StrataError INVALID_JOB_REQUEST when sample_weights=label and the records have no labels
 */
async function trainStreamed(
  train: StreamedChannel,
  test: Channel | null,
  params: KMeansParams,
  context: TrainingContext,
): Promise<TrainingResult> {
  const choice = chooseTrainingMode(params.trainingMode, { inMemory: false, numRows: train.rows });
  const weighted = params.sampleWeights === "label";
  if (weighted && !train.labels) throw noLabels();
  if (choice.mode === "full-batch")
    return trainFullBatchStreamed(train, test, params, context, choice.reason);
  context.logger.log(
    "info",
    `K-Means training mode: web-scale (SageMaker's streaming mini-batch k-means), because ${choice.reason}.`,
    {
      trainingMode: choice.mode,
    },
  );
  context.logger.log(
    "info",
    `K-Means web-scale streams over ${train.sources.length} object${train.sources.length === 1 ? "" : "s"} on ${context.rounds.where}.`,
  );
  context.progress(
    0,
    `fitting K-Means k=${params.k} on ${train.rows} rows x ${train.cols} features (streamed)`,
  );
  const model = await fitWebScaleStreamed(
    context.rounds,
    streamShards(train, DEFAULT_CHUNK_ROWS),
    train,
    params,
    {
      ...(train.featureNames === null ? {} : { featureNames: train.featureNames }),
      weighted,
      logger: context.logger,
      signal: context.signal,
      onEpoch: (e) =>
        context.progress(e.epoch / e.epochs, `epoch ${e.epoch}/${e.epochs}, ${e.centres} weighted centres`),
    },
  );
  const metrics = trainMetrics(model, context);
  if (test !== null) metrics.push(...(await testMetrics(model, test, params, context)));
  context.progress(1);
  return trainingResult(model, train.featureNames, choice.mode, metrics);
}

/**
 * `training_mode=full-batch` over a streamed channel: Lloyd with restarts, every iteration a round over its
 * objects (kmeans/full-batch-streamed.ts). Sample weights need the rows in memory (the seeding would have to
 * draw by weight): refused, naming the way that works.
 * @throws StrataError INVALID_HYPERPARAMETER with sample_weights=label
 */
async function trainFullBatchStreamed(
  train: StreamedChannel,
  test: Channel | null,
  params: KMeansParams,
  context: TrainingContext,
  reason: string,
): Promise<TrainingResult> {
  if (params.sampleWeights === "label")
    throw new StrataError(
      "INVALID_HYPERPARAMETER",
      `sample_weights=label with training_mode=full-batch needs the train channel in memory, but its ${train.rows} rows are streamed; use training_mode=web-scale (or auto), or File mode within the memory budget.`,
      { details: { hyperparameter: "sample_weights", rows: train.rows } },
    );
  context.logger.log(
    "info",
    `K-Means training mode: full-batch Lloyd with restarts over the streamed channel, because ${reason}.`,
    { trainingMode: "full-batch" },
  );
  context.progress(
    0,
    `fitting K-Means k=${params.k} on ${train.rows} rows x ${train.cols} features (streamed, full-batch)`,
  );
  const model = await fitFullBatchStreamed(
    context.rounds,
    streamShards(train, DEFAULT_CHUNK_ROWS),
    train,
    params,
    {
      ...(train.featureNames === null ? {} : { featureNames: train.featureNames }),
      logger: context.logger,
      signal: context.signal,
      onIteration: (e) =>
        context.progress(
          (e.trial + Math.min(1, e.iteration / params.maxIterations)) / fixedRestarts(params),
          `restart ${e.trial + 1}/${fixedRestarts(params)}, iteration ${e.iteration}`,
        ),
    },
  );
  const metrics = trainMetrics(model, context);
  if (test !== null) metrics.push(...(await testMetrics(model, test, params, context)));
  context.progress(1);
  return trainingResult(model, train.featureNames, "full-batch", metrics);
}

/** `train:msd`, logged as SageMaker's container logs it. */
function trainMetrics(model: KMeansModel, context: TrainingContext): FinalMetric[] {
  const { msd } = model.training!;
  context.logger.log("info", `#quality_metric: host=algo-1, train msd <loss>=${msd}`);
  return [{ name: "train:msd", value: msd }];
}

/**
 * The test channel's metrics (`eval_metrics`): the metric rounds KMeansModel.score runs, over the test
 * channel's shards on the job's executor (the same values; their last bits may differ from score's one-shard
 * sums above 32,768 rows), in memory or streamed.
 */
async function testMetrics(
  model: KMeansModel,
  test: Channel,
  params: KMeansParams,
  context: TrainingContext,
): Promise<FinalMetric[]> {
  const state: MetricRoundState = { centres: model.centroids };
  const plan = isStreamed(test)
    ? streamShards(test, DEFAULT_CHUNK_ROWS)
    : rowShards(test.matrix, { shardRows: KMEANS_SHARD_ROWS, chunkRows: KMEANS_SHARD_ROWS });
  const { model: score } = await fitRounds<MetricRoundState, unknown, ClusterMetrics>(
    context.rounds,
    CLUSTER_METRICS_REF,
    state,
    plan,
    { signal: context.signal },
  );
  const metrics: FinalMetric[] = [];
  for (const metric of params.evalMetrics) {
    metrics.push({ name: `test:${metric}`, value: score[metric] });
    context.logger.log("info", `#quality_metric: host=algo-1, test ${metric} <loss>=${score[metric]}`);
  }
  context.logger.log(
    "info",
    `Test channel: Calinski-Harabasz ${score.calinskiHarabasz}, Davies-Bouldin ${score.daviesBouldin} (Strata's, not SageMaker metrics).`,
  );
  return metrics;
}

/** model_algo-1 and strata-model.json's model section. */
function trainingResult(
  model: KMeansModel,
  featureNames: readonly string[] | null,
  mode: "full-batch" | "web-scale",
  metrics: FinalMetric[],
): TrainingResult {
  const training = model.training!;
  return {
    files: [{ name: "model_algo-1", bytes: encodeKMeansArtifactFile(model.centroids) }],
    metadata: {
      k: model.k,
      numFeatures: model.numFeatures,
      featureNames: featureNames === null ? null : [...featureNames],
      inertia: training.inertia,
      msd: training.msd,
      iterations: training.iterations,
      converged: training.converged,
      numRows: training.numRows,
      trainingMode: mode,
      ...(training.webScale === undefined ? {} : { webScale: training.webScale }),
      bestTrial: training.bestTrial,
      trialInertias: [...training.trialInertias],
      sizes: [...training.sizes],
      ...(training.clusterWeights === undefined
        ? {}
        : { clusterWeights: [...training.clusterWeights], totalWeight: training.totalWeight }),
      // The exact float64 model, so Strata reads back what it trained (model_algo-1 is float32).
      state: modelToFile(model),
    },
    metrics,
  };
}

function noLabels(): StrataError {
  return new StrataError(
    "INVALID_JOB_REQUEST",
    "sample_weights=label takes each record's weight from its label, but the train channel's records have none: write RecordIO records with label[\"values\"], or CSV with the weight first and ContentType text/csv;label_size=1.",
    { details: { hyperparameter: "sample_weights" } },
  );
}
