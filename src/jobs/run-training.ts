/**
 * The training-job orchestrator: what one job does, wherever a job runner runs it (a worker thread by
 * default). Phases, with the SecondaryStatus each one reports:
 *
 * ```
 * Downloading   open channel(s) (ObjectStore: path | file:// | s3:// | https://): decoded into memory (CSV |
 *               RecordIO-protobuf | Parquet), or, for an algorithm that streams, streamed when the channel
 *               is larger than the memory budget or in Pipe mode -> check the test channel's width against train
 *               -> validate hyperparameters against the data's shape (num_components <= features, k <= rows)
 * Training      algorithm.train(train, test, params, {logger, signal, progress, rounds})
 * Uploading     pack model.tar.gz (model_algo-1) + strata-model.json -> atomic writes (metadata first,
 *               model.tar.gz last)
 * -> outcome    completed {artifactUri, metrics} | failed {reason} | stopped
 * ```
 * The caller turns the outcome into Completed / Failed / Stopped. Failure reasons follow SageMaker's
 * prefixes: `ClientError:` for problems with the request or the data (a StrataError with a 4xx status),
 * `AlgorithmError:` for anything else. The abort signal is checked between phases and inside the
 * algorithm's loops; an aborted run reports "stopped" and writes nothing.
 * @module
 */

import { localExecutor } from "../contract/choose-executor.js";
import { InlineExecutor, type RoundExecutor } from "../contract/executor.js";
import { isStrataError, StrataError } from "../errors.js";
import type { Logger } from "../util/logger.js";
import { type Channel, channelShape, isStreamed, type TrainingResult } from "./algorithm.js";
import { getAlgorithm } from "./algorithms/index.js";
import { buildMetadata, writeArtifacts } from "./artifact.js";
import { type ChannelReading, channelMemoryBudget, openChannel } from "./channels.js";
import { STATUS_MESSAGES } from "./lifecycle.js";
import type { JobRun, RunEvents, RunOutcome } from "./runners/runner.js";
import type { TrainingJobSpec } from "./spec.js";

export interface RunTrainingOptions {
  readonly events: RunEvents;
  readonly signal: AbortSignal;
  /** Strata home (download cache). */
  readonly home?: string;
}

