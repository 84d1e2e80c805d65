import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { StrataError } from "../../src/errors.js";
import { initKMeansPlusPlus } from "../../src/kmeans/init/kmeans-plus-plus.js";
import { KMeans } from "../../src/kmeans/kmeans.js";
import {
  emptyLloydPartial,
  type LloydPartial,
  lloydStep,
  mergeLloydPartials,
  mergeLloydPartialsInOrder,
  updateCentres,
} from "../../src/kmeans/lloyd-step.js";
import { daviesBouldinScore, silhouetteScore } from "../../src/kmeans/metrics.js";
import { runTrial } from "../../src/kmeans/trial.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { expectClose } from "../helpers/expect-close.js";

const RUNS = { numRuns: 60, seed: 20240607 };

/** Sums, counts and inertia of one Lloyd assignment, by brute force over every row (a test reference). */
function naiveLloyd(x: Matrix, centres: Matrix): { sums: number[]; counts: number[]; inertia: number } {
  const k = centres.rows;
  const d = x.cols;
  const sums = new Array<number>(k * d).fill(0);
  const counts = new Array<number>(k).fill(0);
  let inertia = 0;
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    let bestDist = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let dist = 0;
      for (let j = 0; j < d; j++) dist += (x.data[i * d + j]! - centres.data[c * d + j]!) ** 2;
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    counts[best]!++;
    inertia += bestDist;
    for (let j = 0; j < d; j++) sums[best * d + j]! += x.data[i * d + j]!;
  }
  return { sums, counts, inertia };
}

/** Values with frequent exact ties (quarters) mixed with arbitrary doubles. */
const value = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map((v) => v / 4),
  fc.double({ min: -100, max: 100, noNaN: true }),
);

/** A data set of n × d rows and a k with 2 ≤ k ≤ min(n, 5). */
const dataset = fc
  .record({ n: fc.integer({ min: 2, max: 30 }), d: fc.integer({ min: 1, max: 4 }) })
  .chain(({ n, d }) =>
    fc.record({
      x: fc
        .array(value, { minLength: n * d, maxLength: n * d })
        .map((v) => matrix(n, d, Float64Array.from(v))),
      k: fc.integer({ min: 2, max: Math.min(n, 5) }),
      seed: fc.nat(),
    }),
  );

function sqDist(x: Matrix, i: number, c: Matrix, j: number): number {
  let s = 0;
  for (let t = 0; t < x.cols; t++) s += (x.data[i * x.cols + t]! - c.data[j * c.cols + t]!) ** 2;
  return s;
}

