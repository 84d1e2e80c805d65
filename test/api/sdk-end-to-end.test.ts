/**
 * The notebook's workflow through `strata serve` with the real AWS SDK v3 clients: train PCA on the scaled
 * census rows (CreateTrainingJob with SageMaker's image and hyperparameters), deploy it, project every county
 * through InvokeEndpoint, train K-Means on the top 5 projections, deploy a scaler → PCA → K-Means pipeline,
 * invoke it with every content type and accept, run batch transforms (SplitType Line and RecordIO), then
 * delete everything. Every answer is compared with the in-process models built from the same artifacts.
 * @module
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  CreateTrainingJobCommand,
  CreateTransformJobCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeTrainingJobCommand,
  DescribeTransformJobCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  waitUntilEndpointDeleted,
  waitUntilEndpointInService,
} from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import { encodeDenseRows } from "../../src/formats/dense-rows.js";
import {
  decodeKMeansArtifactFile,
  decodeKMeansPredictions,
  decodePCAArtifactFile,
  decodePCAProjections,
} from "../../src/formats/index.js";
import { packTarGz, readModelAlgoFile } from "../../src/formats/tarball.js";
import { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import { matrix, selectColumns } from "../../src/linalg/matrix.js";
import { PCAModel } from "../../src/pca/pca-model.js";
import { MinMaxScaler } from "../../src/preprocess/min-max-scaler.js";
import { tempDir } from "../helpers/cli.js";
import { expectClose } from "../helpers/expect-close.js";
import { readCensusMatrix } from "../helpers/read-census-matrix.js";
import {
  deployWithSdk,
  KMEANS_IMAGE,
  PCA_IMAGE,
  pollUntil,
  SCALER_IMAGE,
  startTestServer,
  type TestServer,
  toCsv,
} from "./helpers.js";

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t?.close();
});

// float32 responses of float64 arithmetic (and float32 artifacts): 1e-6 relative plus a small absolute floor
const F32 = { rtol: 2e-6, atol: 1e-6 };

async function train(
  name: string,
  image: string,
  hp: Record<string, string>,
  csv: string,
  out: string,
): Promise<string> {
  await t.sm.send(
    new CreateTrainingJobCommand({
      TrainingJobName: name,
      AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: "File" },
      RoleArn: "arn:aws:iam::000000000000:role/SageMakerRole",
      HyperParameters: hp,
      InputDataConfig: [
        {
          ChannelName: "train",
          ContentType: "text/csv",
          DataSource: {
            S3DataSource: { S3DataType: "S3Prefix", S3Uri: csv, S3DataDistributionType: "FullyReplicated" },
          },
        },
      ],
      OutputDataConfig: { S3OutputPath: out },
      ResourceConfig: { InstanceType: "ml.c4.xlarge", InstanceCount: 1, VolumeSizeInGB: 30 },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    }),
  );
  const done = await pollUntil(async () => {
    const d = await t.sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    return d.TrainingJobStatus === "InProgress" || d.TrainingJobStatus === "Stopping" ? undefined : d;
  }, 30_000);
  assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
  return done.ModelArtifacts!.S3ModelArtifacts!;
}

async function invoke(endpoint: string, contentType: string, body: Uint8Array | string, accept?: string) {
  const r = await t.rt.send(
    new InvokeEndpointCommand({
      EndpointName: endpoint,
      ContentType: contentType,
      Body: typeof body === "string" ? Buffer.from(body) : body,
      ...(accept ? { Accept: accept } : {}),
    }),
  );
  return { contentType: r.ContentType, variant: r.InvokedProductionVariant, body: Buffer.from(r.Body!) };
}

test("census PCA + K-Means through strata serve with the AWS SDK", async () => {
  const { matrix: raw, featureNames } = readCensusMatrix();
  const scaler = new MinMaxScaler().fit(raw, { featureNames });
  const scaled = scaler.transform(raw);
  const dir = tempDir("strata-e2e-");
  writeFileSync(join(dir, "scaled.csv"), toCsv(scaled));

  // 1. PCA training job, as the notebook's sagemaker.PCA estimator starts it.
  const pcaArtifact = await train(
    "census-pca",
    PCA_IMAGE,
    { feature_dim: "34", num_components: "33", mini_batch_size: "300" },
    join(dir, "scaled.csv"),
    join(dir, "out"),
  );
  const pcaArrays = decodePCAArtifactFile(await readModelAlgoFile(readFileSync(pcaArtifact)));
  const pca = PCAModel.fromSageMaker({
    s: pcaArrays.s,
    v: { ...pcaArrays.v, data: Float64Array.from(pcaArrays.v.data) },
    mean: pcaArrays.mean,
  });

  // 2. PCA endpoint as SageMaker serves it (all 33, ascending), and one keeping the top 5 (largest first).
  await deployWithSdk(t.sm, "pca-all", { PrimaryContainer: { Image: PCA_IMAGE, ModelDataUrl: pcaArtifact } });
  await deployWithSdk(t.sm, "pca-top", {
    PrimaryContainer: {
      Image: PCA_IMAGE,
      ModelDataUrl: pcaArtifact,
      Environment: { STRATA_PCA_KEEP_TOP: "5" },
    },
  });
  await waitUntilEndpointInService(
    { client: t.sm, maxWaitTime: 20, minDelay: 1, maxDelay: 1 },
    { EndpointName: "pca-top" },
  );
  const all = JSON.parse((await invoke("pca-all", "text/csv", toCsv(scaled, 3))).body.toString()) as {
    projections: { projection: number[] }[];
  };
  assert.equal(all.projections[0]!.projection.length, 33);
  const expectedAll = pca.transform(matrix(3, 34, scaled.data.slice(0, 3 * 34)));
  // SageMaker order: ascending, so the last value is the largest component (column 0 of the model).
  expectClose(
    all.projections.map((p) => p.projection[32]!),
    [0, 1, 2].map((i) => expectedAll.data[i * 33]!),
    F32,
    "top component",
  );
  const topBody = await invoke("pca-top", "text/csv", toCsv(scaled));
  const top = JSON.parse(topBody.body.toString()) as { projections: { projection: number[] }[] };
  const expectedTop = selectColumns(pca.transform(scaled), [0, 1, 2, 3, 4]);
  expectClose(
    top.projections.flatMap((p) => p.projection),
    expectedTop.data,
    F32,
    "top-5 projections",
  );

  // 3. K-Means on the projections (the notebook's counties_transformed), then the pipeline model.
  writeFileSync(join(dir, "top5.csv"), top.projections.map((p) => p.projection.join(",")).join("\n"));
  const kmArtifact = await train(
    "census-kmeans",
    KMEANS_IMAGE,
    { k: "7", feature_dim: "5", mini_batch_size: "500" },
    join(dir, "top5.csv"),
    join(dir, "out"),
  );
  const centroids = decodeKMeansArtifactFile(await readModelAlgoFile(readFileSync(kmArtifact)));
  const kmeans = KMeansModel.fromCentroids(
    matrix(centroids.k, centroids.dim, Float64Array.from(centroids.centroids)),
  );
  mkdirSync(join(dir, "scaler"));
  const scalerUri = join(dir, "scaler/model.tar.gz");
  writeFileSync(
    scalerUri,
    await packTarGz([{ name: "minmax-scaler.json", bytes: Buffer.from(JSON.stringify(scaler.toJSON())) }]),
  );
  await deployWithSdk(t.sm, "census", {
    Containers: [
      { Image: SCALER_IMAGE, ModelDataUrl: scalerUri },
      { Image: PCA_IMAGE, ModelDataUrl: pcaArtifact, Environment: { STRATA_PCA_KEEP_TOP: "5" } },
      { Image: KMEANS_IMAGE, ModelDataUrl: kmArtifact },
    ],
  });
  await waitUntilEndpointInService(
    { client: t.sm, maxWaitTime: 20, minDelay: 1, maxDelay: 1 },
    { EndpointName: "census" },
  );
  const described = await t.sm.send(new DescribeEndpointCommand({ EndpointName: "census" }));
  assert.equal(described.EndpointStatus, "InService");
  assert.deepEqual(
    described.ProductionVariants?.[0]?.DeployedImages?.map((d) => d.SpecifiedImage),
    [SCALER_IMAGE, PCA_IMAGE, KMEANS_IMAGE],
  );
  assert.ok(described.CreationTime instanceof Date);

  const expected = kmeans.predict(selectColumns(pca.transform(scaled), [0, 1, 2, 3, 4]));
  const n = raw.rows;
  const rows = Array.from({ length: n }, (_, i) => Array.from(raw.data.subarray(i * 34, (i + 1) * 34)));
  const check = (clusters: ArrayLike<number>, distances: ArrayLike<number>, what: string) => {
    assert.deepEqual(Array.from(clusters), Array.from(expected.closestCluster), `${what}: clusters`);
    expectClose(distances, expected.distanceToCluster, F32, `${what}: distances`);
  };
  const fromJson = (text: string) => {
    const p = (
      JSON.parse(text) as { predictions: { closest_cluster: number; distance_to_cluster: number }[] }
    ).predictions;
    return [p.map((x) => x.closest_cluster), p.map((x) => x.distance_to_cluster)] as const;
  };
  const fromLines = (text: string) => {
    const p = text
      .split("\n")
      .map((l) => JSON.parse(l) as { closest_cluster: number; distance_to_cluster: number });
    return [p.map((x) => x.closest_cluster), p.map((x) => x.distance_to_cluster)] as const;
  };
  const bodies: [string, string | Uint8Array][] = [
    ["text/csv", toCsv(raw)],
    ["application/json", JSON.stringify({ instances: rows.map((features) => ({ features })) })],
    [
      "application/json",
      JSON.stringify({ instances: rows.map((values) => ({ data: { features: { values } } })) }),
    ],
    ["application/jsonlines", rows.map((features) => JSON.stringify({ features })).join("\n")],
    ["application/x-recordio-protobuf", encodeDenseRows(raw, { dtype: "float64" })],
  ];
  for (const [contentType, body] of bodies) {
    const json = await invoke("census", contentType, body);
    assert.equal(json.contentType, "application/json");
    assert.equal(json.variant, "AllTraffic");
    assert.match(
      json.body.toString().slice(0, 90),
      /^\{"predictions": \[\{"closest_cluster": \d\.0, "distance_to_cluster": \d/,
    );
    check(...fromJson(json.body.toString()), `${contentType} -> json`);
  }
  const csv = toCsv(raw);
  const lines = await invoke("census", "text/csv", csv, "application/jsonlines");
  assert.equal(lines.contentType, "application/jsonlines");
  check(...fromLines(lines.body.toString()), "csv -> jsonlines");
  const csvOut = (await invoke("census", "text/csv", csv, "text/csv")).body
    .toString()
    .split("\n")
    .map((l) => l.split(",").map(Number));
  assert.match((await invoke("census", "text/csv", csv, "text/csv")).body.toString(), /^\d\.0,\d/);
  check(
    csvOut.map((r) => r[0]!),
    csvOut.map((r) => r[1]!),
    "csv -> csv",
  );
  const proto = await invoke("census", "text/csv", csv, "application/x-recordio-protobuf");
  assert.equal(proto.contentType, "application/x-recordio-protobuf");
  const decoded = decodeKMeansPredictions(proto.body);
  check(decoded.closestCluster, decoded.distanceToCluster, "csv -> protobuf");
  const pcaProto = decodePCAProjections(
    (await invoke("pca-top", "text/csv", toCsv(scaled), "application/x-recordio-protobuf")).body,
  );
  expectClose(pcaProto.data, expectedTop.data, F32, "pca protobuf");

  // 4. Batch transform: SplitType Line (several MultiRecord batches) and RecordIO.
  mkdirSync(join(dir, "in"));
  writeFileSync(join(dir, "in/counties.csv"), `${csv}\n`);
  writeFileSync(join(dir, "in/counties.rec"), encodeDenseRows(raw, { dtype: "float64" }));
  const transform = async (
    name: string,
    input: string,
    contentType: string,
    split: "Line" | "RecordIO",
    accept: string,
    assemble: "Line" | "None",
  ) => {
    await t.sm.send(
      new CreateTransformJobCommand({
        TransformJobName: name,
        ModelName: "census",
        BatchStrategy: "MultiRecord",
        MaxPayloadInMB: 1,
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: input } },
          ContentType: contentType,
          SplitType: split,
        },
        TransformOutput: { S3OutputPath: join(dir, "transformed"), Accept: accept, AssembleWith: assemble },
        TransformResources: { InstanceType: "ml.m4.xlarge", InstanceCount: 1 },
      }),
    );
    const d = await pollUntil(async () => {
      const r = await t.sm.send(new DescribeTransformJobCommand({ TransformJobName: name }));
      return r.TransformJobStatus === "InProgress" ? undefined : r;
    });
    assert.equal(d.TransformJobStatus, "Completed", d.FailureReason);
    assert.ok(d.TransformEndTime instanceof Date);
  };
  await transform(
    "census-lines",
    join(dir, "in/counties.csv"),
    "text/csv",
    "Line",
    "application/jsonlines",
    "Line",
  );
  const out = readFileSync(join(dir, "transformed/counties.csv.out"), "utf8");
  assert.ok(out.endsWith("\n"));
  check(...fromLines(out.trimEnd()), "transform Line");
  await transform(
    "census-recordio",
    join(dir, "in/counties.rec"),
    "application/x-recordio-protobuf",
    "RecordIO",
    "application/x-recordio-protobuf",
    "None",
  );
  const recOut = decodeKMeansPredictions(readFileSync(join(dir, "transformed/counties.rec.out")));
  check(recOut.closestCluster, recOut.distanceToCluster, "transform RecordIO");

  // 5. Delete everything; the EndpointDeleted waiter sees ValidationException.
  for (const name of ["census", "pca-all", "pca-top"]) {
    await t.sm.send(new DeleteEndpointCommand({ EndpointName: name }));
    await waitUntilEndpointDeleted(
      { client: t.sm, maxWaitTime: 10, minDelay: 1, maxDelay: 1 },
      { EndpointName: name },
    );
    await t.sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: `${name}-config` }));
    await t.sm.send(new DeleteModelCommand({ ModelName: name }));
  }
  assert.deepEqual((await t.sm.send(new ListEndpointsCommand({}))).Endpoints, []);
  assert.deepEqual((await t.sm.send(new ListModelsCommand({}))).Models, []);
  await assert.rejects(t.sm.send(new DescribeEndpointCommand({ EndpointName: "census" })), {
    name: "ValidationException",
  });
});
