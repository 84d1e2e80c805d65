/**
 * K-Means: estimator, fitted model, mergeable Lloyd step, seeding and metrics (re-exports only).
 * @module
 */
export { adjustedRandIndex } from "./agreement.js";
export type { Assignment } from "./assign.js";
export { assignNearest } from "./assign.js";
export type { KMeansEpochEvent, KMeansFitOptions, KMeansIterationEvent } from "./fit-options.js";
export type {
  EvalMetric,
  InitMethod,
  KMeansOptions,
  KMeansParams,
  KMeansParseContext,
  TrainingMode,
} from "./hyperparameters.js";
export {
  checkParamsAgainstData,
  KMEANS_HYPERPARAMETERS,
  parseKMeansHyperparameters,
  resolveKMeansParams,
} from "./hyperparameters.js";
export type { KMeansPlusPlusOptions } from "./init/kmeans-plus-plus.js";
export { initKMeansPlusPlus } from "./init/kmeans-plus-plus.js";
export type { InitResult } from "./init/random.js";
export { initRandom } from "./init/random.js";
export { KMeans } from "./kmeans.js";
export type {
  KMeansPrediction,
  KMeansScore,
  KMeansTrainingSummary,
  WebScaleSummary,
} from "./kmeans-model.js";
export { KMeansModel } from "./kmeans-model.js";
export type { FarthestRows, LloydPartial, LloydStepOptions, LloydUpdate } from "./lloyd-step.js";
export {
  emptyLloydPartial,
  lloydStep,
  mergeLloydPartials,
  mergeLloydPartialsInOrder,
  updateCentres,
} from "./lloyd-step.js";
export type { Labels, SilhouetteOptions } from "./metrics.js";
export { daviesBouldinScore, silhouetteScore } from "./metrics.js";
export type { TrainingModeChoice, TrainingSource } from "./training-mode.js";
export { chooseTrainingMode } from "./training-mode.js";
export { WEB_SCALE_SHARD_ROWS } from "./web-scale/fit.js";
