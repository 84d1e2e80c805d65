/**
 * Reading trained models back: one code path for every model.tar.gz, whether Strata or SageMaker wrote it.
 * `readModelArtifact` decodes `model_algo-1` (float32, as mx.ndarray.load gives it) into a PCAModel or a
 * KMeansModel, recognising the algorithm by the arrays inside (a named dict s/v/mean is PCA, a list of one
 * k×D array is K-Means). `loadTrainedModel` does the same and, when a strata-model.json stands beside the
 * archive, prefers the exact float64 model Strata stored there.
 * @module
 */
import { resolveStore } from "../data/sources/resolve.js";
import { isStrataError, StrataError } from "../errors.js";
import { decodeNDArrayFile } from "../formats/ndarray.js";
import { decodeKMeansArtifactFile, decodePCAArtifactFile } from "../formats/ndarray-models.js";
import { readModelAlgoFile } from "../formats/tarball.js";
import { KMeansModel } from "../kmeans/kmeans-model.js";

import { matrix } from "../linalg/matrix.js";
import { modelFromFile } from "../models/model-file.js";
import { PCAModel } from "../pca/pca-model.js";
import type { AlgorithmName } from "./algorithm.js";
import { METADATA_FILE_NAME, type StrataModelMetadata } from "./artifact.js";

export type TrainedModel =
  | { readonly algorithm: "pca"; readonly model: PCAModel; readonly exact: boolean }
  | { readonly algorithm: "kmeans"; readonly model: KMeansModel; readonly exact: boolean };

/** Decodes a model.tar.gz (bytes) written by SageMaker or Strata into a model object (float32 values). */
export async function decodeModelArtifact(tarGz: Uint8Array, source: string): Promise<TrainedModel> {
  const modelAlgo = await readModelAlgoFile(tarGz);
  const file = decodeNDArrayFile(modelAlgo);
  if (file.names !== null) {
    const { s, v, mean } = decodePCAArtifactFile(modelAlgo);
    const model = PCAModel.fromSageMaker({
      s: Float64Array.from(s),
      v: matrix(v.rows, v.cols, Float64Array.from(v.data)),
      mean: Float64Array.from(mean),
    });
    return { algorithm: "pca", model, exact: false };
  }
  if (file.arrays.length === 1) {
    const { k, dim, centroids } = decodeKMeansArtifactFile(modelAlgo);
    return {
      algorithm: "kmeans",
      model: KMeansModel.fromCentroids(matrix(k, dim, Float64Array.from(centroids))),
      exact: false,
    };
  }
  throw new StrataError(
    "ARTIFACT_INVALID",
    `${source}: model_algo-1 holds ${file.arrays.length} unnamed arrays; expected a PCA dict {s, v, mean} or a K-Means list [centroids].`,
    { details: { source } },
  );
}

/** Reads and decodes the model.tar.gz at `uri` (any ObjectStore URI). */
export async function readModelArtifact(uri: string): Promise<TrainedModel> {
  return decodeModelArtifact(await resolveStore(uri).getBytes(uri), uri);
}

/** The URI of strata-model.json beside a model.tar.gz. */
export function metadataUriFor(artifactUri: string): string {
  return artifactUri.replace(/[^/]*$/, METADATA_FILE_NAME);
}

/** Reads strata-model.json beside the archive, or null when there is none (a SageMaker artifact). */
export async function readModelMetadata(artifactUri: string): Promise<StrataModelMetadata | null> {
  const uri = metadataUriFor(artifactUri);
  try {
    const bytes = await resolveStore(uri).getBytes(uri);
    return JSON.parse(new TextDecoder().decode(bytes)) as StrataModelMetadata;
  } catch (error) {
    if (isStrataError(error, "SOURCE_NOT_FOUND") || isStrataError(error, "KEY_NOT_FOUND")) return null;
    throw error;
  }
}

/**
 * The model at `artifactUri`: Strata's exact float64 state when strata-model.json has it, else the float32
 * arrays of model_algo-1. `expected` guards against using a K-Means artifact where a PCA one belongs.
 */
export async function loadTrainedModel(artifactUri: string, expected?: AlgorithmName): Promise<TrainedModel> {
  const metadata = await readModelMetadata(artifactUri);
  const state = metadata?.model?.["state"];
  let trained: TrainedModel;
  const model = state === undefined ? undefined : modelFromFile(state);
  if (model instanceof PCAModel) {
    trained = { algorithm: "pca", model, exact: true };
  } else if (model instanceof KMeansModel) {
    trained = { algorithm: "kmeans", model, exact: true };
  } else {
    trained = await readModelArtifact(artifactUri);
  }
  if (expected !== undefined && trained.algorithm !== expected) {
    throw new StrataError(
      "ARTIFACT_INVALID",
      `${artifactUri} holds a ${trained.algorithm} model; expected ${expected}.`,
      { details: { uri: artifactUri, algorithm: trained.algorithm, expected } },
    );
  }
  return trained;
}
