/**
 * One file format for every fitted model (strata-model.json's `state`, a pipeline's scaler, anything saved):
 *
 *   { "kind": "strata.model", "formatVersion": 2, "algorithm": "pca" | "kmeans" | "min-max-scaler" |
 *     "standard-scaler", "featureNames": [...], "training": {...} | null, "state": {...} }
 *
 * `featureNames` and `training` (what the fit saw: rows, inertia, iterations…) sit in the same place for
 * every algorithm; `state` is the algorithm's exact float64 parameters. One loader reads it back
 * ({@link modelFromFile}), and also reads the three formats of version 1 (`strata.pca-model`,
 * `strata.kmeans-model`, `strata.MinMaxScalerModel` / `strata.StandardScalerModel`) that earlier Strata
 * versions wrote.
 * @module
 */
import { StrataError } from "../errors.js";
import { KMeansModel } from "../kmeans/kmeans-model.js";
import {
  KMEANS_MODEL_JSON_KIND,
  kmeansModelFromJSON,
  kmeansModelToJSON,
} from "../kmeans/kmeans-model-json.js";
import { PCAModel } from "../pca/pca-model.js";
import { PCA_MODEL_JSON_KIND, pcaModelFromJSON, pcaModelToJSON } from "../pca/pca-model-json.js";
import { MinMaxScalerModel } from "../preprocess/min-max-scaler.js";
import { StandardScalerModel } from "../preprocess/standard-scaler.js";

export const MODEL_FILE_KIND = "strata.model";
export const MODEL_FILE_VERSION = 2;

export type ModelAlgorithm = "pca" | "kmeans" | "min-max-scaler" | "standard-scaler";
export type FittedModel = PCAModel | KMeansModel | MinMaxScalerModel | StandardScalerModel;

export interface ModelFile {
  readonly kind: typeof MODEL_FILE_KIND;
  readonly formatVersion: number;
  readonly algorithm: ModelAlgorithm;
  readonly featureNames: readonly string[];
  readonly training: Record<string, unknown> | null;
  readonly state: Record<string, unknown>;
}

/** Each algorithm's version-1 codec: the parameters as JSON with a kind tag, and back. */
const CODECS: Readonly<
  Record<
    ModelAlgorithm,
    {
      readonly v1Kind: string;
      toJSON(m: FittedModel): Record<string, unknown>;
      fromJSON(j: unknown): FittedModel;
    }
  >
> = {
  pca: {
    v1Kind: PCA_MODEL_JSON_KIND,
    toJSON: (m) => ({ ...pcaModelToJSON(m as PCAModel) }),
    fromJSON: pcaModelFromJSON,
  },
  kmeans: {
    v1Kind: KMEANS_MODEL_JSON_KIND,
    toJSON: (m) => ({ ...kmeansModelToJSON(m as KMeansModel) }),
    fromJSON: kmeansModelFromJSON,
  },
  "min-max-scaler": {
    v1Kind: "strata.MinMaxScalerModel",
    toJSON: (m) => (m as MinMaxScalerModel).toJSON(),
    fromJSON: MinMaxScalerModel.fromJSON,
  },
  "standard-scaler": {
    v1Kind: "strata.StandardScalerModel",
    toJSON: (m) => (m as StandardScalerModel).toJSON(),
    fromJSON: StandardScalerModel.fromJSON,
  },
};

function algorithmOf(model: FittedModel): ModelAlgorithm {
  if (model instanceof PCAModel) return "pca";
  if (model instanceof KMeansModel) return "kmeans";
  if (model instanceof MinMaxScalerModel) return "min-max-scaler";
  return "standard-scaler";
}

/**
 * The model as its file.
 * @example JSON.stringify(modelToFile(new PCA({ numComponents: 2 }).fit(x)))
 */
export function modelToFile(model: FittedModel): ModelFile {
  const algorithm = algorithmOf(model);
  const {
    kind: _kind,
    formatVersion: _version,
    featureNames: _names,
    training,
    ...state
  } = CODECS[algorithm].toJSON(model);
  return {
    kind: MODEL_FILE_KIND,
    formatVersion: MODEL_FILE_VERSION,
    algorithm,
    featureNames: [...model.featureNames],
    training: (training as Record<string, unknown> | null | undefined) ?? null,
    state,
  };
}

function invalid(message: string): StrataError {
  return new StrataError("ARTIFACT_INVALID", `Not a Strata model file: ${message}.`);
}

/**
 * The model a file holds (version 2, or any of the version-1 formats).
 * @throws StrataError ARTIFACT_INVALID for anything else, naming what it found
 */
export function modelFromFile(json: unknown): FittedModel {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw invalid("expected a JSON object");
  const j = json as Record<string, unknown>;
  if (j["kind"] === MODEL_FILE_KIND) {
    if (j["formatVersion"] !== MODEL_FILE_VERSION)
      throw invalid(
        `formatVersion ${JSON.stringify(j["formatVersion"])} is not supported (this Strata reads ${MODEL_FILE_VERSION})`,
      );
    const algorithm = j["algorithm"] as ModelAlgorithm;
    // Own keys only: "constructor" or "toString" must be refused like any other unknown name.
    const codec = Object.hasOwn(CODECS, algorithm) ? CODECS[algorithm] : undefined;
    if (codec === undefined)
      throw invalid(
        `algorithm ${JSON.stringify(algorithm)}; expected one of ${Object.keys(CODECS).join(", ")}`,
      );
    const state = j["state"];
    if (typeof state !== "object" || state === null) throw invalid("no state");
    return codec.fromJSON({
      ...(state as Record<string, unknown>),
      kind: codec.v1Kind,
      formatVersion: 1,
      featureNames: j["featureNames"],
      training: j["training"],
    });
  }
  const legacy = Object.values(CODECS).find((c) => c.v1Kind === j["kind"]);
  if (legacy === undefined)
    throw invalid(`kind is ${JSON.stringify(j["kind"])}, expected "${MODEL_FILE_KIND}"`);
  return legacy.fromJSON(j);
}
