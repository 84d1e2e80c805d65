/**
 * Issue 13: the algorithm contract's conformance suite, run against every algorithm (the scalers' statistics,
 * regular PCA, randomized PCA — single pass and with power iterations, issue 15 —, Lloyd rounds, the cluster
 * metrics) on both executors (inline, worker threads):
 *
 * - any cut of the data into shards and chunks gives the one-chunk fit (1e-12 relative for sums and moments,
 *   1e-9 for eigenvectors and centres), and the same plan gives the same model bit for bit inline and on 2
 *   threads;
 * - the input is not modified;
 * - a shard of another width is WIDTH_MISMATCH, a NaN is NON_NUMERIC_VALUE naming its row in the data and its
 *   column, for every algorithm;
 * - the estimator's model of a sharded fit round-trips through the one model file (src/models);
 * - the results equal independent references written out here or from another library (column minima and
 *   maxima, two-pass moments, ml-pca's SVD, SageMaker's sketch written out with ml-pca's eigensolver) and
 *   brute-force metrics (Davies–Bouldin as metrics.ts computes it; Calinski–Harabasz written out here).
 *
 * Web-scale K-Means (issue 15) is its own suite: each shard is its own stream, so another cut into shards is
 * another (equally valid) model, as on SageMaker's instances. What holds is the rest: for one shard plan, any
 * chunking and either executor give the same bits, the input is not modified, and the same errors are raised.
 * @module
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { PCA as MlPCA } from "ml-pca";
import { type AlgorithmRef, type RowShard, rowShards } from "../../src/contract/contract.js";
import { fitRounds, InlineExecutor, type RoundExecutor } from "../../src/contract/executor.js";
import { ThreadsExecutor } from "../../src/contract/threads.js";
import { isStrataError } from "../../src/errors.js";
import { KMEANS_SHARD_ROWS, runTrialFast } from "../../src/kmeans/engine.js";
import { resolveKMeansParams } from "../../src/kmeans/hyperparameters.js";
import { initKMeansPlusPlus } from "../../src/kmeans/init/kmeans-plus-plus.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import {
  LLOYD_ROUNDS_REF,
  type LloydModel,
  type LloydRoundState,
  lloydStart,
} from "../../src/kmeans/lloyd-rounds.js";
import { CLUSTER_METRICS_REF, type ClusterMetrics } from "../../src/kmeans/metric-rounds.js";
import { daviesBouldinScore } from "../../src/kmeans/metrics.js";
import { webScaleSettings } from "../../src/kmeans/web-scale/settings.js";
import {
  WEB_SCALE_ROUNDS_REF,
  type WebScaleModel,
  type WebScalePartial,
  type WebScaleRoundState,
  webScaleStart,
} from "../../src/kmeans/web-scale/web-scale-rounds.js";
import { rowSigns, signKey } from "../../src/linalg/counter-signs.js";
import { type Matrix, matrix, toRows } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import {
  type FittedModel,
  MODEL_FILE_KIND,
  modelFromFile,
  modelToFile,
} from "../../src/models/model-file.js";
import { type PCAParams, sketchSize, validatePCAOptions } from "../../src/pca/hyperparameters.js";
import { PCA } from "../../src/pca/pca.js";
import type { PCAModel } from "../../src/pca/pca-model.js";
import { PCA_STATS_REF } from "../../src/pca/pca-rounds.js";
import { RANDOMIZED_PCA_REF, randomizedStart } from "../../src/pca/randomized.js";
import { SHARD_ROWS } from "../../src/pca/scatter-shards.js";
import { MinMaxScaler } from "../../src/preprocess/min-max-scaler.js";
import {
  MIN_MAX_STATS_REF,
  type MinMaxStats,
  MOMENT_STATS_REF,
  type MomentStats,
} from "../../src/preprocess/scaler-stats.js";
import { StandardScaler } from "../../src/preprocess/standard-scaler.js";
import { expectClose } from "../helpers/expect-close.js";
import { DIES_FIRST_REF, DIES_REF } from "./fixtures/dying-algorithm.js";

/** Seeded blobs: n rows around k centres in d dimensions. */
function blobs(n: number, d: number, k: number, seed: number): Matrix {
  const rng = createRng(seed);
  const centres = Array.from({ length: k * d }, () => rng.nextFloat() * 20 - 10);
  const x = matrix(n, d);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    for (let j = 0; j < d; j++) x.data[i * d + j] = centres[c * d + j]! + (rng.nextFloat() - 0.5) * 3;
  }
  return x;
}

