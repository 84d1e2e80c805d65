import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { adjustedRandIndex } from "../../src/kmeans/agreement.js";
import { KMeansModel } from "../../src/kmeans/kmeans-model.js";
import { daviesBouldinScore, silhouetteScore, silhouetteTotal } from "../../src/kmeans/metrics.js";
import { wasmSilhouetteTotal } from "../../src/kmeans/wasm-pair-sums.js";
import { fromRows, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { expectClose } from "../helpers/expect-close.js";

const FOUR = fromRows([[0], [1], [4], [5]]);

/** The definition, row by row over every other row: the reference the pair-visiting kernel must equal. */
function silhouetteByDefinition(rows: number[][], labels: number[]): number {
  const dist = (p: number[], q: number[]) => Math.sqrt(p.reduce((s, v, t) => s + (v - q[t]!) ** 2, 0));
  const clusters = [...new Set(labels)];
  let total = 0;
  rows.forEach((row, i) => {
    const meanTo = (c: number) => {
      const others = rows.filter((_, j) => j !== i && labels[j] === c);
      return { size: others.length, mean: others.reduce((s, o) => s + dist(row, o), 0) / others.length };
    };
    const own = meanTo(labels[i]!);
    if (own.size === 0) return; // singleton: s = 0
    const b = Math.min(...clusters.filter((c) => c !== labels[i]).map((c) => meanTo(c).mean));
    const denom = Math.max(own.mean, b);
    if (denom > 0) total += (b - own.mean) / denom;
  });
  return total / rows.length;
}

function randomData(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const x = matrix(n, d);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.nextGaussian() + (Math.floor(i / d) % 7);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 7);
  return { x, labels };
}

describe("silhouette", () => {
  test("hand-computed: (7/9 + 5/7) / 2 on four 1-d points", () => {
    expectClose(silhouetteScore(FOUR, [0, 0, 1, 1]), 47 / 63, { rtol: 1e-15 }, "silhouette");
  });

  test("singleton clusters score 0 (scikit-learn's convention)", () => {
    expectClose(
      silhouetteScore(fromRows([[0], [1], [5]]), [0, 0, 1]),
      (0.8 + 0.75) / 3,
      { rtol: 1e-15 },
      "silhouette",
    );
  });

  test("equals the definition on random rows, dimensions and labels in any order (fast-check, seeded)", () => {
    const dataset = fc
      .record({
        n: fc.integer({ min: 3, max: 40 }),
        d: fc.integer({ min: 1, max: 9 }),
        m: fc.integer({ min: 2, max: 6 }),
      })
      .chain(({ n, d, m }) =>
        fc.record({
          rows: fc.array(
            fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: d, maxLength: d }),
            {
              minLength: n,
              maxLength: n,
            },
          ),
          labels: fc.array(fc.integer({ min: 0, max: Math.min(m, n - 1) - 1 }), {
            minLength: n,
            maxLength: n,
          }),
        }),
      )
      .filter(({ labels }) => new Set(labels).size >= 2);
    fc.assert(
      fc.property(dataset, ({ rows, labels }) => {
        const got = silhouetteScore(fromRows(rows), labels);
        expectClose(got, silhouetteByDefinition(rows, labels), { rtol: 1e-12, atol: 1e-12 }, "silhouette");
      }),
      { numRuns: 200, seed: 20261207 },
    );
  });

  test("labels are compared by equality only", () => {
    assert.equal(silhouetteScore(FOUR, [7, 7, -2, -2]), silhouetteScore(FOUR, [0, 0, 1, 1]));
  });

  test("fewer than 2 or more than n − 1 distinct labels, or a wrong label count, are rejected", () => {
    assert.throws(
      () => silhouetteScore(FOUR, [0, 0, 0, 0]),
      /needs from 2 to 3 distinct labels \(n − 1\); got 1/,
    );
    assert.throws(() => silhouetteScore(FOUR, [0, 1, 2, 3]), /got 4\./);
    assert.throws(() => silhouetteScore(FOUR, [0, 1]), /got 2 labels for 4 rows/);
  });

  test("3,218 × 5 rows: a finite score in [-1, 1] (its speed is measured in bench/, not here)", () => {
    const { x, labels } = randomData(3218, 5, 1);
    const s = silhouetteScore(x, labels);
    assert.ok(Number.isFinite(s) && s >= -1 && s <= 1, `${s}`);
  });

  test("sampleSize: a seeded subset; n rows gives the exact score", () => {
    const { x, labels } = randomData(400, 3, 2);
    assert.equal(silhouetteScore(x, labels, { sampleSize: 400 }), silhouetteScore(x, labels));
    const a = silhouetteScore(x, labels, { sampleSize: 100, seed: 5 });
    assert.equal(a, silhouetteScore(x, labels, { sampleSize: 100, seed: 5 }));
    assert.notEqual(a, silhouetteScore(x, labels, { sampleSize: 100, seed: 6 }));
    assert.throws(
      () => silhouetteScore(x, labels, { sampleSize: 1 }),
      /sampleSize=1 is invalid: expected an integer from 2 to 400/,
    );
  });
});

