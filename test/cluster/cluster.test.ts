/**
 * Issue 16, first steps: training jobs whose shards run on `strata worker` processes over a real Redis
 * (BullMQ). Three workers (separate processes, the real CLI) and a generated four-object Parquet channel: PCA
 * (regular and randomized) and web-scale K-Means give the model of the same job run in one process, bit for bit
 * (the same shard plan), with the shards spread over the workers; a worker killed while it holds a shard has
 * that shard run elsewhere and the job ends with the same model; with no worker connected, a round fails
 * naming the cluster and the command that joins one.
 * @module
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ClusterExecutor } from "../../src/cluster/cluster-executor.js";
import { fitRounds, InlineExecutor, type RoundExecutor } from "../../src/contract/executor.js";
import { streamShards } from "../../src/jobs/algorithm.js";
import { TrainingService } from "../../src/jobs/training-service.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import {
  LLOYD_ROUNDS_REF,
  type LloydModel,
  type LloydRoundPartial,
  type LloydRoundState,
} from "../../src/kmeans/lloyd-rounds.js";
import { matrix, toRows } from "../../src/linalg/matrix.js";
import { MinMaxScaler } from "../../src/preprocess/min-max-scaler.js";
import { MIN_MAX_STATS_REF } from "../../src/preprocess/scaler-stats.js";
import { HostingService } from "../../src/serving/hosting-service.js";
import { KMEANS_IMAGE, signedCall, startTestServer } from "../api/helpers.js";
import { runCli, tempDir } from "../helpers/cli.js";
import { COLS, startWorker, stopWorker, type WorkerProcess, writeParquet } from "../helpers/cluster.js";
import { readCensusMatrix } from "../helpers/read-census-matrix.js";
import { type RedisServer, redisSkip, startRedis } from "../helpers/redis.js";

function job(name: string, algorithm: "pca" | "kmeans", uri: string, hp: Record<string, string>) {
  return {
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: algorithm, TrainingInputMode: "Pipe" },
    HyperParameters: hp,
    InputDataConfig: [
      {
        ChannelName: "train",
        DataSource: { S3DataSource: { S3Uri: uri } },
        ContentType: "application/x-parquet",
      },
    ],
  };
}

/** The job with its train channel's S3DataDistributionType set. */
function sharded<J extends ReturnType<typeof job>>(
  request: J,
  distribution: "FullyReplicated" | "ShardedByS3Key",
): J {
  const [train] = request.InputDataConfig;
  return {
    ...request,
    InputDataConfig: [
      {
        ...train!,
        DataSource: {
          S3DataSource: { ...train!.DataSource.S3DataSource, S3DataDistributionType: distribution },
        },
      },
    ],
  };
}

/** The job's float64 model as strata-model.json keeps it. */
function modelOf(home: string, name: string): unknown {
  return JSON.parse(readFileSync(join(home, "artifacts", name, "output", "strata-model.json"), "utf8")).model;
}