/** One algorithm under the contract: its ref, its first state, and how two of its models compare. */
interface Case<M> {
  readonly name: string;
  readonly ref: AlgorithmRef;
  state(x: Matrix): unknown;
  /** Compares a model with the one-chunk model (tolerances per kind of value). */
  close(actual: M, expected: M): void;
  /** Checks the one-chunk model against an independent reference. */
  reference(model: M, x: Matrix): void;
  /** The estimator's model of the contract's result (the metrics are a report, not a model: none). */
  fitted?(model: M): FittedModel;
}

const NAMES = ["a", "b", "c", "d", "e"];

const within = (rtol: number) => ({ rtol, atol: rtol });

/** Randomized PCA over the blobs: 2 components, ℓ = 3, seed 17, `powerIterations` passes after the sketch. */
function randomizedParams(powerIterations: number): PCAParams {
  return validatePCAOptions({
    numComponents: 2,
    algorithmMode: "randomized",
    extraComponents: 1,
    powerIterations,
    seed: 17,
  });
}

/** Two PCA models of the same data and plan family (sums to 1e-12, eigenvectors to 1e-9). */
function closePCA(a: unknown, b: unknown): void {
  const [p, q] = [a as PCAModel, b as PCAModel];
  expectClose(p.singularValues, q.singularValues, within(1e-12), "singular values");
  expectClose(p.components.data, q.components.data, within(1e-9), "components");
  expectClose(p.mean, q.mean, within(1e-12), "mean");
}

/** A model's s² and components against a reference's descending eigenvalues and eigenvectors (up to sign). */
function expectPCAReference(
  model: PCAModel,
  eigenvalues: readonly number[],
  vector: (feature: number, component: number) => number,
): void {
  const C = model.numComponents;
  const d = model.numFeatures;
  expectClose(
    model.singularValues.map((s) => s * s),
    eigenvalues.slice(0, C),
    within(1e-9),
    "s² against the reference's eigenvalues",
  );
  for (let c = 0; c < C; c++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += model.components.data[c * d + j]! * vector(j, c);
    expectClose([Math.abs(dot)], [1], within(1e-9), `component ${c} (up to sign)`);
  }
}

