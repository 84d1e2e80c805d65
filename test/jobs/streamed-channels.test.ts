/**
 * Issue 15: a training job whose channel is streamed rather than read into memory — in Pipe mode, or in File
 * mode once the channel is larger than the memory budget — trains the same model as from the rows in memory.
 * The data is generated at test time (DuckDB writes it from a formula; nothing is committed): 2,000,000 × 34
 * in four Parquet files, and a gzip CSV channel with a header.
 * @module
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { type RowShard, rowShards, type StreamShard } from "../../src/contract/contract.js";
import { fitRounds, InlineExecutor } from "../../src/contract/executor.js";
import { sqlString, withConnection } from "../../src/data/duckdb.js";
import { encodeDenseRows } from "../../src/formats/dense-rows.js";
import { isStreamed, streamShards } from "../../src/jobs/algorithm.js";
import { openChannel, readChannel } from "../../src/jobs/channels.js";
import { InlineJobRunner } from "../../src/jobs/runners/inline.js";
import type { ChannelSpec } from "../../src/jobs/spec.js";
import { TrainingService } from "../../src/jobs/training-service.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import type { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import {
  LLOYD_ROUNDS_REF,
  type LloydModel,
  type LloydRoundPartial,
  type LloydRoundState,
} from "../../src/kmeans/lloyd-rounds.js";
import { matrix } from "../../src/linalg/matrix.js";
import { modelFromFile } from "../../src/models/model-file.js";
import { PCA } from "../../src/pca/pca.js";
import type { PCAModel } from "../../src/pca/pca-model.js";
import { tempHome } from "./job-fixtures.js";

const COLS = 34;
const ROWS_PER_FILE = 500_000;

/** Column t of row i: a few smooth signals and their mixtures, so the spectrum has structure. */
function columnSql(t: number): string {
  return `sin(i * ${0.0007 * (t + 1)}) * ${t + 1} + cos(i * ${0.013 * ((t % 5) + 1)}) + (i % ${7 + t}) * 0.01 AS c${t}`;
}

function assertSameModel(actual: PCAModel, expected: PCAModel): void {
  assert.equal(actual.numComponents, expected.numComponents);
  for (let c = 0; c < expected.singularValues.length; c++) {
    const e = expected.singularValues[c]!;
    assert.ok(Math.abs(actual.singularValues[c]! - e) <= 1e-9 * Math.max(1, e), `s[${c}]`);
  }
  for (let i = 0; i < expected.components.data.length; i++)
    assert.ok(Math.abs(actual.components.data[i]! - expected.components.data[i]!) <= 1e-9, `v[${i}]`);
  for (let t = 0; t < expected.mean.length; t++)
    assert.ok(
      Math.abs(actual.mean[t]! - expected.mean[t]!) <= 1e-9 * Math.max(1, Math.abs(expected.mean[t]!)),
    );
}

