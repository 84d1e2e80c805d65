/**
 * K-Means with sample weights (scikit-learn's `sample_weight`): against scikit-learn's weighted Lloyd from the
 * same centres (test/kmeans/weighted-reference.py made the numbers), against the unweighted fit of the rows
 * repeated w times (integer weights), the same bits on every path (plain loop, engine on 1 and 2 threads with
 * JavaScript or WebAssembly kernels, contract rounds inline and on threads), and seeding that counts a row w
 * times.
 * @module
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { rowShards } from "../../src/contract/contract.js";
import { InlineExecutor } from "../../src/contract/executor.js";
import { ThreadsExecutor } from "../../src/contract/threads.js";
import { isStrataError } from "../../src/errors.js";
import { runTrialFast } from "../../src/kmeans/engine.js";
import { initKMeansPlusPlus } from "../../src/kmeans/init/kmeans-plus-plus.js";
import { initRandom } from "../../src/kmeans/init/random.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { runTrialRounds } from "../../src/kmeans/lloyd-rounds.js";
import { runTrial } from "../../src/kmeans/trial.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { shutdownPool } from "../../src/parallel/pool.js";

const threads = new ThreadsExecutor({ threads: 2 });
after(async () => {
  await threads.close();
  await shutdownPool();
});

/** The reference script's data: 200 × 2, and weights 0.5 + ((7i) mod 5)². */
function referenceData(): { x: Matrix; weights: Float64Array } {
  const n = 200;
  const d = 2;
  const x = matrix(n, d);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < d; t++) x.data[i * d + t] = Math.sin(0.37 * i * (t + 1)) + Math.cos(1.3 * i + t);
  const weights = Float64Array.from({ length: n }, (_, i) => 0.5 + ((i * 7) % 5) ** 2);
  return { x, weights };
}

/** scikit-learn 1.2.1, KMeans(n_clusters=4, init=X[[0, 1, 2, 3]], n_init=1, algorithm="lloyd", tol=0). */
const SKLEARN = {
  centres: [
    [1.1808714691753852, 1.2069531259471404],
    [0.5682408385380774, -0.5679246607097009],
    [-1.2035128924876268, -0.8075912053359641],
    [-0.3709364480783051, 0.7791666687847422],
  ],
  inertia: 822.6823405232066,
  unweightedInertia: 127.01693037446427,
  sizes: [32, 66, 47, 55],
};

function firstRows(x: Matrix, k: number): Matrix {
  return matrix(k, x.cols, x.data.slice(0, k * x.cols));
}

