/**
 * Threaded K-Means against single-threaded: seeding (k-means++ data passes) and Lloyd iterations with
 * Hamerly's bounds run as fixed row shards on the worker pool, merged in shard order, so the models must be
 * bit-identical for 1, 2 and 3 threads.
 * @module
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { runTrialFast } from "../../src/kmeans/engine.js";
import { initKMeansPlusPlus } from "../../src/kmeans/init/kmeans-plus-plus.js";
import { KMeans, PARALLEL_MIN_ROWS } from "../../src/kmeans/kmeans.js";
import { matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { shutdownPool } from "../../src/parallel/pool.js";

after(() => shutdownPool());

function blobs(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const x = matrix(n, d);
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(6);
    for (let t = 0; t < d; t++) x.data[i * d + t] = c * 2 + rng.nextGaussian();
  }
  return x;
}

describe("threaded K-Means", () => {
  test("k-means++ seeding draws the same rows for 1, 2 and 3 threads", () => {
    const x = blobs(5000, 3, 1);
    const rows = [1, 2, 3].map(
      (threads) => initKMeansPlusPlus(x, 6, createRng(9), { threads, shardRows: 700 }).rows,
    );
    assert.deepEqual(rows[1], rows[0]);
    assert.deepEqual(rows[2], rows[0]);
  });

  test("Lloyd restarts give identical centres, inertia and sizes for 1, 2 and 3 threads", () => {
    const x = blobs(6000, 4, 2);
    const { centres: initial } = initKMeansPlusPlus(x, 6, createRng(4));
    const runs = [1, 2, 3].map((threads) =>
      runTrialFast(x, { initial, maxIterations: 50, tolerance: 0 }, { threads, shardRows: 512 }),
    );
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[2], runs[0]);
  });

  test("KMeans.fit above the threading threshold: the same model for 1 and 2 threads", () => {
    const x = blobs(PARALLEL_MIN_ROWS + 1000, 5, 3);
    const fit = (threads: number) => new KMeans({ k: 6, seed: 5, restarts: 2 }).fit(x, { threads });
    const [one, two] = [fit(1), fit(2)];
    assert.deepEqual(two.centroids.data, one.centroids.data);
    assert.deepEqual(two.training, one.training);
  });

  test("initialCentres: one restart from the given start; a wrong shape is rejected", () => {
    const x = blobs(500, 2, 4);
    const initial = matrix(3, 2, x.data.slice(0, 6));
    const m = new KMeans({ k: 3, maxIterations: 5, tol: 0 }).fit(x, { initialCentres: initial });
    assert.equal(m.training?.trialInertias.length, 1);
    assert.throws(() => new KMeans({ k: 4 }).fit(x, { initialCentres: initial }), /initialCentres is 3x2/);
  });
});
