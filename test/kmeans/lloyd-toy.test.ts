import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isStrataError } from "../../src/errors.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import {
  emptyLloydPartial,
  lloydStep,
  mergeLloydPartials,
  updateCentres,
} from "../../src/kmeans/lloyd-step.js";
import { runTrial } from "../../src/kmeans/trial.js";
import { fromRows, toRows } from "../../src/linalg/matrix.js";
import { MemoryLogger } from "../../src/util/logger.js";

// scikit-learn's test_kmeans_results, with sample weights [3, 1, 1, 3] written out as repeated rows.
const X = fromRows([
  [0, 0],
  [0, 0],
  [0, 0],
  [0.5, 0],
  [0.5, 1],
  [1, 1],
  [1, 1],
  [1, 1],
]);
const INIT = fromRows([
  [0, 0],
  [1, 1],
]);

describe("hand-computed toys", () => {
  test("scikit-learn test_kmeans_results: centres, inertia, labels, iterations", () => {
    const result = runTrial(X, { initial: INIT, maxIterations: 300, tolerance: 0 });
    assert.deepEqual(toRows(result.centres), [
      [0.125, 0],
      [0.875, 1],
    ]);
    assert.equal(result.inertia, 0.375);
    assert.equal(result.iterations, 2); // labels unchanged in iteration 2: strict convergence
    assert.equal(result.converged, true);
    const labels = new Int32Array(X.rows);
    lloydStep(X, result.centres, { labels });
    assert.deepEqual([...labels], [0, 0, 0, 0, 1, 1, 1, 1]);
  });

  test("one step by hand: sums, counts, inertia against the old centres", () => {
    const part = lloydStep(X, INIT);
    assert.deepEqual([...part.counts], [4, 4]);
    assert.deepEqual([...part.sums], [0.5, 0, 3.5, 4]);
    assert.equal(part.inertia, 0.25 + 0.25); // (0.5,0) to (0,0) and (0.5,1) to (1,1)
    const { centres, centreShift } = updateCentres(part, INIT);
    assert.deepEqual(toRows(centres), [
      [0.125, 0],
      [0.875, 1],
    ]);
    assert.equal(centreShift, 2 * 0.125 ** 2);
  });

  test("KMeans.fit finds the same optimum on four 1-d points (up to order)", () => {
    const x = fromRows([[0], [1], [10], [11]]);
    const model = new KMeans({ k: 2, seed: 3 }).fit(x);
    assert.deepEqual(
      [...model.centroids.data].sort((a, b) => a - b),
      [0.5, 10.5],
    );
    assert.equal(model.inertia, 1);
    assert.equal(model.training?.msd, 0.25);
    assert.deepEqual(model.training?.sizes, [2, 2]);
    assert.equal(model.converged, true);
  });

  test("ties go to the lowest centre index", () => {
    const labels = new Int32Array(1);
    lloydStep(fromRows([[0]]), fromRows([[1], [-1], [1]]), { labels });
    assert.equal(labels[0], 0);
  });
});

