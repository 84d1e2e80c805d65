/**
 * Issue 11: the census notebook's cells as the SageMaker Python SDK runs them against `strata serve`, with
 * the real AWS SDK for JavaScript clients (SageMaker, SageMaker Runtime, CloudWatch Logs, STS) and a real
 * S3-protocol server (s3rver) on loopback, call by call (test/api/python-sdk-calls.ts): `default_bucket()`,
 * `record_set()` shards and manifest, `fit()` with a ManifestFile channel followed through its CloudWatch
 * logs to Completed, the artifact read back from S3, `attach`, `deploy`, `predict` with RecordIO-protobuf in
 * and out, the same for K-Means on the top components, a batch transform over an S3Prefix of several CSV
 * parts followed through its logs, `delete_model` and `delete_endpoint`. The numbers are compared with
 * `strata run`'s on the same data. Then the inputs SageMaker refuses, answered in its shapes.
 * @module
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateModelCommand,
  CreateTrainingJobCommand,
  CreateTransformJobCommand,
  DescribeTrainingJobCommand,
  ListTagsCommand,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { clientEnvironment } from "../../src/api/client-env.js";
import { encodeDenseRows } from "../../src/formats/dense-rows.js";
import {
  decodeKMeansArtifactFile,
  decodeKMeansPredictions,
  decodePCAArtifactFile,
  decodePCAProjections,
} from "../../src/formats/index.js";
import { readModelAlgoFile } from "../../src/formats/tarball.js";
import { adjustedRandIndex } from "../../src/kmeans/agreement.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { executeRun, type RunOutcome } from "../../src/workflow/run.js";
import { type RunningS3rver, startS3rver } from "../data/s3rver-helper.js";
import { censusCsvPath } from "../helpers/census.js";
import { tempDir } from "../helpers/cli.js";
import { expectClose } from "../helpers/expect-close.js";
import { KMEANS_IMAGE, PCA_IMAGE, startTestServer, type TestServer } from "./helpers.js";
import {
  ATTACH_REQUIRED_PATHS,
  at,
  CloudWatchLogsClient,
  defaultBucket,
  deleteEndpoint,
  deleteModel,
  deploy,
  logsForJob,
  logsForTransformJob,
  manifestChannel,
  nameFromBase,
  ROLE,
  recordSet,
  sdkTrainingRequest,
} from "./python-sdk-calls.js";

const REGION = "us-east-1";

let s3server: RunningS3rver;
let t: TestServer;
let s3: S3Client;
let logs: CloudWatchLogsClient;
let sts: STSClient;
let run: RunOutcome;
let bucket: string;

/** The rows cast to float32, as the notebook does before `record_set` (`.astype('float32')`). */
function float32(m: Matrix): Matrix {
  return matrix(m.rows, m.cols, Float64Array.from(Float32Array.from(m.data)));
}

async function getObject(uri: string): Promise<Uint8Array> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  assert.ok(m, `${uri} is an s3:// URI`);
  const r = await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
  return r.Body!.transformToByteArray();
}

