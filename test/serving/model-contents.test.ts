/**
 * A model's contents laid out for reading (src/serving/model-contents.ts): SageMaker's own K-Means artifact
 * gives the centroids mxnet printed; a PCA artifact's components come largest first, with explained-variance
 * ratios that add to 1 and loadings that are the columns of `v`; a scaler's feature names label the PCA's
 * loadings and the PCA's kept components label K-Means' inputs.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { encodePCAArtifactFile } from "../../src/formats/ndarray-models.js";
import { packTarGz } from "../../src/formats/tarball.js";
import { matrix } from "../../src/linalg/matrix.js";
import { modelContents } from "../../src/serving/model-contents.js";
import { KMEANS_IMAGE, PCA_IMAGE } from "../../src/serving/register-run-models.js";
import { sagemakerKMeansArtifactDir } from "../helpers/census.js";
import { tempDir } from "../helpers/cli.js";

describe("model contents", () => {
  test("SageMaker's K-Means artifact: the centroids mxnet printed, to float32", async () => {
    const dir = sagemakerKMeansArtifactDir();
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as {
      centroids: number[][];
    };
    const { containers } = await modelContents("sagemaker-kmeans", [
      { Image: KMEANS_IMAGE, ModelDataUrl: join(dir, "model.tar.gz") },
    ]);
    assert.equal(containers.length, 1);
    const stage = containers[0]!;
    assert.equal(stage.kind, "kmeans");
    if (stage.kind !== "kmeans") return;
    assert.equal(stage.featureNames, null);
    assert.equal(stage.centroids.length, 8);
    for (const [r, row] of stage.centroids.entries())
      for (const [c, v] of row.entries())
        assert.ok(Math.abs(v - expected.centroids[r]![c]!) <= 1e-6, `[${r}][${c}]`);
  });

  test("a PCA artifact: components largest first, ratios adding to 1, loadings the columns of v", async () => {
    // SageMaker stores s ascending; v's column j pairs with s[j].
    const s = [0.5, 3, 1];
    const v = matrix(2, 3, Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]));
    const path = join(tempDir("strata-contents-"), "model.tar.gz");
    writeFileSync(
      path,
      await packTarGz([
        { name: "model_algo-1", bytes: encodePCAArtifactFile({ s, v, mean: Float64Array.from([1, 2]) }) },
      ]),
    );
    const { containers } = await modelContents("pca", [
      { Image: PCA_IMAGE, ModelDataUrl: path, Environment: { STRATA_PCA_KEEP_TOP: "2" } },
    ]);
    const stage = containers[0]!;
    assert.equal(stage.kind, "pca");
    if (stage.kind !== "pca") return;
    assert.deepEqual(
      stage.components.map((c) => c.singularValue),
      [3, 1, 0.5],
    );
    const ratios = stage.components.map((c) => c.explainedVarianceRatio);
    assert.ok(Math.abs(ratios.reduce((a, b) => a + b) - 1) < 1e-12);
    assert.ok(Math.abs(ratios[0]! - 9 / 10.25) < 1e-12);
    assert.deepEqual(
      stage.components[0]!.loadings.map((x) => Math.fround(x)),
      [0.2, 0.5].map(Math.fround),
    );
    assert.equal(stage.keep, 2);
    assert.deepEqual(stage.mean, [1, 2]);
  });
});