describe("empty clusters", () => {
  test("scikit-learn test_relocate_empty_clusters: the two farthest rows move to the two empty clusters", () => {
    const x = fromRows([[-10], [-9.5], [-9], [-8.5], [-8], [-1], [1], [9], [9.5], [10]]);
    const old = fromRows([[-10], [-10], [-10]]);
    const part = lloydStep(x, old);
    assert.deepEqual([...part.counts], [10, 0, 0]); // ties: everything to centre 0
    const update = updateCentres(part, old);
    // sklearn: weights [8, 1, 1], sums [[-36], [10], [9.5]].
    assert.deepEqual(toRows(update.centres), [[-36 / 8], [10], [9.5]]);
    assert.deepEqual(update.relocated, [
      { cluster: 1, row: 9 },
      { cluster: 2, row: 8 },
    ]);
    assert.deepEqual(update.stale, []);
  });

  test("a row is not taken from a cluster it would empty; with nothing left the cluster keeps its centre", () => {
    const x = fromRows([[0], [0]]);
    const old = fromRows([[0], [5], [6]]);
    const update = updateCentres(lloydStep(x, old), old);
    assert.deepEqual(update.relocated, [{ cluster: 1, row: 0 }]);
    assert.deepEqual(update.stale, [2]);
    assert.deepEqual(toRows(update.centres), [[0], [0], [6]]);
  });

  test("relocation after merging shards equals relocation on one shard", () => {
    const x = fromRows([[-10], [-9.5], [-9], [-8.5], [-8], [-1], [1], [9], [9.5], [10]]);
    const old = fromRows([[-10], [-10], [-10]]);
    const merged = [0, 3, 7, 10]
      .slice(1)
      .map((end, i, ends) => lloydStep(x, old, { start: i === 0 ? 0 : ends[i - 1]!, end }))
      .reduce(mergeLloydPartials, emptyLloydPartial(3, 1));
    assert.deepEqual(updateCentres(merged, old), updateCentres(lloydStep(x, old), old));
  });

  test("fewer distinct rows than k: coincident centres, ties to cluster 0, and a warning", () => {
    const x = fromRows([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    const logger = new MemoryLogger();
    const model = new KMeans({ k: 3, seed: 0, numTrials: 1 }).fit(x, { logger });
    assert.deepEqual(toRows(model.centroids), [
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    assert.deepEqual(model.training?.sizes, [3, 0, 0]);
    assert.equal(model.inertia, 0);
    assert.ok(
      logger.events.some(
        (e) => e.level === "warn" && /clusters \(1, 2\) have no training rows/.test(e.message),
      ),
    );
  });
});

describe("logging and stopping", () => {
  test("restarts that hit maxIterations are reported as a warning", () => {
    const x = fromRows([[0], [1], [2], [3], [10], [11], [12], [30]]);
    const logger = new MemoryLogger();
    const model = new KMeans({ k: 3, maxIterations: 1, tol: 0, numTrials: 2 }).fit(x, { logger });
    assert.equal(model.converged, false);
    assert.equal(model.iterations, 1);
    const warn = logger.events.find((e) => e.level === "warn");
    assert.match(warn?.message ?? "", /^K-Means: 2 of 2 restarts did not converge within 1 iterations/);
    assert.ok(logger.events.some((e) => e.level === "info" && /won with inertia/.test(e.message)));
  });

  test("onIteration sees every iteration of every restart; an aborted signal stops the fit", () => {
    const x = fromRows([[0], [1], [2], [3], [10], [11], [12], [30]]);
    const seen: string[] = [];
    new KMeans({ k: 2, numTrials: 2 }).fit(x, { onIteration: (e) => seen.push(`${e.trial}:${e.iteration}`) });
    assert.ok(seen.includes("0:1") && seen.includes("1:1"));
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    assert.throws(() => new KMeans({ k: 2 }).fit(x, { signal: controller.signal }), /stop/);
  });

  test("non-finite values are NON_NUMERIC_VALUE, as in every estimator; fewer than 2 rows are refused", () => {
    assert.throws(
      () => new KMeans({ k: 2 }).fit(fromRows([[0], [Number.NaN], [1]]), { featureNames: ["income"] }),
      (e) => isStrataError(e, "NON_NUMERIC_VALUE") && /^Row 1, "income" is NaN/.test(e.message),
    );
    // ±Infinity too, naming the first bad cell.
    for (const bad of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      assert.throws(
        () =>
          new KMeans({ k: 2 }).fit(
            fromRows([
              [0, 1],
              [2, 3],
              [4, bad],
              [Number.NaN, 0],
            ]),
          ),
        new RegExp(`Row 2, "column 1" is ${bad}`),
      );
    }
    assert.throws(() => new KMeans({ k: 2 }).fit(fromRows([[0]])), /at least 2 rows; the data has 1/);
  });
});