before(async () => {
  s3server = await startS3rver([]);
  // The server reads and writes S3 through the AWS SDK's own configuration, as a user would set it.
  Object.assign(process.env, s3server.env);
  t = await startTestServer();
  const credentials = t.server.credentials!;
  const config = { endpoint: t.server.url, region: REGION, credentials, maxAttempts: 1 };
  logs = new CloudWatchLogsClient(config);
  sts = new STSClient(config);
  s3 = new S3Client({
    region: REGION,
    endpoint: s3server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  run = await executeRun({
    ...DEFAULT_OPTIONS,
    source: censusCsvPath(),
    outDir: tempDir("strata-run-out-"),
    home: tempDir("strata-run-home-"),
    report: false,
  });
});

after(async () => {
  logs?.destroy();
  sts?.destroy();
  s3?.destroy();
  await t?.close();
  await s3server?.stop();
});

describe("the census notebook through the SageMaker Python SDK's calls", () => {
  let pcaJob: string;
  let pcaArtifact: string;
  let projections: Matrix;

  test("default_bucket(): STS GetCallerIdentity on Strata's port gives the local account; the bucket is made on S3", async () => {
    bucket = await defaultBucket(sts, s3, REGION);
    assert.equal(bucket, "sagemaker-us-east-1-000000000000");
    // The environment `strata serve --print-env` prints reaches the server with no endpoint in code.
    const saved = { ...process.env };
    try {
      for (const [k, v] of clientEnvironment(t.server.url, t.server.credentials!, REGION)) process.env[k] = v;
      const fromEnv = new STSClient({ maxAttempts: 1 });
      const identity = await fromEnv.send(new GetCallerIdentityCommand({}));
      fromEnv.destroy();
      assert.equal(identity.Account, "000000000000");
      assert.equal(identity.Arn, "arn:aws:iam::000000000000:user/strata");
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  test("PCA: record_set() shards + manifest, fit() with ManifestFile, logs followed to Completed, the artifact from S3 equals strata run's PCA", async () => {
    const scaled = float32(run.result.scaled);
    const manifest = await recordSet(s3, bucket, "PCA", scaled, 2);
    pcaJob = nameFromBase("pca");
    await t.sm.send(
      new CreateTrainingJobCommand(
        sdkTrainingRequest({
          name: pcaJob,
          image: PCA_IMAGE,
          bucket,
          channel: manifestChannel(manifest),
          hyperParameters: { num_components: "33", feature_dim: "34", mini_batch_size: "500" },
        }),
      ),
    );
    const followed = await logsForJob(t.sm, logs, pcaJob);
    assert.equal(followed.status, "Completed", String(followed.description["FailureReason"]));
    assert.equal(followed.streams.length, 1);
    assert.match(followed.streams[0]!, new RegExp(`^${pcaJob}/algo-1-\\d{10}$`));
    assert.match(followed.lines[0]!, /^\[INFO\] Created training job pca-/);
    assert.ok(
      followed.lines.some((l) => l.includes("Channel train: 3218 rows x 34 features")),
      followed.lines.join("\n"),
    );
    assert.equal(followed.lines.at(-1), "[INFO] Training job Completed.");
    assert.equal(new Set(followed.lines).size, followed.lines.length, "no line printed twice");

    const d = followed.description;
    const metrics = d["FinalMetricDataList"] as { MetricName: string; Value: number }[];
    const ratio = metrics.find((m) => m.MetricName === "train:explained_variance_ratio")!.Value;
    assert.ok(ratio > 0.99 && ratio <= 1, `explained variance ratio ${ratio}`);
    pcaArtifact = at(d, "ModelArtifacts.S3ModelArtifacts") as string;
    assert.equal(pcaArtifact, `s3://${bucket}/counties/${pcaJob}/output/model.tar.gz`);
    const model = decodePCAArtifactFile(await readModelAlgoFile(await getObject(pcaArtifact)));
    // SageMaker's s is ascending; strata run's singular values descend. float32 input and artifact: 1e-5.
    expectClose(Array.from(model.s).reverse(), run.summary.pca.singularValues, { rtol: 1e-5, atol: 1e-6 });
  });

  test("Estimator.attach(): DescribeTrainingJob has every key the SDK indexes, with what fit() sent; ListTags answers", async () => {
    const d = (await t.sm.send(
      new DescribeTrainingJobCommand({ TrainingJobName: pcaJob }),
    )) as unknown as Record<string, unknown>;
    for (const path of ATTACH_REQUIRED_PATHS) assert.notEqual(at(d, path), undefined, path);
    assert.equal(d["RoleArn"], ROLE);
    assert.equal(at(d, "OutputDataConfig.KmsKeyId"), "");
    assert.equal(at(d, "AlgorithmSpecification.TrainingImage"), PCA_IMAGE);
    assert.deepEqual(d["HyperParameters"], {
      num_components: "33",
      feature_dim: "34",
      mini_batch_size: "500",
    });
    const channel = (d["InputDataConfig"] as Record<string, unknown>[])[0]!;
    assert.deepEqual(at(channel, "DataSource.S3DataSource.S3DataType"), "ManifestFile");
    assert.deepEqual(at(channel, "DataSource.S3DataSource.S3DataDistributionType"), "ShardedByS3Key");
    assert.ok(Number(d["TrainingTimeInSeconds"]) >= 1);
    assert.equal(d["BillableTimeInSeconds"], 0);
    const transitions = (d["SecondaryStatusTransitions"] as { Status: string }[]).map((s) => s.Status);
    assert.deepEqual(transitions.at(-1), "Completed");
    const tags = await t.sm.send(new ListTagsCommand({ ResourceArn: d["TrainingJobArn"] as string }));
    assert.deepEqual(tags.Tags, []);
  });

  test("PCA deploy() and predict() with RecordIO-protobuf in and out: the projections of strata run", async () => {
    await deploy(t.sm, pcaJob, PCA_IMAGE, pcaArtifact);
    const scaled = float32(run.result.scaled);
    const r = await t.rt.send(
      new InvokeEndpointCommand({
        EndpointName: pcaJob,
        ContentType: "application/x-recordio-protobuf",
        Accept: "application/x-recordio-protobuf",
        Body: encodeDenseRows(scaled, { dtype: "float32" }),
      }),
    );
    const all = decodePCAProjections(r.Body!);
    assert.deepEqual([all.rows, all.cols], [3218, 33]);
    // The notebook keeps the top components: the last columns (SageMaker's order is ascending), reversed.
    const keep = run.result.kept;
    projections = matrix(all.rows, keep);
    for (let i = 0; i < all.rows; i++)
      for (let j = 0; j < keep; j++)
        projections.data[i * keep + j] = all.data[i * all.cols + (all.cols - 1 - j)]!;
    // Component signs are fixed the same way in both; float32 artifact and answers: 1e-4 absolute.
    expectClose(projections.data, run.result.projections.data, { rtol: 1e-4, atol: 1e-4 });

    // The endpoint's log group exists and says what it serves.
    const streams = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: `/aws/sagemaker/Endpoints/${pcaJob}` }),
    );
    assert.equal(streams.logStreams?.length, 1);
    assert.match(streams.logStreams![0]!.logStreamName!, /^AllTraffic\/algo-1-\d{10}$/);
    const found = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: `/aws/sagemaker/Endpoints/${pcaJob}`,
        filterPattern: "InService",
      }),
    );
    assert.equal(found.events?.length, 1);
    assert.match(found.events![0]!.message!, /Endpoint pca-.* is InService/);

    assert.deepEqual(await deleteModel(t.sm, pcaJob), [pcaJob]);
    await deleteEndpoint(t.sm, pcaJob);
  });

  test("K-Means on the top components: record_set, fit, logs, deploy, predict: strata run's partition", async () => {
    const manifest = await recordSet(s3, bucket, "KMeans", float32(projections), 1);
    const job = nameFromBase("kmeans");
    const k = String(run.result.kmeans.k);
    await t.sm.send(
      new CreateTrainingJobCommand(
        sdkTrainingRequest({
          name: job,
          image: KMEANS_IMAGE,
          bucket,
          channel: manifestChannel(manifest),
          // KMeans(k=7, init_method="kmeans++", num_trials=10): what strata run asks of its own K-Means job.
          hyperParameters: {
            force_dense: "True",
            k,
            init_method: "kmeans++",
            local_lloyd_num_trials: String(DEFAULT_OPTIONS.restarts),
            feature_dim: String(projections.cols),
          },
        }),
      ),
    );
    const followed = await logsForJob(t.sm, logs, job);
    assert.equal(followed.status, "Completed", String(followed.description["FailureReason"]));
    assert.ok(followed.lines.some((l) => /#quality_metric: host=algo-1, train msd <loss>=/.test(l)));
    const metrics = followed.description["FinalMetricDataList"] as { MetricName: string; Value: number }[];
    assert.deepEqual(
      metrics.map((m) => m.MetricName),
      ["train:msd"],
    );
    const artifact = at(followed.description, "ModelArtifacts.S3ModelArtifacts") as string;
    const centroids = decodeKMeansArtifactFile(await readModelAlgoFile(await getObject(artifact)));
    assert.deepEqual([centroids.k, centroids.dim], [run.result.kmeans.k, projections.cols]);

    await deploy(t.sm, job, KMEANS_IMAGE, artifact);
    const r = await t.rt.send(
      new InvokeEndpointCommand({
        EndpointName: job,
        ContentType: "application/x-recordio-protobuf",
        Accept: "application/x-recordio-protobuf",
        Body: encodeDenseRows(float32(projections), { dtype: "float32" }),
      }),
    );
    const predicted = decodeKMeansPredictions(r.Body!);
    assert.equal(predicted.closestCluster.length, 3218);
    assert.equal(adjustedRandIndex(Int32Array.from(predicted.closestCluster), run.result.closestCluster), 1);
    const msd = metrics[0]!.Value;
    expectClose([msd * 3218], [run.result.kmeans.training!.inertia], { rtol: 1e-4 });
    await deleteModel(t.sm, job);
    await deleteEndpoint(t.sm, job);
  });

  test("transformer().transform() over an S3Prefix of CSV parts (and a folder key), followed through its logs: every row's projection", async () => {
    const scaled = float32(run.result.scaled);
    const parts = [0, 1100, 2200, 3218];
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "batch/", Body: "" }));
    for (let p = 0; p < 3; p++) {
      const lines: string[] = [];
      for (let i = parts[p]!; i < parts[p + 1]!; i++)
        lines.push(Array.from(scaled.data.subarray(i * 34, (i + 1) * 34)).join(","));
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `batch/part-${p}.csv`, Body: `${lines.join("\n")}\n` }),
      );
    }
    const model = nameFromBase("pca", 1);
    await t.sm.send(
      new CreateModelCommand({
        ModelName: model,
        ExecutionRoleArn: ROLE,
        PrimaryContainer: { Image: PCA_IMAGE, Environment: {}, ModelDataUrl: pcaArtifact },
      }),
    );
    const job = nameFromBase("pca", 2);
    await t.sm.send(
      new CreateTransformJobCommand({
        TransformJobName: job,
        ModelName: model,
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${bucket}/batch` } },
          ContentType: "text/csv",
          SplitType: "Line",
        },
        TransformOutput: { S3OutputPath: `s3://${bucket}/${job}` },
        TransformResources: { InstanceCount: 1, InstanceType: "ml.m4.xlarge" },
      }),
    );
    const followed = await logsForTransformJob(t.sm, logs, job);
    assert.equal(followed.status, "Completed", String(followed.description["FailureReason"]));
    assert.equal(
      followed.lines.filter((l) => / records -> s3:\/\//.test(l)).length,
      3,
      followed.lines.join("\n"),
    );
    assert.match(
      followed.lines.at(-1)!,
      /^\[INFO\] Transform job Completed \(3218 records in 3 objects\)\.$/,
    );
    let row = 0;
    for (let p = 0; p < 3; p++) {
      const text = new TextDecoder().decode(await getObject(`s3://${bucket}/${job}/part-${p}.csv.out`));
      // MultiRecord JSON answers, one per mini-batch, concatenated (AssembleWith None).
      for (const chunk of text.split(/(?<=\})(?=\{)/)) {
        for (const prediction of (JSON.parse(chunk) as { projections: { projection: number[] }[] })
          .projections) {
          const top = prediction.projection.slice(-1);
          expectClose(top, [projections.data[row * projections.cols]!], { rtol: 1e-4, atol: 1e-4 });
          row++;
        }
      }
    }
    assert.equal(row, 3218);
  });
});

