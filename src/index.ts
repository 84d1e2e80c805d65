/**
 * Strata as a library: `import { PCA, KMeans, MinMaxScaler, … } from "strata"`. The estimators follow
 * scikit-learn's split of options and fitted state (`fit` returns a model), the codecs read and write
 * SageMaker's artifacts and records, and `executeRun` is the whole `strata run` workflow. Everything here is
 * also what the CLI and the server use.
 * @example
 * import { KMeans, MinMaxScaler, PCA, fromRows } from "strata";
 * const x = fromRows([[1, 2], [2, 1], [9, 8], [8, 9]]);
 * const scaled = new MinMaxScaler().fit(x).transform(x);
 * const pca = new PCA({ numComponents: 1 }).fit(scaled);
 * const km = new KMeans({ k: 2, seed: 0 }).fit(pca.transform(scaled));
 * km.predict(pca.transform(scaled)).closestCluster; // [0, 0, 1, 1] or [1, 1, 0, 0]
 * @module
 */

// The server: the SageMaker API, InvokeEndpoint, CloudWatch Logs and STS on one port.
export { type RunningServer, type ServeOptions, startServer } from "./api/server.js";
export type { Frame } from "./data/frame.js";
// Data: tables from a path, file://, https:// or s3:// into a Frame.
export { loadTable } from "./data/load.js";
// Errors: every failure Strata reports on purpose.
export { ERROR_CODES, type ErrorCode, isStrataError, StrataError } from "./errors.js";
// Codecs: SageMaker's artifacts (MXNet NDArray files in model.tar.gz) and RecordIO-protobuf records.
export { decodeDenseRows, encodeDenseRows } from "./formats/dense-rows.js";
export {
  decodeKMeansPredictions,
  decodePCAProjections,
  encodeKMeansPredictions,
  encodePCAProjections,
  type KMeansPredictions,
} from "./formats/inference-records.js";
export {
  decodeKMeansArtifactFile,
  decodePCAArtifactFile,
  encodeKMeansArtifactFile,
  encodePCAArtifactFile,
} from "./formats/ndarray-models.js";
export { decodeRecordIO, encodeRecordIO } from "./formats/recordio.js";
export { packTarGz, readModelAlgoFile, type TarEntry, unpackTarGz } from "./formats/tarball.js";
// Estimators and fitted models.
export { adjustedRandIndex } from "./kmeans/agreement.js";
export { parseKMeansHyperparameters, type TrainingMode } from "./kmeans/hyperparameters.js";
export { KMeans, type KMeansEpochEvent, type KMeansFitOptions } from "./kmeans/kmeans.js";
export {
  KMeansModel,
  type KMeansPrediction,
  type KMeansScore,
  type WebScaleSummary,
} from "./kmeans/kmeans-model.js";
export {
  daviesBouldinScore,
  silhouetteScore,
} from "./kmeans/metrics.js";
// Matrices: row-major Float64Array with a shape.
export { fromRows, type Matrix, matrix, selectColumns, toRows } from "./linalg/matrix.js";
export { parsePCAHyperparameters } from "./pca/hyperparameters.js";
export { PCA, type PCAFitOptions } from "./pca/pca.js";
export { PCAModel } from "./pca/pca-model.js";
export { MinMaxScaler, MinMaxScalerModel } from "./preprocess/min-max-scaler.js";
export { StandardScaler, StandardScalerModel } from "./preprocess/standard-scaler.js";
// The whole workflow of `strata run`.
export { DEFAULT_OPTIONS, type SegmentationOptions } from "./workflow/options.js";
export { executeRun, type RunOptions, type RunOutcome } from "./workflow/run.js";
