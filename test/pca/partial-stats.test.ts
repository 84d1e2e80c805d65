/**
 * Mergeable PCA statistics: accumulate equals a naive reference for every panel size; mergeStats is
 * commutative (bit for bit), associative (to rounding) and has emptyStats as identity; any partition of the
 * rows gives the same statistics and the same model.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { parsePCAHyperparameters } from "../../src/pca/hyperparameters.js";
import { accumulate, emptyStats, finalize, mergeStats, type PCAStats } from "../../src/pca/partial-stats.js";
import { PCA } from "../../src/pca/pca.js";
import { expectClose } from "../helpers/expect-close.js";

/** Rows with an offset and unequal column scales, so centring matters. */
function randomRows(n: number, d: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = matrix(n, d);
  for (let k = 0; k < m.data.length; k++) m.data[k] = 100 + (1 + (k % d)) * rng.nextGaussian();
  return m;
}

function slice(x: Matrix, from: number, to: number): Matrix {
  return matrix(to - from, x.cols, x.data.slice(from * x.cols, to * x.cols));
}

function naiveStats(x: Matrix): PCAStats {
  const { rows: n, cols: d } = x;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x.data[i * d + j]! / n;
  const scatter = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d; p++) {
      for (let q = 0; q < d; q++) {
        scatter[p * d + q] =
          scatter[p * d + q]! + (x.data[i * d + p]! - mean[p]!) * (x.data[i * d + q]! - mean[q]!);
      }
    }
  }
  return { numFeatures: d, count: n, mean, scatter };
}

/** Same stats within `rtol` of the largest entry (entries near 0 are judged against the matrix scale). */
function expectSameStats(a: PCAStats, b: PCAStats, rtol: number): void {
  assert.equal(a.count, b.count);
  const meanScale = Math.max(...Array.from(b.mean, Math.abs), 1e-300);
  const scatterScale = Math.max(...Array.from(b.scatter, Math.abs), 1e-300);
  expectClose(a.mean, b.mean, { atol: rtol * meanScale }, "mean");
  expectClose(a.scatter, b.scatter, { atol: rtol * scatterScale }, "scatter");
}

describe("accumulate", () => {
  test("equals the naive two-pass reference for any panel size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer(),
        (n, d, panelRows, seed) => {
          const x = randomRows(n, d, seed);
          expectSameStats(accumulate(emptyStats(d), x, { panelRows }), naiveStats(x), 1e-12);
        },
      ),
      { seed: 7, numRuns: 100 },
    );
  });

  test("does not modify its arguments; zero rows change nothing; width is checked", () => {
    const x = randomRows(5, 3, 1);
    const before = Float64Array.from(x.data);
    const s = accumulate(emptyStats(3), x);
    assert.deepEqual(x.data, before);
    const again = accumulate(s, matrix(0, 3));
    assert.deepEqual(again, s);
    assert.notEqual(again.scatter, s.scatter);
    assert.throws(() => accumulate(s, matrix(1, 4)), { code: "WIDTH_MISMATCH" });
    assert.ok(Object.isFrozen(s));
  });
});

describe("mergeStats", () => {
  const [a, b, c] = [randomRows(13, 4, 1), randomRows(7, 4, 2), randomRows(29, 4, 3)].map((x) =>
    accumulate(emptyStats(4), x),
  ) as [PCAStats, PCAStats, PCAStats];

  test("emptyStats is the identity, on both sides, exactly", () => {
    assert.deepEqual(mergeStats(emptyStats(4), a), a);
    assert.deepEqual(mergeStats(a, emptyStats(4)), a);
    assert.deepEqual(mergeStats(emptyStats(4), emptyStats(4)), emptyStats(4));
  });

  test("commutative bit for bit, associative to rounding", () => {
    assert.deepEqual(mergeStats(a, b), mergeStats(b, a));
    expectSameStats(mergeStats(mergeStats(a, b), c), mergeStats(a, mergeStats(b, c)), 1e-13);
  });

  test("rejects different widths", () => {
    assert.throws(() => mergeStats(a, emptyStats(3)), { code: "WIDTH_MISMATCH" });
  });

  test("any partition of the rows gives the same statistics within 1e-12", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 80 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer(),
        (n, d, cutSeeds, seed) => {
          const x = randomRows(n, d, seed);
          const cuts = [...new Set(cutSeeds.map((s) => s % (n + 1)))].sort((p, q) => p - q);
          const bounds = [0, ...cuts, n];
          let merged = emptyStats(d);
          let folded = emptyStats(d);
          for (let k = 1; k < bounds.length; k++) {
            const part = slice(x, bounds[k - 1]!, bounds[k]!);
            merged = mergeStats(merged, accumulate(emptyStats(d), part));
            folded = accumulate(folded, part);
          }
          const whole = accumulate(emptyStats(d), x);
          expectSameStats(merged, whole, 1e-12);
          expectSameStats(folded, whole, 1e-12);
        },
      ),
      { seed: 99, numRuns: 150 },
    );
  });

  test("a model finalized from merged shards equals PCA.fit", () => {
    const x = randomRows(200, 6, 5);
    const params = parsePCAHyperparameters({ num_components: "4" });
    let merged = emptyStats(6);
    for (let k = 0; k < 200; k += 37)
      merged = mergeStats(merged, accumulate(emptyStats(6), slice(x, k, Math.min(200, k + 37))));
    const sharded = finalize(merged, params);
    const direct = new PCA(params).fit(x);
    // Well-separated eigenvalues of a 6×6 scatter: rounding of the stats propagates ~1e-13.
    expectClose(sharded.singularValues, direct.singularValues, { rtol: 1e-12 }, "singular values");
    expectClose(sharded.components.data, direct.components.data, { atol: 1e-10 }, "components");
  });
});

describe("finalize", () => {
  const params = parsePCAHyperparameters({ num_components: "3" });
  test("refuses fewer than 2 rows, num_components above d, and a wrong feature_dim", () => {
    assert.throws(
      () => finalize(accumulate(emptyStats(3), randomRows(1, 3, 1)), params),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, "INVALID_ARGUMENT");
        assert.match(e.message, /at least 2 rows.*got 1/);
        return true;
      },
    );
    assert.throws(() => finalize(accumulate(emptyStats(2), randomRows(5, 2, 1)), params), {
      code: "INVALID_HYPERPARAMETER",
      message: "num_components=3 is invalid: expected an integer from 1 to 2 (the number of features).",
    });
    const withDim = parsePCAHyperparameters({ num_components: "1", feature_dim: "4" });
    assert.throws(
      () => finalize(accumulate(emptyStats(3), randomRows(5, 3, 1)), withDim),
      /feature_dim=4 is invalid: expected 3/,
    );
  });
});
