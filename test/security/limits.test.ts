/**
 * Issue 12, limits on inputs: a gzip bomb in a transform stops at the decompression cap with a named error
 * (and is gunzipped off the event loop); an 80-byte sparse RecordIO record with shape [2^26] fails the job
 * before 512 MB are allocated; List* filters and sort keys, instance counts and MaxConcurrentTransforms are
 * validated as SageMaker validates them, naming the field, instead of being accepted.
 * @module
 */
import assert from "node:assert/strict";
import { createWriteStream, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { after, before, describe, test } from "node:test";
import { createGzip } from "node:zlib";
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  CreateTransformJobCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTrainingJobsCommand,
} from "@aws-sdk/client-sagemaker";
import { encodeRecord } from "../../src/formats/record-protobuf.js";
import { encodeRecordIO } from "../../src/formats/recordio.js";
import { censusModels, PCA_IMAGE, pollUntil, startTestServer, type TestServer } from "../api/helpers.js";
import { tempDir } from "../helpers/cli.js";

let t: TestServer;
let dir: string;

before(async () => {
  t = await startTestServer();
  dir = tempDir("strata-limits-");
});
after(() => t?.close());

const rejectsNaming = (promise: Promise<unknown>, field: RegExp) =>
  assert.rejects(promise, (e: Error) => {
    assert.equal(e.name, "ValidationException", e.message);
    assert.match(e.message, field);
    return true;
  });

describe("decoding bounds", () => {
  test("a gzip bomb in a batch transform stops as soon as its one endless line passes MaxPayloadInMB, named", async () => {
    const bomb = join(dir, "bomb.csv.gz");
    const chunk = Buffer.alloc(1 << 20);
    // 256 MiB of zeros in 250 KB: streamed, the read stops at the payload limit, long before the end.
    const total = 256;
    await pipeline(
      Readable.from(
        (function* () {
          for (let i = 0; i < total; i++) yield chunk;
        })(),
      ),
      createGzip({ level: 9 }),
      createWriteStream(bomb),
    );
    const models = await censusModels();
    await t.sm.send(
      new CreateModelCommand({
        ModelName: "bomb-model",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/x",
        PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: models.pcaUri },
      }),
    );
    await t.sm.send(
      new CreateTransformJobCommand({
        TransformJobName: "bomb",
        ModelName: "bomb-model",
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: bomb } },
          ContentType: "text/csv",
          CompressionType: "Gzip",
          SplitType: "Line",
        },
        TransformOutput: { S3OutputPath: join(dir, "bomb-out") },
        TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 1 },
      }),
    );
    const d = await pollUntil(async () => {
      const r = await t.sm.send(new DescribeTransformJobCommand({ TransformJobName: "bomb" }));
      return r.TransformJobStatus === "InProgress" ? undefined : r;
    }, 60_000);
    assert.equal(d.TransformJobStatus, "Failed");
    assert.match(d.FailureReason ?? "", /Record 1 has \d+ bytes, more than MaxPayloadInMB \(6291456 bytes\)/);
  });

  test("an 80-byte sparse record with shape [2^26] fails the training job before allocating it", async () => {
    const record = encodeRecord({
      features: new Map([
        ["values", { kind: "float32", values: Float32Array.of(1), keys: [0], shape: [2 ** 26] }],
      ]),
      label: new Map(),
    } as never);
    const file = join(dir, "sparse.pbr");
    const bytes = encodeRecordIO([record]);
    writeFileSync(file, bytes);
    assert.ok(bytes.length < 100, `${bytes.length} bytes`);
    await t.sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: "sparse-bomb",
        AlgorithmSpecification: { TrainingImage: "pca", TrainingInputMode: "File" },
        RoleArn: "arn:aws:iam::000000000000:role/x",
        HyperParameters: { num_components: "1" },
        InputDataConfig: [
          { ChannelName: "train", DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: file } } },
        ],
        ResourceConfig: { InstanceType: "ml.m5.large", InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
        OutputDataConfig: { S3OutputPath: join(dir, "out") },
      }),
    );
    const reason = await pollUntil(async () => {
      const r = await t.sm.send(new DescribeTrainingJobCommand({ TrainingJobName: "sparse-bomb" }));
      return r.TrainingJobStatus === "InProgress" ? undefined : `${r.TrainingJobStatus}: ${r.FailureReason}`;
    });
    assert.match(
      reason,
      /^Failed: ClientError: Record 0: a sparse shape \[67108864\] would densify to 67108864 values/,
    );
  });
});

