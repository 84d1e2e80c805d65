/**
 * Issue 15: thin Householder QR of a few long vectors — orthonormal Q, triangular R that rebuilds the vectors,
 * also for dependent and zero vectors (where Gram–Schmidt would divide by zero).
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { householderQR } from "../../src/linalg/householder-qr.js";
import { fromRows, type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { expectClose } from "../helpers/expect-close.js";

/** Asserts q's rows are orthonormal, r is upper triangular, and vector j = Σ_i r[i][j]·q_i. */
function checkFactorisation(vectors: Matrix, tolerance: number): void {
  const before = Float64Array.from(vectors.data);
  const { q, r } = householderQR(vectors);
  const { rows: k, cols: d } = vectors;
  assert.deepEqual(vectors.data, before, "the input is not modified");
  assert.deepEqual([q.rows, q.cols, r.rows, r.cols], [k, d, k, k]);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += q.data[a * d + t]! * q.data[b * d + t]!;
      expectClose(dot, a === b ? 1 : 0, { atol: tolerance }, `q rows ${a}·${b}`);
      if (b < a) assert.equal(r.data[a * k + b], 0, `r[${a}][${b}] below the diagonal`);
    }
  const rebuilt = matrix(k, d);
  for (let j = 0; j < k; j++)
    for (let i = 0; i <= j; i++)
      for (let t = 0; t < d; t++)
        rebuilt.data[j * d + t] = rebuilt.data[j * d + t]! + r.data[i * k + j]! * q.data[i * d + t]!;
  const scale = Math.max(1, ...Array.from(vectors.data, Math.abs));
  expectClose(rebuilt.data, vectors.data, { atol: tolerance * scale }, "Rᵀ·Q rebuilds the vectors");
}

describe("householderQR", () => {
  test("random vectors of several shapes", () => {
    const rng = createRng(4);
    for (const [k, d] of [
      [1, 1],
      [1, 5],
      [3, 3],
      [5, 12],
      [20, 300],
    ] as const) {
      const m = matrix(k, d);
      for (let i = 0; i < m.data.length; i++) m.data[i] = 1000 * rng.nextGaussian();
      checkFactorisation(m, 1e-13);
    }
  });

  test("dependent and zero vectors still give an orthonormal basis, with R's diagonal 0 where they depend", () => {
    const m = fromRows([
      [1, 2, 3, 4, 5],
      [0, 1, 0, 1, 0],
      [1, 3, 3, 5, 5], // the sum of the first two
      [0, 0, 0, 0, 0],
    ]);
    checkFactorisation(m, 1e-14);
    const { r } = householderQR(m);
    assert.ok(Math.abs(r.data[2 * 4 + 2]!) < 1e-14);
    assert.equal(r.data[3 * 4 + 3], 0);
  });

  test("more vectors than their length is a caller bug (INTERNAL)", () => {
    assert.throws(() => householderQR(matrix(3, 2)), { code: "INTERNAL" });
    assert.throws(() => householderQR(fromRows([[1, Number.NaN]])), { code: "INTERNAL" });
  });
});
