/**
 * Issue 15: randomized PCA's mergeable sums. The sketch equals SageMaker's summary written out naively here
 * (B = Σ hᵢxᵢ, h, s = Σ xᵢ, n, then C = B − (1/n)·h·sᵀ) with the same signs; mergeSketch is commutative bit for
 * bit, associative to rounding, has the empty sketch as identity; any cut of the rows, at any first-row
 * index, gives the same sketch within 1e-12. The power pass's Y and T equal their naive sums and add up
 * over any cut.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { rowSigns, signKey } from "../../src/linalg/counter-signs.js";
import { householderQR } from "../../src/linalg/householder-qr.js";
import { type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { emptyPower, mergePower, type PowerStats, powerRowRange } from "../../src/pca/power-pass.js";
import {
  emptySketch,
  mergeSketch,
  type SketchStats,
  sketchRowRange,
  sketchToFactor,
  sketchTrace,
} from "../../src/pca/sketch-stats.js";
import { expectClose } from "../helpers/expect-close.js";

/** Rows with an offset and unequal column scales, so centring matters. */
function randomRows(n: number, d: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = matrix(n, d);
  for (let k = 0; k < m.data.length; k++) m.data[k] = 100 + (1 + (k % d)) * rng.nextGaussian();
  return m;
}

/** The sketch of all of x as one range whose first row is row `firstRow` of the data. */
function sketchOf(x: Matrix, key: number, ell: number, firstRow = 0): SketchStats {
  return sketchRowRange(x.data, x.cols, 0, x.rows, firstRow, key, ell);
}

/** SageMaker's summary, written out: B = Σ hᵢ xᵢ, h = Σ hᵢ, s = Σ xᵢ, n — and C = B − (1/n)·h·sᵀ. */
function naiveSummary(x: Matrix, key: number, ell: number, firstRow = 0) {
  const { rows: n, cols: d } = x;
  const B = new Float64Array(ell * d);
  const h = new Float64Array(ell);
  const s = new Float64Array(d);
  const signs = new Float64Array(ell);
  for (let i = 0; i < n; i++) {
    rowSigns(key, firstRow + i, ell, signs, 0);
    for (let c = 0; c < ell; c++) {
      h[c]! += signs[c]!;
      for (let j = 0; j < d; j++) B[c * d + j]! += signs[c]! * x.data[i * d + j]!;
    }
    for (let j = 0; j < d; j++) s[j]! += x.data[i * d + j]!;
  }
  const C = B.map((b, k) => b - (h[Math.floor(k / d)]! * s[k % d]!) / n);
  let sumSquares = 0;
  for (let k = 0; k < n * d; k++) sumSquares += (x.data[k]! - s[k % d]! / n) ** 2;
  return { B, h, s, C, sumSquares };
}

/** Same sketch within `rtol` of each array's largest entry. */
function expectSameSketch(a: SketchStats, b: SketchStats, rtol: number): void {
  assert.equal(a.count, b.count);
  for (const key of ["mean", "squares", "signSums", "sketch"] as const) {
    const scale = Math.max(...Array.from(b[key], Math.abs), 1e-300);
    expectClose(a[key], b[key], { atol: rtol * scale }, key);
  }
}

describe("sketchRowRange", () => {
  test("equals SageMaker's summary written out, centred (C) and raw (B), with the exact total sum of squares", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat({ max: 2 ** 40 }),
        fc.integer(),
        (n, d, ell, firstRow, seed) => {
          const x = randomRows(n, d, seed);
          const key = signKey(seed >>> 0);
          const stats = sketchOf(x, key, ell, firstRow);
          const naive = naiveSummary(x, key, ell, firstRow);
          const scale = Math.max(...Array.from(naive.B, Math.abs));
          expectClose(stats.signSums, naive.h, { atol: 0 }, "h (sums of ±1: exact)");
          expectClose(
            stats.mean,
            naive.s.map((v) => v / n),
            { rtol: 1e-13 },
            "mean",
          );
          expectClose(stats.sketch, naive.C, { atol: 1e-12 * scale }, "C");
          expectClose(sketchToFactor(stats, true), naive.C, { atol: 1e-12 * scale }, "C as the factor");
          expectClose(
            sketchToFactor(stats, false),
            naive.B,
            { atol: 1e-12 * scale },
            "B for subtract_mean=false",
          );
          expectClose(sketchTrace(stats, true), naive.sumSquares, { rtol: 1e-10 }, "centred sum of squares");
          let raw = 0;
          for (const v of x.data) raw += v * v;
          expectClose(sketchTrace(stats, false), raw, { rtol: 1e-12 }, "raw sum of squares");
        },
      ),
      { seed: 15, numRuns: 100 },
    );
  });

  test("does not modify the data; frozen; a range of no rows is the empty sketch", () => {
    const x = randomRows(9, 3, 1);
    const before = Float64Array.from(x.data);
    const stats = sketchOf(x, signKey(0), 4);
    assert.deepEqual(x.data, before);
    assert.ok(Object.isFrozen(stats));
    assert.deepEqual(sketchRowRange(x.data, 3, 4, 4, 4, signKey(0), 4), emptySketch(3, 4));
  });
});