const CASES: Case<unknown>[] = [
  {
    name: "min-max statistics",
    ref: MIN_MAX_STATS_REF,
    state: () => null,
    close: (a, b) => assert.deepEqual(a, b),
    fitted: (model) => new MinMaxScaler().fromStatistics(model as MinMaxStats, NAMES),
    reference(model, x) {
      // Written out here: the scalers' own fit runs the same statistics code.
      const m = model as MinMaxStats;
      const columns = Array.from({ length: x.cols }, (_, j) =>
        Array.from({ length: x.rows }, (_, i) => x.data[i * x.cols + j]!),
      );
      assert.deepEqual(
        Array.from(m.dataMin),
        columns.map((c) => Math.min(...c)),
      );
      assert.deepEqual(
        Array.from(m.dataMax),
        columns.map((c) => Math.max(...c)),
      );
      assert.equal(m.count, x.rows);
    },
  },
  {
    name: "moment statistics",
    ref: MOMENT_STATS_REF,
    state: () => null,
    close(a, b) {
      const [p, q] = [a as MomentStats, b as MomentStats];
      assert.equal(p.count, q.count);
      expectClose(p.mean, q.mean, within(1e-12), "mean");
      expectClose(p.m2, q.m2, within(1e-12), "m2");
    },
    fitted: (model) => new StandardScaler().fromStatistics(model as MomentStats, NAMES),
    reference(model, x) {
      // Two-pass mean and population variance, written out here.
      const m = model as MomentStats;
      const n = x.rows;
      const d = x.cols;
      const mean = Array.from({ length: d }, (_, j) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += x.data[i * d + j]!;
        return sum / n;
      });
      const variance = mean.map((mu, j) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (x.data[i * d + j]! - mu) ** 2;
        return sum / n;
      });
      expectClose(m.mean, mean, within(1e-12), "mean");
      expectClose(
        m.m2.map((v) => v / m.count),
        variance,
        within(1e-12),
        "variance",
      );
      assert.equal(m.count, n);
    },
  },
  {
    name: "regular PCA",
    ref: PCA_STATS_REF,
    state: (x) => validatePCAOptions({ numComponents: Math.min(3, x.cols) }),
    close: closePCA,
    fitted: (model) => model as PCAModel,
    reference(model, x) {
      // ml-pca's SVD of the centred data: an independent implementation (PCA.fit shares this code's kernels).
      const reference = new MlPCA(toRows(x), { method: "SVD" });
      expectPCAReference(
        model as PCAModel,
        reference.getEigenvalues().map((e) => e * (x.rows - 1)),
        (j, c) => reference.getEigenvectors().get(j, c),
      );
    },
  },
  {
    name: "randomized PCA, single pass",
    ref: RANDOMIZED_PCA_REF,
    // ℓ = 2 + 1 = 3 of the 5 features: a sketch narrower than the data, keyed by (seed 17, row).
    state: (x) => randomizedStart(randomizedParams(0), x.cols),
    close: closePCA,
    fitted: (model) => model as PCAModel,
    reference(model, x) {
      // SageMaker's summary written out (B = Σ hᵢxᵢ, h, s, n; C = B − (1/n)·h·sᵀ) with the same signs, and the
      // SVD of C from ml-pca's eigensolver of CᵀC/ℓ: s² and components are its top eigenpairs.
      const params = randomizedParams(0);
      const ell = sketchSize(params);
      const { rows: n, cols: d } = x;
      const B = new Float64Array(ell * d);
      const h = new Float64Array(ell);
      const sums = new Float64Array(d);
      const signs = new Float64Array(ell);
      for (let i = 0; i < n; i++) {
        rowSigns(signKey(params.seed), i, ell, signs, 0);
        for (let j = 0; j < d; j++) sums[j]! += x.data[i * d + j]!;
        for (let c = 0; c < ell; c++) {
          h[c]! += signs[c]!;
          for (let j = 0; j < d; j++) B[c * d + j]! += signs[c]! * x.data[i * d + j]!;
        }
      }
      const C = B.map((b, k) => b - (h[Math.floor(k / d)]! * sums[k % d]!) / n);
      const gram = Array.from({ length: d }, (_, p) =>
        Array.from({ length: d }, (_, q) => {
          let acc = 0;
          for (let c = 0; c < ell; c++) acc += C[c * d + p]! * C[c * d + q]!;
          return acc / ell;
        }),
      );
      const reference = new MlPCA(gram, { isCovarianceMatrix: true });
      expectPCAReference(model as PCAModel, reference.getEigenvalues(), (j, c) =>
        reference.getEigenvectors().get(j, c),
      );
    },
  },
  {
    name: "randomized PCA, 4 power iterations",
    ref: RANDOMIZED_PCA_REF,
    state: (x) => randomizedStart(randomizedParams(4), x.cols),
    close: closePCA,
    fitted: (model) => model as PCAModel,
    reference(model, x) {
      // Exact PCA (ml-pca's SVD): the ℓ = 3 sketch finds the blobs' 3 centre directions, and each pass of
      // subspace iteration shrinks the error by (4th / 2nd eigenvalue)² ≈ 4e-4 (measured, relative in s²:
      // 4e-5 after 2 passes, 2e-8 after 3, 9e-12 after 4).
      const reference = new MlPCA(toRows(x), { method: "SVD" });
      const m = model as PCAModel;
      expectPCAReference(
        m,
        reference.getEigenvalues().map((e) => e * (x.rows - 1)),
        (j, c) => reference.getEigenvectors().get(j, c),
      );
    },
  },
  {
    name: "Lloyd rounds",
    ref: LLOYD_ROUNDS_REF,
    // With the fit's box diagonal: shards keep Hamerly's bounds in their memos on both executors.
    state: (x) =>
      lloydStart(x, {
        initial: initKMeansPlusPlus(x, 4, createRng(5)).centres,
        maxIterations: 50,
        tolerance: 0,
      }),
    close(a, b) {
      const [p, q] = [a as LloydModel, b as LloydModel];
      assert.equal(p.iterations, q.iterations);
      expectClose(p.centres.data, q.centres.data, within(1e-9), "centres");
      expectClose([p.inertia], [q.inertia], within(1e-12), "inertia");
    },
    fitted: (model) => KMeansModel.fromCentroids((model as LloydModel).centres, undefined, NAMES),
    reference(model, x) {
      // Converged Lloyd: every centre is the mean of the rows nearest to it.
      const m = model as LloydModel;
      const { centres } = m;
      const k = centres.rows;
      const d = x.cols;
      const sums = new Float64Array(k * d);
      const counts = new Float64Array(k);
      for (let i = 0; i < x.rows; i++) {
        let best = 0;
        let bestDist = Number.POSITIVE_INFINITY;
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += (x.data[i * d + t]! - centres.data[c * d + t]!) ** 2;
          if (s < bestDist) [best, bestDist] = [c, s];
        }
        counts[best]!++;
        for (let t = 0; t < d; t++) sums[best * d + t]! += x.data[i * d + t]!;
      }
      assert.equal(m.converged, true);
      expectClose(
        centres.data,
        sums.map((v, i) => v / counts[Math.floor(i / d)]!),
        within(1e-9),
        "centres are their clusters' means",
      );
      assert.deepEqual(m.sizes, Array.from(counts), "sizes are the final centres' cluster sizes");
      let inertia = 0;
      for (let i = 0; i < x.rows; i++) {
        let bestDist = Number.POSITIVE_INFINITY;
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += (x.data[i * d + t]! - centres.data[c * d + t]!) ** 2;
          bestDist = Math.min(bestDist, s);
        }
        inertia += bestDist;
      }
      expectClose([m.inertia], [inertia], within(1e-12), "inertia against the final centres");
    },
  },
  {
    name: "cluster metrics",
    ref: CLUSTER_METRICS_REF,
    state: (x) => ({ centres: initKMeansPlusPlus(x, 4, createRng(6)).centres }),
    close(a, b) {
      const [p, q] = [a as ClusterMetrics, b as ClusterMetrics];
      expectClose(
        [p.ssd, p.msd, p.calinskiHarabasz, p.daviesBouldin],
        [q.ssd, q.msd, q.calinskiHarabasz, q.daviesBouldin],
        within(1e-12),
        "metrics",
      );
    },
    reference(model, x) {
      const m = model as ClusterMetrics;
      const { centres } = initKMeansPlusPlus(x, 4, createRng(6));
      const d = x.cols;
      const labels = new Int32Array(x.rows);
      let ssd = 0;
      for (let i = 0; i < x.rows; i++) {
        let bestDist = Number.POSITIVE_INFINITY;
        for (let c = 0; c < centres.rows; c++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += (x.data[i * d + t]! - centres.data[c * d + t]!) ** 2;
          if (s < bestDist) [labels[i], bestDist] = [c, s];
        }
        ssd += bestDist;
      }
      expectClose([m.ssd, m.msd], [ssd, ssd / x.rows], within(1e-12), "ssd, msd");
      expectClose([m.daviesBouldin], [daviesBouldinScore(x, labels)], within(1e-9), "Davies–Bouldin");
      expectClose([m.calinskiHarabasz], [calinskiHarabasz(x, labels)], within(1e-9), "Calinski–Harabasz");
    },
  },
];

