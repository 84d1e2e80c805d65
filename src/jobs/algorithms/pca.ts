/**
 * PCA as a training-job algorithm: SageMaker's `pca:1` hyperparameters (src/pca), a fit through the algorithm
 * contract on the runner's executor — regular mode's statistics round (pca-rounds.ts, logged as SageMaker's
 * `PCAExecutor`) or randomized mode's sketch and power passes (randomized.ts, `RandomizedPCAExecutor`) — and
 * `model_algo-1` as the named NDArray dict {s, v, mean} in float32 with `s` ascending in both modes (spec
 * §1.3, §5.1).
 *
 * Metrics: SageMaker's PCA container reports none we could confirm (spec §2.3, §8 item 10), so Strata emits
 * two of its own, documented in docs/training-jobs.md:
 * - `train:explained_variance_ratio` — share of the training data's total variance the kept components
 *   explain (sum of the exact ratios, 0..1);
 * - `test:reconstruction_msd` (test channel only) — mean over test rows of ‖x − inverse(transform(x))‖².
 * @module
 */
import { checkPlan } from "../../contract/checks.js";
import { encodePCAArtifactFile } from "../../formats/ndarray-models.js";
import type { Matrix } from "../../linalg/matrix.js";
import { modelToFile } from "../../models/model-file.js";
import { fitPCARounds, type PCARounds, pcaRounds } from "../../pca/fit-plan.js";
import { type PCAParams, parsePCAHyperparameters, sketchSize } from "../../pca/hyperparameters.js";
import type { PCAModel } from "../../pca/pca-model.js";
import { SHARD_ROWS } from "../../pca/scatter-shards.js";
import {
  type Channel,
  channelShape,
  channelShards,
  type FinalMetric,
  forEachChunk,
  type TrainingAlgorithm,
} from "../algorithm.js";

/** Mean squared reconstruction error of the channel's rows through the kept components, chunk by chunk. */
async function reconstructionMsd(model: PCAModel, channel: Channel): Promise<number> {
  let total = 0;
  let rows = 0;
  await forEachChunk(channel, (x: Matrix) => {
    const back = model.inverseTransform(model.transform(x));
    for (let i = 0; i < x.data.length; i++) {
      const diff = x.data[i]! - back.data[i]!;
      total += diff * diff;
    }
    rows += x.rows;
  });
  return rows === 0 ? Number.NaN : total / rows;
}

/** The job log's line naming the mode and SageMaker's executor for it, with randomized mode's settings. */
function describeMode(params: PCAParams, rounds: PCARounds): string {
  if (rounds.executor === "PCAExecutor")
    return `algorithm_mode=${params.algorithmMode}: PCAExecutor (exact scatter statistics, one pass).`;
  const extra = sketchSize(params) - params.numComponents;
  const passes = params.powerIterations;
  return `algorithm_mode=randomized: RandomizedPCAExecutor, a sketch of ${sketchSize(params)} rows (num_components=${params.numComponents} + extra_components=${extra}), power_iterations=${passes} (${1 + passes} pass${passes === 0 ? "" : "es"} over the data), seed=${params.seed}.`;
}

export const pcaAlgorithm: TrainingAlgorithm<PCAParams> = {
  name: "pca",
  streams: true,

  checkHyperParameters(map) {
    parsePCAHyperparameters(map, {});
  },

  parseHyperParameters(map, shape, logger) {
    return parsePCAHyperparameters(map, { featureDim: shape.featureDim, ...(logger ? { logger } : {}) });
  },

  async train(train: Channel, test: Channel | null, params, context) {
    context.signal.throwIfAborted();
    const shape = channelShape(train);
    context.progress(0, `fitting PCA on ${shape.rows} rows x ${shape.cols} features`);
    // The contract's PCA on the runner's executor: in memory over PCA.fit's own shard plan (pcaPlan: the same
    // bits as PCA.fit), streamed one shard per object.
    const plan = channelShards(train, SHARD_ROWS);
    checkPlan(plan);
    const rounds = pcaRounds(params, shape.cols, context.logger);
    context.logger.log("info", describeMode(params, rounds));
    const shards = `${plan.length} shard${plan.length === 1 ? "" : "s"} on ${context.rounds.where}`;
    const model = await fitPCARounds(context.rounds, plan, rounds, {
      featureNames: train.featureNames ?? undefined,
      logger: context.logger,
      signal: context.signal,
      onRound(round, of) {
        const what =
          rounds.executor === "PCAExecutor"
            ? "statistics"
            : round === 1
              ? "sketch"
              : `power iteration ${round - 1} of ${of - 1}`;
        context.logger.log("info", `PCA ${what} of ${shards}.`);
        if (round > 1) context.progress((round - 1) / of);
      },
    });
    const sm = model.toSageMaker();
    const bytes = encodePCAArtifactFile({ s: sm.s, v: sm.v, mean: sm.mean });
    // Each ratio is a variance over the total; their float sum can exceed 1 by an ulp when every component
    // is kept, and a share of the variance above 1 is not a value SageMaker reports.
    const ratio = Math.min(
      1,
      model.explainedVarianceRatio.reduce((a, b) => a + b, 0),
    );
    const metrics: FinalMetric[] = [{ name: "train:explained_variance_ratio", value: ratio }];
    if (test !== null)
      metrics.push({ name: "test:reconstruction_msd", value: await reconstructionMsd(model, test) });
    context.logger.log(
      "info",
      `PCA kept ${model.numComponents} of ${model.numFeatures} components (explained variance ratio ${ratio.toFixed(6)}).`,
    );
    context.progress(1);
    return {
      files: [{ name: "model_algo-1", bytes }],
      metadata: {
        numComponents: model.numComponents,
        numFeatures: model.numFeatures,
        featureNames: [...model.featureNames],
        subtractMean: model.subtractMean,
        nSamplesSeen: model.nSamplesSeen ?? null,
        totalVariance: model.totalVariance ?? null,
        singularValues: Array.from(model.singularValues),
        explainedVariance: Array.from(model.explainedVariance),
        explainedVarianceRatio: Array.from(model.explainedVarianceRatio),
        // The exact float64 model, so Strata reads back what it trained (model_algo-1 is float32).
        state: modelToFile(model),
      },
      metrics,
    };
  },
};