describe("K-Means invariants (fast-check)", () => {
  test("inertia never rises across Lloyd steps", () => {
    fc.assert(
      fc.property(dataset, ({ x, k, seed }) => {
        const inertias: number[] = [];
        const { centres: initial } = initKMeansPlusPlus(x, k, createRng(seed));
        const result = runTrial(x, {
          initial,
          maxIterations: 50,
          tolerance: 0,
          onIteration: (e) => {
            assert.ok(e.inertia !== undefined, "the plain loop computes every pass's inertia");
            inertias.push(e.inertia);
          },
        });
        inertias.push(result.inertia);
        for (let i = 1; i < inertias.length; i++) {
          assert.ok(
            inertias[i]! <= inertias[i - 1]! * (1 + 1e-12) + 1e-12,
            `step ${i}: ${inertias[i - 1]} -> ${inertias[i]}`,
          );
        }
      }),
      RUNS,
    );
  });

  test("predict on the training rows equals the final assignment; closestCluster is the argmin; distance is its sqrt", () => {
    fc.assert(
      fc.property(dataset, ({ x, k, seed }) => {
        const model = new KMeans({ k, seed, numTrials: 2 }).fit(x);
        const { closestCluster, distanceToCluster } = model.predict(x);
        const labels = new Int32Array(x.rows);
        const final = lloydStep(x, model.centroids, { labels });
        assert.deepEqual(closestCluster, labels);
        assert.equal(model.inertia, final.inertia);
        assert.deepEqual(model.training?.sizes, [...final.counts]);
        for (let i = 0; i < x.rows; i++) {
          const d2 = Array.from({ length: k }, (_, j) => sqDist(x, i, model.centroids, j));
          const argmin = d2.indexOf(Math.min(...d2));
          assert.equal(closestCluster[i], argmin);
          assert.equal(distanceToCluster[i], Math.sqrt(d2[argmin]!));
        }
        const score = model.score(x);
        assert.equal(score.ssd, model.inertia);
      }),
      RUNS,
    );
  });

  test("merging partial sums over any partition of the rows equals the single-shard step", () => {
    const withCuts = dataset.chain((s) =>
      fc.record({
        s: fc.constant(s),
        cuts: fc.uniqueArray(fc.integer({ min: 1, max: s.x.rows - 1 }), { maxLength: 5 }),
      }),
    );
    fc.assert(
      fc.property(withCuts, ({ s: { x, k, seed }, cuts }) => {
        const { centres } = initKMeansPlusPlus(x, k, createRng(seed));
        const bounds = [0, ...[...cuts].sort((a, b) => a - b), x.rows];
        const parts = bounds.slice(1).map((end, i) => lloydStep(x, centres, { start: bounds[i]!, end }));
        const merged = mergeLloydPartialsInOrder(parts, k, x.cols);
        const single = lloydStep(x, centres);
        assert.deepEqual(merged.counts, single.counts);
        assert.deepEqual(merged.farthest, single.farthest);
        // Float addition in a different order: equal to rounding.
        expectClose(merged.sums, single.sums, { rtol: 1e-12, atol: 1e-12 }, "sums");
        expectClose(merged.inertia, single.inertia, { rtol: 1e-12, atol: 1e-12 }, "inertia");
        const a = updateCentres(merged, centres);
        const b = updateCentres(single, centres);
        assert.deepEqual(a.relocated, b.relocated);
        expectClose(a.centres.data, b.centres.data, { rtol: 1e-12, atol: 1e-12 }, "centres");
      }),
      RUNS,
    );
  });

  test("merge has the empty partial as identity and repeats bit for bit in shard order", () => {
    fc.assert(
      fc.property(dataset, ({ x, k, seed }) => {
        const { centres } = initKMeansPlusPlus(x, k, createRng(seed));
        const half = x.rows >> 1;
        const p: LloydPartial = lloydStep(x, centres, { start: 0, end: half });
        const q: LloydPartial = lloydStep(x, centres, { start: half });
        assert.deepEqual(mergeLloydPartials(emptyLloydPartial(k, x.cols), p), p);
        // The merge of two halves against a brute-force pass over all rows, computed here independently.
        const merged = mergeLloydPartials(p, q);
        const naive = naiveLloyd(x, centres);
        assert.deepEqual(Array.from(merged.counts), naive.counts);
        expectClose(merged.sums, naive.sums, { rtol: 1e-12, atol: 1e-12 }, "sums");
        expectClose([merged.inertia], [naive.inertia], { rtol: 1e-12, atol: 1e-12 }, "inertia");
        assert.deepEqual(mergeLloydPartials(q, p).counts, merged.counts);
      }),
      RUNS,
    );
  });

  test("the same seed gives a bit-identical model; each seed is reproducible", () => {
    fc.assert(
      fc.property(dataset, fc.nat(), ({ x, k, seed }, other) => {
        const fit = (s: number) => new KMeans({ k, seed: s, numTrials: 3 }).fit(x);
        assert.deepEqual(fit(seed).centroids.data, fit(seed).centroids.data);
        assert.deepEqual(fit(other).centroids.data, fit(other).centroids.data);
        assert.deepEqual(fit(seed).training, fit(seed).training);
      }),
      { ...RUNS, numRuns: 30 },
    );
  });

  test("inputs are never mutated (fit, predict, score, metrics)", () => {
    fc.assert(
      fc.property(dataset, ({ x, k, seed }) => {
        const before = new Float64Array(x.data);
        const model = new KMeans({
          k,
          seed,
          numTrials: 2,
          initMethod: seed % 2 === 0 ? "random" : "kmeans++",
        }).fit(x);
        const centroids = new Float64Array(model.centroids.data);
        const { closestCluster } = model.predict(x);
        model.score(x);
        const labelsBefore = new Int32Array(closestCluster);
        const distinct = new Set(closestCluster).size;
        if (distinct >= 2 && distinct <= x.rows - 1) {
          silhouetteScore(x, closestCluster);
          daviesBouldinScore(x, closestCluster);
        }
        assert.deepEqual(x.data, before);
        assert.deepEqual(model.centroids.data, centroids);
        assert.deepEqual(closestCluster, labelsBefore);
      }),
      RUNS,
    );
  });

  test("the wrong width is rejected with WIDTH_MISMATCH naming expected and received", () => {
    fc.assert(
      fc.property(dataset, fc.integer({ min: 1, max: 6 }), ({ x, k, seed }, width) => {
        fc.pre(width !== x.cols);
        const model = new KMeans({ k, seed, numTrials: 1 }).fit(x);
        const wrong = matrix(3, width);
        for (const call of [() => model.predict(wrong), () => model.score(wrong)]) {
          assert.throws(call, (e: unknown) => {
            assert.ok(e instanceof StrataError);
            assert.equal(e.code, "WIDTH_MISMATCH");
            assert.deepEqual(e.details, { expected: x.cols, received: width });
            assert.equal(
              e.message,
              `Input rows have ${width} values; the model was trained on ${x.cols} features.`,
            );
            return true;
          });
        }
      }),
      { ...RUNS, numRuns: 20 },
    );
  });
});