describe("the worker-thread executor survives its workers", () => {
  test("a worker that dies fails its round with a clear error, and the next round runs on a new worker", async () => {
    const executor = new ThreadsExecutor({ threads: 2 });
    try {
      const x = blobs(200, 5, 2, 4);
      const plan = rowShards(x, { shardRows: 100, chunkRows: 50 });
      await assert.rejects(
        executor.round(DIES_REF, null, plan),
        (e: unknown) =>
          isStrataError(e, "INTERNAL") &&
          /A shard worker failed: a shard worker exited with code 3/.test(e.message),
      );
      const { model } = await fitRounds<null, MinMaxStats, MinMaxStats>(
        executor,
        MIN_MAX_STATS_REF,
        null,
        plan,
      );
      assert.deepEqual(model, (await fitModel(inline, CASES[0]!, x, plan)) as MinMaxStats);
    } finally {
      await executor.close();
    }
  });
  test("a round ends when all its shards have: it then rejects naming the first failed shard, and says so as it fails", async () => {
    const executor = new ThreadsExecutor({ threads: 2 });
    try {
      const x = blobs(400, 5, 2, 4);
      const plan = rowShards(x, { shardRows: 100, chunkRows: 100 });
      const arrived: number[] = [];
      const failed: number[] = [];
      await assert.rejects(
        executor.round<null, number>(DIES_FIRST_REF, null, plan, {
          onPartial: (i) => arrived.push(i),
          onFailure: (i) => failed.push(i),
        }),
        (e: unknown) => isStrataError(e, "INTERNAL") && e.details["shard"] === 0,
      );
      assert.deepEqual(failed, [0]);
      // Every other shard had ended (on the surviving worker, or on the dead one's successor) by then.
      assert.deepEqual([...arrived].sort(), [1, 2, 3]);
    } finally {
      await executor.close();
    }
  });

  test("the shards queued behind a dying one run on a new worker: only the shard it died in fails", async () => {
    const single = new ThreadsExecutor({ threads: 1 });
    try {
      const x = blobs(200, 5, 2, 4);
      const plan = rowShards(x, { shardRows: 100, chunkRows: 50 });
      const dying = single.round(DIES_REF, null, plan.slice(0, 1));
      const queued = single.round<null, MinMaxStats>(MIN_MAX_STATS_REF, null, plan);
      await assert.rejects(dying, /exited with code 3/);
      assert.deepEqual(await queued, await inline.round(MIN_MAX_STATS_REF, null, plan));
    } finally {
      await single.close();
    }
  });
});

