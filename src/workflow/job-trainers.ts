/**
 * Trainers for `strata run` that go through real training jobs, as the notebook's estimators do: each model
 * is a CreateTrainingJob in the registry (visible to `strata jobs list`), trained in a worker thread, with
 * model.tar.gz and strata-model.json written at the SageMaker path. The training data is written beside the
 * outputs as RecordIO-protobuf (what the SageMaker SDK uploads for built-in algorithms) and the job's train
 * channel names that file, so DescribeTrainingJob is truthful and the job can be re-run with `strata train`;
 * the already-decoded rows are handed to the job as well, so nothing is parsed twice. Row weights (`--weight`)
 * travel as each record's label, with the K-Means job's `sample_weights=label` (a Strata extension).
 * @module
 */

import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { StrataError } from "../errors.js";
import { encodeDenseRows } from "../formats/dense-rows.js";
import type { AlgorithmName } from "../jobs/algorithm.js";
import { loadTrainedModel } from "../jobs/model-artifacts.js";
import { nameFromBase } from "../jobs/names.js";
import type { TrainingService } from "../jobs/training-service.js";
import type { KMeansModel } from "../kmeans/kmeans-model.js";
import type { Matrix } from "../linalg/matrix.js";
import { modelToFile } from "../models/model-file.js";
import type { PCAModel } from "../pca/pca-model.js";
import type { Trainers } from "./segmentation.js";

/** A finished job of the run: its name and where its artifact is. */
export interface RunJob {
  readonly algorithm: AlgorithmName;
  readonly trainingJobName: string;
  readonly artifactUri: string;
  readonly trainUri: string;
}

export interface JobTrainers extends Trainers {
  /** The jobs run so far, in order. */
  readonly jobs: readonly RunJob[];
}

export interface JobTrainerOptions {
  readonly service: TrainingService;
  /** Where the training channels are written (a directory). */
  readonly dataDir: string;
  /** Where `dataDir` will be once the run's outputs are published: the URI the jobs record. */
  readonly publishedDataDir?: string;
}

/** Trainers that run each model as a registered training job. */
export function jobTrainers({ service, dataDir, publishedDataDir }: JobTrainerOptions): JobTrainers {
  const jobs: RunJob[] = [];

  const train = async (
    algorithm: AlgorithmName,
    x: Matrix,
    featureNames: readonly string[],
    hyperParameters: Record<string, string>,
    callerMetadata?: Record<string, unknown>,
    labels?: Float64Array,
  ): Promise<RunJob> => {
    const dir = resolve(dataDir);
    await mkdir(dir, { recursive: true });
    const fileName = `${algorithm}-train.pbr`;
    await writeFile(
      join(dir, fileName),
      encodeDenseRows(x, { dtype: "float64", ...(labels === undefined ? {} : { labels }) }),
    );
    const trainUri = join(resolve(publishedDataDir ?? dataDir), fileName);
    const name = nameFromBase(algorithm);
    await service.createTrainingJob(
      {
        TrainingJobName: name,
        AlgorithmSpecification: { TrainingImage: algorithm, TrainingInputMode: "File" },
        HyperParameters: { feature_dim: String(x.cols), ...hyperParameters },
        InputDataConfig: [
          {
            ChannelName: "train",
            DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: trainUri } },
            ContentType: "application/x-recordio-protobuf",
          },
        ],
        ResourceConfig: { InstanceCount: 1 },
      },
      {
        channels: { train: { matrix: x, featureNames, labels: labels ?? null } },
        ...(callerMetadata ? { callerMetadata } : {}),
      },
    );
    const done = await service.waitForCompletion(name);
    if (done.TrainingJobStatus !== "Completed" || done.ModelArtifacts === undefined) {
      throw new StrataError(
        "TRAINING_JOB_FAILED",
        `Training job "${name}" ended ${done.TrainingJobStatus}: ${done.FailureReason ?? "no reason recorded"}.`,
        { details: { name, status: done.TrainingJobStatus } },
      );
    }
    const job = {
      algorithm,
      trainingJobName: name,
      artifactUri: done.ModelArtifacts.S3ModelArtifacts,
      trainUri,
    };
    jobs.push(job);
    return job;
  };

  return {
    jobs,
    async pca(x, featureNames, numComponents, context): Promise<PCAModel> {
      const job = await train(
        "pca",
        x,
        featureNames,
        { num_components: String(numComponents), mini_batch_size: String(Math.min(500, x.rows)) },
        // The scaler that produced x travels with the model, so a pipeline can take raw rows.
        context === undefined ? undefined : { scaler: modelToFile(context.scaler) },
      );
      const trained = await loadTrainedModel(job.artifactUri, "pca");
      return trained.model as PCAModel;
    },
    async kmeans(z, featureNames, { k, seed, restarts, weights }): Promise<KMeansModel> {
      const job = await train(
        "kmeans",
        z,
        featureNames,
        {
          k: String(k),
          init_method: "kmeans++",
          local_lloyd_num_trials: String(restarts),
          seed: String(seed),
          ...(weights === undefined ? {} : { sample_weights: "label" }),
        },
        undefined,
        weights,
      );
      const trained = await loadTrainedModel(job.artifactUri, "kmeans");
      return trained.model as KMeansModel;
    },
  };
}
