/**
 * KMeansModel <-> plain JSON, exactly: float64 centroids and the training summary, kept in strata-model.json
 * beside SageMaker's float32 model_algo-1 so a Strata-trained model comes back bit for bit.
 * @module
 */
import { StrataError } from "../errors.js";
import { matrix, toRows } from "../linalg/matrix.js";
import { KMeansModel, type KMeansTrainingSummary } from "./kmeans-model.js";

export const KMEANS_MODEL_JSON_KIND = "strata.kmeans-model";
export const KMEANS_MODEL_JSON_VERSION = 1;

export interface KMeansModelJSON {
  readonly kind: typeof KMEANS_MODEL_JSON_KIND;
  readonly formatVersion: number;
  /** One per column (absent in files of models trained before K-Means models had names). */
  readonly featureNames?: string[];
  /** k rows of d coordinates. */
  readonly centroids: number[][];
  readonly training: KMeansTrainingSummary | null;
}

export function kmeansModelToJSON(model: KMeansModel): KMeansModelJSON {
  return {
    kind: KMEANS_MODEL_JSON_KIND,
    formatVersion: KMEANS_MODEL_JSON_VERSION,
    featureNames: [...model.featureNames],
    centroids: toRows(model.centroids),
    training: model.training ?? null,
  };
}

/**
 * Rebuilds a model from {@link kmeansModelToJSON}'s output.
 * @throws StrataError ARTIFACT_INVALID for another kind, a newer format version or ragged centroids.
 */
export function kmeansModelFromJSON(json: unknown): KMeansModel {
  const j = json as Partial<KMeansModelJSON> | null;
  if (j?.kind !== KMEANS_MODEL_JSON_KIND) {
    throw new StrataError(
      "ARTIFACT_INVALID",
      `Not a Strata K-Means model: kind is ${JSON.stringify(j?.kind)}, expected "${KMEANS_MODEL_JSON_KIND}".`,
    );
  }
  if (j.formatVersion !== KMEANS_MODEL_JSON_VERSION) {
    throw new StrataError(
      "ARTIFACT_INVALID",
      `Strata K-Means model format version ${j.formatVersion} is not supported; this Strata reads version ${KMEANS_MODEL_JSON_VERSION}.`,
    );
  }
  const rows = j.centroids ?? [];
  const d = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== d)) {
    throw new StrataError("ARTIFACT_INVALID", "Strata K-Means model: centroid rows have different lengths.");
  }
  const data = new Float64Array(rows.length * d);
  for (const [i, r] of rows.entries()) data.set(r, i * d);
  return KMeansModel.fromCentroids(matrix(rows.length, d, data), j.training ?? undefined, j.featureNames);
}
