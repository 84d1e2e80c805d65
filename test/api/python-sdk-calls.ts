/**
 * The SageMaker Python SDK v2's calls, made with the AWS SDK for JavaScript v3 clients: what `record_set`,
 * `fit(logs=True)`, `attach`, `deploy`, `transformer().transform()`, `delete_endpoint`, `delete_model` and
 * `Session().default_bucket()` send and read, in their order (read from the SDK's v2.257 sources:
 * amazon_estimator.py, session.py `_logs_for_job` / `_flush_log_streams`, logs.py `multi_stream_iter`,
 * predictor.py). Each helper reads exactly the response fields the Python SDK reads, with the same rules
 * (a field the SDK indexes with `[...]` must be there), so a test through them fails where the SDK would.
 * Only the SDK's fixed sleeps (5 s, 10 s, 30 s) are left out.
 * @module
 */
import assert from "node:assert/strict";
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { encodeDenseRows } from "../../src/formats/dense-rows.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";

export const ROLE = "arn:aws:iam::000000000000:role/SageMakerRole";

/** `name_from_base`: `<base>-YYYY-MM-DD-HH-MM-SS-mmm` in UTC; `salt` keeps names made in one ms apart. */
export function nameFromBase(base: string, salt = 0): string {
  const t = new Date(Date.now() + salt);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${base}-${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}-${p(t.getUTCHours())}-${p(t.getUTCMinutes())}-${p(t.getUTCSeconds())}-${p(t.getUTCMilliseconds(), 3)}`;
}

/** `Session().default_bucket()`: STS GetCallerIdentity, `sagemaker-<region>-<account>`, created if missing. */
export async function defaultBucket(sts: STSClient, s3: S3Client, region: string): Promise<string> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.ok(identity.Account, "GetCallerIdentity must answer Account");
  const bucket = `sagemaker-${region}-${identity.Account}`;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  return bucket;
}

/**
 * `record_set(train)`: the rows as float32 RecordIO-protobuf shards `matrix_<i>.pbr` (one per instance, the
 * last taking the remainder) under `sagemaker-record-sets/<Estimator>-<timestamp>/`, then the manifest
 * `.amazon.manifest`, byte for byte as Python's `json.dumps` writes it. Returns the manifest's URI.
 */
export async function recordSet(
  s3: S3Client,
  bucket: string,
  estimator: string,
  rows: Matrix,
  shards: number,
): Promise<string> {
  const keyPrefix = `sagemaker-record-sets/${nameFromBase(estimator)}/`;
  const per = Math.floor(rows.rows / shards);
  const digits = String(shards).length;
  const keys: string[] = [];
  for (let i = 0; i < shards; i++) {
    const from = i * per;
    const to = i === shards - 1 ? rows.rows : from + per;
    const shard = matrix(to - from, rows.cols, rows.data.slice(from * rows.cols, to * rows.cols));
    const key = `matrix_${String(i).padStart(digits, "0")}.pbr`;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: keyPrefix + key,
        Body: encodeDenseRows(shard, { dtype: "float32" }),
      }),
    );
    keys.push(key);
  }
  const manifest = `[${[JSON.stringify({ prefix: `s3://${bucket}/${keyPrefix}` }).replace('":"', '": "'), ...keys.map((k) => JSON.stringify(k))].join(", ")}]`;
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: `${keyPrefix}.amazon.manifest`, Body: manifest }),
  );
  return `s3://${bucket}/${keyPrefix}.amazon.manifest`;
}

/**
 * The CreateTrainingJob request `fit()` sends for a built-in algorithm (session.py `_get_train_request`): the
 * image, File mode, `S3OutputPath`, one instance, 86400 s, the role, the channel, the hyperparameters as
 * strings, and the Debugger and Profiler configs the SDK adds by default.
 */
export function sdkTrainingRequest(options: {
  name: string;
  image: string;
  bucket: string;
  channel: readonly Record<string, unknown>[];
  hyperParameters: Record<string, string>;
}) {
  const { name, image, bucket, channel, hyperParameters } = options;
  return {
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingInputMode: "File" as const, TrainingImage: image },
    OutputDataConfig: { S3OutputPath: `s3://${bucket}/counties/` },
    StoppingCondition: { MaxRuntimeInSeconds: 86400 },
    ResourceConfig: { VolumeSizeInGB: 30, InstanceCount: 1, InstanceType: "ml.c4.xlarge" as const },
    RoleArn: ROLE,
    InputDataConfig: channel as never,
    HyperParameters: hyperParameters,
    DebugHookConfig: { S3OutputPath: `s3://${bucket}/`, CollectionConfigurations: [] },
    ProfilerConfig: { S3OutputPath: `s3://${bucket}/`, DisableProfiler: false },
  };
}

