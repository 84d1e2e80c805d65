/**
 * `strata train pca|kmeans`: CreateTrainingJob from the command line. The flags map onto SageMaker's request
 * fields (`--hp` onto HyperParameters, `--output` onto OutputDataConfig.S3OutputPath…); the job is
 * validated here, so a bad flag or hyperparameter fails at once with exit code 1 or 2.
 *
 * With `--wait` the job runs in this process (a worker thread), its log lines stream to stderr and the
 * command ends with the job: exit 0 for Completed, 1 for Failed or Stopped; Ctrl-C stops the job. Without
 * `--wait` the job is handed to a detached background Strata process (`jobs run-detached`), the command
 * prints the ARN and returns; follow it with `strata jobs describe|logs|stop`.
 * @module
 */
import { spawn } from "node:child_process";
import type { Command } from "commander";
import { partialsLocation } from "../../cluster/partial-store.js";
import { redisOptions } from "../../cluster/redis-url.js";
import { type ErrorCode, StrataError } from "../../errors.js";
import { getAlgorithm } from "../../jobs/algorithms/index.js";
import { followLogs, formatJobSummary, jsonDescription } from "../../jobs/job-report.js";
import type { CreateTrainingJobRequest } from "../../jobs/request.js";
import { validateTrainingJobRequest } from "../../jobs/spec.js";
import { TrainingService } from "../../jobs/training-service.js";
import { parseChoice, parseInteger } from "../arguments.js";
import { clusterOption } from "../cluster-option.js";
import { printJson, printLines } from "../output.js";

export interface TrainFlags {
  train: string;
  clusterPartials?: string;
  test?: string;
  contentType?: string;
  inputMode?: "File" | "Pipe";
  hp: Record<string, string>;
  output?: string;
  name?: string;
  instanceCount?: number;
  maxRuntime?: number;
  wait?: boolean;
  json?: boolean;
  quiet?: boolean;
  cluster?: string;
}

/** Collects repeated `--hp key=value` flags into a map. */
export function collectHyperParameter(
  value: string,
  previous: Record<string, string>,
): Record<string, string> {
  const eq = value.indexOf("=");
  if (eq <= 0) {
    throw new StrataError(
      "INVALID_ARGUMENT",
      `--hp ${JSON.stringify(value)} is invalid: expected key=value, e.g. --hp num_components=33.`,
      {
        details: { option: "--hp", value },
      },
    );
  }
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1).trim() };
}

/** The ContentType for a channel URI: `--content-type`, else from the extension (.parquet, .recordio, .pbr), else CSV. */
export function contentTypeFor(uri: string, given?: string): string {
  if (given !== undefined) return given;
  const path = uri.split("?")[0]!.toLowerCase();
  if (path.endsWith(".parquet")) return "application/x-parquet";
  if (/\.(recordio|rec|pbr|protobuf)$/.test(path)) return "application/x-recordio-protobuf";
  return "text/csv";
}

/** Builds the CreateTrainingJob request the flags describe. */
export function buildTrainRequest(algorithm: string, flags: TrainFlags): CreateTrainingJobRequest {
  const channel = (name: string, uri: string) => ({
    ChannelName: name,
    DataSource: { S3DataSource: { S3Uri: uri } },
    ContentType: contentTypeFor(uri, flags.contentType),
  });
  return {
    ...(flags.name === undefined ? {} : { TrainingJobName: flags.name }),
    AlgorithmSpecification: { TrainingImage: algorithm, TrainingInputMode: flags.inputMode ?? "File" },
    HyperParameters: flags.hp,
    InputDataConfig: [
      channel("train", flags.train),
      ...(flags.test === undefined ? [] : [channel("test", flags.test)]),
    ],
    ...(flags.output === undefined ? {} : { OutputDataConfig: { S3OutputPath: flags.output } }),
    ...(flags.instanceCount === undefined ? {} : { ResourceConfig: { InstanceCount: flags.instanceCount } }),
    ...(flags.maxRuntime === undefined
      ? {}
      : { StoppingCondition: { MaxRuntimeInSeconds: flags.maxRuntime } }),
  };
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("Start a SageMaker-style training job (PCA or K-Means) and write model.tar.gz.")
    .argument("<algorithm>", "pca or kmeans (or a SageMaker image URI such as …/pca:1)")
    .requiredOption("--train <uri>", "train channel: path, file://, s3:// or https://")
    .option("--test <uri>", "test channel (scored by the final model)")
    .option(
      "--content-type <type>",
      "text/csv[;label_size=N], application/x-recordio-protobuf or application/x-parquet (default: from the extension, else text/csv)",
    )
    .option(
      "--input-mode <mode>",
      "TrainingInputMode: File (channels read whole when they fit in memory, else streamed) or Pipe (always streamed)",
      parseChoice("--input-mode", ["File", "Pipe"] as const),
    )
    .option("--hp <key=value>", "a hyperparameter, SageMaker's name (repeatable)", collectHyperParameter, {})
    .option("--output <uri>", "S3OutputPath (default: $STRATA_HOME/artifacts)")
    .option("--name <name>", "TrainingJobName (default: <algorithm>-<UTC timestamp>)")
    .option("--instance-count <n>", "ResourceConfig.InstanceCount", parseInteger("--instance-count"))
    .option(
      "--max-runtime <seconds>",
      "StoppingCondition.MaxRuntimeInSeconds (default 86400)",
      parseInteger("--max-runtime"),
    )
    .option(
      "--cluster <redis-url>",
      "run the job's shards on a cluster's workers (`strata worker`): redis://[user:password@]host:port, or rediss:// (default: $STRATA_CLUSTER)",
    )
    .option(
      "--cluster-partials <uri>",
      "with --cluster: where workers put partials of 1 MiB or more instead of Redis, an s3://bucket/prefix/ or a directory every machine mounts (default: $STRATA_CLUSTER_PARTIALS)",
    )
    .option("--wait", "run the job here and wait for it (logs on stderr)")
    .option("--json", "print the DescribeTrainingJob response (or {TrainingJobArn}) as JSON")
    .option("--quiet", "no log lines on stderr")
    .action(async (algorithm: string, flags: TrainFlags) => {
      const request = buildTrainRequest(algorithm, flags);
      const cluster = flags.cluster ?? process.env["STRATA_CLUSTER"];
      if (cluster !== undefined) {
        // A bad URL is refused here; the job (here, or its detached owner) reads it from STRATA_CLUSTER.
        redisOptions(cluster, "--cluster");
        process.env["STRATA_CLUSTER"] = cluster;
      }
      const partials = flags.clusterPartials ?? process.env["STRATA_CLUSTER_PARTIALS"];
      if (partials !== undefined && partials !== "")
        process.env["STRATA_CLUSTER_PARTIALS"] = partialsLocation(partials, "--cluster-partials");
      if (flags.wait) await trainAndWait(request, flags);
      else await trainDetached(request, flags);
    });
}