/** SageMaker-style FailureReason for an error thrown by a run. */
export function failureReason(error: unknown): string {
  if (isStrataError(error))
    return `${error.status < 500 ? "ClientError" : "AlgorithmError"}: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `AlgorithmError: ${message}`;
}

function describeChannel(name: string, data: Channel, source: string): string {
  const { rows, cols } = channelShape(data);
  const how = isStreamed(data)
    ? `, streamed from ${data.sources.length} object${data.sources.length === 1 ? "" : "s"} in bounded chunks`
    : "";
  return `Channel ${name}: ${rows} rows x ${cols} features from ${source}${data.featureNames ? " (header row)" : ""}${how}.`;
}

/**
 * Runs one job to an outcome. Never throws: every failure becomes a "failed" outcome.
 * @example
 * const outcome = await runTraining({ spec }, { events, signal: AbortSignal.timeout(60_000) });
 */
export async function runTraining(run: JobRun, options: RunTrainingOptions): Promise<RunOutcome> {
  const { events, signal } = options;
  const { spec } = run;
  const logger: Logger = { log: (level, message) => events.log(level, message, new Date()) };
  const algorithm = getAlgorithm(spec.algorithm);
  try {
    events.phase("Downloading");
    const readOptions = {
      ...(options.home === undefined ? {} : { home: options.home }),
      ...(run.access === undefined ? {} : { access: run.access }),
    };
    let train: Channel;
    let test: Channel | null;
    if (run.channels !== undefined) {
      ({ train, test } = run.channels);
      const from = (c: Channel) =>
        isStreamed(c) ? `the caller (${c.sources.map((s) => s.name).join(", ")})` : "the caller (in memory)";
      logger.log("info", describeChannel("train", train, from(train)));
      if (test !== null) logger.log("info", describeChannel("test", test, from(test)));
    } else {
      // Pipe mode streams, as SageMaker's Pipe input does; File mode streams what does not fit the budget.
      const pipe = spec.request.AlgorithmSpecification.TrainingInputMode === "Pipe";
      // On a cluster every channel streams: each shard then names an object its worker reads itself.
      const reading: ChannelReading = !algorithm.streams
        ? "memory"
        : pipe || run.cluster !== undefined
          ? "stream"
          : "auto";
      const opening = { ...readOptions, reading, budgetBytes: channelMemoryBudget() };
      train = await openChannel(spec.train, opening);
      logger.log("info", describeChannel("train", train, spec.train.uri));
      const ranges = rangesPerObject(spec);
      if (ranges > 1 && isStreamed(train)) {
        train = { ...train, rangesPerObject: ranges };
        logger.log(
          "info",
          `The train channel is FullyReplicated to ${ranges} instances: each of its ${train.sources.length} object${train.sources.length === 1 ? " is" : "s is"} read as ${ranges} row ranges, a shard each (ShardedByS3Key gives each object to one instance).`,
        );
      }
      signal.throwIfAborted();
      test = spec.test === null ? null : await openChannel(spec.test, opening);
      if (test !== null && spec.test !== null)
        logger.log("info", describeChannel("test", test, spec.test.uri));
    }
    const shape = channelShape(train);
    if (test !== null && channelShape(test).cols !== shape.cols) {
      throw new StrataError(
        "WIDTH_MISMATCH",
        `The test channel has ${channelShape(test).cols} features; the train channel has ${shape.cols}.`,
        { details: { train: shape.cols, test: channelShape(test).cols } },
      );
    }
    const params = algorithm.parseHyperParameters(
      spec.request.HyperParameters,
      { featureDim: shape.cols, numRows: shape.rows },
      logger,
    );
    signal.throwIfAborted();

    events.phase("Training");
    // A streamed channel's shards run one at a time on this thread, DuckDB decoding on two: every shard thread
    // would hold a reader of its own (20M x 34 Parquet: 18 s at 428 MB peak this way, 14 s at 641 MB with a
    // shard per core; BENCHMARKS.md). In memory, the rows are shared and the shards spread over the cores.
    const rounds: RoundExecutor =
      run.cluster !== undefined && isStreamed(train)
        ? // Loaded only for a cluster: BullMQ and ioredis are large, and most jobs never need them.
          new (await import("../cluster/cluster-executor.js")).ClusterExecutor({
            url: run.cluster,
            logger,
            signal,
            onPlacement: (summary) => events.status(`${STATUS_MESSAGES.Training} ${summary}`),
            ...(run.clusterPartials === undefined ? {} : { partials: run.clusterPartials }),
          })
        : isStreamed(train)
          ? new InlineExecutor()
          : localExecutor(shape.rows * shape.cols);
    let result: TrainingResult;
    try {
      result = await algorithm.train(train, test, params, {
        logger,
        signal,
        progress: (fraction, message) => events.progress(fraction, message),
        rounds,
      });
    } finally {
      await rounds.close();
    }
    signal.throwIfAborted();
    for (const m of result.metrics) logger.log("info", `Final metric ${m.name} = ${m.value}`);

    events.phase("Uploading");
    const metadata = buildMetadata(spec, train, params, result, run.callerMetadata);
    const written = await writeArtifacts(spec, result, metadata);
    logger.log("info", `Wrote ${written.artifactUri}`);
    return {
      kind: "completed",
      artifactUri: written.artifactUri,
      metadataUri: written.metadataUri,
      metrics: result.metrics,
    };
  } catch (error) {
    if (signal.aborted) return { kind: "stopped", forced: false };
    return { kind: "failed", reason: failureReason(error) };
  }
}

/**
 * Row ranges per object of the train channel: InstanceCount for a FullyReplicated channel of a job on more
 * than one instance (every instance sees every object; the rows are shared out), else 1.
 */
function rangesPerObject(spec: TrainingJobSpec): number {
  const { request } = spec;
  const instances = request.ResourceConfig.InstanceCount;
  const train = request.InputDataConfig.find((c) => c.ChannelName === "train");
  const distribution = train?.DataSource.S3DataSource.S3DataDistributionType ?? "FullyReplicated";
  return distribution === "FullyReplicated" && instances > 1 ? instances : 1;
}
