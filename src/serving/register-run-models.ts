/**
 * What `strata run` calls after training so its models can be deployed at once: it registers the PCA model,
 * the K-Means model and the inference pipeline that takes raw rows to clusters —
 *
 *   `<name>-scaler` is not a model of its own; the pipeline `<name>-pipeline` has three containers:
 *     1. strata/minmax-scaler:1   ModelDataUrl = a model.tar.gz holding minmax-scaler.json (written here)
 *     2. …/pca:1                  ModelDataUrl = the PCA job's model.tar.gz, Environment STRATA_PCA_KEEP_TOP=keep
 *     3. …/kmeans:1               ModelDataUrl = the K-Means job's model.tar.gz
 *   `<name>-pca` (all components, SageMaker's order) and `<name>-kmeans` (input: kept projections).
 *
 * The pipeline's PCA stage answers the `keep` largest components, largest first, with the artifact's signs;
 * Strata's PCA artifacts store its sign-fixed components, so the pipeline feeds K-Means exactly the
 * projections `strata run` clustered (to float32 rounding of the artifact).
 *
 * A run never changes what another run registered: the name comes from the run (`--name`, else the data
 * file's name; "census" for the census), and when any of its three models exists the run takes `<name>-2`,
 * `<name>-3`, … instead. Every artifact is the run's own (its jobs' outputs; the scaler beside them), so a
 * deployed endpoint keeps answering as it did. Re-registering a name is an explicit choice (`replace`).
 * @module
 */

import { resolveStore } from "../data/sources/resolve.js";
import { isStrataError, StrataError } from "../errors.js";
import { packTarGz } from "../formats/tarball.js";
import { defaultArnContext } from "../jobs/describe.js";
import { modelToFile } from "../models/model-file.js";
import type { FeatureTransforms } from "../preprocess/feature-transform.js";
import { MinMaxScalerModel } from "../preprocess/min-max-scaler.js";
import type { StandardScalerModel } from "../preprocess/standard-scaler.js";
import { openRegistryDb } from "../registry/db.js";
import { HostingStore } from "../registry/hosting-store.js";
import {
  SCALER_FILE_NAME,
  STANDARD_SCALER_FILE_NAME,
  TRANSFORM_FILE_NAME,
  TRANSFORM_KIND,
} from "./model-loader.js";
import { ModelService } from "./model-service.js";
import { KEEP_TOP_ENV } from "./model-spec.js";
import { SCALER_IMAGE, STANDARD_SCALER_IMAGE, TRANSFORM_IMAGE } from "./names.js";

/** SageMaker's us-east-1 images of the built-in algorithms (recognised by repository name). */
export const PCA_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1";
export const KMEANS_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1";

export interface RegisterRunModelsOptions {
  /** The PCA training job's model.tar.gz (`ModelArtifacts.S3ModelArtifacts`). */
  readonly pcaArtifactUri: string;
  /** The K-Means training job's model.tar.gz (trained on the `keep` largest projections, largest first). */
  readonly kmeansArtifactUri: string;
  /** The fitted scaler applied before PCA (min-max or standard: each has its container image). */
  readonly scaler: MinMaxScalerModel | StandardScalerModel;
  /** Number of top components the K-Means model was trained on. */
  readonly keep: number;
  /** The run's name: its models are `<name>-pca`, `<name>-kmeans` and `<name>-pipeline` (see the module). */
  readonly name: string;
  /** Replace models of those names instead of taking the next free name (an explicit choice). */
  readonly replace?: boolean;
  /** Where the scaler's model.tar.gz goes (a place of the run's own: it is never overwritten). */
  readonly scalerArtifactUri: string;
  /** Per-feature transforms applied before the scaler; when any, the pipeline starts with them. */
  readonly transforms?: FeatureTransforms;
  /** Strata home (default `$STRATA_HOME`). */
  readonly home?: string;
}

export interface RegisteredRunModels {
  /** The name the models were registered under (the asked one, or the next free `<name>-N`). */
  readonly name: string;
  readonly pcaModel: string;
  readonly kmeansModel: string;
  readonly pipelineModel: string;
  readonly scalerArtifactUri: string;
}

/** The census file's name (the public object's and the usual local copy's). */
const CENSUS_FILE = /(^|[/])acs2015_county_data\.csv(\.gz)?$/i;

/**
 * A run's default name: "census" for the census file, else the data file's name without its extension,
 * lower-cased, with every run of other characters made one "-" (`Penguins Data.csv` → `penguins-data`).
 * @example runNameFrom("s3://bucket/customers_2024.parquet") // "customers-2024"
 */