describe("mergeSketch", () => {
  const key = signKey(5);
  const ell = 6;
  const [a, b, c] = [randomRows(13, 4, 1), randomRows(7, 4, 2), randomRows(29, 4, 3)].map((x, i) =>
    sketchOf(x, key, ell, 100 * i),
  ) as [SketchStats, SketchStats, SketchStats];

  test("the empty sketch is the identity, on both sides, exactly", () => {
    assert.deepEqual(mergeSketch(emptySketch(4, ell), a), a);
    assert.deepEqual(mergeSketch(a, emptySketch(4, ell)), a);
  });

  test("commutative bit for bit, associative to rounding; other widths are refused", () => {
    assert.deepEqual(mergeSketch(a, b), mergeSketch(b, a));
    expectSameSketch(mergeSketch(mergeSketch(a, b), c), mergeSketch(a, mergeSketch(b, c)), 1e-13);
    assert.throws(() => mergeSketch(a, emptySketch(3, ell)), { code: "WIDTH_MISMATCH" });
  });

  test("any cut of the rows gives the sketch of the whole within 1e-12 (each part keyed by its first row)", () => {
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
          let merged = emptySketch(d, ell);
          for (let k = 1; k < bounds.length; k++)
            merged = mergeSketch(
              merged,
              sketchRowRange(x.data, d, bounds[k - 1]!, bounds[k]!, bounds[k - 1]!, key, ell),
            );
          expectSameSketch(merged, sketchOf(x, key, ell), 1e-12);
        },
      ),
      { seed: 99, numRuns: 150 },
    );
  });
});

describe("power pass", () => {
  const d = 7;
  const ell = 3;
  const x = randomRows(50, d, 8);
  const mean = new Float64Array(d).map((_, j) => 100 + j);
  const start = randomRows(ell, d, 9);
  const basis = householderQR(start).q.data;

  test("Y = Σ zᵢx̃ᵢ and T = Σ zᵢzᵢᵀ with zᵢ = Q·x̃ᵢ, written out; the last pass skips Y", () => {
    const Y = new Float64Array(ell * d);
    const T = new Float64Array(ell * ell);
    for (let i = 0; i < x.rows; i++) {
      const centred = Array.from({ length: d }, (_, j) => x.data[i * d + j]! - mean[j]!);
      const z = Array.from({ length: ell }, (_, c) =>
        centred.reduce((s, v, j) => s + v * basis[c * d + j]!, 0),
      );
      for (let c = 0; c < ell; c++) {
        for (let j = 0; j < d; j++) Y[c * d + j]! += z[c]! * centred[j]!;
        for (let e = 0; e < ell; e++) T[c * ell + e]! += z[c]! * z[e]!;
      }
    }
    const full = powerRowRange(x.data, d, 0, x.rows, mean, basis, true);
    expectClose(full.product, Y, { atol: 1e-12 * Math.max(...Y.map(Math.abs)) }, "Y");
    expectClose(full.gram, T, { atol: 1e-12 * Math.max(...T.map(Math.abs)) }, "T");
    for (let c = 0; c < ell; c++)
      for (let e = 0; e < ell; e++)
        assert.equal(full.gram[c * ell + e], full.gram[e * ell + c], "T symmetric");
    const last = powerRowRange(x.data, d, 0, x.rows, mean, basis, false);
    assert.equal(last.product.length, 0);
    assert.deepEqual(last.gram, full.gram);
  });

  test("sums add up over any cut; mergePower is commutative bit for bit with the empty pass as identity", () => {
    const whole = powerRowRange(x.data, d, 0, x.rows, mean, basis, true);
    const parts: PowerStats[] = [0, 11, 12, 30, 50]
      .slice(1)
      .map((end, k, ends) => powerRowRange(x.data, d, k === 0 ? 0 : ends[k - 1]!, end, mean, basis, true));
    const merged = parts.reduce(mergePower, emptyPower(d, ell, true));
    assert.equal(merged.count, 50);
    expectClose(
      merged.product,
      whole.product,
      { atol: 1e-12 * Math.max(...whole.product.map(Math.abs)) },
      "Y",
    );
    expectClose(merged.gram, whole.gram, { atol: 1e-12 * Math.max(...whole.gram.map(Math.abs)) }, "T");
    assert.deepEqual(mergePower(parts[0]!, parts[1]!), mergePower(parts[1]!, parts[0]!));
    assert.deepEqual(mergePower(emptyPower(d, ell, true), parts[2]!), parts[2]);
  });
});