function blobs(n: number, d: number, seed: number): Matrix {
  const rng = createRng(seed);
  const x = matrix(n, d);
  for (let i = 0; i < n; i++) {
    const c = rng.nextInt(5);
    for (let t = 0; t < d; t++) x.data[i * d + t] = c * 1.5 + rng.nextGaussian();
  }
  return x;
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++)
    assert.ok(
      Math.abs(actual[i]! - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
}

describe("K-Means with sample weights", () => {
  test("equals scikit-learn's weighted Lloyd from the same centres (centres, inertia, sizes)", () => {
    const { x, weights } = referenceData();
    const model = new KMeans({ k: 4, tol: 0 }).fit(x, {
      initialCentres: firstRows(x, 4),
      sampleWeight: weights,
    });
    close(model.centroids.data, SKLEARN.centres.flat(), 1e-9, "centres");
    close([model.inertia], [SKLEARN.inertia], 1e-9, "inertia");
    assert.deepEqual(model.training?.sizes, SKLEARN.sizes);
    const totalWeight = weights.reduce((a, b) => a + b, 0);
    assert.equal(model.training?.totalWeight, totalWeight);
    close(
      [model.training!.clusterWeights!.reduce((a, b) => a + b, 0)],
      [totalWeight],
      1e-12,
      "cluster weights",
    );
  });

  test("the weights change the answer: unweighted from the same centres is scikit-learn's unweighted fit", () => {
    const { x } = referenceData();
    const model = new KMeans({ k: 4, tol: 0 }).fit(x, { initialCentres: firstRows(x, 4) });
    close([model.inertia], [SKLEARN.unweightedInertia], 1e-9, "inertia");
    assert.equal(model.training?.clusterWeights, undefined);
  });

  test("integer weights equal the rows repeated that many times (centres to 1e-12, same sizes' weights)", () => {
    const x = blobs(900, 3, 5);
    const weights = Float64Array.from({ length: x.rows }, (_, i) => 1 + (i % 4));
    const repeated = matrix(
      weights.reduce((a, b) => a + b, 0),
      x.cols,
    );
    let at = 0;
    for (let i = 0; i < x.rows; i++)
      for (let r = 0; r < weights[i]!; r++, at++)
        repeated.data.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), at * x.cols);
    const initial = firstRows(x, 5);
    const weighted = new KMeans({ k: 5, tol: 0 }).fit(x, { initialCentres: initial, sampleWeight: weights });
    const plain = new KMeans({ k: 5, tol: 0 }).fit(repeated, { initialCentres: initial });
    close(weighted.centroids.data, plain.centroids.data, 1e-12, "centres");
    close([weighted.inertia], [plain.inertia], 1e-12, "inertia");
    close(weighted.training!.clusterWeights!, plain.training!.sizes, 0, "cluster weights");
  });

  test("weights of 1 give the unweighted fit's bits", () => {
    const x = blobs(700, 4, 6);
    const initial = firstRows(x, 4);
    const ones = new Float64Array(x.rows).fill(1);
    const weighted = new KMeans({ k: 4 }).fit(x, { initialCentres: initial, sampleWeight: ones });
    const plain = new KMeans({ k: 4 }).fit(x, { initialCentres: initial });
    assert.deepEqual(weighted.centroids.data, plain.centroids.data);
    assert.equal(weighted.inertia, plain.inertia);
  });

  test("the plain loop, the engine on 1 and 2 threads and the contract rounds give the same bits", async () => {
    const x = blobs(5000, 3, 7);
    const weights = Float64Array.from({ length: x.rows }, (_, i) => 0.25 + ((i * 13) % 7));
    const initial = firstRows(x, 5);
    const trial = { initial, maxIterations: 300, tolerance: 0, weights };
    const plain = runTrial(x, trial);
    // One shard: the engine adds the rows in the plain loop's order.
    const one = runTrialFast(x, trial, { shardRows: x.rows });
    assert.deepEqual(one.centres.data, plain.centres.data);
    assert.equal(one.inertia, plain.inertia);
    // Several shards: the bits follow the shard plan, not the thread count or the executor.
    const plan = { shardRows: 700, chunkRows: 700 };
    const engine1 = runTrialFast(x, trial, { shardRows: 700, threads: 1, kernels: "js" });
    const wasm1 = runTrialFast(x, trial, { shardRows: 700, threads: 1, kernels: "wasm" });
    const wasm2 = runTrialFast(x, trial, { shardRows: 700, threads: 2, kernels: "wasm" });
    const engine2 = runTrialFast(x, trial, { shardRows: 700, threads: 2 });
    const hamerlyOff = runTrialFast(x, trial, { shardRows: 700, algorithm: "lloyd" });
    const inline = await runTrialRounds(new InlineExecutor(), x, rowShards(x, plan), trial);
    const onThreads = await runTrialRounds(threads, x, rowShards(x, plan), trial);
    for (const other of [engine2, wasm1, wasm2, hamerlyOff, inline, onThreads]) {
      assert.deepEqual(other.centres.data, engine1.centres.data);
      assert.equal(other.inertia, engine1.inertia);
      assert.deepEqual(other.sizes, engine1.sizes);
    }
    close(engine1.centres.data, plain.centres.data, 1e-12, "sharded vs plain");
    // The sizes of a weighted restart are the clusters' weights.
    close([engine1.sizes.reduce((a, b) => a + b, 0)], [weights.reduce((a, b) => a + b, 0)], 1e-12, "weight");
  });

  test("KMeans.fitOn with weights is KMeans.fit's model, restarts and seeding included", async () => {
    const x = blobs(3000, 2, 8);
    const sampleWeight = Float64Array.from({ length: x.rows }, (_, i) => 1 + (i % 9) / 3);
    const estimator = new KMeans({ k: 6, seed: 3, numTrials: 4 });
    const fit = estimator.fit(x, { sampleWeight });
    const rounds = await estimator.fitOn(threads, x, { sampleWeight });
    assert.deepEqual(rounds.centroids.data, fit.centroids.data);
    assert.equal(rounds.inertia, fit.inertia);
    assert.deepEqual(rounds.training?.sizes, fit.training?.sizes);
  });

  test("seeding counts a row w times: a row of overwhelming weight is the first centre, random or k-means++", () => {
    const x = blobs(400, 2, 9);
    const weights = new Float64Array(x.rows).fill(1);
    weights[123] = 1e15;
    for (let seed = 0; seed < 5; seed++) {
      assert.equal(initKMeansPlusPlus(x, 4, createRng(seed), { weights }).rows[0], 123);
      assert.equal(initRandom(x, 4, createRng(seed), weights).rows[0], 123);
    }
    const distinct = initRandom(x, 50, createRng(1), weights).rows;
    assert.equal(new Set(distinct).size, 50, "random seeding draws distinct rows");
  });

  test("weighted k-means++ draws later centres in proportion to w·D²: a heavy far cluster is always chosen", () => {
    // 300 rows at 0 and 3 rows at 10: unweighted, k-means++ picks the far rows often; with the far rows
    // weighing nothing much and a third group heavy, the second centre goes to the heavy group.
    const x = matrix(306, 1);
    for (let i = 300; i < 303; i++) x.data[i] = 10;
    for (let i = 303; i < 306; i++) x.data[i] = -5;
    const weights = new Float64Array(306).fill(1e-9);
    for (let i = 303; i < 306; i++) weights[i] = 1e9;
    for (let i = 0; i < 300; i++) weights[i] = 1;
    for (let seed = 0; seed < 10; seed++) {
      const { centres } = initKMeansPlusPlus(x, 2, createRng(seed), { weights, numLocalTrials: 1 });
      assert.ok(Array.from(centres.data).includes(-5), `seed ${seed}: ${Array.from(centres.data)}`);
    }
  });

  test("bad weights are refused with the row and value named, before any work", () => {
    const x = blobs(50, 2, 10);
    const estimator = new KMeans({ k: 3 });
    const refused = (sampleWeight: number[], pattern: RegExp) =>
      assert.throws(
        () => estimator.fit(x, { sampleWeight }),
        (e: unknown) => isStrataError(e, "INVALID_ARGUMENT") && pattern.test(e.message),
      );
    refused([1, 2], /2 weights; the data has 50 rows/);
    const withZero = new Array(50).fill(1);
    withZero[7] = 0;
    refused(withZero, /sampleWeight\[7\] is 0/);
    const withNaN = new Array(50).fill(1);
    withNaN[9] = Number.NaN;
    refused(withNaN, /sampleWeight\[9\] is NaN/);
    const negative = new Array(50).fill(1);
    negative[0] = -2;
    refused(negative, /sampleWeight\[0\] is -2/);
  });
});
