/**
 * Shared by the API tests: an in-process `strata serve` on an ephemeral loopback port with a temp
 * STRATA_HOME, the two AWS SDK v3 clients configured as a user would (endpoint URL, region, credentials),
 * census fixtures (raw and min-max scaled rows) and artifacts written the way training jobs write them.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { SignatureV4 } from "@smithy/signature-v4";
import { type RunningServer, type ServeOptions, startServer } from "../../src/api/server.js";
import { encodeKMeansArtifactFile, encodePCAArtifactFile } from "../../src/formats/ndarray-models.js";
import { packTarGz } from "../../src/formats/tarball.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import { type Matrix, selectColumns } from "../../src/linalg/matrix.js";
import { PCA } from "../../src/pca/pca.js";
import { PCAModel } from "../../src/pca/pca-model.js";
import { MinMaxScaler, type MinMaxScalerModel } from "../../src/preprocess/min-max-scaler.js";
import { SCALER_FILE_NAME } from "../../src/serving/model-loader.js";
import { tempDir } from "../helpers/cli.js";
import { readCensusMatrix } from "../helpers/read-census-matrix.js";
import { Sha256 } from "../helpers/sha256.js";

export const PCA_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1";
export const KMEANS_IMAGE = "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1";
export const SCALER_IMAGE = "strata/minmax-scaler:1";

export interface TestServer {
  readonly server: RunningServer;
  readonly home: string;
  readonly sm: SageMakerClient;
  readonly rt: SageMakerRuntimeClient;
  close(): Promise<void>;
}

/** SDK clients pointed at a Strata server. */
export function clients(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  extra: object = {},
) {
  const config = { endpoint: url, region: "us-east-1", credentials, maxAttempts: 1, ...extra };
  return { sm: new SageMakerClient(config), rt: new SageMakerRuntimeClient(config) };
}

/** Starts a server on 127.0.0.1:0 with generated credentials. */
export async function startTestServer(options: ServeOptions = {}): Promise<TestServer> {
  const home = options.home ?? tempDir("strata-serve-");
  // The tests' data, models and outputs live in temp directories: the operator allows them, as
  // `strata serve --data-root /tmp --output-root /tmp` would. test/security narrows this.
  const server = await startServer({
    port: 0,
    home,
    log: () => undefined,
    syncIntervalMs: 200,
    access: { dataRoots: [tmpdir()], outputRoots: [tmpdir()] },
    ...options,
  });
  const creds = server.credentials ?? { accessKeyId: "none", secretAccessKey: "none" };
  const { sm, rt } = clients(server.url, creds);
  return {
    server,
    home,
    sm,
    rt,
    async close() {
      sm.destroy();
      rt.destroy();
      await server.close();
    },
  };
}

/** Polls until `check` returns a value (not undefined). */
export async function pollUntil<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("pollUntil timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Rows as headerless CSV with full double precision. */
export function toCsv(m: Matrix, rows = m.rows): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++)
    lines.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)).join(","));
  return lines.join("\n");
}

export interface CensusModels {
  readonly raw: Matrix;
  readonly scaler: MinMaxScalerModel;
  readonly scaled: Matrix;
  /** The PCA model as reloaded from its float32 artifact (what an endpoint serves). */
  readonly pca: PCAModel;
  readonly kmeans: KMeansModel;
  readonly top: Matrix;
  readonly dir: string;
  readonly pcaUri: string;
  readonly kmeansUri: string;
  readonly scalerUri: string;
}