/** The InputDataConfig `fit(record_set)` sends: no ContentType, ManifestFile, ShardedByS3Key. */
export function manifestChannel(manifestUri: string) {
  return [
    {
      ChannelName: "train",
      DataSource: {
        S3DataSource: {
          S3DataType: "ManifestFile" as const,
          S3Uri: manifestUri,
          S3DataDistributionType: "ShardedByS3Key" as const,
        },
      },
    },
  ];
}

/** What `logs_for_job` / `logs_for_transform_job` saw. */
export interface FollowedLogs {
  /** Every message printed, in order. */
  readonly lines: string[];
  /** The stream names found. */
  readonly streams: string[];
  /** The terminal status. */
  readonly status: string;
  /** The last description. */
  readonly description: Record<string, unknown>;
  /** DescribeLogStreams calls answered ResourceNotFoundException (the SDK prints "."). */
  readonly notFound: number;
}

type Position = { timestamp: number; skip: number };

/**
 * `_logs_for_job` / `_logs_for_transform_job` without the sleeps: describe; then, until the job is terminal
 * and one more pass is done, DescribeLogStreams (prefix `<job>/`, limit instance count) and, per stream,
 * GetLogEvents from the last timestamp seen (inclusive), skipping the events already printed at it, until a
 * page has no events. Fails if the reading would never end (a page repeating forever).
 */
export async function followLogs(
  logs: CloudWatchLogsClient,
  kind: "TrainingJobs" | "TransformJobs",
  name: string,
  describe: () => Promise<Record<string, unknown>>,
): Promise<FollowedLogs> {
  const group = `/aws/sagemaker/${kind}`;
  const statusField = kind === "TrainingJobs" ? "TrainingJobStatus" : "TransformJobStatus";
  const terminal = (s: unknown) => s === "Completed" || s === "Failed" || s === "Stopped";
  let description = await describe();
  const resources = description[kind === "TrainingJobs" ? "ResourceConfig" : "TransformResources"] as {
    InstanceCount: number;
  };
  const instanceCount = resources.InstanceCount;
  assert.equal(typeof instanceCount, "number", "InstanceCount is read with [...] by the SDK");
  const positions = new Map<string, Position>();
  const lines: string[] = [];
  let notFound = 0;
  let state: "TAILING" | "JOB_COMPLETE" | "COMPLETE" = terminal(description[statusField])
    ? "COMPLETE"
    : "TAILING";
  for (let pass = 0; pass < 10_000; pass++) {
    let streams: string[] = [];
    try {
      const r = await logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: group,
          logStreamNamePrefix: `${name}/`,
          orderBy: "LogStreamName",
          limit: Math.min(instanceCount, 50),
        }),
      );
      streams = (r.logStreams ?? []).map((s) => s.logStreamName!);
      assert.equal(r.nextToken, undefined, "one stream per instance: no nextToken within the limit");
    } catch (error) {
      if ((error as Error).name !== "ResourceNotFoundException") throw error;
      notFound++;
    }
    for (const stream of streams) {
      const at = positions.get(stream) ?? { timestamp: 0, skip: 0 };
      let token: string | undefined;
      let skip = at.skip;
      for (let page = 0; ; page++) {
        assert.ok(page < 1000, `GetLogEvents on ${stream} never returned an empty page`);
        const r = await logs.send(
          new GetLogEventsCommand({
            logGroupName: group,
            logStreamName: stream,
            startTime: at.timestamp,
            startFromHead: true,
            ...(token === undefined ? {} : { nextToken: token }),
          }),
        );
        assert.ok(r.nextForwardToken, "nextForwardToken is read with [...] by the SDK");
        const events = r.events ?? [];
        if (events.length === 0) break;
        token = r.nextForwardToken;
        const fresh = events.slice(Math.min(skip, events.length));
        skip = Math.max(0, skip - events.length);
        for (const e of fresh) {
          lines.push(e.message!);
          const p = positions.get(stream);
          positions.set(stream, {
            timestamp: e.timestamp!,
            skip: p !== undefined && p.timestamp === e.timestamp ? p.skip + 1 : 1,
          });
        }
      }
    }
    if (state === "COMPLETE") break;
    if (state === "JOB_COMPLETE") state = "COMPLETE";
    else {
      description = await describe();
      if (terminal(description[statusField])) state = "JOB_COMPLETE";
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return {
    lines,
    streams: [...positions.keys()],
    status: String(description[statusField]),
    description,
    notFound,
  };
}

