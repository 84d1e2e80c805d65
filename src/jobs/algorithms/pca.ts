/**
 * PCA as a training-job algorithm: SageMaker's `pca:1` hyperparameters (src/pca), a regular-mode fit through
 * the algorithm contract (the statistics round of pca-rounds.ts on the runner's executor), and `model_algo-1` as the named NDArray dict {s, v, mean} in float32 with `s` ascending (spec §1.3, §5.1).
 *
 * Metrics: SageMaker's PCA container reports none we could confirm (spec §2.3, §8 item 10), so Strata emits
 * two of its own, documented in docs/training-jobs.md:
 * - `train:explained_variance_ratio` — share of the training data's total variance the kept components
 *   explain (sum of the exact ratios, 0..1);
 * - `test:reconstruction_msd` (test channel only) — mean over test rows of ‖x − inverse(transform(x))‖².
 * @module
 */
import { checkPlan } from "../../contract/checks.js";
import { mergeInOrder } from "../../contract/contract.js";
import { encodePCAArtifactFile } from "../../formats/ndarray-models.js";
import type { Matrix } from "../../linalg/matrix.js";
import { modelToFile } from "../../models/model-file.js";
import { type PCAParams, parsePCAHyperparameters } from "../../pca/hyperparameters.js";
import { finalize, type PCAStats } from "../../pca/partial-stats.js";
import type { PCAModel } from "../../pca/pca-model.js";
import { PCA_STATS, PCA_STATS_REF } from "../../pca/pca-rounds.js";
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
    // The contract's PCA on the runner's executor: in memory over PCA.fit's own shard plan (the same bits as
    // PCA.fit), streamed one shard per object.
    const plan = channelShards(train, SHARD_ROWS);
    // Rounds run by hand (not fitRounds) so that finalize gets the feature names and the job's logger.
    checkPlan(plan);
    context.logger.log(
      "info",
      `PCA statistics of ${plan.length} shard${plan.length === 1 ? "" : "s"} on ${context.rounds.where}.`,
    );
    const partials = await context.rounds.round<PCAParams, PCAStats>(PCA_STATS_REF, params, plan);
    context.signal.throwIfAborted();
    const model = finalize(mergeInOrder(PCA_STATS, partials, params), params, {
      featureNames: train.featureNames ?? undefined,
      logger: context.logger,
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