describe("inputs SageMaker refuses, in SageMaker's shapes", () => {
  async function failedJob(
    name: string,
    uri: string,
    dataType: "ManifestFile" | "S3Prefix",
  ): Promise<string> {
    const source = { S3DataType: dataType, S3Uri: uri, S3DataDistributionType: "FullyReplicated" };
    await t.sm.send(
      new CreateTrainingJobCommand(
        sdkTrainingRequest({
          name,
          image: PCA_IMAGE,
          bucket,
          channel: [{ ChannelName: "train", DataSource: { S3DataSource: source } }],
          hyperParameters: { num_components: "2", feature_dim: "3" },
        }),
      ),
    );
    const followed = await logsForJob(t.sm, logs, name);
    assert.equal(followed.status, "Failed");
    const reason = String(followed.description["FailureReason"]);
    assert.equal(followed.lines.at(-1), `[ERROR] Training job Failed: ${reason}.`);
    return reason;
  }

  test("a manifest that is not JSON: ClientError naming the manifest, never its bytes", async () => {
    const secret = "aws_secret_access_key = SHOULD-NOT-LEAK";
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "bad/not-json.manifest", Body: secret }));
    const reason = await failedJob("bad-manifest", `s3://${bucket}/bad/not-json.manifest`, "ManifestFile");
    assert.match(reason, /^ClientError: The manifest s3:\/\/.*not-json\.manifest is not valid JSON/);
    assert.ok(!reason.includes("SHOULD-NOT-LEAK"));
  });

  test("a manifest naming a missing key: ClientError naming the key", async () => {
    const body = JSON.stringify([{ prefix: `s3://${bucket}/bad/shards/` }, "matrix_0.pbr"]);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "bad/missing.manifest", Body: body }));
    const reason = await failedJob("missing-key", `s3://${bucket}/bad/missing.manifest`, "ManifestFile");
    assert.match(reason, /^ClientError: .*bad\/shards\/matrix_0\.pbr/);
  });

  test("an empty prefix: ClientError saying no objects are under it", async () => {
    const reason = await failedJob("empty-prefix", `s3://${bucket}/nothing-here/`, "S3Prefix");
    assert.equal(
      reason,
      `ClientError: No S3 objects found under S3 URL "s3://${bucket}/nothing-here/": check that the bucket exists and that objects exist under that prefix.`,
    );
  });

  test("a mix of record formats under one prefix: ClientError naming both objects", async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "bad/mixed/a.pbr",
        Body: encodeDenseRows(matrix(2, 3, Float64Array.of(1, 2, 3, 4, 5, 6)), { dtype: "float32" }),
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "bad/mixed/b.csv", Body: "1,2,3\n4,5,6\n" }));
    const reason = await failedJob("mixed-formats", `s3://${bucket}/bad/mixed/`, "S3Prefix");
    assert.match(
      reason,
      /^ClientError: The channel mixes record formats: s3:\/\/.*\/a\.pbr is RecordIO-protobuf .* but s3:\/\/.*\/b\.csv is text such as CSV/,
    );
  });

  test("S3DataType AugmentedManifestFile is refused at CreateTrainingJob and CreateTransformJob, never accepted", async () => {
    const source = { S3DataType: "AugmentedManifestFile" as const, S3Uri: `s3://${bucket}/x.manifest` };
    await assert.rejects(
      t.sm.send(
        new CreateTrainingJobCommand(
          sdkTrainingRequest({
            name: "augmented",
            image: PCA_IMAGE,
            bucket,
            channel: [{ ChannelName: "train", DataSource: { S3DataSource: source } }],
            hyperParameters: { num_components: "2" },
          }),
        ),
      ),
      (e: Error) =>
        e.name === "ValidationException" &&
        /InputDataConfig\[0\]\.DataSource\.S3DataSource\.S3DataType.*"AugmentedManifestFile" is not supported by Strata/.test(
          e.message,
        ),
    );
    await assert.rejects(
      t.sm.send(new DescribeTrainingJobCommand({ TrainingJobName: "augmented" })),
      (e: Error) => e.name === "ResourceNotFound",
    );
    await assert.rejects(
      t.sm.send(
        new CreateTransformJobCommand({
          TransformJobName: "augmented",
          ModelName: "any",
          TransformInput: { DataSource: { S3DataSource: source }, ContentType: "text/csv" },
          TransformOutput: { S3OutputPath: `s3://${bucket}/out` },
          TransformResources: { InstanceCount: 1, InstanceType: "ml.m4.xlarge" },
        }),
      ),
      (e: Error) => e.name === "ValidationException" && /S3DataType.*AugmentedManifestFile/.test(e.message),
    );
  });

  test("an unknown log group or stream is ResourceNotFoundException; a token Strata did not issue is InvalidParameterException", async () => {
    await assert.rejects(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/sagemaker/Endpoints/none" })),
      (e: Error) =>
        e.name === "ResourceNotFoundException" && e.message === "The specified log group does not exist.",
    );
    await assert.rejects(
      logs.send(
        new GetLogEventsCommand({
          logGroupName: "/aws/sagemaker/TrainingJobs",
          logStreamName: "none/algo-1-1",
        }),
      ),
      (e: Error) =>
        e.name === "ResourceNotFoundException" && e.message === "The specified log stream does not exist.",
    );
    await assert.rejects(
      logs.send(
        new DescribeLogStreamsCommand({ logGroupName: "/aws/sagemaker/TrainingJobs", nextToken: "forged" }),
      ),
      (e: Error) => e.name === "InvalidParameterException",
    );
  });
});
