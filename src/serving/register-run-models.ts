/**
 * What `strata run` calls after training so its models can be deployed at once: it registers the PCA model,
 * the K-Means model and the inference pipeline that takes raw rows to clusters —
 *
 *   `<prefix>-scaler` is not a model of its own; the pipeline `<prefix>-pipeline` has three containers:
 *     1. strata/minmax-scaler:1   ModelDataUrl = a model.tar.gz holding minmax-scaler.json (written here)
 *     2. …/pca:1                  ModelDataUrl = the PCA job's model.tar.gz, Environment STRATA_PCA_KEEP_TOP=keep
 *     3. …/kmeans:1               ModelDataUrl = the K-Means job's model.tar.gz
 *   `<prefix>-pca` (all components, SageMaker's order) and `<prefix>-kmeans` (input: kept projections).
 *
 * The pipeline's PCA stage answers the `keep` largest components, largest first, with the artifact's signs;
 * Strata's PCA artifacts store its sign-fixed components, so the pipeline feeds K-Means exactly the
 * projections `strata run` clustered (to float32 rounding of the artifact). Existing models of the same names
 * are replaced, so re-running `strata run` keeps one set.
 * @module
 */

import { resolveStore } from "../data/sources/resolve.js";
import { packTarGz } from "../formats/tarball.js";
import { modelToFile } from "../models/model-file.js";
import type { MinMaxScalerModel } from "../preprocess/min-max-scaler.js";
import { defaultArtifactsPath } from "../registry/home.js";
import { HostingService } from "./hosting-service.js";
import { SCALER_FILE_NAME } from "./model-loader.js";
import { KEEP_TOP_ENV } from "./model-spec.js";
import { SCALER_IMAGE } from "./names.js";

/** SageMaker's us-east-1 images of the built-in algorithms (recognised by repository name). */
export const PCA_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1";
export const KMEANS_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1";

export interface RegisterRunModelsOptions {
  /** The PCA training job's model.tar.gz (`ModelArtifacts.S3ModelArtifacts`). */
  readonly pcaArtifactUri: string;
  /** The K-Means training job's model.tar.gz (trained on the `keep` largest projections, largest first). */
  readonly kmeansArtifactUri: string;
  /** The fitted scaler applied before PCA. */
  readonly scaler: MinMaxScalerModel;
  /** Number of top components the K-Means model was trained on. */
  readonly keep: number;
  /** Model names; default prefix "census": census-pca, census-kmeans, census-pipeline. */
  readonly names?: { readonly pca?: string; readonly kmeans?: string; readonly pipeline?: string };
  /** Where the scaler's model.tar.gz goes; default `$STRATA_HOME/artifacts/<pipeline>/scaler/model.tar.gz`. */
  readonly scalerArtifactUri?: string;
  /** Strata home (default `$STRATA_HOME`). */
  readonly home?: string;
}

export interface RegisteredRunModels {
  readonly pcaModel: string;
  readonly kmeansModel: string;
  readonly pipelineModel: string;
  readonly scalerArtifactUri: string;
}

/**
 * Registers the run's PCA, K-Means and pipeline models (replacing models of the same names).
 * @throws StrataError INVALID_HOSTING_REQUEST (a bad name), OUTPUT_NOT_WRITABLE (scaler artifact)
 * @example
 * const { pipelineModel } = await registerRunModels({ pcaArtifactUri, kmeansArtifactUri, scaler, keep: 5 });
 * // then: strata deploy census-pipeline --name census
 */
export async function registerRunModels(options: RegisterRunModelsOptions): Promise<RegisteredRunModels> {
  const pcaModel = options.names?.pca ?? "census-pca";
  const kmeansModel = options.names?.kmeans ?? "census-kmeans";
  const pipelineModel = options.names?.pipeline ?? "census-pipeline";
  const home = options.home === undefined ? {} : { home: options.home };
  const scalerArtifactUri =
    options.scalerArtifactUri ?? `${defaultArtifactsPath(home)}/${pipelineModel}/scaler/model.tar.gz`;
  const json = new TextEncoder().encode(`${JSON.stringify(modelToFile(options.scaler))}\n`);
  const tarGz = await packTarGz([{ name: SCALER_FILE_NAME, bytes: json }]);
  await resolveStore(scalerArtifactUri).put(scalerArtifactUri, tarGz, { contentType: "application/x-gzip" });
  const hosting = HostingService.open(home);
  try {
    const create = async (request: { ModelName: string } & Record<string, unknown>) => {
      try {
        hosting.models.deleteModel(request.ModelName);
      } catch {
        // Not there yet.
      }
      await hosting.models.createModel(request);
    };
    await create({
      ModelName: pcaModel,
      PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: options.pcaArtifactUri },
    });
    await create({
      ModelName: kmeansModel,
      PrimaryContainer: { Image: KMEANS_IMAGE, ModelDataUrl: options.kmeansArtifactUri },
    });
    await create({
      ModelName: pipelineModel,
      Containers: [
        { Image: SCALER_IMAGE, ModelDataUrl: scalerArtifactUri },
        {
          Image: PCA_IMAGE,
          ModelDataUrl: options.pcaArtifactUri,
          Environment: { [KEEP_TOP_ENV]: String(options.keep) },
        },
        { Image: KMEANS_IMAGE, ModelDataUrl: options.kmeansArtifactUri },
      ],
    });
  } finally {
    await hosting.close();
  }
  return { pcaModel, kmeansModel, pipelineModel, scalerArtifactUri };
}
