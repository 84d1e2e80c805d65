/**
 * PCAModel <-> plain JSON, exactly. SageMaker's model_algo-1 holds float32 {s, v, mean}; Strata also keeps the
 * full float64 model (components largest first and sign-fixed, exact variance ratios, total variance) in the
 * strata-model.json beside it, so a model trained by Strata comes back bit for bit while SageMaker still
 * reads the artifact. JSON numbers round-trip doubles exactly (shortest round-trip printing).
 * @module
 */
import { StrataError } from "../errors.js";
import { matrix, toRows } from "../linalg/matrix.js";
import { PCAModel, type VarianceRatioBasis } from "./pca-model.js";

export const PCA_MODEL_JSON_KIND = "strata.pca-model";
export const PCA_MODEL_JSON_VERSION = 1;

export interface PCAModelJSON {
  readonly kind: typeof PCA_MODEL_JSON_KIND;
  readonly formatVersion: number;
  readonly featureNames: string[];
  readonly subtractMean: boolean;
  readonly mean: number[];
  /** C rows of d loadings, largest variance first. */
  readonly components: number[][];
  readonly singularValues: number[];
  readonly explainedVariance: (number | null)[];
  readonly explainedVarianceRatio: number[];
  readonly nSamplesSeen: number | null;
  readonly totalVariance: number | null;
  readonly varianceRatioBasis: VarianceRatioBasis;
}

/** The model as plain JSON (NaN variances, which JSON cannot hold, become null). */
export function pcaModelToJSON(model: PCAModel): PCAModelJSON {
  return {
    kind: PCA_MODEL_JSON_KIND,
    formatVersion: PCA_MODEL_JSON_VERSION,
    featureNames: [...model.featureNames],
    subtractMean: model.subtractMean,
    mean: Array.from(model.mean),
    components: toRows(model.components),
    singularValues: Array.from(model.singularValues),
    explainedVariance: Array.from(model.explainedVariance, (v) => (Number.isFinite(v) ? v : null)),
    explainedVarianceRatio: Array.from(model.explainedVarianceRatio),
    nSamplesSeen: model.nSamplesSeen ?? null,
    totalVariance: model.totalVariance ?? null,
    varianceRatioBasis: model.varianceRatioBasis,
  };
}

/**
 * Rebuilds a model from {@link pcaModelToJSON}'s output.
 * @throws StrataError ARTIFACT_INVALID for another kind, a newer format version or inconsistent shapes.
 */
export function pcaModelFromJSON(json: unknown): PCAModel {
  const j = json as Partial<PCAModelJSON> | null;
  if (j?.kind !== PCA_MODEL_JSON_KIND) {
    throw new StrataError(
      "ARTIFACT_INVALID",
      `Not a Strata PCA model: kind is ${JSON.stringify(j?.kind)}, expected "${PCA_MODEL_JSON_KIND}".`,
    );
  }
  if (j.formatVersion !== PCA_MODEL_JSON_VERSION) {
    throw new StrataError(
      "ARTIFACT_INVALID",
      `Strata PCA model format version ${j.formatVersion} is not supported; this Strata reads version ${PCA_MODEL_JSON_VERSION}.`,
    );
  }
  const rows = j.components ?? [];
  const d = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== d)) {
    throw new StrataError("ARTIFACT_INVALID", "Strata PCA model: component rows have different lengths.");
  }
  const data = new Float64Array(rows.length * d);
  for (const [i, r] of rows.entries()) data.set(r, i * d);
  return new PCAModel({
    featureNames: j.featureNames ?? [],
    subtractMean: j.subtractMean ?? true,
    mean: Float64Array.from(j.mean ?? []),
    components: matrix(rows.length, d, data),
    singularValues: Float64Array.from(j.singularValues ?? []),
    explainedVariance: Float64Array.from(j.explainedVariance ?? [], (v) => v ?? Number.NaN),
    explainedVarianceRatio: Float64Array.from(j.explainedVarianceRatio ?? []),
    nSamplesSeen: j.nSamplesSeen ?? undefined,
    totalVariance: j.totalVariance ?? undefined,
    varianceRatioBasis: j.varianceRatioBasis ?? "all-features",
  });
}
