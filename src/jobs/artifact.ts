/**
 * Writing a finished job's output where SageMaker puts it (spec §6.1):
 * `<S3OutputPath>/<TrainingJobName>/output/model.tar.gz` (the algorithm's files at the archive root, owner
 * 0/0, mode 0644) and beside it Strata's own `strata-model.json`, which SageMaker ignores:
 *
 * ```
 * { kind: "strata-model", formatVersion: 1, algorithm, trainingJobName, strataVersion, createdAt,
 *   featureNames, hyperParameters (the wire map), params (parsed, camelCase), metrics {name: value},
 *   model (what the algorithm adds: PCA variances, K-Means sizes…), caller (e.g. scaler parameters) }
 * ```
 * Both writes are atomic (ObjectStore.put: temp file + rename, or one S3 PUT). The metadata goes first and
 * model.tar.gz last, so a model.tar.gz that exists is always complete and described.
 * @module
 */
import { resolveStore } from "../data/sources/resolve.js";
import { packTarGz } from "../formats/tarball.js";
import { STRATA_VERSION } from "../version.js";
import type { ChannelData, TrainingResult } from "./algorithm.js";
import { artifactUris, type TrainingJobSpec } from "./spec.js";

export const STRATA_MODEL_KIND = "strata-model";
export const STRATA_MODEL_FORMAT_VERSION = 1;
export const METADATA_FILE_NAME = "strata-model.json";

/** The parsed `strata-model.json`. */
export interface StrataModelMetadata {
  readonly kind: typeof STRATA_MODEL_KIND;
  readonly formatVersion: number;
  readonly algorithm: string;
  readonly trainingJobName: string;
  readonly strataVersion: string;
  readonly createdAt: string;
  readonly featureNames: readonly string[] | null;
  readonly hyperParameters: Readonly<Record<string, string>>;
  readonly params: unknown;
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly model: Record<string, unknown>;
  readonly caller?: Record<string, unknown>;
}

export interface WrittenArtifacts {
  readonly artifactUri: string;
  readonly metadataUri: string;
}

/** Builds the metadata document of a finished run. */
export function buildMetadata(
  spec: TrainingJobSpec,
  train: Pick<ChannelData, "featureNames">,
  params: unknown,
  result: TrainingResult,
  caller: Record<string, unknown> | undefined,
  now: Date = new Date(),
): StrataModelMetadata {
  return {
    kind: STRATA_MODEL_KIND,
    formatVersion: STRATA_MODEL_FORMAT_VERSION,
    algorithm: spec.algorithm,
    trainingJobName: spec.request.TrainingJobName,
    strataVersion: STRATA_VERSION,
    createdAt: now.toISOString(),
    featureNames: train.featureNames === null ? null : [...train.featureNames],
    hyperParameters: spec.request.HyperParameters,
    params,
    metrics: Object.fromEntries(
      result.metrics.map((m) => [m.name, Number.isFinite(m.value) ? m.value : null]),
    ),
    model: result.metadata,
    ...(caller === undefined ? {} : { caller }),
  };
}

/**
 * Packs model.tar.gz and writes it and the metadata file.
 * @throws StrataError OUTPUT_NOT_WRITABLE, BUCKET_NOT_FOUND (from the store)
 */
export async function writeArtifacts(
  spec: TrainingJobSpec,
  result: TrainingResult,
  metadata: StrataModelMetadata,
): Promise<WrittenArtifacts> {
  const uris = artifactUris(spec.request);
  const tarGz = await packTarGz(result.files.map((f) => ({ name: f.name, bytes: f.bytes })));
  const store = resolveStore(uris.model);
  const json = new TextEncoder().encode(`${JSON.stringify(metadata, null, 2)}\n`);
  await store.put(uris.metadata, json, { contentType: "application/json" });
  await store.put(uris.model, tarGz, { contentType: "application/x-gzip" });
  return { artifactUri: uris.model, metadataUri: uris.metadata };
}