describe("streamed training channels", () => {
  let env: ReturnType<typeof tempHome>;
  let service: TrainingService;
  let parquetDir: string;

  before(async () => {
    env = tempHome();
    service = await TrainingService.open({ home: env.home, stopGraceMs: 1000 });
    parquetDir = join(env.home, "big");
    mkdirSync(parquetDir);
    const columns = Array.from({ length: COLS }, (_, t) => columnSql(t)).join(", ");
    await withConnection(async (con) => {
      for (let f = 0; f < 4; f++) {
        const path = join(parquetDir, `part-${f}.parquet`);
        await con.run(
          `COPY (SELECT ${columns} FROM (SELECT range::DOUBLE AS i FROM range(${f * ROWS_PER_FILE}, ${(f + 1) * ROWS_PER_FILE}))) TO ${sqlString(path)} (FORMAT parquet)`,
        );
      }
    });
  });
  after(async () => {
    await service.close();
    env.cleanup();
  });

  const pcaJob = (
    on: TrainingService,
    name: string,
    uri: string,
    contentType: string,
    mode: "Pipe" | "File",
    components: number,
    extra: Record<string, string> = {},
  ) =>
    on.createTrainingJob({
      TrainingJobName: name,
      AlgorithmSpecification: { TrainingImage: "pca", TrainingInputMode: mode },
      HyperParameters: { num_components: String(components), ...extra },
      InputDataConfig: [
        { ChannelName: "train", DataSource: { S3DataSource: { S3Uri: uri } }, ContentType: contentType },
      ],
    });

  const trainedModel = (name: string): PCAModel => {
    const metadata = JSON.parse(
      readFileSync(join(env.home, "artifacts", name, "output", "strata-model.json"), "utf8"),
    );
    return modelFromFile(metadata.model.state) as PCAModel;
  };

  it("PCA over 2,000,000 x 34 in four Parquet files, in Pipe mode, equals PCA.fit on the rows in memory (1e-9)", async () => {
    await pcaJob(service, "pca-streamed", `${parquetDir}/`, "application/x-parquet", "Pipe", 10);
    const job = await service.waitForCompletion("pca-streamed", { timeoutMs: 300_000 });
    assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    const logs = service
      .logs("pca-streamed")
      .map((e) => e.message)
      .join("\n");
    assert.match(
      logs,
      /Channel train: 2000000 rows x 34 features .*streamed from 4 objects in bounded chunks/,
    );
    const spec: ChannelSpec = {
      name: "train",
      uri: `${parquetDir}/`,
      dataType: "S3Prefix",
      contentType: { format: "parquet", labelSize: 0 },
    };
    const inMemory = await readChannel(spec);
    assert.equal(inMemory.matrix.rows, 4 * ROWS_PER_FILE);
    const expected = new PCA({ numComponents: 10 }).fit(inMemory.matrix, {
      featureNames: inMemory.featureNames ?? undefined,
    });
    assertSameModel(trainedModel("pca-streamed"), expected);
  });

  it("Lloyd rounds from the same starting centres over the streamed 2,000,000-row channel equal them in memory (1e-9)", async () => {
    const spec: ChannelSpec = {
      name: "train",
      uri: `${parquetDir}/`,
      dataType: "S3Prefix",
      contentType: { format: "parquet", labelSize: 0 },
    };
    const streamed = await openChannel(spec, { reading: "stream", budgetBytes: 0 });
    assert.ok(isStreamed(streamed));
    const inMemory = await readChannel(spec);
    const x = inMemory.matrix;
    const initial = matrix(5, COLS, x.data.slice(0, 5 * COLS));
    const start: LloydRoundState = { centres: initial, iteration: 0, maxIterations: 4, tol: 0 };
    const executor = new InlineExecutor();
    const fit = (shards: readonly (RowShard | StreamShard)[]) =>
      fitRounds<LloydRoundState, LloydRoundPartial, LloydModel>(executor, LLOYD_ROUNDS_REF, start, shards);
    const fromStream = (await fit(streamShards(streamed, 8192))).model;
    const fromMemory = (await fit(rowShards(x, { shardRows: ROWS_PER_FILE, chunkRows: 8192 }))).model;
    assert.equal(fromStream.iterations, fromMemory.iterations);
    for (let i = 0; i < fromMemory.centres.data.length; i++) {
      const e = fromMemory.centres.data[i]!;
      assert.ok(
        Math.abs(fromStream.centres.data[i]! - e) <= 1e-9 * Math.max(1, Math.abs(e)),
        `centre value ${i}`,
      );
    }
    assert.ok(Math.abs(fromStream.inertia - fromMemory.inertia) <= 1e-9 * fromMemory.inertia);
    assert.deepEqual(fromStream.sizes, fromMemory.sizes);
  });

  it("randomized PCA (2 power iterations) over the same streamed Parquet equals PCA.fit in randomized mode in memory (1e-9)", async () => {
    const extra = { algorithm_mode: "randomized", power_iterations: "2", seed: "3" };
    await pcaJob(service, "rpca-streamed", `${parquetDir}/`, "application/x-parquet", "Pipe", 10, extra);
    const job = await service.waitForCompletion("rpca-streamed", { timeoutMs: 300_000 });
    assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    const inMemory = await readChannel({
      name: "train",
      uri: `${parquetDir}/`,
      dataType: "S3Prefix",
      contentType: { format: "parquet", labelSize: 0 },
    });
    const expected = new PCA({
      numComponents: 10,
      algorithmMode: "randomized",
      powerIterations: 2,
      seed: 3,
    }).fit(inMemory.matrix, { featureNames: inMemory.featureNames ?? undefined });
    assertSameModel(trainedModel("rpca-streamed"), expected);
  });

  it("K-Means over a streamed RecordIO channel with weights trains web-scale, one shard per object, as the in-memory fit of that plan", async () => {
    const dir = join(env.home, "kmeans-parts");
    mkdirSync(dir);
    const per = 30_000;
    const x = matrix(3 * per, 5);
    for (let i = 0; i < x.rows; i++)
      for (let t = 0; t < 5; t++) x.data[i * 5 + t] = ((i * 7) % 5) * 3 + Math.sin(i * 0.37 + t * 1.3);
    const weights = Float64Array.from({ length: x.rows }, (_, i) => 1 + (i % 4));
    for (let p = 0; p < 3; p++) {
      const part = matrix(per, 5, x.data.slice(p * per * 5, (p + 1) * per * 5));
      writeFileSync(
        join(dir, `part-${p}.rec`),
        encodeDenseRows(part, { dtype: "float64", labels: weights.slice(p * per, (p + 1) * per) }),
      );
    }
    const hp = { k: "5", seed: "2", sample_weights: "label", mini_batch_size: "2000" };
    const start = (name: string, extra: Record<string, string> = {}) =>
      service.createTrainingJob({
        TrainingJobName: name,
        AlgorithmSpecification: { TrainingImage: "kmeans", TrainingInputMode: "Pipe" },
        HyperParameters: { ...hp, ...extra },
        InputDataConfig: [
          {
            ChannelName: "train",
            DataSource: { S3DataSource: { S3Uri: `${dir}/` } },
            ContentType: "application/x-recordio-protobuf",
          },
        ],
      });
    await start("km-streamed");
    await start("km-streamed-full", { training_mode: "full-batch" });
    const job = await service.waitForCompletion("km-streamed", { timeoutMs: 120_000 });
    assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
    const logs = service
      .logs("km-streamed")
      .map((e) => e.message)
      .join("\n");
    assert.match(logs, /web-scale .*because training_mode=auto and the 90000 rows are streamed/);
    assert.match(logs, /shrinking 150 centers into 5/);
    const metadata = JSON.parse(
      readFileSync(join(env.home, "artifacts", "km-streamed", "output", "strata-model.json"), "utf8"),
    );
    const trained = modelFromFile(metadata.model.state) as KMeansModel;
    const expected = new KMeans({ k: 5, seed: 2, trainingMode: "web-scale", miniBatchSize: 2000 }).fit(x, {
      shardRows: per,
      sampleWeight: weights,
    });
    assert.deepEqual(trained.centroids.data, expected.centroids.data);
    assert.deepEqual(trained.training?.sizes, expected.training?.sizes);
    assert.ok(Math.abs(trained.training!.msd - expected.training!.msd) <= 1e-12 * expected.training!.msd);
    const full = await service.waitForCompletion("km-streamed-full", { timeoutMs: 60_000 });
    assert.equal(full.TrainingJobStatus, "Failed");
    // Full-batch over a streamed channel runs (test/cluster), but not with weights: its seeding draws from a
    // sample of the rows, not by weight.
    assert.match(
      full.FailureReason ?? "",
      /sample_weights=label with training_mode=full-batch needs the train channel in memory, but its 90000 rows are streamed/,
    );
  });

  it("File mode streams a channel larger than the memory budget; a gzip CSV with a header streams with its names", async () => {
    const lines = ["a,b,c"];
    for (let i = 0; i < 30_000; i++) lines.push(`${Math.sin(i)},${Math.cos(i * 0.3) * 2},${(i % 17) / 3}`);
    const csv = join(env.home, "small.csv.gz");
    writeFileSync(csv, gzipSync(`${lines.join("\n")}\n`));
    // The inline runner reads the budget in this process (a worker thread keeps the environment it started with).
    const inline = await TrainingService.open({
      home: env.home,
      runner: new InlineJobRunner({ home: env.home }),
    });
    process.env["STRATA_CHANNEL_MEMORY_MB"] = "0.1";
    try {
      await pcaJob(inline, "pca-budget", csv, "text/csv", "File", 2);
      const job = await inline.waitForCompletion("pca-budget", { timeoutMs: 60_000 });
      assert.equal(job.TrainingJobStatus, "Completed", job.FailureReason);
      const logs = inline
        .logs("pca-budget")
        .map((e) => e.message)
        .join("\n");
      assert.match(logs, /Channel train: 30000 rows x 3 features .*\(header row\), streamed from 1 object/);
    } finally {
      delete process.env["STRATA_CHANNEL_MEMORY_MB"];
      await inline.close();
    }
    const inMemory = await readChannel({
      name: "train",
      uri: csv,
      dataType: "S3Prefix",
      contentType: { format: "csv", labelSize: 0 },
    });
    const trained = trainedModel("pca-budget");
    assert.deepEqual([...trained.featureNames], ["a", "b", "c"]);
    assertSameModel(
      trained,
      new PCA({ numComponents: 2 }).fit(inMemory.matrix, { featureNames: ["a", "b", "c"] }),
    );
  });
});
