/**
 * Dense kernels against naive reference loops, including the blocked scatter accumulation for every panel
 * size (a panel boundary must not change the result beyond rounding).
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  accumulateScatter,
  axpy,
  columnMeans,
  columnSums,
  dot,
  mirrorUpper,
  multiply,
  multiplyTransposed,
} from "../../src/linalg/kernels.js";
import { fromRows, type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { expectClose } from "../helpers/expect-close.js";

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = matrix(rows, cols);
  for (let k = 0; k < m.data.length; k++) m.data[k] = rng.nextGaussian() * 3 + 1;
  return m;
}

function naiveScatter(x: Matrix, shift: Float64Array): Float64Array {
  const d = x.cols;
  const out = new Float64Array(d * d);
  for (let r = 0; r < x.rows; r++) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        out[i * d + j] =
          out[i * d + j]! + (x.data[r * d + i]! - shift[i]!) * (x.data[r * d + j]! - shift[j]!);
      }
    }
  }
  return out;
}

describe("small kernels", () => {
  test("dot with offsets, axpy, column sums and means", () => {
    assert.equal(dot(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6])), 32);
    assert.equal(dot(new Float64Array([9, 1, 2]), new Float64Array([3, 4, 0]), 2, 1, 0), 11);
    const y = new Float64Array([1, 1]);
    axpy(2, new Float64Array([3, 4]), y);
    assert.deepEqual(Array.from(y), [7, 9]);
    const x = fromRows([
      [1, 2],
      [3, 6],
    ]);
    assert.deepEqual(Array.from(columnSums(x)), [4, 8]);
    assert.deepEqual(Array.from(columnMeans(x)), [2, 4]);
    assert.deepEqual(Array.from(columnMeans(matrix(0, 2))), [0, 0]);
  });

  test("multiply and multiplyTransposed match hand results and do not touch inputs", () => {
    const a = fromRows([
      [1, 2],
      [3, 4],
    ]);
    const b = fromRows([
      [5, 6, 7],
      [8, 9, 10],
    ]);
    const before = Float64Array.from(a.data);
    assert.deepEqual(Array.from(multiply(a, b, matrix(2, 3)).data), [21, 24, 27, 47, 54, 61]);
    const bt = fromRows([
      [5, 8],
      [6, 9],
    ]);
    const shifted = multiplyTransposed(a, bt, matrix(2, 2), new Float64Array([1, 1]));
    assert.deepEqual(Array.from(shifted.data), [8, 9, 34, 39]);
    assert.deepEqual(a.data, before);
    assert.throws(() => multiply(a, a, matrix(3, 3)), { code: "INTERNAL" });
  });

  test("mirrorUpper copies the upper triangle down", () => {
    const a = new Float64Array([1, 2, 3, 0, 4, 5, 0, 0, 6]);
    mirrorUpper(a, 3);
    assert.deepEqual(Array.from(a), [1, 2, 3, 2, 4, 5, 3, 5, 6]);
  });
});

describe("accumulateScatter", () => {
  test("equals the naive Σ (x − c)(x − c)ᵀ for any shape and panel size, exactly symmetric", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer(),
        (n, d, panelRows, seed) => {
          const x = randomMatrix(n, d, seed);
          const shift = columnMeans(x);
          const got = accumulateScatter(x, shift, new Float64Array(d * d), panelRows);
          // Summation order differs from the naive loop: rounding only.
          expectClose(got, naiveScatter(x, shift), { rtol: 1e-12, atol: 1e-12 * (n + 1) }, "scatter");
          for (let i = 0; i < d; i++)
            for (let j = 0; j < i; j++) assert.equal(got[i * d + j], got[j * d + i]);
        },
      ),
      { seed: 20240611, numRuns: 120 },
    );
  });

  test("has the bits of its summation order: per panel, each entry's products summed from 0 in row order (fast-check)", () => {
    // The order scatter.ts promises, written out per entry: what its WebAssembly tiles must reproduce exactly.
    const ordered = (x: Matrix, shift: Float64Array, panelRows: number, start: number) => {
      const d = x.cols;
      const out = Float64Array.from({ length: d * d }, (_, k) => start * k);
      const p = Math.max(1, Math.min(panelRows, x.rows));
      for (let i = 0; i < d; i++)
        for (let j = i; j < d; j++) {
          let acc = 0;
          for (let s0 = 0; s0 < x.rows; s0 += p) {
            let sum = 0;
            for (let r = s0; r < Math.min(x.rows, s0 + p); r++)
              sum += (x.data[r * d + i]! - shift[i]!) * (x.data[r * d + j]! - shift[j]!);
            acc += sum;
          }
          out[i * d + j] = out[i * d + j]! + acc;
          out[j * d + i] = out[i * d + j]!;
        }
      return out;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 140 }),
        fc.integer(),
        fc.double({ min: -2, max: 2, noNaN: true }),
        (n, d, panelRows, seed, start) => {
          const x = randomMatrix(n, d, seed);
          const shift = columnMeans(x);
          const out = Float64Array.from({ length: d * d }, (_, k) => start * k);
          const got = accumulateScatter(x, shift, out, panelRows);
          assert.deepEqual(Array.from(got), Array.from(ordered(x, shift, panelRows, start)));
        },
      ),
      { seed: 20261208, numRuns: 150 },
    );
  });

  test("adds to what `out` already holds", () => {
    const x = randomMatrix(10, 3, 7);
    const zero = new Float64Array(3);
    const once = accumulateScatter(x, zero, new Float64Array(9));
    const twice = accumulateScatter(x, zero, Float64Array.from(once));
    expectClose(
      twice,
      once.map((v) => 2 * v),
      { rtol: 1e-15 },
      "accumulated twice",
    );
  });
});
