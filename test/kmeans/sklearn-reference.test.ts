import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { adjustedRandIndex } from "../../src/kmeans/agreement.js";
import { centresFromRows } from "../../src/kmeans/init/random.js";
import { KMeans, meanVariance } from "../../src/kmeans/kmeans.js";
import { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import { daviesBouldinScore, silhouetteScore } from "../../src/kmeans/metrics.js";
import { runTrial } from "../../src/kmeans/trial.js";
import { fromRows } from "../../src/linalg/matrix.js";
import { PROJECT_ROOT } from "../helpers/census.js";
import { expectClose } from "../helpers/expect-close.js";

/** test/fixtures/scripts/kmeans-sklearn-reference.py (scikit-learn 1.2.1, numpy 1.24.2). */
interface Fixture {
  data: { x: number[][]; truth: number[] };
  fit: {
    inertia: number;
    centres: number[][];
    labels: number[];
    silhouette: number;
    daviesBouldin: number;
    silhouetteTruth: number;
    daviesBouldinTruth: number;
  };
  sameStart: {
    initRows: number[];
    runs: { maxIter: number; centres: number[][]; inertia: number; labels: number[]; nIter: number }[];
  };
  tol: { tol: number; scaled: number };
}

const fixture = JSON.parse(
  readFileSync(resolve(PROJECT_ROOT, "test/fixtures/kmeans-sklearn-reference.json"), "utf8"),
) as Fixture;
const x = fromRows(fixture.data.x);

/** Centres as rows sorted lexicographically, so two runs compare independently of cluster numbering. */
function sortedCentres(rows: number[][]): number[] {
  return [...rows].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!).flat();
}

describe("K-Means against scikit-learn (600 × 5 Gaussian blobs, k = 7)", () => {
  const model = new KMeans({ k: 7, seed: 0 }).fit(x);
  const { closestCluster } = model.predict(x);

  test("inertia is at most scikit-learn's (n_init=10) × 1.001", () => {
    assert.ok(
      model.inertia <= fixture.fit.inertia * 1.001,
      `${model.inertia} vs sklearn ${fixture.fit.inertia}`,
    );
  });

  test("the same clustering up to relabelling: adjusted Rand index 1, matching centres", () => {
    assert.equal(adjustedRandIndex(closestCluster, fixture.fit.labels), 1);
    const ours = sortedCentres(
      Array.from({ length: 7 }, (_, j) => [...model.centroids.data.subarray(j * 5, j * 5 + 5)]),
    );
    // Same partition, so the centres are the same means; only summation order differs.
    expectClose(ours, sortedCentres(fixture.fit.centres), { rtol: 1e-12, atol: 1e-12 }, "centres");
  });

  test("silhouette equals sklearn.metrics.silhouette_score within 1e-9", () => {
    // sklearn's distances use ‖x‖² − 2x·y + ‖y‖²; ours are direct differences. Both are float64.
    expectClose(silhouetteScore(x, fixture.fit.labels), fixture.fit.silhouette, { atol: 1e-9 }, "silhouette");
    expectClose(
      silhouetteScore(x, fixture.data.truth),
      fixture.fit.silhouetteTruth,
      { atol: 1e-9 },
      "silhouette (truth)",
    );
  });

  test("Davies–Bouldin equals sklearn.metrics.davies_bouldin_score within 1e-9", () => {
    expectClose(daviesBouldinScore(x, fixture.fit.labels), fixture.fit.daviesBouldin, { atol: 1e-9 }, "DB");
    expectClose(
      daviesBouldinScore(x, fixture.data.truth),
      fixture.fit.daviesBouldinTruth,
      { atol: 1e-9 },
      "DB (truth)",
    );
  });

  test("the tolerance scale is scikit-learn's tol × mean per-feature variance", () => {
    expectClose(fixture.tol.tol * meanVariance(x), fixture.tol.scaled, { rtol: 1e-12 }, "scaled tol");
  });

  test("random seeding also reaches the optimum", () => {
    const random = new KMeans({ k: 7, seed: 0, initMethod: "random" }).fit(x);
    assert.ok(random.inertia <= fixture.fit.inertia * 1.001);
  });
});

describe("same start, fixed iterations: equal to scikit-learn's lloyd (init=array, n_init=1, tol=0)", () => {
  const initial = centresFromRows(x, Int32Array.from(fixture.sameStart.initRows));
  for (const run of fixture.sameStart.runs) {
    test(`max_iter=${run.maxIter}`, () => {
      const result = runTrial(x, { initial, maxIterations: run.maxIter, tolerance: 0 });
      // Identical assignments; the means differ only by summation order (sklearn sums in chunks of 256 rows).
      expectClose(result.centres.data, run.centres.flat(), { rtol: 1e-9 }, "centres");
      expectClose(result.inertia, run.inertia, { rtol: 1e-9 }, "inertia");
      assert.equal(result.iterations, run.nIter);
      assert.deepEqual([...KMeansModel.fromCentroids(result.centres).predict(x).closestCluster], run.labels);
    });
  }
});
