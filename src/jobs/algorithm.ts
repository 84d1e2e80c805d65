/**
 * The contract between the training-job machinery and an algorithm (PCA, K-Means). A job parses SageMaker's
 * string hyperparameters once with `parseHyperParameters`, then calls `train` inside a worker thread with the
 * decoded channels; the algorithm returns the files that go into model.tar.gz, a metadata document Strata
 * writes beside it, and the final metrics. Algorithms know nothing about SQLite, threads or object storage.
 * @module
 */
import { rowShards, type Shard, type StreamShard } from "../contract/contract.js";
import type { RoundExecutor } from "../contract/executor.js";
import type { StreamSource } from "../data/stream/chunks.js";
import type { Matrix } from "../linalg/matrix.js";
import type { Logger } from "../util/logger.js";

/** The algorithms Strata trains, by their SageMaker image repository names. */
export type AlgorithmName = "pca" | "kmeans";

/** One decoded channel (train or test): rows x features, with feature names when the source had a header. */
export interface ChannelData {
  readonly matrix: Matrix;
  readonly featureNames: readonly string[] | null;
  /**
   * Each row's label when every record has one: RecordIO's `label["values"]`, or a CSV's first `label_size`
   * column. PCA and K-Means ignore labels unless K-Means is told they are sample weights (`sample_weights`).
   */
  readonly labels?: Float64Array | null;
}

/**
 * A channel too large to hold (or a Pipe-mode one): its objects, streamed in bounded chunks where each shard
 * runs (contract.ts `StreamShard`). Its shape is known without decoding it (src/data/stream/count-rows.ts).
 */
export interface StreamedChannel {
  readonly sources: readonly StreamSource[];
  /** Per object, the channel's index of its first row. */
  readonly firstRows: readonly number[];
  readonly rows: number;
  readonly cols: number;
  readonly featureNames: readonly string[] | null;
  /** Whether the records have labels (RecordIO `label["values"]`, or CSV label columns). */
  readonly labels: boolean;
  /**
   * Row ranges each object is read as, one shard each (default 1: a shard per object). A FullyReplicated
   * channel of a job with InstanceCount N > 1 has N, so its instances share even one large object, as
   * SageMaker's built-ins share the records of a fully replicated channel; ShardedByS3Key keeps one shard per
   * object, as SageMaker gives each instance its own objects.
   */
  readonly rangesPerObject?: number;
}

/** A channel as an algorithm gets it: in memory, or streamed. */
export type Channel = ChannelData | StreamedChannel;

/** Whether the channel is streamed. */
export function isStreamed(channel: Channel): channel is StreamedChannel {
  return "sources" in channel;
}

/** A channel's rows and features. */
export function channelShape(channel: Channel): { readonly rows: number; readonly cols: number } {
  return isStreamed(channel) ? channel : channel.matrix;
}

/**
 * The shards an algorithm's rounds run over: an in-memory channel cut into `shardRows`-row shards (the
 * estimators' own plan, so a job gives their bits), a streamed one as one shard per object, read in chunks
 * of `shardRows` rows.
 */
export function channelShards(channel: Channel, shardRows: number): Shard[] {
  if (!isStreamed(channel)) return rowShards(channel.matrix, { shardRows, chunkRows: shardRows });
  return streamShards(channel, shardRows);
}

/**
 * A streamed channel's shards, read in chunks of `chunkRows` rows: one per object, or with `rangesPerObject`
 * n > 1 each object's rows in n consecutive ranges of near-equal size (an object of fewer rows than n in
 * one range per row).
 */
export function streamShards(channel: StreamedChannel, chunkRows: number): StreamShard[] {
  const n = channel.rangesPerObject ?? 1;
  return channel.sources.flatMap((stream, i) => {
    const firstRow = channel.firstRows[i]!;
    if (n <= 1) return [{ stream, firstRow, chunkRows }];
    const rows = (channel.firstRows[i + 1] ?? channel.rows) - firstRow;
    const ranges = Math.max(1, Math.min(n, rows));
    return Array.from({ length: ranges }, (_, r) => {
      const skip = Math.floor((rows * r) / ranges);
      const take = Math.floor((rows * (r + 1)) / ranges) - skip;
      return { stream, firstRow: firstRow + skip, chunkRows, rows: { skip, take } };
    });
  });
}

/** Calls `each` with the channel's rows: the whole matrix, or each streamed chunk in order. */
export async function forEachChunk(channel: Channel, each: (rows: Matrix) => void): Promise<void> {
  if (!isStreamed(channel)) return each(channel.matrix);
  const { objectChunks } = await import("../data/stream/object-chunks.js");
  for (const source of channel.sources) for await (const chunk of objectChunks(source)) each(chunk.matrix);
}

export interface TrainingContext {
  readonly logger: Logger;
  /** Aborted when the job is stopped or exceeds MaxRuntimeInSeconds; long loops check it. */
  readonly signal: AbortSignal;
  /** Reports progress in [0, 1] with an optional message (shown by `jobs describe` and `--wait`). */
  progress(fraction: number, message?: string): void;
  /**
   * Where the algorithm's rounds run (the algorithm contract, src/contract): the caller's thread or worker
   * threads, chosen by the runner for the data's size; a cluster executor implements the same interface.
   */
  readonly rounds: RoundExecutor;
}

export interface ArtifactFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface FinalMetric {
  /** SageMaker metric name, e.g. "train:msd", "test:ssd". */
  readonly name: string;
  readonly value: number;
}

export interface TrainingResult {
  /** Files at the root of model.tar.gz (at least model_algo-1). */
  readonly files: readonly ArtifactFile[];
  /** Strata's metadata (feature names, hyperparameters, metrics, format version); SageMaker ignores it. */
  readonly metadata: Record<string, unknown>;
  readonly metrics: readonly FinalMetric[];
}

export interface DataShape {
  readonly featureDim: number;
  readonly numRows: number;
}

export interface TrainingAlgorithm<P = unknown> {
  readonly name: AlgorithmName;
  /**
   * Checks names, types and the ranges that do not depend on the data, before a job exists (CreateTrainingJob
   * fails fast). Throws StrataError naming the parameter.
   */
  checkHyperParameters(map: Readonly<Record<string, string>>): void;
  /**
   * Validates SageMaker's string map against the algorithm's table with the data's shape known (ranges such
   * as num_components <= features, k <= rows); throws StrataError naming the parameter. A missing
   * `feature_dim` is taken from the data (a Strata convenience; SageMaker requires it).
   */
  parseHyperParameters(map: Readonly<Record<string, string>>, shape: DataShape, logger?: Logger): P;
  /** Whether `train` takes streamed channels; an algorithm that does not gets every channel in memory. */
  readonly streams: boolean;
  train(train: Channel, test: Channel | null, params: P, context: TrainingContext): Promise<TrainingResult>;
}