export function runNameFrom(source: string): string {
  if (CENSUS_FILE.test(source)) return "census";
  const file =
    source
      .replace(/[?#].*$/, "")
      .split(/[\\/]/)
      .pop() ?? "";
  const stem = file.replace(/(\.(gz|zst|zstd|bz2))?$/i, "").replace(/\.[^.]*$/, "");
  const slug = stem
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_RUN_NAME);
  return slug.replace(/-+$/, "") || "run";
}

/** Room for "-pipeline" and a "-NN" suffix within SageMaker's 63-character model names. */
export const MAX_RUN_NAME = 50;

/**
 * A run name a user gave: letters, digits and single hyphens, starting and ending with a letter or digit
 * (SageMaker's model-name pattern), at most MAX_RUN_NAME characters.
 * @throws StrataError INVALID_ARGUMENT naming the flag
 */
export function checkRunName(name: string, flag = "--name"): void {
  if (name.length === 0 || name.length > MAX_RUN_NAME || !/^[a-zA-Z0-9](-?[a-zA-Z0-9])*$/.test(name))
    throw new StrataError(
      "INVALID_ARGUMENT",
      `${flag}=${JSON.stringify(name)} is invalid: expected 1 to ${MAX_RUN_NAME} letters, digits and single hyphens, starting and ending with a letter or digit (its models are <name>-pca, <name>-kmeans and <name>-pipeline).`,
      { details: { flag, value: name } },
    );
}

const modelNames = (name: string) => ({
  pcaModel: `${name}-pca`,
  kmeansModel: `${name}-kmeans`,
  pipelineModel: `${name}-pipeline`,
});

/**
 * Registers the run's PCA, K-Means and pipeline models under the run's name, or the next free `<name>-N`
 * (with `replace`, replacing models of the run's name).
 * @throws StrataError INVALID_ARGUMENT (a bad name), OUTPUT_NOT_WRITABLE (scaler artifact)
 * @example
 * const { pipelineModel } = await registerRunModels({ name: "census", pcaArtifactUri, kmeansArtifactUri, scaler, keep: 5, scalerArtifactUri });
 * // then: strata deploy census-pipeline --name census
 */
export async function registerRunModels(options: RegisterRunModelsOptions): Promise<RegisteredRunModels> {
  checkRunName(options.name);
  const home = options.home === undefined ? {} : { home: options.home };
  const { scalerArtifactUri } = options;
  const json = new TextEncoder().encode(`${JSON.stringify(modelToFile(options.scaler))}\n`);
  const entry = options.scaler instanceof MinMaxScalerModel ? SCALER_FILE_NAME : STANDARD_SCALER_FILE_NAME;
  const tarGz = await packTarGz([{ name: entry, bytes: json }]);
  await resolveStore(scalerArtifactUri).put(scalerArtifactUri, tarGz, { contentType: "application/x-gzip" });
  const transformed = options.transforms?.some((t) => t !== null) === true;
  const transformUri = scalerArtifactUri.replace(/scaler\/model\.tar\.gz$/, "transform/model.tar.gz");
  if (transformed) {
    const body = new TextEncoder().encode(
      `${JSON.stringify({ kind: TRANSFORM_KIND, functions: options.transforms })}\n`,
    );
    const tar = await packTarGz([{ name: TRANSFORM_FILE_NAME, bytes: body }]);
    await resolveStore(transformUri).put(transformUri, tar, { contentType: "application/x-gzip" });
  }
  // The model registry alone: the run creates models, and need not load the endpoint and transform services
  // (16 of the 211 modules `strata run` imported) nor recover their work, as HostingService.open does.
  const db = openRegistryDb(home);
  try {
    const store = new HostingStore(db);
    const models = new ModelService(store, defaultArnContext());
    const requests = (names: ReturnType<typeof modelNames>) => [
      {
        ModelName: names.pcaModel,
        PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: options.pcaArtifactUri },
      },
      {
        ModelName: names.kmeansModel,
        PrimaryContainer: { Image: KMEANS_IMAGE, ModelDataUrl: options.kmeansArtifactUri },
      },
      {
        ModelName: names.pipelineModel,
        Containers: [
          ...(transformed ? [{ Image: TRANSFORM_IMAGE, ModelDataUrl: transformUri }] : []),
          {
            Image: options.scaler instanceof MinMaxScalerModel ? SCALER_IMAGE : STANDARD_SCALER_IMAGE,
            ModelDataUrl: scalerArtifactUri,
          },
          {
            Image: PCA_IMAGE,
            ModelDataUrl: options.pcaArtifactUri,
            Environment: { [KEEP_TOP_ENV]: String(options.keep) },
          },
          { Image: KMEANS_IMAGE, ModelDataUrl: options.kmeansArtifactUri },
        ],
      },
    ];
    // Every name the run could take starts with its own, so one query finds those already taken: checking
    // census, census-2, … one by one cost three queries per earlier run (25 ms after 400 runs).
    const existing = new Set(store.modelNamesStartingWith(options.name));
    for (let n = 1; ; n++) {
      const name = n === 1 ? options.name : `${options.name}-${n}`;
      const names = modelNames(name);
      const taken = Object.values(names).filter((model) => existing.has(model));
      if (options.replace === true) for (const model of taken) models.deleteModel(model);
      else if (taken.length > 0) continue;
      const created: string[] = [];
      try {
        for (const request of requests(names)) {
          await models.createModel(request);
          created.push(request.ModelName);
        }
      } catch (error) {
        // Another run took the name between the check and the create: leave its models, try the next name.
        for (const model of created) models.deleteModel(model);
        if (isStrataError(error, "RESOURCE_EXISTS") && options.replace !== true) continue;
        throw error;
      }
      return { name, ...names, scalerArtifactUri };
    }
  } finally {
    db.close();
  }
}