/** Fits scaler, PCA (33) and K-Means (k=7 on the top 5) in process and writes SageMaker artifacts. */
export async function censusModels(keep = 5): Promise<CensusModels> {
  const { matrix: raw, featureNames } = readCensusMatrix();
  const scaler = new MinMaxScaler().fit(raw, { featureNames });
  const scaled = scaler.transform(raw);
  const fitted = new PCA({ numComponents: 33 }).fit(scaled, { featureNames });
  const sm = fitted.toSageMaker();
  const pcaFile = encodePCAArtifactFile({ s: sm.s, v: sm.v, mean: sm.mean });
  const f32 = (a: ArrayLike<number>) => Float64Array.from(Float32Array.from(a));
  const pca = PCAModel.fromSageMaker({
    s: f32(sm.s),
    v: { ...sm.v, data: f32(sm.v.data) },
    mean: f32(sm.mean),
  });
  const top = selectColumns(
    pca.transform(scaled),
    Array.from({ length: keep }, (_, i) => i),
  );
  const trained = new KMeans({ k: 7, seed: 1, restarts: 1, initMethod: "kmeans++" }).fit(top);
  const kmeansFile = encodeKMeansArtifactFile(trained.centroids);
  const kmeans = KMeansModel.fromCentroids({ ...trained.centroids, data: f32(trained.centroids.data) });
  const dir = tempDir("strata-artifacts-");
  mkdirSync(join(dir, "pca"), { recursive: true });
  mkdirSync(join(dir, "kmeans"), { recursive: true });
  const pcaUri = join(dir, "pca/model.tar.gz");
  const kmeansUri = join(dir, "kmeans/model.tar.gz");
  const scalerUri = join(dir, "scaler.tar.gz");
  writeFileSync(pcaUri, await packTarGz([{ name: "model_algo-1", bytes: pcaFile }]));
  writeFileSync(kmeansUri, await packTarGz([{ name: "model_algo-1", bytes: kmeansFile }]));
  const scalerJson = new TextEncoder().encode(JSON.stringify(scaler.toJSON()));
  writeFileSync(scalerUri, await packTarGz([{ name: SCALER_FILE_NAME, bytes: scalerJson }]));
  return { raw, scaler, scaled, pca, kmeans, top, dir, pcaUri, kmeansUri, scalerUri };
}

/** The three-container pipeline of a census model set. */
export function pipelineContainers(m: Pick<CensusModels, "scalerUri" | "pcaUri" | "kmeansUri">, keep = 5) {
  return [
    { Image: SCALER_IMAGE, ModelDataUrl: m.scalerUri },
    { Image: PCA_IMAGE, ModelDataUrl: m.pcaUri, Environment: { STRATA_PCA_KEEP_TOP: String(keep) } },
    { Image: KMEANS_IMAGE, ModelDataUrl: m.kmeansUri },
  ];
}

/** CreateModel + CreateEndpointConfig + CreateEndpoint for one model, through the SDK. */
export async function deployWithSdk(
  sm: SageMakerClient,
  name: string,
  model: { PrimaryContainer?: object; Containers?: object[] },
): Promise<void> {
  const { CreateModelCommand, CreateEndpointConfigCommand, CreateEndpointCommand } = await import(
    "@aws-sdk/client-sagemaker"
  );
  await sm.send(
    new CreateModelCommand({
      ModelName: name,
      ExecutionRoleArn: "arn:aws:iam::000000000000:role/x",
      ...model,
    } as never),
  );
  await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: `${name}-config`,
      ProductionVariants: [
        { VariantName: "AllTraffic", ModelName: name, InitialInstanceCount: 1, InstanceType: "ml.t2.medium" },
      ],
    }),
  );
  await sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: `${name}-config` }));
}

/**
 * One control-plane call to a running server, signed with its credentials (SigV4) but sent as raw JSON: for
 * actions the SDK has no command for (Strata's extensions) and for bodies it would not send (fuzzing).
 */
export async function signedCall(
  server: RunningServer,
  target: string,
  body: string,
): Promise<{ status: number; text: string }> {
  const url = new URL(server.url);
  const signed = await new SignatureV4({
    service: "sagemaker",
    region: "us-east-1",
    credentials: server.credentials!,
    sha256: Sha256,
  }).sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body,
  });
  const r = await fetch(`${server.url}/`, {
    method: "POST",
    headers: signed.headers as Record<string, string>,
    body,
    signal: AbortSignal.timeout(30_000),
  });
  return { status: r.status, text: await r.text() };
}
