/**
 * Training jobs end to end with real components: SQLite registry, worker threads, files on disk.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sqlString, withConnection } from "../../src/data/duckdb.js";
import { isStrataError } from "../../src/errors.js";
import { encodeDenseRows } from "../../src/formats/dense-rows.js";
import { decodeKMeansArtifactFile, decodePCAArtifactFile } from "../../src/formats/ndarray-models.js";
import { readModelAlgoFile, unpackTarGz } from "../../src/formats/tarball.js";
import { TrainingService } from "../../src/jobs/training-service.js";
import { KMeans, type KMeansModel, parseKMeansHyperparameters } from "../../src/kmeans/index.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { modelFromFile } from "../../src/models/model-file.js";
import { defaultThreads } from "../../src/parallel/pool.js";
import { PCA, parsePCAHyperparameters } from "../../src/pca/index.js";
import { blobs, csvRequest, tempHome, writeCsv } from "./job-fixtures.js";

const CENTRES = [
  [0, 0, 0],
  [5, 5, 0],
  [0, 5, 5],
];

/** Same values as float32, so CSV and float32 RecordIO carry identical data. */
function float32Values(m: Matrix): Matrix {
  return matrix(m.rows, m.cols, Float64Array.from(m.data, Math.fround));
}

function assertFloat32Equal(actual: Float32Array, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < actual.length; i++) assert.equal(actual[i], Math.fround(expected[i]!), `${what}[${i}]`);
}

/** A train channel of one object or prefix in the given ContentType. */
function channel(uri: string, type: string) {
  return { ChannelName: "train", DataSource: { S3DataSource: { S3Uri: uri } }, ContentType: type };
}

function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

