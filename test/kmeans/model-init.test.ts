import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { StrataError } from "../../src/errors.js";
import { initKMeansPlusPlus } from "../../src/kmeans/init/kmeans-plus-plus.js";
import { initRandom } from "../../src/kmeans/init/random.js";
import { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import { fromRows, matrix, toRows } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { sagemakerKMeansArtifactDir } from "../helpers/census.js";

describe("KMeansModel.fromCentroids (a SageMaker artifact's centroid matrix)", () => {
  const expected = JSON.parse(
    readFileSync(resolve(sagemakerKMeansArtifactDir(), "expected.json"), "utf8"),
  ) as {
    centroids: number[][];
  };
  const model = KMeansModel.fromCentroids(fromRows(expected.centroids));

  test("shape, no training summary", () => {
    assert.equal(model.k, 8);
    assert.equal(model.numFeatures, 7);
    assert.equal(model.training, undefined);
    assert.ok(Number.isNaN(model.inertia));
    assert.ok(Object.isFrozen(model));
  });

  test("each centroid is its own closest cluster at distance 0; a shifted point is at the shift's length", () => {
    const { closestCluster, distanceToCluster } = model.predict(fromRows(expected.centroids));
    assert.deepEqual([...closestCluster], [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual([...distanceToCluster], new Array(8).fill(0));
    const shifted = expected.centroids[3]!.map((v, j) => (j === 0 ? v + 0.03 : j === 1 ? v - 0.04 : v));
    const p = model.predict(fromRows([shifted]));
    assert.equal(p.closestCluster[0], 3);
    assert.ok(Math.abs(p.distanceToCluster[0]! - 0.05) < 1e-12); // Euclidean, not squared (spec §5.7)
  });

  test("the centroids are copied", () => {
    const c = fromRows([[0], [1]]);
    const m = KMeansModel.fromCentroids(c);
    c.data[0] = 99;
    assert.deepEqual(toRows(m.centroids), [[0], [1]]);
  });

  test("no centroid or a non-finite value is ARTIFACT_INVALID", () => {
    assert.throws(
      () => KMeansModel.fromCentroids(matrix(0, 7)),
      (e) => e instanceof StrataError && e.code === "ARTIFACT_INVALID",
    );
    assert.throws(
      () =>
        KMeansModel.fromCentroids(
          fromRows([
            [0, 1],
            [Number.NaN, 2],
          ]),
        ),
      /Centroid 1, feature 0 is NaN/,
    );
  });
});

describe("seeding", () => {
  const x = fromRows(Array.from({ length: 40 }, (_, i) => [i % 10, Math.floor(i / 10) * 10]));

  test("random: k distinct rows, reproducible for a seed", () => {
    const a = initRandom(x, 7, createRng(4));
    assert.equal(new Set(a.rows).size, 7);
    assert.deepEqual(a, initRandom(x, 7, createRng(4)));
    assert.deepEqual(
      toRows(a.centres),
      [...a.rows].map((r) => toRows(x)[r]),
    );
  });

  test("k-means++: distinct rows while the potential is positive, reproducible, one per well-separated group", () => {
    const groups = fromRows([[0], [0.1], [100], [100.1], [200], [200.1], [300], [300.1]]);
    for (let seed = 0; seed < 20; seed++) {
      const { rows } = initKMeansPlusPlus(groups, 4, createRng(seed));
      assert.equal(new Set([...rows].map((r) => r >> 1)).size, 4, `seed ${seed}: ${[...rows]}`);
    }
    const a = initKMeansPlusPlus(x, 7, createRng(9));
    assert.equal(new Set(a.rows).size, 7);
    assert.deepEqual(a, initKMeansPlusPlus(x, 7, createRng(9)));
  });

  test("k-means++ with a single candidate per step (the original algorithm) also works", () => {
    const { rows } = initKMeansPlusPlus(x, 5, createRng(1), { numLocalTrials: 1 });
    assert.equal(new Set(rows).size, 5);
  });

  test("k-means++ on identical rows falls back to uniform draws", () => {
    const same = fromRows([[2], [2], [2]]);
    const { centres } = initKMeansPlusPlus(same, 3, createRng(0));
    assert.deepEqual(toRows(centres), [[2], [2], [2]]);
  });
});