describe("the fast paths are implementations of the contract", () => {
  for (const kernels of ["js", "wasm"] as const)
    test(`K-Means' Hamerly engine (${kernels} kernels, 2 pool threads) equals the contract's Lloyd rounds over its shard plan, bit for bit`, async () => {
      // 70,000 rows: three shards of KMEANS_SHARD_ROWS, so the merge order matters.
      const x = blobs(70_000, 5, 4, 11);
      const initial = initKMeansPlusPlus(x, 4, createRng(8)).centres;
      const fast = runTrialFast(x, { initial, maxIterations: 40, tolerance: 0 }, { threads: 2, kernels });
      const plan = rowShards(x, { shardRows: KMEANS_SHARD_ROWS, chunkRows: KMEANS_SHARD_ROWS });
      assert.equal(plan.length, 3);
      const { model } = await fitRounds<LloydRoundState, unknown, LloydModel>(
        threads,
        LLOYD_ROUNDS_REF,
        lloydStart(x, { initial, maxIterations: 40, tolerance: 0 }),
        plan,
      );
      assert.equal(model.iterations, fast.iterations);
      assert.equal(model.converged, fast.converged);
      assert.deepEqual(model.centres.data, fast.centres.data);
      assert.equal(model.inertia, fast.inertia);
      assert.deepEqual(model.sizes, fast.sizes);
    });

  /** An executor that keeps no shard memo: every round of a fit starts its shards afresh. */
  const forgetful = (executor: RoundExecutor): RoundExecutor => ({
    where: executor.where,
    round: (ref, state, shards, options) =>
      executor.round(ref, state, shards, { ...options, memo: undefined }),
    forget: () => {},
    close: async () => {},
  });

  for (const rows of [3_000, 70_000])
    test(`KMeans.fitOn (rounds on each executor, with and without shard memos) equals KMeans.fit bit for bit: ${rows} rows, 3 restarts`, async () => {
      // 70,000 rows: three shards, WebAssembly kernels; 3,000: one shard, JavaScript kernels.
      const x = blobs(rows, 5, 4, 21);
      const estimator = new KMeans({ k: 4, numTrials: 3, seed: 7, featureDim: 5 });
      const fast = estimator.fit(x, { threads: 2, featureNames: NAMES });
      for (const [name, executor] of [...EXECUTORS, ["forgetful threads", forgetful(threads)] as const]) {
        const model = await estimator.fitOn(executor, x, { featureNames: NAMES });
        assert.deepEqual(model.centroids.data, fast.centroids.data, name);
        assert.deepEqual(model.training, fast.training, name);
        assert.deepEqual(modelToFile(model), modelToFile(fast), name);
      }
    });

  test("empty clusters: rounds that find a cluster empty gather the farthest rows in a second round and relocate as KMeans.fit does, bit for bit", async () => {
    // Every start centre equal: the first assignment puts every row in cluster 0 (ties go to the lowest
    // index), so clusters 1–3 are empty and take the farthest rows of all three shards. The rows repeat every
    // 1,000, so many rows are equally far and the lowest row index must win across shards.
    const base = blobs(1_000, 5, 4, 31);
    const x = matrix(70_000, 5);
    for (let i = 0; i < x.rows; i++)
      x.data.set(base.data.subarray((i % 1_000) * 5, ((i % 1_000) + 1) * 5), i * 5);
    const initialCentres = matrix(4, 5, new Float64Array(20).fill(0.5));
    const estimator = new KMeans({ k: 4, seed: 3, featureDim: 5, maxIterations: 50, tol: 0 });
    const fast = estimator.fit(x, { threads: 2, initialCentres, featureNames: NAMES });
    assert.ok(fast.training!.iterations > 2);
    assert.ok(
      fast.training!.sizes.every((n) => n > 0),
      "every cluster was refilled",
    );
    for (const [name, executor] of [...EXECUTORS, ["forgetful threads", forgetful(threads)] as const]) {
      const model = await estimator.fitOn(executor, x, { initialCentres, featureNames: NAMES });
      assert.deepEqual(modelToFile(model), modelToFile(fast), name);
    }
  });

  test("PCA.fit (shared-memory pool, 2 threads) equals the contract's PCA over its shard plan on both executors, bit for bit", async () => {
    // 70,000 × 16 values is above PARALLEL_MIN_VALUES, so PCA.fit takes its threaded path.
    const x = blobs(70_000, 16, 5, 9);
    const fast = new PCA({ numComponents: 6 }).fit(x, { threads: 2 });
    const plan = rowShards(x, { shardRows: SHARD_ROWS, chunkRows: SHARD_ROWS });
    assert.equal(plan.length, 3);
    for (const [, executor] of EXECUTORS) {
      const { model } = await fitRounds(
        executor,
        PCA_STATS_REF,
        validatePCAOptions({ numComponents: 6 }),
        plan,
      );
      assert.deepEqual(model, fast);
    }
  });
});

