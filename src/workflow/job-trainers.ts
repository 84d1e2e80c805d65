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
import { basename, join, resolve } from "node:path";
import { StrataError } from "../errors.js";
import { encodeDenseRows } from "../formats/dense-rows.js";
import { type AlgorithmName, type Channel, channelShape, type StreamedChannel } from "../jobs/algorithm.js";
import { loadTrainedModel } from "../jobs/model-artifacts.js";
import { nameFromBase } from "../jobs/names.js";
import type { TrainingService } from "../jobs/training-service.js";
import type { KMeansModel } from "../kmeans/kmeans-model.js";
import type { Matrix } from "../linalg/matrix.js";
import { modelToFile } from "../models/model-file.js";
import type { PCAModel } from "../pca/pca-model.js";
import type { MinMaxScalerModel } from "../preprocess/min-max-scaler.js";
import type { StandardScalerModel } from "../preprocess/standard-scaler.js";
import type { Trainers } from "./segmentation.js";

/** A finished job of the run: its name and where its artifact is. */
export interface RunJob {
  readonly algorithm: AlgorithmName;
  readonly trainingJobName: string;
  readonly artifactUri: string;
  readonly trainUri: string;
}

/** A training channel the run has written as RecordIO-protobuf, to be streamed by its job. */
export interface ChannelFile {
  /** Where it is now (in the run's staging directory). */
  readonly path: string;
  readonly rows: number;
  readonly cols: number;
  readonly featureNames: readonly string[];
  /** Whether its records carry labels (the rows' weights). */
  readonly labels: boolean;
}

/** How a streamed run trains: each model a job over a channel file, streamed (Pipe mode). */
export interface StreamedTrainers {
  pcaStreamed(
    channel: ChannelFile,
    numComponents: number,
    context: { scaler: MinMaxScalerModel | StandardScalerModel },
  ): Promise<PCAModel>;
  kmeansStreamed(
    channel: ChannelFile,
    options: { k: number; seed: number; restarts: number | "auto"; weighted: boolean },
  ): Promise<KMeansModel>;
}

export interface JobTrainers extends Trainers, StreamedTrainers {
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

  const publishedUri = (path: string) => join(resolve(publishedDataDir ?? dataDir), basename(path));

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
    const file = join(dir, `${algorithm}-train.pbr`);
    await writeFile(
      file,
      encodeDenseRows(x, { dtype: "float64", ...(labels === undefined ? {} : { labels }) }),
    );
    return runJob(
      algorithm,
      { matrix: x, featureNames, labels: labels ?? null },
      publishedUri(file),
      "File",
      hyperParameters,
      callerMetadata,
    );
  };

  // A channel written by a streamed run is handed to its job by reference and streamed there (Pipe mode).
  const trainStreamed = (
    algorithm: AlgorithmName,
    channel: ChannelFile,
    hyperParameters: Record<string, string>,
    callerMetadata?: Record<string, unknown>,
  ): Promise<RunJob> => {
    const trainUri = publishedUri(channel.path);
    const streamed: StreamedChannel = {
      sources: [{ path: channel.path, format: "recordio-protobuf", labelSize: 0, name: trainUri }],
      firstRows: [0],
      rows: channel.rows,
      cols: channel.cols,
      featureNames: channel.featureNames,
      labels: channel.labels,
    };
    return runJob(algorithm, streamed, trainUri, "Pipe", hyperParameters, callerMetadata);
  };

  const runJob = async (
    algorithm: AlgorithmName,
    channel: Channel,
    trainUri: string,
    inputMode: "File" | "Pipe",
    hyperParameters: Record<string, string>,
    callerMetadata?: Record<string, unknown>,
  ): Promise<RunJob> => {
    const name = nameFromBase(algorithm);
    await service.createTrainingJob(
      {
        TrainingJobName: name,
        AlgorithmSpecification: { TrainingImage: algorithm, TrainingInputMode: inputMode },
        HyperParameters: { feature_dim: String(channelShape(channel).cols), ...hyperParameters },
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
        channels: { train: channel },
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
    async pcaStreamed(channel, numComponents, { scaler }): Promise<PCAModel> {
      const job = await trainStreamed(
        "pca",
        channel,
        { num_components: String(numComponents), mini_batch_size: "500" },
        { scaler: modelToFile(scaler) },
      );
      return (await loadTrainedModel(job.artifactUri, "pca")).model as PCAModel;
    },
    async kmeansStreamed(channel, { k, seed, restarts, weighted }): Promise<KMeansModel> {
      const job = await trainStreamed("kmeans", channel, {
        k: String(k),
        init_method: "kmeans++",
        local_lloyd_num_trials: String(restarts),
        seed: String(seed),
        ...(weighted ? { sample_weights: "label" } : {}),
      });
      return (await loadTrainedModel(job.artifactUri, "kmeans")).model as KMeansModel;
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