describe("training jobs", () => {
  let env: ReturnType<typeof tempHome>;
  let service: TrainingService;
  let data: Matrix;
  let trainCsv: string;
  let testCsv: string;
  let testData: Matrix;

  before(async () => {
    env = tempHome();
    service = await TrainingService.open({ home: env.home, stopGraceMs: 1000 });
    data = float32Values(blobs(300, CENTRES, 7));
    trainCsv = writeCsv(join(env.home, "train.csv"), data, ["alpha", "beta", "gamma"]);
    testData = float32Values(blobs(60, CENTRES, 8));
    testCsv = writeCsv(join(env.home, "test.csv"), testData);
  });
  after(async () => {
    await service.close();
    env.cleanup();
  });

  it("trains PCA into SageMaker's model.tar.gz layout, readable back to the fitted values as float32", async () => {
    const hp = { feature_dim: "3", num_components: "2", mini_batch_size: "500" };
    const { TrainingJobArn } = await service.createTrainingJob(
      csvRequest({
        image: "382416733822.dkr.ecr.us-east-1.amazonaws.com/pca:1",
        train: trainCsv,
        hyperParameters: hp,
        name: "census-pca-1",
      }),
    );
    assert.equal(TrainingJobArn, "arn:aws:sagemaker:us-east-1:000000000000:training-job/census-pca-1");
    const job = await service.waitForCompletion("census-pca-1", { timeoutMs: 10_000 });
    assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    assert.deepEqual(
      job.SecondaryStatusTransitions.map((t) => t.Status),
      ["Starting", "Downloading", "Training", "Uploading", "Completed"],
    );
    const modelUri = join(env.home, "artifacts", "census-pca-1", "output", "model.tar.gz");
    assert.equal(job.ModelArtifacts?.S3ModelArtifacts, modelUri);
    assert.ok(job.TrainingStartTime && job.TrainingEndTime && job.TrainingEndTime >= job.TrainingStartTime);
    assert.deepEqual(
      job.FinalMetricDataList?.map((m) => m.MetricName),
      ["train:explained_variance_ratio"],
    );

    const tarGz = new Uint8Array(readFileSync(modelUri));
    assert.deepEqual(
      (await unpackTarGz(tarGz)).map((e) => e.name),
      ["model_algo-1"],
    );
    const arrays = decodePCAArtifactFile(await readModelAlgoFile(tarGz));
    const expected = new PCA(parsePCAHyperparameters(hp, { featureDim: 3 })).fit(data).toSageMaker();
    assertFloat32Equal(arrays.s, expected.s, "s");
    assert.deepEqual([arrays.v.rows, arrays.v.cols], [3, 2]);
    assertFloat32Equal(arrays.v.data, expected.v.data, "v");
    assertFloat32Equal(arrays.mean, expected.mean, "mean");
    assert.ok(arrays.s[0]! <= arrays.s[1]!, "s ascending, as SageMaker stores it");

    const metadata = JSON.parse(
      readFileSync(join(env.home, "artifacts", "census-pca-1", "output", "strata-model.json"), "utf8"),
    );
    assert.equal(metadata.kind, "strata-model");
    assert.equal(metadata.formatVersion, 1);
    assert.equal(metadata.algorithm, "pca");
    assert.deepEqual(metadata.featureNames, ["alpha", "beta", "gamma"]);
    assert.deepEqual(metadata.hyperParameters, hp);
    assert.equal(metadata.params.numComponents, 2);
    assert.equal(metadata.model.nSamplesSeen, 300);
    assert.ok(metadata.metrics["train:explained_variance_ratio"] > 0.5);
  });

  it("issue 15: trains PCA with algorithm_mode=randomized — RandomizedPCAExecutor, one round per pass — into an artifact that reads back to PCA.fit's model", async () => {
    const centres = Array.from({ length: 4 }, (_, i) =>
      Array.from({ length: 12 }, (_, j) => ((i * 7 + j * 3) % 11) * 0.5),
    );
    const x = blobs(400, centres, 15, 0.4);
    const wideCsv = writeCsv(join(env.home, "wide.csv"), x);
    const hp = {
      num_components: "3",
      algorithm_mode: "randomized",
      extra_components: "4",
      power_iterations: "3",
      seed: "5",
    };
    const output = join(env.home, "randomized-pca");
    const { TrainingJobArn } = await service.createTrainingJob(
      csvRequest({ image: "pca", train: wideCsv, hyperParameters: hp, output }),
    );
    const name = nameOf(TrainingJobArn);
    const job = await service.waitForCompletion(name, { timeoutMs: 20_000 });
    assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    const messages = service.logs(name).map((l) => l.message);
    const where = "1 shard on the caller's thread";
    for (const line of [
      "algorithm_mode=randomized: RandomizedPCAExecutor, a sketch of 7 rows (num_components=3 + extra_components=4), power_iterations=3 (4 passes over the data), seed=5.",
      `PCA sketch of ${where}.`,
      `PCA power iteration 1 of 3 of ${where}.`,
      `PCA power iteration 2 of 3 of ${where}.`,
      `PCA power iteration 3 of 3 of ${where}.`,
    ])
      assert.ok(messages.includes(line), `${line}\n---\n${messages.join("\n")}`);

    const expected = new PCA(parsePCAHyperparameters(hp, { featureDim: 12 })).fit(x);
    const tarGz = new Uint8Array(readFileSync(join(output, name, "output", "model.tar.gz")));
    const arrays = decodePCAArtifactFile(await readModelAlgoFile(tarGz));
    const sm = expected.toSageMaker();
    assert.deepEqual([arrays.v.rows, arrays.v.cols], [12, 3]);
    assertFloat32Equal(arrays.s, sm.s, "s");
    assertFloat32Equal(arrays.v.data, sm.v.data, "v");
    assertFloat32Equal(arrays.mean, sm.mean, "mean");
    assert.ok(arrays.s[0]! <= arrays.s[1]! && arrays.s[1]! <= arrays.s[2]!, "s ascending, as regular mode");
    const metadata = JSON.parse(readFileSync(join(output, name, "output", "strata-model.json"), "utf8"));
    assert.deepEqual(modelFromFile(metadata.model.state), expected);
    assert.equal(metadata.params.algorithmMode, "randomized");
    assert.equal(metadata.params.powerIterations, 3);
    // 4 blobs: 3 centre directions (s 69, 67, 46) over noise (s ≤ 9); each pass shrinks the error by about
    // (9 / 46)⁴, so after 3 the exact ratios agree to ~1e-9 (measured 1.1e-9).
    const regular = new PCA({ numComponents: 3 }).fit(x);
    for (let c = 0; c < 3; c++)
      assert.ok(
        Math.abs(expected.explainedVarianceRatio[c]! - regular.explainedVarianceRatio[c]!) < 1e-8,
        `component ${c}`,
      );
  });

  it("issue 15: randomized with a sketch as wide as the data logs SageMaker's warning and trains regular mode's model", async () => {
    const hp = { num_components: "2", algorithm_mode: "randomized" };
    const { TrainingJobArn } = await service.createTrainingJob(
      csvRequest({ image: "pca", train: trainCsv, hyperParameters: hp, output: join(env.home, "too-wide") }),
    );
    const name = nameOf(TrainingJobArn);
    const job = await service.waitForCompletion(name, { timeoutMs: 10_000 });
    assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    const logs = service.logs(name);
    assert.ok(
      logs.some((l) =>
        l.message.startsWith(
          "The total number of components and extra components should be less than the number of features: num_components + extra_components = 12, features = 3.",
        ),
      ),
      logs.map((l) => l.message).join("\n"),
    );
    assert.ok(
      logs.some(
        (l) => l.message === "algorithm_mode=randomized: PCAExecutor (exact scatter statistics, one pass).",
      ),
    );
    const metadata = JSON.parse(
      readFileSync(join(env.home, "too-wide", name, "output", "strata-model.json"), "utf8"),
    );
    assert.deepEqual(
      modelFromFile(metadata.model.state),
      new PCA({ numComponents: 2 }).fit(data, { featureNames: ["alpha", "beta", "gamma"] }),
    );
  });

  it("trains K-Means with a test channel and reports train:msd and the eval_metrics on the test channel", async () => {
    const hp = { k: "3", feature_dim: "3", seed: "4", eval_metrics: '["msd", "ssd"]' };
    const output = join(env.home, "out");
    const { TrainingJobArn } = await service.createTrainingJob(
      csvRequest({ image: "kmeans", train: trainCsv, test: testCsv, hyperParameters: hp, output }),
    );
    const name = nameOf(TrainingJobArn);
    assert.match(name, /^kmeans-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/);
    const job = await service.waitForCompletion(name, { timeoutMs: 10_000 });
    assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    const metrics = Object.fromEntries(job.FinalMetricDataList!.map((m) => [m.MetricName, m.Value]));
    assert.deepEqual(Object.keys(metrics).sort(), ["test:msd", "test:ssd", "train:msd"]);
    const model = new KMeans(parseKMeansHyperparameters(hp, { featureDim: 3, numRows: 300 })).fit(data);
    assert.equal(metrics["train:msd"], model.inertia / 300);
    assert.ok(metrics["test:msd"]! > 0 && metrics["test:msd"]! < 1);
    const score = model.score(testData);
    assert.equal(metrics["test:ssd"], score.ssd);
    assert.equal(metrics["test:msd"], score.msd);

    const { TrainingJobArn: defaultArn } = await service.createTrainingJob(
      csvRequest({
        image: "kmeans",
        train: trainCsv,
        test: testCsv,
        hyperParameters: { k: "3", seed: "4" },
        output,
      }),
    );
    const byDefault = await service.waitForCompletion(nameOf(defaultArn), { timeoutMs: 10_000 });
    assert.deepEqual(byDefault.FinalMetricDataList!.map((m) => m.MetricName).sort(), [
      "test:msd",
      "train:msd",
    ]);

    const modelUri = join(output, name, "output", "model.tar.gz");
    const artifact = decodeKMeansArtifactFile(
      await readModelAlgoFile(new Uint8Array(readFileSync(modelUri))),
    );
    assert.deepEqual([artifact.k, artifact.dim], [3, 3]);
    assertFloat32Equal(artifact.centroids, model.centroids.data, "centroids");
    const logs = service.logs(name).map((l) => l.message);
    assert.ok(
      logs.some((m) => m.startsWith("#quality_metric: host=algo-1, train msd <loss>=")),
      logs.join("\n"),
    );
    const ids = service.logs(name).map((l) => l.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    assert.deepEqual(service.logs(name, { sinceId: service.logs(name).at(-1)!.id }), []);
  });

  it("trains K-Means on 70,000 x 16 as contract rounds on worker threads (WebAssembly kernels, shard memos): KMeans.fit's model, bit for bit", async () => {
    const centres = Array.from({ length: 7 }, (_, i) =>
      Array.from({ length: 16 }, (_, j) => ((i * 3 + j) % 7) * 0.6),
    );
    // 1,120,000 values: above PARALLEL_MIN_VALUES, so the runner gives the job the worker-thread executor.
    const x = blobs(70_000, centres, 5, 0.8);
    const hp = { k: "7", seed: "2", local_lloyd_num_trials: "2" };
    const output = join(env.home, "big");
    const { TrainingJobArn } = await service.createTrainingJob(
      csvRequest({ image: "kmeans", train: trainCsv, hyperParameters: hp, output }),
      { channels: { train: { matrix: x, featureNames: null } } },
    );
    const name = nameOf(TrainingJobArn);
    const job = await service.waitForCompletion(name, { timeoutMs: 60_000 });
    assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    const threads = defaultThreads();
    const where = threads > 1 ? `${threads} worker threads` : "the caller's thread";
    const logs = service.logs(name).map((l) => l.message);
    assert.ok(logs.includes(`K-Means Lloyd rounds over 3 shards on ${where}.`), logs.join("\n"));
    const metrics = Object.fromEntries(job.FinalMetricDataList!.map((m) => [m.MetricName, m.Value]));
    const params = parseKMeansHyperparameters(
      { ...hp, feature_dim: "16" },
      { featureDim: 16, numRows: x.rows },
    );
    // The in-memory engine with JavaScript kernels on one thread: another path to the same bits.
    const plain = new KMeans(params).fit(x, { threads: 1, kernels: "js" });
    assert.equal(metrics["train:msd"], plain.inertia / x.rows);
    const metadata = JSON.parse(readFileSync(join(output, name, "output", "strata-model.json"), "utf8"));
    const trained = modelFromFile(metadata.model.state) as KMeansModel;
    assert.deepEqual(trained.centroids.data, plain.centroids.data);
    assert.deepEqual(trained.training, plain.training);
  });

  it("trains PCA on 70,000 x 16 through the contract on worker threads in its worker thread: PCA.fit's float64 model, bit for bit", async () => {
    const centres = Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: 16 }, (_, j) => ((i * 5 + j) % 9) * 0.4),
    );
    // 1,120,000 values: above PARALLEL_MIN_VALUES, so the runner gives the job the worker-thread executor.
    const x = blobs(70_000, centres, 7, 0.9);
    const hp = { num_components: "6" };
    const output = join(env.home, "big-pca");
    const { TrainingJobArn } = await service.createTrainingJob(
      csvRequest({ image: "pca", train: trainCsv, hyperParameters: hp, output }),
      { channels: { train: { matrix: x, featureNames: null } } },
    );
    const name = nameOf(TrainingJobArn);
    const job = await service.waitForCompletion(name, { timeoutMs: 60_000 });
    assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    const metadata = JSON.parse(readFileSync(join(output, name, "output", "strata-model.json"), "utf8"));
    // The runner's choice on this machine: every core, at most 8 (pool.ts defaultThreads).
    const threads = defaultThreads();
    const where = threads > 1 ? `${threads} worker threads` : "the caller's thread";
    assert.ok(
      service.logs(name).some((l) => l.message === `PCA statistics of 3 shards on ${where}.`),
      service
        .logs(name)
        .map((l) => l.message)
        .join("\n"),
    );
    const trained = modelFromFile(metadata.model.state);
    const expected = new PCA(parsePCAHyperparameters(hp, { featureDim: 16 })).fit(x, { threads: 1 });
    assert.deepEqual(trained, expected);
  });

  it("reads RecordIO-protobuf and Parquet channels into the same model as the CSV", async () => {
    const recordio = join(env.home, "train.recordio");
    writeFileSync(recordio, encodeDenseRows(data, { dtype: "float32" }));
    const parquet = join(env.home, "train.parquet");
    await withConnection((con) =>
      con.run(
        `COPY (SELECT * FROM read_csv(${sqlString(trainCsv)}, header = true)) TO ${sqlString(parquet)} (FORMAT parquet)`,
      ),
    );
    const hp = { k: "3", seed: "4" };
    const names = ["km-csv", "km-recordio", "km-parquet"];
    await Promise.all(
      [
        channel(trainCsv, "text/csv"),
        channel(recordio, "application/x-recordio-protobuf"),
        channel(`file://${parquet}`, "application/x-parquet"),
      ].map((c, i) =>
        service.createTrainingJob({
          TrainingJobName: names[i],
          AlgorithmSpecification: { TrainingImage: "kmeans" },
          HyperParameters: hp,
          InputDataConfig: [c],
        }),
      ),
    );
    const jobs = await Promise.all(names.map((n) => service.waitForCompletion(n, { timeoutMs: 10_000 })));
    for (const job of jobs) assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    const bytes = names.map((n) => readFileSync(join(env.home, "artifacts", n, "output", "model.tar.gz")));
    assert.deepEqual(bytes[1], bytes[0]);
    assert.deepEqual(bytes[2], bytes[0]);
  });

  it("takes sample weights from the records' labels with sample_weights=label: KMeans.fit's weighted model, from RecordIO or CSV", async () => {
    const weights = Float64Array.from({ length: data.rows }, (_, i) => Math.fround(0.5 + (i % 7)));
    const recordio = join(env.home, "weighted.recordio");
    writeFileSync(recordio, encodeDenseRows(data, { dtype: "float32", labels: weights }));
    // The weight first, as the label column of text/csv;label_size=1.
    const csv = join(env.home, "weighted.csv");
    writeFileSync(
      csv,
      Array.from({ length: data.rows }, (_, i) =>
        [weights[i], ...data.data.subarray(i * 3, i * 3 + 3)].join(","),
      ).join("\n"),
    );
    const hp = { k: "3", seed: "4", sample_weights: "label" };
    const names = ["km-weighted-recordio", "km-weighted-csv", "km-unlabelled"];
    await Promise.all(
      [
        channel(recordio, "application/x-recordio-protobuf"),
        channel(csv, "text/csv;label_size=1"),
        channel(trainCsv, "text/csv"),
      ].map((c, i) =>
        service.createTrainingJob({
          TrainingJobName: names[i],
          AlgorithmSpecification: { TrainingImage: "kmeans" },
          HyperParameters: hp,
          InputDataConfig: [c],
        }),
      ),
    );
    const jobs = await Promise.all(names.map((n) => service.waitForCompletion(n, { timeoutMs: 10_000 })));
    const expected = new KMeans({ k: 3, seed: 4 }).fit(data, {
      sampleWeight: weights,
    });
    for (const job of jobs.slice(0, 2)) {
      assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
      const metadata = JSON.parse(
        readFileSync(join(env.home, "artifacts", job.TrainingJobName, "output", "strata-model.json"), "utf8"),
      );
      const trained = modelFromFile(metadata.model.state) as KMeansModel;
      assert.deepEqual(trained.centroids.data, expected.centroids.data);
      assert.deepEqual(trained.training, expected.training);
      const msd = job.FinalMetricDataList?.find((m) => m.MetricName === "train:msd")?.Value;
      assert.equal(msd, expected.training!.msd);
    }
    // The unweighted fit differs: the weights were used.
    const unweighted = new KMeans({ k: 3, seed: 4 }).fit(data);
    assert.notDeepEqual(unweighted.centroids.data, expected.centroids.data);
    assert.equal(jobs[2]!.TrainingJobStatus, "Failed");
    assert.match(jobs[2]!.FailureReason ?? "", /sample_weights=label .* records have none/);
  });

  it("trains K-Means web-scale with training_mode=web-scale: says which mode ran and why, logs SageMaker's lines, and its model reads back as KMeans.fit's", async () => {
    const hp = { k: "3", seed: "4", training_mode: "web-scale", mini_batch_size: "100", epochs: "2" };
    const names = ["km-web-scale", "km-auto"];
    await Promise.all(
      [hp, { k: "3", seed: "4" }].map((hyperParameters, i) =>
        service.createTrainingJob(
          csvRequest({ image: "kmeans", train: trainCsv, hyperParameters, name: names[i]! }),
        ),
      ),
    );
    const [job, auto] = await Promise.all(
      names.map((n) => service.waitForCompletion(n, { timeoutMs: 10_000 })),
    );
    assert.equal(job!.TrainingJobStatus, "Completed", job!.FailureReason);
    const logs = service.logs("km-web-scale").map((l) => l.message);
    const all = logs.join("\n");
    assert.ok(
      logs.includes(
        "K-Means training mode: web-scale (SageMaker's streaming mini-batch k-means), because training_mode=web-scale.",
      ),
      all,
    );
    assert.ok(logs.includes("K-Means web-scale streams over 1 shard on the caller's thread."), all);
    assert.ok(logs.includes("shrinking 30 centers into 3"), all);
    assert.equal(logs.filter((m) => m.startsWith("local kmeans attempt #")).length, 10, all);
    const expected = new KMeans(
      parseKMeansHyperparameters({ ...hp, feature_dim: "3" }, { featureDim: 3, numRows: 300 }),
    ).fit(data);
    assert.equal(expected.training!.webScale!.miniBatches, 6);
    const output = join(env.home, "artifacts", "km-web-scale", "output");
    const artifact = decodeKMeansArtifactFile(
      await readModelAlgoFile(new Uint8Array(readFileSync(join(output, "model.tar.gz")))),
    );
    assert.deepEqual([artifact.k, artifact.dim], [3, 3]);
    assertFloat32Equal(artifact.centroids, expected.centroids.data, "centroids");
    assert.deepEqual(
      (await unpackTarGz(new Uint8Array(readFileSync(join(output, "model.tar.gz"))))).map((e) => e.name),
      ["model_algo-1"],
    );
    const metadata = JSON.parse(readFileSync(join(output, "strata-model.json"), "utf8"));
    assert.equal(metadata.model.trainingMode, "web-scale");
    assert.deepEqual(metadata.model.webScale, expected.training!.webScale);
    const trained = modelFromFile(metadata.model.state) as KMeansModel;
    assert.deepEqual(trained.centroids.data, expected.centroids.data);
    assert.deepEqual(trained.training, expected.training);
    const msd = job!.FinalMetricDataList?.find((m) => m.MetricName === "train:msd")?.Value;
    assert.equal(msd, expected.training!.msd);

    // The default: full-batch for a channel held in memory, and the log says so.
    assert.equal(auto!.TrainingJobStatus, "Completed", auto!.FailureReason);
    assert.ok(
      service
        .logs("km-auto")
        .some(
          (l) =>
            l.message ===
            "K-Means training mode: full-batch Lloyd with restarts, because training_mode=auto and the 300 rows are in memory.",
        ),
    );
    const autoMetadata = JSON.parse(
      readFileSync(join(env.home, "artifacts", "km-auto", "output", "strata-model.json"), "utf8"),
    );
    assert.equal(autoMetadata.model.trainingMode, "full-batch");
    assert.equal(autoMetadata.model.webScale, undefined);
  });

  it("fails fast on an unknown or mistyped hyperparameter: the job never exists", async () => {
    for (const [hp, code, pattern] of [
      [{ num_componets: "2" }, "UNKNOWN_HYPERPARAMETER", /Unknown PCA hyperparameter "num_componets"/],
      [
        { num_components: "two" },
        "INVALID_HYPERPARAMETER",
        /num_components="two" is invalid: expected an integer of at least 1/,
      ],
      [{}, "MISSING_HYPERPARAMETER", /PCA needs the hyperparameter num_components/],
    ] as const) {
      await assert.rejects(
        service.createTrainingJob(
          csvRequest({ image: "pca", train: trainCsv, hyperParameters: hp, name: "bad-hp" }),
        ),
        (e: unknown) => isStrataError(e, code) && pattern.test(e.message),
      );
    }
    await assert.rejects(
      service.createTrainingJob(
        csvRequest({ image: "kmeans", train: trainCsv, hyperParameters: { k: "1" }, name: "bad-hp" }),
      ),
      (e: unknown) => isStrataError(e, "INVALID_HYPERPARAMETER") && /\bk\b/.test(e.message),
    );
    await assert.rejects(
      service.createTrainingJob(
        csvRequest({
          image: "kmeans",
          train: trainCsv,
          hyperParameters: { k: "3", training_mode: "streaming" },
          name: "bad-hp",
        }),
      ),
      (e: unknown) =>
        isStrataError(e, "INVALID_HYPERPARAMETER") &&
        e.message === 'Unknown training_mode "streaming": expected one of "auto", "full-batch", "web-scale".',
    );
    assert.throws(
      () => service.describeTrainingJob("bad-hp"),
      (e: unknown) => isStrataError(e, "JOB_NOT_FOUND"),
    );
  });

  it("fails a job whose hyperparameter does not fit the data, naming the parameter", async () => {
    await service.createTrainingJob(
      csvRequest({
        image: "pca",
        train: trainCsv,
        hyperParameters: { num_components: "5" },
        name: "too-many-components",
      }),
    );
    const job = await service.waitForCompletion("too-many-components", { timeoutMs: 10_000 });
    assert.equal(job.TrainingJobStatus, "Failed");
    assert.equal(
      job.FailureReason,
      "ClientError: num_components=5 is invalid: expected an integer from 1 to 3 (the number of features).",
    );
    assert.equal(job.ModelArtifacts, undefined);
    assert.equal(existsSync(join(env.home, "artifacts", "too-many-components")), false);
    assert.deepEqual(
      job.SecondaryStatusTransitions.map((t) => t.Status),
      ["Starting", "Downloading", "Failed"],
    );
  });

  it("fails a job whose data is missing, with a ClientError", async () => {
    await service.createTrainingJob(
      csvRequest({
        image: "pca",
        train: join(env.home, "nope.csv"),
        hyperParameters: { num_components: "1" },
        name: "missing-data",
      }),
    );
    const job = await service.waitForCompletion("missing-data", { timeoutMs: 10_000 });
    assert.equal(job.TrainingJobStatus, "Failed");
    assert.match(job.FailureReason ?? "", /^ClientError: File not found: .*nope\.csv/);
  });

  it("refuses a name in use and a stop on a finished job", async () => {
    await assert.rejects(
      service.createTrainingJob(
        csvRequest({
          image: "pca",
          train: trainCsv,
          hyperParameters: { num_components: "1" },
          name: "census-pca-1",
        }),
      ),
      (e: unknown) => isStrataError(e, "JOB_NAME_IN_USE") && e.awsType === "ResourceInUse",
    );
    await assert.rejects(
      service.stopTrainingJob("census-pca-1"),
      (e: unknown) => isStrataError(e, "JOB_NOT_STOPPABLE") && /is Completed/.test(e.message),
    );
    const listed = service.listTrainingJobs({
      StatusEquals: "Completed",
      NameContains: "census",
    }).TrainingJobSummaries;
    assert.deepEqual(
      listed.map((s) => s.TrainingJobName),
      ["census-pca-1"],
    );
  });
});
