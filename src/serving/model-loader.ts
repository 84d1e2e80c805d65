/**
 * Loading a model's containers into pipeline stages: each container's `ModelDataUrl` is read through the
 * ObjectStore (path, file://, s3://, https://) and decoded with the SageMaker codecs — PCA `{s, v, mean}`,
 * K-Means `[centroids]` from `model_algo-1` in `model.tar.gz`, the scaler from `minmax-scaler.json` (in a
 * `model.tar.gz`, or a bare `.json` object). A PCA container with `STRATA_PCA_KEEP_TOP=n` keeps the columns
 * of `v` with the n largest singular values, largest first (ties: the later column first, as
 * PCAModel.fromSageMaker orders them); without it all columns in stored order.
 * @module
 */

import { resolveStore } from "../data/sources/resolve.js";
import { isStrataError, StrataError } from "../errors.js";
import { decodeKMeansArtifactFile, decodePCAArtifactFile } from "../formats/ndarray-models.js";
import { readModelAlgoFile, unpackTarGz } from "../formats/tarball.js";
import { modelFromFile } from "../models/model-file.js";
import { type FeatureTransforms, TRANSFORMS } from "../preprocess/feature-transform.js";
import { MinMaxScalerModel } from "../preprocess/min-max-scaler.js";
import { StandardScalerModel } from "../preprocess/standard-scaler.js";
import { type ContainerDefinition, KEEP_TOP_ENV, roleOf } from "./model-spec.js";
import { type CompiledPipeline, compilePipeline, type Stage } from "./pipeline.js";

/** Entry name of the scaler inside its model.tar.gz. */
export const SCALER_FILE_NAME = "minmax-scaler.json";

/** The `kind` of a feature-transform artifact (`{"kind": …, "functions": ["log1p", null, …]}`). */
export const TRANSFORM_KIND = "strata.feature-transform";

/** Entry name of the transform inside its model.tar.gz. */
export const TRANSFORM_FILE_NAME = "feature-transform.json";

/** Entry name of the standard scaler inside its model.tar.gz (any `.json` entry is read when it is absent). */
export const STANDARD_SCALER_FILE_NAME = "standard-scaler.json";

async function jsonArtifact(url: string, bytes: Uint8Array): Promise<unknown> {
  let text: string;
  if (/\.json$/i.test(url)) text = new TextDecoder().decode(bytes);
  else {
    const entries = await unpackTarGz(bytes);
    const entry =
      entries.find((e) => e.name === SCALER_FILE_NAME) ?? entries.find((e) => e.name.endsWith(".json"));
    if (entry === undefined)
      throw new StrataError(
        "ARTIFACT_INVALID",
        `${url} has no ${SCALER_FILE_NAME}; it holds [${entries.map((e) => e.name).join(", ")}].`,
      );
    text = new TextDecoder().decode(entry.bytes);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new StrataError("ARTIFACT_INVALID", `${url}: the scaler file is not JSON.`, { cause });
  }
}

/**
 * Reads and decodes one container.
 * @throws StrataError SOURCE_NOT_FOUND / KEY_NOT_FOUND (artifact missing), FORMAT_ERROR, ARTIFACT_INVALID
 */
export async function loadStage(container: ContainerDefinition): Promise<Stage> {
  const url = container.ModelDataUrl;
  const bytes = await resolveStore(url).getBytes(url);
  const role = roleOf(container);
  switch (role) {
    case "minmax-scaler": {
      const model = modelFromFile(await jsonArtifact(url, bytes));
      if (!(model instanceof MinMaxScalerModel))
        throw new StrataError(
          "ARTIFACT_INVALID",
          `${url} holds a ${model.constructor.name}; the scaler stage needs a min-max scaler.`,
          { details: { uri: url } },
        );
      return { kind: "scaler", scale: model.scale, min: model.min, featureNames: model.featureNames };
    }
    case "feature-transform": {
      const json = (await jsonArtifact(url, bytes)) as { kind?: unknown; functions?: unknown };
      const functions = json.functions;
      const valid =
        json.kind === TRANSFORM_KIND &&
        Array.isArray(functions) &&
        functions.every((f) => f === null || (TRANSFORMS as readonly unknown[]).includes(f));
      if (!valid)
        throw new StrataError(
          "ARTIFACT_INVALID",
          `${url} is not a feature transform: expected {"kind": "${TRANSFORM_KIND}", "functions": [one of ${TRANSFORMS.join(", ")} or null per feature]}.`,
          { details: { uri: url } },
        );
      return { kind: "transform", functions: functions as FeatureTransforms };
    }
    case "standard-scaler": {
      const model = modelFromFile(await jsonArtifact(url, bytes));
      if (!(model instanceof StandardScalerModel))
        throw new StrataError(
          "ARTIFACT_INVALID",
          `${url} holds a ${model.constructor.name}; the standard-scaler stage needs a standard scaler.`,
          { details: { uri: url } },
        );
      // (x − mean) / scale is the affine stage x·(1/scale) + (−mean/scale).
      const scale = model.scale.map((s) => 1 / s);
      const min = model.mean.map((m, j) => -m * scale[j]!);
      return { kind: "scaler", scale, min, featureNames: model.featureNames };
    }
    case "kmeans": {
      const { k, dim, centroids } = decodeKMeansArtifactFile(await readModelAlgoFile(bytes));
      return { kind: "kmeans", k, dim, centroids: Float64Array.from(centroids) };
    }
    case "pca": {
      const { s, v, mean } = decodePCAArtifactFile(await readModelAlgoFile(bytes));
      const C = v.cols;
      const keepText = container.Environment?.[KEEP_TOP_ENV];
      let columns = Array.from({ length: C }, (_, j) => j);
      if (keepText !== undefined) {
        const keep = Number(keepText);
        if (keep > C)
          throw new StrataError(
            "ARTIFACT_INVALID",
            `${KEEP_TOP_ENV}=${keep} is more than the ${C} components in ${url}.`,
          );
        const value = (j: number) => (Number.isNaN(s[j]!) ? 0 : s[j]!);
        columns = columns.sort((a, b) => value(b) - value(a) || b - a).slice(0, keep);
      }
      return {
        kind: "pca",
        mean: Float64Array.from(mean),
        v: Float64Array.from(v.data),
        s: Float64Array.from(s),
        numComponents: C,
        columns,
      };
    }
  }
}

/**
 * Loads every container of a model, in order.
 * @param modelName for messages
 * @throws StrataError as {@link loadStage}, each message prefixed with the container it concerns
 */
export async function loadStages(
  modelName: string,
  containers: readonly ContainerDefinition[],
): Promise<{ stages: Stage[]; names: string[] }> {
  const names = containers.map((c, i) => `container ${i + 1} (${roleOf(c)}) of model "${modelName}"`);
  const stages: Stage[] = [];
  for (const [i, container] of containers.entries()) {
    try {
      stages.push(await loadStage(container));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new StrataError(
        isStrataError(error) ? error.code : "ARTIFACT_INVALID",
        `Could not load ${names[i]} from ${container.ModelDataUrl}: ${message}`,
        { cause: error, details: { container: i + 1, modelDataUrl: container.ModelDataUrl } },
      );
    }
  }
  return { stages, names };
}

/**
 * Loads and compiles every container of a model.
 * @param modelName for messages
 * @throws StrataError as {@link loadStages}
 */
export async function loadPipeline(
  modelName: string,
  containers: readonly ContainerDefinition[],
): Promise<CompiledPipeline> {
  const { stages, names } = await loadStages(modelName, containers);
  return compilePipeline(stages, names);
}