/** scikit-learn's calinski_harabasz_score, written out. */
function calinskiHarabasz(x: Matrix, labels: Int32Array): number {
  const d = x.cols;
  const k = Math.max(...labels) + 1;
  const mean = new Float64Array(d);
  const means = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < x.rows; i++) {
    counts[labels[i]!]!++;
    for (let t = 0; t < d; t++) {
      mean[t]! += x.data[i * d + t]! / x.rows;
      means[labels[i]! * d + t]! += x.data[i * d + t]!;
    }
  }
  for (let c = 0; c < k; c++) for (let t = 0; t < d; t++) means[c * d + t]! /= counts[c]!;
  let extra = 0;
  let intra = 0;
  for (let c = 0; c < k; c++)
    for (let t = 0; t < d; t++) extra += counts[c]! * (means[c * d + t]! - mean[t]!) ** 2;
  for (let i = 0; i < x.rows; i++)
    for (let t = 0; t < d; t++) intra += (x.data[i * d + t]! - means[labels[i]! * d + t]!) ** 2;
  return (extra * (x.rows - k)) / (intra * (k - 1));
}

const threads = new ThreadsExecutor({ threads: 2 });
const inline = new InlineExecutor();
after(() => threads.close());

const EXECUTORS: [string, RoundExecutor][] = [
  ["inline", inline],
  ["threads", threads],
];