describe("Davies–Bouldin", () => {
  test("hand-computed: (0.5 + 0.5) / 4 on four 1-d points", () => {
    assert.equal(daviesBouldinScore(FOUR, [0, 0, 1, 1]), 0.25);
  });

  test("0 when every cluster has zero scatter", () => {
    assert.equal(daviesBouldinScore(fromRows([[1], [1], [3], [3]]), [0, 0, 1, 1]), 0);
  });
});

describe("KMeansModel.score: msd, ssd, Calinski–Harabasz, Davies–Bouldin", () => {
  test("by hand", () => {
    const model = KMeansModel.fromCentroids(fromRows([[0.5], [4.5]]));
    // Labels [0, 0, 1, 1]: within 4 × 0.25 = 1, between 2·2² + 2·2² = 16, so CH = 16·(4 − 2) / (1·(2 − 1)) = 32;
    // each cluster's mean distance 0.5, the centres 4 apart: DB = (0.5 + 0.5) / 4.
    assert.deepEqual(model.score(FOUR), {
      msd: 0.25,
      ssd: 1,
      numRows: 4,
      calinskiHarabasz: 32,
      daviesBouldin: 0.25,
    });
    assert.equal(model.score(FOUR).daviesBouldin, daviesBouldinScore(FOUR, [0, 0, 1, 1]));
    assert.throws(
      () => model.score(fromRows([[1, 2]])),
      /Input rows have 2 values; the model was trained on 1/,
    );
    const none = model.score(matrix(0, 1));
    assert.equal(none.ssd, 0);
    assert.ok(Number.isNaN(none.msd));
  });
});

describe("adjusted Rand index (values from sklearn.metrics.adjusted_rand_score)", () => {
  test("1 up to relabelling; sklearn's documented examples", () => {
    assert.equal(adjustedRandIndex([0, 0, 1, 1, 2], [2, 2, 0, 0, 1]), 1);
    expectClose(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]), 0.5714285714285714, { rtol: 1e-15 }, "ARI");
    assert.equal(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3]), 0);
    expectClose(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]), -0.5, { rtol: 1e-15 }, "ARI");
  });
});

describe("the silhouette in WebAssembly", () => {
  /** Random rows in a random order, and their clusters' starts, for `sizes`. */
  function layout(d: number, sizes: readonly number[], seed: number) {
    const m = sizes.length;
    const n = sizes.reduce((a, b) => a + b, 0);
    const starts = new Int32Array(m + 1);
    sizes.forEach((size, c) => {
      starts[c + 1] = starts[c]! + size;
    });
    const rng = createRng(seed);
    const X = Float64Array.from(
      { length: n * d },
      () => (rng.nextFloat() - 0.5) * 10 ** (rng.nextInt(7) - 3),
    );
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return { X, order, n, m, starts };
  }

  // silhouetteScore numbers its clusters by the labels present, so no cluster is empty here.
  test("equals the JavaScript total bit for bit, for any widths, cluster sizes, orders and values", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (d, sizes, seed) => {
          const { X, order, n, m, starts } = layout(d, sizes, seed);
          const js = silhouetteTotal(X, order, n, d, starts, m);
          assert.ok(Object.is(wasmSilhouetteTotal(X, order, n, d, starts, m), js), `${js}`);
        },
      ),
      { numRuns: 200, seed: 20261208 },
    );
  });

  test("equals it across the kernel's calls of 64 rows: clusters of 130, 70 and 65 rows", () => {
    const d = 5;
    const { X, order, n, m, starts } = layout(d, [130, 70, 65], 7);
    assert.equal(n, 265);
    const js = silhouetteTotal(X, order, n, d, starts, m);
    assert.ok(Number.isFinite(js) && js !== 0);
    assert.ok(Object.is(wasmSilhouetteTotal(X, order, n, d, starts, m), js));
  });
});