describe("training jobs on a cluster of three strata worker processes", { skip: redisSkip }, () => {
  let redis: RedisServer;
  let home: string;
  let data: string;
  let big: string;
  let workers: WorkerProcess[] = [];
  let local: TrainingService;
  let clustered: TrainingService;

  before(async () => {
    redis = await startRedis();
    home = tempDir("strata-cluster-");
    data = join(home, "data");
    await writeParquet(data, 4, 50_000);
    // One large object, so its shard is still running when a test stops its job or kills its worker.
    big = join(home, "big");
    await writeParquet(big, 1, 1_500_000);
    workers = await Promise.all([0, 1, 2].map(() => startWorker(redis.url, home)));
    local = await TrainingService.open({ home });
    clustered = await TrainingService.open({ home, cluster: redis.url });
  });
  after(async () => {
    await clustered?.close();
    await local?.close();
    await Promise.all(workers.map(stopWorker));
    await redis?.stop();
  });

  const runBoth = async (name: string, algorithm: "pca" | "kmeans", hp: Record<string, string>) => {
    for (const [service, suffix] of [
      [local, "local"],
      [clustered, "cluster"],
    ] as const) {
      await service.createTrainingJob(job(`${name}-${suffix}`, algorithm, `${data}/`, hp));
      const done = await service.waitForCompletion(`${name}-${suffix}`);
      assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
    }
    const logs = clustered.logs(`${name}-cluster`).map((l) => l.message);
    assert.ok(
      logs.some((m) => m.includes(`on the cluster at ${redis.url}`)),
      logs.join("\n"),
    );
    // The job's log says which worker ran each shard of every round.
    assert.ok(
      logs.some((m) => /^Round 1: shards? [\d, ]+ on \S+:\d+/.test(m)),
      logs.join("\n"),
    );
    assert.deepEqual(modelOf(home, `${name}-cluster`), modelOf(home, `${name}-local`));
  };

  test("PCA, regular: the same model bit for bit, its four shards spread over the workers", async () => {
    const before = workers.map((w) => (w.log().match(/ done/g) ?? []).length);
    await runBoth("pca-regular", "pca", { num_components: "5" });
    const ran = workers.map((w, i) => (w.log().match(/ done/g) ?? []).length - before[i]!);
    assert.equal(
      ran.reduce((a, b) => a + b, 0),
      4,
    );
    assert.ok(ran.filter((n) => n > 0).length >= 2, `shards per worker: ${ran.join(", ")}`);
  });

  test("Lloyd rounds (full-batch K-Means) over the streamed objects: the in-process engine's model, bit for bit", async () => {
    const shards = [0, 1, 2, 3].map((f) => ({
      stream: {
        path: join(data, `part-${f}.parquet`),
        format: "parquet" as const,
        labelSize: 0,
        name: `part-${f}`,
      },
      firstRow: f * 50_000,
      chunkRows: 8192,
    }));
    const centres = matrix(
      4,
      COLS,
      Float64Array.from({ length: 4 * COLS }, (_, i) => Math.floor(i / COLS) - 1.5),
    );
    const start: LloydRoundState = { centres, iteration: 0, maxIterations: 6, tol: 0 };
    const fit = (executor: RoundExecutor) =>
      fitRounds<LloydRoundState, LloydRoundPartial, LloydModel>(executor, LLOYD_ROUNDS_REF, start, shards);
    const cluster = new ClusterExecutor({ url: redis.url });
    try {
      const onCluster = await fit(cluster);
      const inProcess = await fit(new InlineExecutor());
      assert.equal(onCluster.rounds, inProcess.rounds);
      assert.deepEqual(onCluster.model, inProcess.model);
    } finally {
      await cluster.close();
    }
  });

  test("the census, min-max scaled as the notebook does, in three CSV objects: PCA and web-scale K-Means equal the one-process jobs, Lloyd's rounds the in-process engine's", async () => {
    const census = readCensusMatrix();
    const scaled = new MinMaxScaler().fit(census.matrix).transform(census.matrix);
    const dir = join(home, "census");
    mkdirSync(dir);
    const rows = toRows(scaled);
    const cut = [0, 1100, 2200, rows.length];
    for (let f = 0; f < 3; f++)
      writeFileSync(
        join(dir, `part-${f}.csv`),
        `${rows
          .slice(cut[f], cut[f + 1])
          .map((r) => r.join(","))
          .join("\n")}\n`,
      );
    for (const [name, algorithm, hp] of [
      ["census-pca", "pca", { num_components: "33" }],
      ["census-kmeans", "kmeans", { k: "7", feature_dim: "34" }],
    ] as const) {
      for (const [service, suffix] of [
        [local, "local"],
        [clustered, "cluster"],
      ] as const) {
        await service.createTrainingJob({
          ...job(`${name}-${suffix}`, algorithm, `${dir}/`, hp),
          InputDataConfig: [
            {
              ChannelName: "train",
              DataSource: { S3DataSource: { S3Uri: `${dir}/` } },
              ContentType: "text/csv",
            },
          ],
        });
        const done = await service.waitForCompletion(`${name}-${suffix}`);
        assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
      }
      assert.deepEqual(modelOf(home, `${name}-cluster`), modelOf(home, `${name}-local`));
    }
    // training_mode=full-batch over the same objects: Lloyd with 10 restarts, every iteration a round on the
    // workers; the same bits in one process, and the in-memory fit (all 3,218 rows are the seeding sample,
    // so the same seeds) to rounding.
    for (const [service, suffix] of [
      [local, "local"],
      [clustered, "cluster"],
    ] as const) {
      const name = `census-full-batch-${suffix}`;
      await service.createTrainingJob({
        ...job(name, "kmeans", `${dir}/`, { k: "7", feature_dim: "34", training_mode: "full-batch" }),
        InputDataConfig: [
          {
            ChannelName: "train",
            DataSource: { S3DataSource: { S3Uri: `${dir}/` } },
            ContentType: "text/csv",
          },
        ],
      });
      const done = await service.waitForCompletion(name);
      assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
    }
    assert.deepEqual(modelOf(home, "census-full-batch-cluster"), modelOf(home, "census-full-batch-local"));
    const fullBatchLog = clustered.logs("census-full-batch-cluster").map((l) => l.message);
    assert.ok(
      fullBatchLog.some((m) =>
        /full-batch Lloyd with restarts over the streamed channel, because training_mode=full-batch/.test(m),
      ),
      fullBatchLog.join("\n"),
    );
    assert.ok(fullBatchLog.some((m) => /seed from all 3218 rows/.test(m)));
    // Plain Lloyd in memory too: a streamed channel's restarts are not refined, and auto is 10 of them.
    const inMemory = new KMeans({ k: 7 }).fit(scaled, { refine: false });
    const trained = modelOf(home, "census-full-batch-cluster") as {
      inertia: number;
      sizes: number[];
      trainingMode: string;
    };
    assert.equal(trained.trainingMode, "full-batch");
    assert.ok(
      Math.abs(trained.inertia - inMemory.inertia) <= 1e-9 * inMemory.inertia,
      `${trained.inertia} vs ${inMemory.inertia}`,
    );
    assert.deepEqual(trained.sizes, inMemory.training!.sizes);
    // Full-batch Lloyd's rounds alone, from the first seven counties as centres: the in-process engine's model.
    const shards = [0, 1, 2].map((f) => ({
      stream: {
        path: join(dir, `part-${f}.csv`),
        format: "csv" as const,
        labelSize: 0,
        name: `part-${f}.csv`,
      },
      firstRow: cut[f]!,
      chunkRows: 1000,
    }));
    const start: LloydRoundState = {
      centres: matrix(7, scaled.cols, scaled.data.slice(0, 7 * scaled.cols)),
      iteration: 0,
      maxIterations: 100,
      tol: 0,
    };
    const fit = (executor: RoundExecutor) =>
      fitRounds<LloydRoundState, LloydRoundPartial, LloydModel>(executor, LLOYD_ROUNDS_REF, start, shards);
    const cluster = new ClusterExecutor({ url: redis.url });
    try {
      const onCluster = await fit(cluster);
      const inProcess = await fit(new InlineExecutor());
      assert.ok(onCluster.rounds > 3, `${onCluster.rounds} rounds`);
      assert.equal(onCluster.rounds, inProcess.rounds);
      assert.deepEqual(onCluster.model, inProcess.model);
    } finally {
      await cluster.close();
    }
  });

  test("a batch transform with InstanceCount 3 runs its objects on the workers: every output object equals the one-process transform's, byte for byte", async () => {
    const artifact = local.describeTrainingJob("census-kmeans-local").ModelArtifacts?.S3ModelArtifacts;
    assert.ok(artifact !== undefined, "the census K-Means job of the test before left its artifact");
    // Both services over the same registry; only jobs asking for more than one instance go to the cluster.
    const hosting = HostingService.open({ home });
    const clusterHosting = HostingService.open({
      home,
      cluster: { url: redis.url, jobs: "multi-instance" },
    });
    try {
      await hosting.models.createModel({
        ModelName: "census-kmeans",
        ExecutionRoleArn: "arn:aws:iam::000000000000:role/x",
        PrimaryContainer: { Image: KMEANS_IMAGE, ModelDataUrl: artifact },
      });
      const before = workers.map((w) => (w.log().match(/ done/g) ?? []).length);
      const outputs: Record<string, string> = {};
      for (const [service, suffix, instances] of [
        [hosting, "local", 1],
        [clusterHosting, "cluster", 3],
      ] as const) {
        const name = `census-transform-${suffix}`;
        outputs[suffix] = join(home, "artifacts", name);
        await service.transforms.createTransformJob({
          TransformJobName: name,
          ModelName: "census-kmeans",
          TransformInput: {
            DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `${join(home, "census")}/` } },
            ContentType: "text/csv",
            SplitType: "Line",
          },
          TransformOutput: { S3OutputPath: outputs[suffix], Accept: "text/csv", AssembleWith: "Line" },
          TransformResources: { InstanceType: "ml.m5.large", InstanceCount: instances },
        });
        const done = await service.transforms.waitForTransformJob(name);
        assert.equal(done["TransformJobStatus"], "Completed", String(done["FailureReason"]));
      }
      const parts = ["part-0.csv.out", "part-1.csv.out", "part-2.csv.out"];
      assert.deepEqual(readdirSync(outputs["cluster"]!).sort(), parts);
      for (const part of parts) {
        const clustered = readFileSync(join(outputs["cluster"]!, part));
        assert.ok(clustered.length > 1000);
        assert.deepEqual(clustered, readFileSync(join(outputs["local"]!, part)), part);
      }
      const ran = workers.map((w, i) => (w.log().match(/ done/g) ?? []).length - before[i]!);
      assert.equal(
        ran.reduce((a, b) => a + b, 0),
        3,
        `objects per worker: ${ran.join(", ")}`,
      );
      const lines = clusterHosting.logs
        .events("transform-job", ["census-transform-cluster"], { limit: 100 })
        .map((e) => e.message);
      assert.ok(
        lines.some((m) => m.includes(`on the cluster at ${redis.url}`)),
        lines.join("\n"),
      );
      assert.ok(
        lines.some((m) => /^Round 1: shards? [\d, ]+ on \S+:\d+/.test(m)),
        lines.join("\n"),
      );
      // The one-process job ran on threads, not on the cluster.
      const localLines = hosting.logs
        .events("transform-job", ["census-transform-local"], { limit: 100 })
        .map((e) => e.message);
      assert.ok(!localLines.some((m) => m.includes("on the cluster")), localLines.join("\n"));
      // An object that cannot be transformed fails the job on the cluster, naming it.
      const mixed = join(home, "census-mixed");
      mkdirSync(mixed);
      writeFileSync(join(mixed, "part-0.csv"), readFileSync(join(home, "census", "part-0.csv")));
      writeFileSync(join(mixed, "part-1.csv"), "0.5,not-a-number\n");
      await clusterHosting.transforms.createTransformJob({
        TransformJobName: "census-transform-bad",
        ModelName: "census-kmeans",
        TransformInput: {
          DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `${mixed}/` } },
          ContentType: "text/csv",
          SplitType: "Line",
        },
        TransformOutput: { S3OutputPath: join(home, "artifacts", "bad-out"), Accept: "text/csv" },
        TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 2 },
      });
      const bad = await clusterHosting.transforms.waitForTransformJob("census-transform-bad");
      assert.equal(bad["TransformJobStatus"], "Failed");
      assert.match(String(bad["FailureReason"]), /^ClientError: .*part-1\.csv/);
    } finally {
      await clusterHosting.close();
      await hosting.close();
    }
  });

  test("strata workers lists the three live workers with their host and the shards they ran", async () => {
    const r = await runCli(["workers", "--redis", redis.url, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const listed = JSON.parse(r.stdout).Workers as {
      name: string;
      host: string;
      pid: number;
      done: number;
      running: number;
      lastShard: string;
    }[];
    assert.deepEqual(listed.map((w) => w.pid).sort(), workers.map((w) => w.child.pid).sort());
    assert.ok(listed.every((w) => w.host.length > 0 && w.name === `${w.host}:${w.pid}` && w.running === 0));
    // Each worker's count is the shards its own log says it finished.
    for (const w of listed)
      assert.equal(
        w.done,
        (
          workers
            .find((p) => p.child.pid === w.pid)!
            .log()
            .match(/ done\n/g) ?? []
        ).length,
      );
    assert.ok(listed.some((w) => /^shard \d of /.test(w.lastShard)));
    // The API says the same (ListClusterWorkers, a Strata extension), signed as any SageMaker call.
    const api = await startTestServer({ home: tempDir("strata-cluster-api-"), cluster: redis.url });
    try {
      const answer = await signedCall(api.server, "SageMaker.ListClusterWorkers", "{}");
      assert.equal(answer.status, 200, answer.text);
      const fromApi = (JSON.parse(answer.text) as { Workers: { pid: number }[] }).Workers;
      assert.deepEqual(fromApi.map((w) => w.pid).sort(), workers.map((w) => w.child.pid).sort());
    } finally {
      await api.close();
    }
    const table = await runCli(["workers", "--redis", redis.url]);
    assert.match(table.stdout, /NAME +HOST +RUNNING +DONE/);
  });

  test("PCA, randomized with two power iterations (three rounds): the same model bit for bit", async () => {
    await runBoth("pca-randomized", "pca", {
      num_components: "3",
      algorithm_mode: "randomized",
      extra_components: "4",
      power_iterations: "2",
    });
  });

  test("K-Means, web-scale (epochs 2, then the measuring round): the same model bit for bit", async () => {
    await runBoth("kmeans-web-scale", "kmeans", { k: "4", feature_dim: String(COLS), epochs: "2" });
  });

  test("configured for multi-instance jobs (strata serve --cluster), only InstanceCount > 1 goes to the cluster", async () => {
    const service = await TrainingService.open({ home, cluster: redis.url, clusterJobs: "multi-instance" });
    try {
      for (const [name, instances] of [
        ["pca-one-instance", 1],
        ["pca-three-instances", 3],
      ] as const) {
        await service.createTrainingJob({
          ...sharded(job(name, "pca", `${data}/`, { num_components: "5" }), "ShardedByS3Key"),
          ResourceConfig: { InstanceCount: instances, InstanceType: "ml.c5.xlarge", VolumeSizeInGB: 1 },
        });
        assert.equal((await service.waitForCompletion(name)).TrainingJobStatus, "Completed");
      }
      const where = (name: string) =>
        service
          .logs(name)
          .map((l) => l.message)
          .find((m) => m.startsWith("PCA statistics of"));
      assert.match(where("pca-one-instance")!, /on the caller's thread/);
      assert.match(where("pca-three-instances")!, new RegExp(`on the cluster at ${redis.url}`));
      assert.deepEqual(modelOf(home, "pca-three-instances"), modelOf(home, "pca-regular-local"));
    } finally {
      await service.close();
    }
  });

  test("FullyReplicated to 3 instances: each object read as 3 row ranges (12 shards of 4 objects) spread over the workers; the same request in one process gives the same bits, the one-shard-per-object fit agrees to 1e-9", async () => {
    const three = (name: string) => ({
      ...sharded(job(name, "pca", `${data}/`, { num_components: "5" }), "FullyReplicated"),
      ResourceConfig: { InstanceCount: 3, InstanceType: "ml.c5.xlarge", VolumeSizeInGB: 1 },
    });
    const before = workers.map((w) => (w.log().match(/ done/g) ?? []).length);
    for (const [service, name] of [
      [local, "pca-ranges-local"],
      [clustered, "pca-ranges-cluster"],
    ] as const) {
      await service.createTrainingJob(three(name));
      const done = await service.waitForCompletion(name);
      assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
      assert.ok(
        service.logs(name).some((l) => /each of its 4 objects is read as 3 row ranges/.test(l.message)),
        service
          .logs(name)
          .map((l) => l.message)
          .join("\n"),
      );
    }
    const ran = workers.map((w, i) => (w.log().match(/ done/g) ?? []).length - before[i]!);
    assert.equal(
      ran.reduce((a, b) => a + b, 0),
      12,
    );
    assert.ok(ran.filter((n) => n > 0).length >= 2, `shards per worker: ${ran.join(", ")}`);
    const ranged = modelOf(home, "pca-ranges-cluster") as Record<string, unknown>;
    assert.deepEqual(ranged, modelOf(home, "pca-ranges-local"));
    // Another plan sums in another order: the same fit to rounding.
    const perObject = modelOf(home, "pca-regular-local") as Record<string, unknown>;
    for (const key of ["singularValues", "explainedVariance", "totalVariance"] as const) {
      const a = [ranged[key]].flat() as number[];
      const b = [perObject[key]].flat() as number[];
      assert.equal(a.length, b.length);
      for (const [i, v] of a.entries())
        assert.ok(
          Math.abs(v - b[i]!) <= 1e-9 * Math.max(1, Math.abs(b[i]!)),
          `${key}[${i}]: ${v} vs ${b[i]}`,
        );
    }
  });

  test("a 400-column PCA's partials (1.3 MB each) go through the partials location, not Redis: the same model, nothing left behind; without a location the job log says what to set", async () => {
    const wide = join(home, "wide");
    await writeParquet(wide, 3, 2000, 400);
    const partials = join(home, "artifacts", "partials");
    mkdirSync(partials, { recursive: true });
    const spilling = await TrainingService.open({
      home,
      cluster: redis.url,
      clusterPartials: `${partials}/`,
    });
    const logLines = (service: TrainingService, name: string) => service.logs(name).map((l) => l.message);
    const spilledBefore = workers.map(
      (w) => (w.log().match(/its partial of \d+ bytes went to /g) ?? []).length,
    );
    try {
      for (const [service, name] of [
        [local, "wide-local"],
        [spilling, "wide-spilled"],
        [clustered, "wide-redis"],
      ] as const) {
        await service.createTrainingJob(job(name, "pca", `${wide}/`, { num_components: "3" }));
        const done = await service.waitForCompletion(name);
        assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
      }
      assert.deepEqual(modelOf(home, "wide-spilled"), modelOf(home, "wide-local"));
      assert.deepEqual(modelOf(home, "wide-redis"), modelOf(home, "wide-local"));
      const spilled = workers.map(
        (w, i) => (w.log().match(/its partial of \d+ bytes went to /g) ?? []).length - spilledBefore[i]!,
      );
      assert.equal(
        spilled.reduce((a, b) => a + b, 0),
        3,
        `partials spilled per worker: ${spilled.join(", ")}`,
      );
      assert.match(workers.map((w) => w.log()).join(""), new RegExp(`went to ${partials}/\\S+-a1\\.partial`));
      // Read back and deleted: nothing is left.
      assert.deepEqual(readdirSync(partials), []);
      assert.ok(!logLines(spilling, "wide-spilled").some((m) => m.includes("went through Redis")));
      assert.ok(
        logLines(clustered, "wide-redis").some((m) =>
          /^Shard \d's partial \(\d+ KiB\) went through Redis, .*--cluster-partials/.test(m),
        ),
        logLines(clustered, "wide-redis").join("\n"),
      );
    } finally {
      await spilling.close();
    }
  });

  test("a task naming an object outside a worker's roots fails the job, naming why; nothing outside is read", async () => {
    const outside = tempDir("strata-cluster-outside-");
    await writeParquet(outside, 1, 1000);
    await clustered.createTrainingJob(job("pca-outside", "pca", `${outside}/`, { num_components: "2" }));
    const done = await clustered.waitForCompletion("pca-outside");
    assert.equal(done.TrainingJobStatus, "Failed");
    assert.match(done.FailureReason ?? "", /is not allowed: it resolves outside/);
  });

  test("stopping a job: its queued shards are removed, a running one runs out its object and its partial is dropped; the worker goes on", async () => {
    const from = workers.map((w) => w.log().length);
    const since = () => workers.map((w, i) => w.log().slice(from[i])).join("");
    await clustered.createTrainingJob(job("pca-stopped", "pca", `${big}/`, { num_components: "5" }));
    for (let i = 0; i < 800 && !since().includes("started"); i++) await new Promise((r) => setTimeout(r, 10));
    await clustered.stopTrainingJob("pca-stopped");
    const done = await clustered.waitForCompletion("pca-stopped");
    assert.equal(done.TrainingJobStatus, "Stopped");
    for (let i = 0; i < 400 && !since().includes("stopped: its job was stopped"); i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.match(since(), /shard 0 of \S+ stopped: its job was stopped/);
    assert.doesNotMatch(since(), /shard 0 of \S+ done/);
  });

  test("a worker killed while it holds a shard: the shard runs elsewhere, the job ends with the same model", async () => {
    await local.createTrainingJob(job("pca-big-local", "pca", `${big}/`, { num_components: "5" }));
    assert.equal((await local.waitForCompletion("pca-big-local")).TrainingJobStatus, "Completed");
    // Only the victim is connected when the job starts, so it takes the shard.
    await Promise.all(workers.splice(1).map(stopWorker));
    const victim = workers[0]!;
    const from = victim.log().length;
    const since = () => victim.log().slice(from);
    await clustered.createTrainingJob(job("pca-big-cluster", "pca", `${big}/`, { num_components: "5" }));
    for (let i = 0; i < 800 && !since().includes("started"); i++) await new Promise((r) => setTimeout(r, 10));
    victim.child.kill("SIGKILL");
    assert.match(since(), /shard 0 of \S+ started/);
    assert.doesNotMatch(since(), /shard 0 of \S+ done/);
    workers = [await startWorker(redis.url, home)];
    const done = await clustered.waitForCompletion("pca-big-cluster");
    assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
    assert.match(workers[0]!.log(), /shard 0 of \S+ started \(attempt \d\)/);
    const logs = clustered.logs("pca-big-cluster").map((l) => l.message);
    assert.ok(
      logs.some((m) => /shard 0 retried \(attempt [2-9], on \S+\)/.test(m)),
      logs.join("\n"),
    );
    // DescribeTrainingJob says it too, in the Training status's message.
    const training = done.SecondaryStatusTransitions.find((t) => t.Status === "Training")!.StatusMessage;
    const rerun = workers[0]!.child.pid;
    assert.match(
      training,
      new RegExp(
        `^Training image download completed\\. Training in progress\\. 1 round on the cluster at redis://127\\.0\\.0\\.1:\\d+: 1 shard ran on \\S+:${rerun} \\(1\\); retried: round 1 shard 0 \\(attempt [2-9], on \\S+:${rerun}\\)\\.$`,
      ),
    );
    assert.deepEqual(modelOf(home, "pca-big-cluster"), modelOf(home, "pca-big-local"));
  });

  test("a worker stalled past its lock and resumed (a network stall): its shard ran twice and counts once", async () => {
    const victim = workers[0]!;
    const from = victim.log().length;
    const since = () => victim.log().slice(from);
    await clustered.createTrainingJob(job("pca-stalled", "pca", `${big}/`, { num_components: "5" }));
    for (let i = 0; i < 800 && !since().includes("started"); i++) await new Promise((r) => setTimeout(r, 10));
    victim.child.kill("SIGSTOP");
    const other = await startWorker(redis.url, home);
    workers.push(other);
    const done = await clustered.waitForCompletion("pca-stalled");
    victim.child.kill("SIGCONT");
    assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
    // The paused worker finishes the shard too once it runs again; its late result is not taken.
    for (let i = 0; i < 1000 && !/shard 0 of \S+ done/.test(since()); i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.match(since(), /shard 0 of \S+ done/);
    assert.match(other.log(), /shard 0 of \S+ done/);
    const rounds = clustered
      .logs("pca-stalled")
      .map((l) => l.message)
      .filter((m) => m.startsWith("Round "));
    assert.equal(rounds.length, 1, rounds.join("\n"));
    assert.match(rounds[0]!, /^Round 1: shard 0 on \S+; shard 0 retried/);
    assert.deepEqual(modelOf(home, "pca-stalled"), modelOf(home, "pca-big-local"));
  });
});

describe("a cluster with no worker", { skip: redisSkip }, () => {
  test("a round fails after the timeout, naming the cluster and how to join it", async () => {
    const redis = await startRedis();
    const home = tempDir("strata-cluster-empty-");
    await writeParquet(join(home, "d"), 1, 1000);
    const executor = new ClusterExecutor({ url: redis.url, noWorkerTimeoutMs: 300 });
    try {
      const shards = streamShards(
        {
          sources: [
            { path: join(home, "d", "part-0.parquet"), format: "parquet", labelSize: 0, name: "part-0" },
          ],
          firstRows: [0],
          rows: 1000,
          cols: COLS,
          featureNames: null,
          labels: false,
        },
        8192,
      );
      await assert.rejects(
        executor.round(MIN_MAX_STATS_REF, null, shards),
        (e: Error & { code?: string }) =>
          e.code === "SOURCE_UNREACHABLE" &&
          e.message.includes(`No worker is connected to ${redis.url}`) &&
          e.message.includes("strata worker --redis"),
      );
    } finally {
      await executor.close();
      await redis.stop();
    }
  });
});