/** `logs_for_job(job, wait=True)`. */
export function logsForJob(sm: SageMakerClient, logs: CloudWatchLogsClient, job: string) {
  return followLogs(logs, "TrainingJobs", job, async () => {
    const d = (await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: job }))) as unknown as Record<
      string,
      unknown
    >;
    // secondary_training_status_message reads these when there are transitions.
    const transitions = d["SecondaryStatusTransitions"] as { Status: string; StatusMessage: string }[];
    if (transitions.length > 0) assert.ok(d["LastModifiedTime"] instanceof Date);
    for (const t of transitions) assert.ok(t.Status && typeof t.StatusMessage === "string");
    return d;
  });
}

/** `logs_for_transform_job(job, wait=True)`. */
export function logsForTransformJob(sm: SageMakerClient, logs: CloudWatchLogsClient, job: string) {
  return followLogs(
    logs,
    "TransformJobs",
    job,
    async () =>
      (await sm.send(new DescribeTransformJobCommand({ TransformJobName: job }))) as unknown as Record<
        string,
        unknown
      >,
  );
}

/** `Estimator.deploy()` for a built-in: CreateModel, CreateEndpointConfig, CreateEndpoint (one name), wait. */
export async function deploy(
  sm: SageMakerClient,
  name: string,
  image: string,
  modelDataUrl: string,
): Promise<void> {
  await sm.send(
    new CreateModelCommand({
      ModelName: name,
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: image, Environment: {}, ModelDataUrl: modelDataUrl },
    }),
  );
  await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: name,
      ProductionVariants: [
        {
          VariantName: "AllTraffic",
          ModelName: name,
          InitialVariantWeight: 1,
          InitialInstanceCount: 1,
          InstanceType: "ml.m4.xlarge",
        },
      ],
    }),
  );
  const created = await sm.send(
    new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name, Tags: [] }),
  );
  assert.ok(created.EndpointArn, "EndpointArn is read with [...] by the SDK");
  for (let i = 0; ; i++) {
    const d = await sm.send(new DescribeEndpointCommand({ EndpointName: name }));
    if (d.EndpointStatus === "InService") return;
    assert.ok(
      d.EndpointStatus === "Creating" || d.EndpointStatus === "Updating",
      `endpoint ${d.EndpointStatus}: ${d.FailureReason}`,
    );
    assert.ok(i < 500, "endpoint never InService");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `predictor.delete_model()`: DescribeEndpoint, DescribeEndpointConfig, DeleteModel per variant. */
export async function deleteModel(sm: SageMakerClient, endpoint: string): Promise<string[]> {
  const { EndpointConfigName } = await sm.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
  const config = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName }));
  const names = (config.ProductionVariants ?? []).map((v) => v.ModelName!);
  for (const ModelName of names) await sm.send(new DeleteModelCommand({ ModelName }));
  return names;
}

/** `predictor.delete_endpoint()`: DescribeEndpoint, DeleteEndpointConfig, DeleteEndpoint. */
export async function deleteEndpoint(sm: SageMakerClient, endpoint: string): Promise<void> {
  const { EndpointConfigName } = await sm.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
  await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName }));
  await sm.send(new DeleteEndpointCommand({ EndpointName: endpoint }));
}

/** The DescribeTrainingJob keys `Estimator.attach` indexes with `[...]` (a KeyError in the SDK when absent). */
export const ATTACH_REQUIRED_PATHS = [
  "TrainingJobName",
  "TrainingJobArn",
  "TrainingJobStatus",
  "RoleArn",
  "ResourceConfig.InstanceCount",
  "ResourceConfig.InstanceType",
  "ResourceConfig.VolumeSizeInGB",
  "StoppingCondition.MaxRuntimeInSeconds",
  "AlgorithmSpecification.TrainingInputMode",
  "AlgorithmSpecification.TrainingImage",
  "OutputDataConfig.S3OutputPath",
  "OutputDataConfig.KmsKeyId",
  "ModelArtifacts.S3ModelArtifacts",
] as const;

/** The value at a dotted path, or undefined. */
export function at(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );
}

export { CloudWatchLogsClient };