async function trainAndWait(request: CreateTrainingJobRequest, flags: TrainFlags): Promise<void> {
  const service = await TrainingService.open(clusterOption());
  const onSigint = () => {
    const name = service.runningJobs()[0];
    if (name !== undefined) void service.stopTrainingJob(name).catch(() => undefined);
  };
  process.once("SIGINT", onSigint);
  try {
    const { TrainingJobArn } = await service.createTrainingJob(request);
    const name = TrainingJobArn.slice(TrainingJobArn.lastIndexOf("/") + 1);
    if (!flags.quiet) process.stderr.write(`Training job ${name} started.\n`);
    const job = await followLogs(service, name, {
      write: flags.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
    });
    if (flags.json) printJson(jsonDescription(job));
    else printLines(formatJobSummary(job));
    if (job.TrainingJobStatus !== "Completed") {
      throw new StrataError(
        "TRAINING_JOB_FAILED",
        `Training job ${name} ended ${job.TrainingJobStatus}${job.FailureReason ? `: ${job.FailureReason}` : "."}`,
        { details: { name, status: job.TrainingJobStatus, failureReason: job.FailureReason } },
      );
    }
  } finally {
    process.off("SIGINT", onSigint);
    await service.close();
  }
}

/**
 * Validates here (so errors appear in this terminal), then hands the normalized request to a detached
 * `strata jobs run-detached` process, which owns the job until it ends and answers with one JSON line.
 */
async function trainDetached(request: CreateTrainingJobRequest, flags: TrainFlags): Promise<void> {
  const spec = validateTrainingJobRequest(request);
  getAlgorithm(spec.algorithm).checkHyperParameters(spec.request.HyperParameters);
  const script = process.argv[1];
  if (script === undefined)
    throw new StrataError("INTERNAL", "Cannot find the strata entry script to start a background job.");
  const child = spawn(process.execPath, [...process.execArgv, script, "jobs", "run-detached"], {
    detached: true,
    stdio: ["pipe", "pipe", "ignore"],
    env: process.env,
  });
  child.stdin.end(JSON.stringify(spec.request));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const end = out.indexOf("\n");
      if (end >= 0) resolve(out.slice(0, end));
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(
        new StrataError(
          "INTERNAL",
          `The background Strata process exited (code ${code}) before starting the job.`,
        ),
      ),
    );
  });
  child.stdout.destroy();
  child.unref();
  const answer = JSON.parse(line) as {
    TrainingJobArn?: string;
    error?: { code: ErrorCode; message: string; details?: Record<string, unknown> };
  };
  if (answer.error !== undefined) {
    throw new StrataError(answer.error.code, answer.error.message, { details: answer.error.details ?? {} });
  }
  const arn = answer.TrainingJobArn!;
  if (flags.json) printJson({ TrainingJobArn: arn });
  else {
    const name = arn.slice(arn.lastIndexOf("/") + 1);
    printLines(arn, `Follow it with: strata jobs logs ${name} --follow`);
  }
}
