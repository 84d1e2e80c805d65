/**
 * The compiled pipeline against the in-process models: scaler → PCA (top n, largest first) → K-Means folded
 * into one affine map gives the same projections and clusters as running scaler.transform, PCAModel.transform
 * and KMeansModel.predict one after another; width mismatches between containers are refused with a hint;
 * and `registerRunModels` registers the three models `strata run` hands over.
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { selectColumns } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { HostingService } from "../../src/serving/hosting-service.js";
import { loadPipeline, loadStage } from "../../src/serving/model-loader.js";
import { compilePipeline } from "../../src/serving/pipeline.js";
import { checkRunName, registerRunModels, runNameFrom } from "../../src/serving/register-run-models.js";
import { censusModels, KMEANS_IMAGE, PCA_IMAGE, pipelineContainers } from "../api/helpers.js";
import { tempDir } from "../helpers/cli.js";
import { expectClose } from "../helpers/expect-close.js";

test("the folded pipeline equals the models run one after another", async () => {
  const m = await censusModels();
  const pipeline = await loadPipeline("census", pipelineContainers(m));
  assert.equal(pipeline.inputWidth, 34);
  assert.equal(pipeline.kind, "predictions");
  const input = pipeline.inputBuffer(m.raw.rows);
  input.set(m.raw.data);
  const out = pipeline.run(input, m.raw.rows);
  const expected = m.kmeans.predict(
    selectColumns(m.pca.transform(m.scaler.transform(m.raw)), [0, 1, 2, 3, 4]),
  );
  assert.deepEqual(Array.from(out.clusters.subarray(0, m.raw.rows)), Array.from(expected.closestCluster));
  // Folding reorders float64 sums: agreement to ~1e-13 relative.
  expectClose(
    out.distances.subarray(0, m.raw.rows),
    expected.distanceToCluster,
    { rtol: 1e-11, atol: 1e-12 },
    "distances",
  );
  const projector = await loadPipeline("pca", [pipelineContainers(m)[0]!, pipelineContainers(m)[1]!]);
  const p = projector.run(input, m.raw.rows);
  expectClose(
    p.projections.subarray(0, m.raw.rows * 5),
    m.top.data,
    { rtol: 1e-11, atol: 1e-12 },
    "projections",
  );
});

test("the generated kernel answers bit for bit what the loop kernel answers", async () => {
  const m = await censusModels();
  const containers = pipelineContainers(m);
  const variants = [containers, [containers[0]!, containers[1]!]];
  for (const cs of variants) {
    const names = cs.map((_, i) => `container ${i + 1}`);
    const stages = await Promise.all(cs.map((c) => loadStage(c)));
    const generated = compilePipeline(stages, names);
    const loops = compilePipeline(stages, names, { generate: false });
    // The census rows, then random rows (negative, huge and tiny values).
    const rows = m.raw.rows + 200;
    const a = generated.inputBuffer(rows);
    const b = loops.inputBuffer(rows);
    a.set(m.raw.data);
    const rng = createRng(13);
    for (let i = m.raw.data.length; i < rows * 34; i++)
      a[i] = (rng.nextFloat() - 0.5) * 10 ** (rng.nextFloat() * 12 - 6);
    b.set(a.subarray(0, rows * 34));
    const x = generated.run(a, rows);
    const y = loops.run(b, rows);
    assert.equal(x.kind, y.kind);
    assert.deepEqual(
      Array.from(x.projections.subarray(0, rows * x.width)),
      Array.from(y.projections.subarray(0, rows * y.width)),
    );
    if (x.kind === "predictions") {
      assert.deepEqual(Array.from(x.clusters.subarray(0, rows)), Array.from(y.clusters.subarray(0, rows)));
      assert.deepEqual(Array.from(x.distances.subarray(0, rows)), Array.from(y.distances.subarray(0, rows)));
    }
  }
  // A K-Means-only model (no affine stage): the generated code reads the inputs directly.
  const centroids = Float64Array.from({ length: 3 * 4 }, (_, i) => i - 5.5);
  const kmStages = [{ kind: "kmeans", centroids, k: 3, dim: 4 } as const];
  const g = compilePipeline(kmStages, ["km"]);
  const l = compilePipeline(kmStages, ["km"], { generate: false });
  const input = Float64Array.from([0, 1, 2, 3, -4, -3, -2, -1, 10, 0, -10, 0.5]);
  const gx = g.run(Float64Array.from(input), 3);
  const lx = l.run(Float64Array.from(input), 3);
  assert.deepEqual(Array.from(gx.clusters.subarray(0, 3)), Array.from(lx.clusters.subarray(0, 3)));
  assert.deepEqual(Array.from(gx.distances.subarray(0, 3)), Array.from(lx.distances.subarray(0, 3)));
});

test("containers whose widths do not chain are refused with a hint", async () => {
  const m = await censusModels();
  await assert.rejects(
    loadPipeline("bad", [
      { Image: PCA_IMAGE, ModelDataUrl: m.pcaUri },
      { Image: KMEANS_IMAGE, ModelDataUrl: m.kmeansUri },
    ]),
    /container 2 \(kmeans\) of model "bad" expects 5 features but container 1 \(pca\) of model "bad" gives 33 \(set STRATA_PCA_KEEP_TOP/,
  );
});

test("registerRunModels registers PCA, K-Means and the raw-rows pipeline; a second run takes the next free name, and replacing is explicit", async () => {
  const m = await censusModels();
  const home = tempDir("strata-register-");
  const options = (scaler: string) => ({
    name: "census",
    pcaArtifactUri: m.pcaUri,
    kmeansArtifactUri: m.kmeansUri,
    scaler: m.scaler,
    keep: 5,
    home,
    scalerArtifactUri: join(home, scaler, "model.tar.gz"),
  });
  const names = await registerRunModels(options("first"));
  assert.deepEqual(
    [names.name, names.pcaModel, names.kmeansModel, names.pipelineModel],
    ["census", "census-pca", "census-kmeans", "census-pipeline"],
  );
  const second = await registerRunModels(options("second"));
  assert.deepEqual([second.name, second.pipelineModel], ["census-2", "census-2-pipeline"]);
  const replaced = await registerRunModels({ ...options("third"), replace: true });
  assert.equal(replaced.pipelineModel, "census-pipeline");
  const hosting = HostingService.open({ home });
  try {
    assert.equal(hosting.models.listModels().Models.length, 6);
    const pipeline = hosting.models.getModel("census-pipeline").request;
    assert.equal(pipeline.Containers![0]!.ModelDataUrl, join(home, "third", "model.tar.gz"));
    assert.equal(
      hosting.models.getModel("census-2-pipeline").request.Containers![0]!.ModelDataUrl,
      join(home, "second", "model.tar.gz"),
    );
    const compiled = await loadPipeline("census-pipeline", pipeline.Containers!);
    const input = compiled.inputBuffer(1);
    input.set(m.raw.data.subarray(0, 34));
    assert.equal(
      compiled.run(input, 1).clusters[0],
      m.kmeans.predict({ rows: 1, cols: 5, data: m.top.data.slice(0, 5) }).closestCluster[0],
    );
  } finally {
    await hosting.close();
  }
});

test("run names: the census is census, other files by their name, bad --name refused", () => {
  assert.equal(runNameFrom("s3://bucket/data/acs2015_county_data.csv"), "census");
  assert.equal(runNameFrom("/home/me/Penguins Data.csv"), "penguins-data");
  assert.equal(runNameFrom("https://x.org/a/customers_2024.parquet?sig=1"), "customers-2024");
  assert.equal(runNameFrom("/tmp/flights.csv.gz"), "flights");
  assert.equal(runNameFrom("/tmp/___.csv"), "run");
  for (const bad of ["", "-a", "a--b", "a_b", "x".repeat(51)])
    assert.throws(
      () => checkRunName(bad),
      /--name=.* is invalid: expected 1 to 50 letters, digits and single hyphens/,
    );
  checkRunName("penguins-2024");
});