async function fitModel(executor: RoundExecutor, c: Case<unknown>, x: Matrix, shards: readonly RowShard[]) {
  return (await fitRounds<unknown, unknown, unknown>(executor, c.ref, c.state(x), shards)).model;
}

for (const c of CASES) {
  describe(`the contract: ${c.name}`, () => {
    const x = blobs(1500, 5, 4, 3);

    test("the one-chunk fit equals the independent reference", async () => {
      const model = await fitModel(inline, c, x, rowShards(x, { shardRows: x.rows, chunkRows: x.rows }));
      c.reference(model, x);
    });

    for (const [name, executor] of EXECUTORS)
      test(`${name}: any cut into shards and chunks gives the one-chunk fit; the input is unchanged`, async () => {
        const before = Float64Array.from(x.data);
        const whole = await fitModel(inline, c, x, rowShards(x, { shardRows: x.rows, chunkRows: x.rows }));
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 900 }),
            fc.integer({ min: 1, max: 400 }),
            async (shardRows, chunkRows) => {
              c.close(await fitModel(executor, c, x, rowShards(x, { shardRows, chunkRows })), whole);
            },
          ),
          { numRuns: name === "threads" ? 8 : 20, seed: 31 },
        );
        assert.deepEqual(x.data, before);
      });

    test("the same shard plan gives the same model bit for bit inline and on 2 threads", async () => {
      const plan = rowShards(x, { shardRows: 311, chunkRows: 97 });
      assert.deepEqual(await fitModel(threads, c, x, plan), await fitModel(inline, c, x, plan));
    });

    const { fitted } = c;
    if (fitted !== undefined)
      test("the estimator's model of a sharded fit round-trips through the model file", async () => {
        const model = fitted(await fitModel(threads, c, x, rowShards(x, { shardRows: 311, chunkRows: 97 })));
        const file = JSON.parse(JSON.stringify(modelToFile(model)));
        assert.equal(file.kind, MODEL_FILE_KIND);
        assert.deepEqual(file.featureNames, model.featureNames);
        const back = modelFromFile(file);
        assert.equal(back.constructor, model.constructor);
        assert.deepEqual(modelToFile(back), modelToFile(model));
        assert.deepEqual(back, model);
      });

    test("a shard of another width is WIDTH_MISMATCH and a NaN is NON_NUMERIC_VALUE, on both executors", async () => {
      const narrow = matrix(10, 4);
      for (const [, executor] of EXECUTORS) {
        const mixed = [
          ...rowShards(x, { shardRows: 500, chunkRows: 100 }),
          { data: narrow, start: 0, end: 10, chunkRows: 5 },
        ];
        await assert.rejects(fitModel(executor, c, x, mixed), (e: unknown) =>
          isStrataError(e, "WIDTH_MISMATCH"),
        );
        // Row 203 of the data, column 2: in the third shard of 100 rows, fourth row of its first chunk.
        const withNaN = matrix(x.rows, 5, Float64Array.from(x.data));
        withNaN.data[203 * 5 + 2] = Number.NaN;
        await assert.rejects(
          fitModel(executor, c, withNaN, rowShards(withNaN, { shardRows: 100, chunkRows: 30 })),
          (e: unknown) =>
            isStrataError(e, "NON_NUMERIC_VALUE") && /^Row 203, "column 2" is NaN/.test(e.message),
        );
      }
    });
  });
}

