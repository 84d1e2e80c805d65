/**
 * Issue 3 on the census data: `strata run` trains its two models as registered jobs, its out dir holds
 * models/pca and models/kmeans, and a Strata artifact and a SageMaker-written one are read by the same code
 * path into the same kind of model object. The census rows Strata wrote as RecordIO-protobuf are accepted as
 * a train channel and give the same model as a CSV of the same rows.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { decodeDenseRows } from "../../src/formats/dense-rows.js";
import { readModelAlgoFile } from "../../src/formats/tarball.js";
import { loadTrainedModel, readModelArtifact } from "../../src/jobs/model-artifacts.js";
import { TrainingService } from "../../src/jobs/training-service.js";
import { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import { PCAModel } from "../../src/pca/pca-model.js";
import { MinMaxScalerModel } from "../../src/preprocess/min-max-scaler.js";
import { DEFAULT_OPTIONS } from "../../src/workflow/options.js";
import { executeRun, type RunOutcome } from "../../src/workflow/run.js";
import { censusCsvPath, sagemakerKMeansArtifactDir } from "../helpers/census.js";
import { tempDir } from "../helpers/cli.js";
import { expectClose } from "../helpers/expect-close.js";
import { csvRequest, writeCsv } from "./job-fixtures.js";

describe("strata run's models as training jobs and artifacts", () => {
  const home = tempDir("strata-home-");
  const out = join(tempDir(), "out");
  let run: RunOutcome;
  let service: TrainingService;

  before(async () => {
    run = await executeRun({ ...DEFAULT_OPTIONS, source: censusCsvPath(), outDir: out, home });
    service = await TrainingService.open({ home });
  });
  after(() => service.close());

  test("both models are Completed jobs in the registry, named like the SageMaker SDK names them", () => {
    const names = run.jobs.map((j) => j.trainingJobName);
    assert.equal(names.length, 2);
    assert.match(names[0]!, /^pca-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/);
    assert.match(names[1]!, /^kmeans-\d{4}(-\d{2}){5}-\d{3}$/);
    for (const name of names) {
      const job = service.describeTrainingJob(name);
      assert.equal(job.TrainingJobStatus, "Completed");
      assert.ok(job.ModelArtifacts?.S3ModelArtifacts.endsWith(`/${name}/output/model.tar.gz`));
    }
    assert.deepEqual(run.summary.jobs, { pca: names[0], kmeans: names[1] });
    assert.deepEqual(run.summary.models, {
      pca: "models/pca/model.tar.gz",
      kmeans: "models/kmeans/model.tar.gz",
    });
  });

  test("a Strata K-Means artifact and a SageMaker-written one go through the same reader to a KMeansModel", async () => {
    const ours = await readModelArtifact(join(out, "models/kmeans/model.tar.gz"));
    const theirs = await readModelArtifact(join(sagemakerKMeansArtifactDir(), "model.tar.gz"));
    assert.equal(ours.algorithm, "kmeans");
    assert.equal(theirs.algorithm, "kmeans");
    assert.ok(ours.model instanceof KMeansModel && theirs.model instanceof KMeansModel);
    assert.equal(ours.model.constructor, theirs.model.constructor);
    assert.deepEqual([ours.model.k, ours.model.numFeatures], [7, 5]);
    assert.deepEqual([theirs.model.k, theirs.model.numFeatures], [8, 7]);
    const expected = JSON.parse(readFileSync(join(sagemakerKMeansArtifactDir(), "expected.json"), "utf8"));
    // expected.json is rounded to 6 decimals.
    expectClose(
      theirs.model.centroids.data,
      expected.centroids.flat(),
      { atol: 5e-7 },
      "SageMaker centroids",
    );
    // Ours are the fitted centroids rounded to float32, as SageMaker stores them.
    expectClose(
      ours.model.centroids.data,
      run.result.kmeans.centroids.data.map(Math.fround),
      { atol: 0 },
      "float32",
    );
  });

  test("the PCA artifact reads back as a PCAModel that projects like the fitted one (float32)", async () => {
    const trained = await readModelArtifact(join(out, "models/pca/model.tar.gz"));
    assert.equal(trained.algorithm, "pca");
    assert.ok(trained.model instanceof PCAModel);
    assert.equal(trained.model.numComponents, 33);
    const z = trained.model.transform(run.result.scaled);
    const ref = run.result.pca.transform(run.result.scaled);
    // float32 storage of v and mean: projections agree to ~1e-6.
    expectClose(z.data, ref.data, { atol: 2e-6 }, "projections");
  });

  test("strata-model.json beside each artifact brings back the exact float64 model", async () => {
    const pca = await loadTrainedModel(join(out, "models/pca/model.tar.gz"), "pca");
    const kmeans = await loadTrainedModel(join(out, "models/kmeans/model.tar.gz"), "kmeans");
    assert.ok(pca.exact && kmeans.exact);
    assert.deepEqual(
      Array.from((pca.model as PCAModel).singularValues),
      Array.from(run.result.pca.singularValues),
    );
    assert.deepEqual(
      Array.from((kmeans.model as KMeansModel).centroids.data),
      Array.from(run.result.kmeans.centroids.data),
    );
    const meta = JSON.parse(readFileSync(join(out, "models/pca/strata-model.json"), "utf8"));
    assert.equal(meta.caller.scaler.kind, "strata.model");
    assert.equal(meta.caller.scaler.algorithm, "min-max-scaler");
    assert.ok(run.result.scaler instanceof MinMaxScalerModel, "the census run's scaler is min-max");
    assert.deepEqual(meta.caller.scaler.state.dataMin, Array.from(run.result.scaler.dataMin));
  });

  test("the census rows Strata wrote as RecordIO-protobuf train the same PCA as a CSV of the same rows", async () => {
    const pbr = join(out, "data/pca-train.pbr");
    const rows = decodeDenseRows(new Uint8Array(readFileSync(pbr)));
    assert.deepEqual([rows.matrix.rows, rows.matrix.cols], [3218, 34]);
    assert.deepEqual(Array.from(rows.matrix.data), Array.from(run.result.scaled.data));
    const csv = writeCsv(join(tempDir(), "census-scaled.csv"), rows.matrix);
    const hp = { feature_dim: "34", num_components: "33", mini_batch_size: "500" };
    const names: string[] = [];
    for (const [uri, contentType] of [
      [pbr, "application/x-recordio-protobuf"],
      [csv, "text/csv"],
    ] as const) {
      const request = csvRequest({ image: "pca", train: uri, hyperParameters: hp });
      (request["InputDataConfig"] as { ContentType: string }[])[0]!.ContentType = contentType;
      const { TrainingJobArn } = await service.createTrainingJob(request);
      const name = TrainingJobArn.slice(TrainingJobArn.lastIndexOf("/") + 1);
      const done = await service.waitForCompletion(name);
      assert.equal(done.TrainingJobStatus, "Completed", done.FailureReason);
      names.push(done.ModelArtifacts!.S3ModelArtifacts);
    }
    const [fromPbr, fromCsv] = await Promise.all(
      names.map(async (uri) => readModelAlgoFile(new Uint8Array(readFileSync(uri)))),
    );
    assert.deepEqual(fromPbr, fromCsv);
    const runArtifact = await readModelAlgoFile(
      new Uint8Array(readFileSync(join(out, "models/pca/model.tar.gz"))),
    );
    assert.deepEqual(fromPbr, runArtifact);
  });
});
