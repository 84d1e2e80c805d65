/**
 * What a model holds, for reading (the console's model pages): each container loaded as an endpoint loads it
 * (model-loader.ts) and laid out as a reader wants it — a PCA's components largest first with their singular
 * values, explained-variance ratios and loadings; a K-Means model's centroids; a scaler's per-feature range.
 * Feature names travel down the pipeline: a scaler's names label the PCA's loadings, and a PCA that keeps its
 * top n components feeds K-Means "component 1" … "component n".
 * @module
 */
import { resolveStore } from "../data/sources/resolve.js";
import { StrataError } from "../errors.js";
import { decodeNDArrayFile } from "../formats/ndarray.js";
import { readModelAlgoFile } from "../formats/tarball.js";
import { groupDigits } from "../util/group-digits.js";
import { loadStages } from "./model-loader.js";
import type { ContainerDefinition } from "./model-spec.js";
import type { Stage } from "./pipeline.js";
import { KMEANS_IMAGE, PCA_IMAGE } from "./register-run-models.js";

/** A PCA component: its singular value, share of the variance, and loading per feature. */
export interface ComponentContents {
  readonly singularValue: number;
  readonly explainedVarianceRatio: number;
  readonly loadings: readonly number[];
}

export type StageContents =
  | { readonly kind: "transform"; readonly functions: readonly (string | null)[] }
  | {
      readonly kind: "scaler";
      readonly featureNames: readonly string[] | null;
      readonly scale: readonly number[];
      readonly min: readonly number[];
    }
  | {
      readonly kind: "pca";
      readonly featureNames: readonly string[] | null;
      readonly mean: readonly number[];
      /** Every component, largest singular value first. */
      readonly components: readonly ComponentContents[];
      /** How many the stage answers (STRATA_PCA_KEEP_TOP), or null for all. */
      readonly keep: number | null;
    }
  | {
      readonly kind: "kmeans";
      readonly featureNames: readonly string[] | null;
      readonly centroids: readonly (readonly number[])[];
    };

/** Each container's contents, with its image and artifact. */
export interface ModelContents {
  readonly containers: readonly (StageContents & { readonly image: string; readonly modelDataUrl: string })[];
}

/** Past this many numbers a model is not laid out for reading (a 1,000 × 1,000 PCA is one million). */
export const MAX_CONTENT_VALUES = 2_000_000;

function pcaContents(stage: Extract<Stage, { kind: "pca" }>, names: readonly string[] | null): StageContents {
  const d = stage.mean.length;
  const c = stage.numComponents;
  const order = Array.from({ length: c }, (_, j) => j).sort(
    (a, b) => (stage.s[b] || 0) - (stage.s[a] || 0) || b - a,
  );
  const total = order.reduce((sum, j) => sum + (stage.s[j] || 0) ** 2, 0);
  return {
    kind: "pca",
    featureNames: names,
    mean: Array.from(stage.mean),
    components: order.map((j) => ({
      singularValue: stage.s[j]!,
      explainedVarianceRatio: total > 0 ? (stage.s[j] || 0) ** 2 / total : 0,
      loadings: Array.from({ length: d }, (_, i) => stage.v[i * c + j]!),
    })),
    keep: stage.columns.length === c ? null : stage.columns.length,
  };
}

function stageValues(stage: Stage): number {
  switch (stage.kind) {
    case "pca":
      return stage.v.length;
    case "kmeans":
      return stage.centroids.length;
    case "scaler":
      return stage.scale.length * 2;
    case "transform":
      return stage.functions.length;
  }
}

/** One stage for reading, its inputs named `names` when they are known. */
function layOut(stage: Stage, names: readonly string[] | null): StageContents {
  switch (stage.kind) {
    case "transform":
      return { kind: "transform", functions: [...stage.functions] };
    case "scaler":
      return {
        kind: "scaler",
        featureNames: stage.featureNames ?? null,
        scale: Array.from(stage.scale),
        min: Array.from(stage.min),
      };
    case "pca":
      return pcaContents(stage, names?.length === stage.mean.length ? names : null);
    case "kmeans":
      return {
        kind: "kmeans",
        featureNames: names?.length === stage.dim ? names : null,
        centroids: Array.from({ length: stage.k }, (_, r) =>
          Array.from(stage.centroids.subarray(r * stage.dim, (r + 1) * stage.dim)),
        ),
      };
  }
}

/** The names of what a stage outputs: a scaler's features, a PCA's kept components, or what came in. */
function namesAfter(stage: Stage, names: readonly string[] | null): readonly string[] | null {
  if (stage.kind === "scaler") return stage.featureNames ?? null;
  if (stage.kind === "pca")
    return Array.from({ length: stage.columns.length }, (_, i) => `component ${i + 1}`);
  return names;
}

/**
 * Loads a model's containers and lays them out for reading.
 * @throws StrataError as model-loader's loadStages; INPUT_TOO_LARGE past MAX_CONTENT_VALUES numbers
 */
export async function modelContents(
  modelName: string,
  containers: readonly ContainerDefinition[],
): Promise<ModelContents> {
  const { stages } = await loadStages(modelName, containers);
  const values = stages.reduce((n, s) => n + stageValues(s), 0);
  if (values > MAX_CONTENT_VALUES)
    throw new StrataError(
      "INPUT_TOO_LARGE",
      `Model "${modelName}" holds ${groupDigits(values)} numbers; the console lays out at most ${groupDigits(MAX_CONTENT_VALUES)}. Read it with \`strata model inspect\`.`,
    );
  let names: readonly string[] | null = null;
  const laidOut: StageContents[] = [];
  for (const stage of stages) {
    laidOut.push(layOut(stage, names));
    names = namesAfter(stage, names);
  }
  return {
    containers: laidOut.map((c, i) => ({
      ...c,
      image: containers[i]!.Image,
      modelDataUrl: containers[i]!.ModelDataUrl,
    })),
  };
}

/**
 * Which built-in algorithm wrote a model.tar.gz, from its `model_algo-1`: K-Means stores a list with one
 * k × dim array, PCA a dict with `mean`, `s` and `v` (spec §1.3, §2.3). Gives the image to load it with.
 * @throws StrataError ARTIFACT_INVALID for anything else
 */
export async function artifactImage(url: string): Promise<string> {
  const file = decodeNDArrayFile(await readModelAlgoFile(await resolveStore(url).getBytes(url)));
  if (file.names === null && file.arrays.length === 1 && file.arrays[0]!.shape.length === 2)
    return KMEANS_IMAGE;
  if (file.names !== null && ["mean", "s", "v"].every((n) => file.names!.includes(n))) return PCA_IMAGE;
  throw new StrataError(
    "ARTIFACT_INVALID",
    `${url} holds neither a K-Means model (a list of one k × dim array) nor a PCA model (mean, s and v).`,
    { details: { uri: url } },
  );
}