describe("the contract: web-scale K-Means", () => {
  const x = blobs(1500, 5, 4, 3);
  // Batches of 120 rows: several per shard, spanning chunk boundaries; 2 epochs, so a round resumes each
  // shard's centres from the state.
  const settings = webScaleSettings(resolveKMeansParams({ k: 4, miniBatchSize: 120, epochs: 2, seed: 5 }));
  const fit = (executor: RoundExecutor, shards: readonly RowShard[]) =>
    fitRounds<WebScaleRoundState, WebScalePartial, WebScaleModel>(
      executor,
      WEB_SCALE_ROUNDS_REF,
      webScaleStart(settings, 5),
      shards,
    ).then((r) => r.model);

  test("the same shard plan gives the same model bit for bit inline and on 2 threads, however the shards are chunked; the input is unchanged", async () => {
    const before = Float64Array.from(x.data);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 1500 }),
        fc.integer({ min: 1, max: 400 }),
        async (shardRows, chunkRows) => {
          const whole = await fit(inline, rowShards(x, { shardRows, chunkRows: shardRows }));
          assert.deepEqual(await fit(inline, rowShards(x, { shardRows, chunkRows })), whole);
          assert.deepEqual(await fit(threads, rowShards(x, { shardRows, chunkRows })), whole);
        },
      ),
      { numRuns: 8, seed: 41 },
    );
    assert.deepEqual(x.data, before);
  });

  test("the plan is the model's: another cut into shards is another stream per shard (close in loss, not in bits)", async () => {
    const one = await fit(inline, rowShards(x, { shardRows: 1500, chunkRows: 1500 }));
    const three = await fit(inline, rowShards(x, { shardRows: 500, chunkRows: 500 }));
    assert.equal(one.shards.length, 1);
    assert.equal(three.shards.length, 3);
    assert.equal(three.reduction.inputCentres, 3 * 40);
    assert.notDeepEqual(three.centres.data, one.centres.data);
    const loss = (centres: Matrix) => KMeansModel.fromCentroids(centres).score(x).ssd;
    expectClose([loss(three.centres)], [loss(one.centres)], within(0.01), "loss of 3 streams vs 1");
  });

  test("KMeans.fitOn with trainingMode web-scale equals KMeans.fit on both executors, and its model round-trips through the model file", async () => {
    const estimator = new KMeans({ k: 4, trainingMode: "web-scale", miniBatchSize: 120, seed: 2 });
    const fast = estimator.fit(x, { shardRows: 400, featureNames: NAMES });
    for (const [name, executor] of EXECUTORS) {
      const model = await estimator.fitOn(executor, x, { shardRows: 400, featureNames: NAMES });
      assert.deepEqual(modelToFile(model), modelToFile(fast), name);
    }
    const back = modelFromFile(JSON.parse(JSON.stringify(modelToFile(fast))));
    assert.deepEqual(back, fast);
  });

  test("a shard of another width is WIDTH_MISMATCH and a NaN is NON_NUMERIC_VALUE, on both executors", async () => {
    const narrow = matrix(10, 4);
    for (const [, executor] of EXECUTORS) {
      const mixed = [
        ...rowShards(x, { shardRows: 500, chunkRows: 100 }),
        { data: narrow, start: 0, end: 10, chunkRows: 5 },
      ];
      await assert.rejects(fit(executor, mixed), (e: unknown) => isStrataError(e, "WIDTH_MISMATCH"));
      const withNaN = matrix(x.rows, 5, Float64Array.from(x.data));
      withNaN.data[203 * 5 + 2] = Number.NaN;
      await assert.rejects(
        fit(executor, rowShards(withNaN, { shardRows: 100, chunkRows: 30 })),
        (e: unknown) =>
          isStrataError(e, "NON_NUMERIC_VALUE") && /^Row 203, "column 2" is NaN/.test(e.message),
      );
    }
  });
});