describe("request fields SageMaker validates", () => {
  test("List* filters and sort keys", async () => {
    await rejectsNaming(
      t.sm.send(new ListTrainingJobsCommand({ SortBy: "Bogus" as never })),
      /SortBy="Bogus" is invalid: expected one of Name, CreationTime, Status/,
    );
    await rejectsNaming(
      t.sm.send(new ListTrainingJobsCommand({ StatusEquals: "Nope" as never })),
      /StatusEquals="Nope"/,
    );
    await rejectsNaming(t.sm.send(new ListTrainingJobsCommand({ MaxResults: 0 })), /MaxResults=0/);
    await rejectsNaming(
      t.sm.send(new ListModelsCommand({ SortOrder: "Sideways" as never })),
      /SortOrder="Sideways"/,
    );
    await rejectsNaming(
      t.sm.send(new ListEndpointsCommand({ StatusEquals: "Sleeping" as never })),
      /StatusEquals="Sleeping"/,
    );
    const ok = await t.sm.send(new ListTrainingJobsCommand({ SortBy: "Name", SortOrder: "Ascending" }));
    const names = (ok.TrainingJobSummaries ?? []).map((j) => j.TrainingJobName!);
    assert.deepEqual(names, [...names].sort());
  });

  test("instance counts and MaxConcurrentTransforms", async () => {
    const models = await censusModels();
    await t.sm.send(
      new CreateModelCommand({
        ModelName: "counts",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/x",
        PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: models.pcaUri },
      }),
    );
    await rejectsNaming(
      t.sm.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: "neg",
          ProductionVariants: [
            {
              VariantName: "AllTraffic",
              ModelName: "counts",
              InitialInstanceCount: -5,
              InstanceType: "ml.m5.large",
            },
          ],
        }),
      ),
      /ProductionVariants\[0\]\.InitialInstanceCount=-5 is invalid/,
    );
    const transform = (extra: object) =>
      t.sm.send(
        new CreateTransformJobCommand({
          TransformJobName: "counts",
          ModelName: "counts",
          TransformInput: {
            DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: join(dir, "x.csv") } },
            ContentType: "text/csv",
          },
          TransformOutput: { S3OutputPath: join(dir, "counts-out") },
          TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 1 },
          ...extra,
        }),
      );
    await rejectsNaming(
      transform({ MaxConcurrentTransforms: 1e12 }),
      /MaxConcurrentTransforms=1000000000000 is invalid/,
    );
    await rejectsNaming(
      transform({ TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 0 } }),
      /TransformResources\.InstanceCount=0 is invalid/,
    );
  });
});

describe("a bad value in a transform's input fails it naming where, never the value", () => {
  const good = Array.from({ length: 34 }, () => "0.5");
  const secret = "AKIA-SECRET-IN-A-FILE";
  const cases = [
    {
      name: "csv",
      contentType: "text/csv",
      body: `${good.join(",")}\n${[secret, ...good.slice(1)].join(",")}\n`,
      where: /line 2, field 1 is a value, not a number/,
    },
    {
      name: "json-value",
      contentType: "application/json",
      body: JSON.stringify({ instances: [{ features: [secret, ...good.slice(1).map(Number)] }] }),
      where: /instance 0, value 0 is a value, not a number/,
    },
    {
      name: "json-broken",
      contentType: "application/json",
      body: `{"instances": [[${secret}]]}`,
      where: /the body is not valid JSON/,
    },
    {
      name: "jsonlines-key",
      contentType: "application/jsonlines",
      body: `${JSON.stringify({ data: { features: { keys: [secret], values: [1], shape: [34] } } })}\n`,
      where: /key a value is outside 0\.\.33/,
    },
  ];
  for (const c of cases)
    test(c.name, async () => {
      const models = await censusModels();
      const name = `leaky-${c.name}`;
      await t.sm.send(
        new CreateModelCommand({
          ModelName: name,
          ExecutionRoleArn: "arn:aws:iam::000000000000:role/x",
          PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: models.pcaUri },
        }),
      );
      const input = join(dir, `${name}.txt`);
      writeFileSync(input, c.body);
      await t.sm.send(
        new CreateTransformJobCommand({
          TransformJobName: name,
          ModelName: name,
          TransformInput: {
            DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: input } },
            ContentType: c.contentType,
            SplitType: "None",
          },
          TransformOutput: { S3OutputPath: join(dir, `${name}-out`) },
          TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 1 },
        }),
      );
      const d = await pollUntil(async () => {
        const r = await t.sm.send(new DescribeTransformJobCommand({ TransformJobName: name }));
        return r.TransformJobStatus === "InProgress" ? undefined : r;
      });
      assert.equal(d.TransformJobStatus, "Failed");
      assert.match(d.FailureReason ?? "", new RegExp(`^ClientError: .*${name}\\.txt: `));
      assert.match(d.FailureReason ?? "", c.where);
      assert.ok(!(d.FailureReason ?? "").includes("AKIA"), d.FailureReason);
    });
});
