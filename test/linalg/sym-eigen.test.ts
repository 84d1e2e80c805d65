/**
 * The symmetric eigensolver: A·v = λv and VᵀV = I on seeded random matrices of many shapes and scales
 * (full rank, low rank, repeated eigenvalues), and exact answers on small known cases.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { fromRows, type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { symmetricEigen } from "../../src/linalg/sym-eigen.js";
import { expectClose } from "../helpers/expect-close.js";

/** A symmetric d×d matrix B·Bᵀ·scale (rank ≤ r) plus a symmetric perturbation when r = d. */
function randomSymmetric(d: number, rank: number, scale: number, seed: number): Matrix {
  const rng = createRng(seed);
  const b = Array.from({ length: d * rank }, () => rng.nextGaussian());
  const a = matrix(d, d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < rank; k++) s += b[i * rank + k]! * b[j * rank + k]!;
      if (rank === d) s += rng.nextGaussian(); // indefinite as well as semi-definite cases
      a.data[i * d + j] = s * scale;
      a.data[j * d + i] = s * scale;
    }
  }
  return a;
}

/** max |VᵀV − I| and max |A·v − λv| / (‖A‖ max-norm · d). */
function residuals(a: Matrix): { orth: number; eig: number; values: Float64Array } {
  const d = a.rows;
  const { values, vectors: v } = symmetricEigen(a);
  let orth = 0;
  let eig = 0;
  const norm = Math.max(1e-300, ...Array.from(a.data, Math.abs));
  for (let p = 0; p < d; p++) {
    for (let q = 0; q < d; q++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += v.data[k * d + p]! * v.data[k * d + q]!;
      orth = Math.max(orth, Math.abs(s - (p === q ? 1 : 0)));
    }
    for (let i = 0; i < d; i++) {
      let av = 0;
      for (let k = 0; k < d; k++) av += a.data[i * d + k]! * v.data[k * d + p]!;
      eig = Math.max(eig, Math.abs(av - values[p]! * v.data[i * d + p]!) / (norm * d));
    }
  }
  return { orth, eig, values };
}

describe("symmetricEigen", () => {
  test("random symmetric matrices: A·v = λv, VᵀV = I, eigenvalues ascending", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 24 }),
        fc.constantFrom(1e-9, 1, 1e7),
        fc.integer(),
        (d, r, scale, seed) => {
          const { orth, eig, values } = residuals(randomSymmetric(d, Math.min(r, d), scale, seed));
          assert.ok(orth < 1e-13, `orthonormality ${orth}`);
          assert.ok(eig < 1e-14, `eigen residual ${eig}`);
          for (let k = 1; k < d; k++) assert.ok(values[k - 1]! <= values[k]!, "ascending");
        },
      ),
      { seed: 424242, numRuns: 150 },
    );
  });

  test("d = 200 stays orthonormal to 1e-12", () => {
    const { orth, eig } = residuals(randomSymmetric(200, 200, 1, 99));
    assert.ok(orth < 1e-12, `orthonormality ${orth}`);
    assert.ok(eig < 1e-14, `eigen residual ${eig}`);
  });

  test("known small cases", () => {
    const two = symmetricEigen(
      fromRows([
        [2, 1],
        [1, 2],
      ]),
    );
    expectClose(two.values, [1, 3], { atol: 1e-15 }, "values");
    const r = Math.SQRT1_2;
    expectClose(Array.from(two.vectors.data, Math.abs), [r, r, r, r], { atol: 1e-15 }, "|vectors|");

    const one = symmetricEigen(fromRows([[-4.5]]));
    assert.deepEqual(Array.from(one.values), [-4.5]);
    assert.deepEqual(Array.from(one.vectors.data), [1]);

    const zero = symmetricEigen(matrix(3, 3));
    assert.deepEqual(Array.from(zero.values), [0, 0, 0]);
    assert.deepEqual(Array.from(zero.vectors.data), [1, 0, 0, 0, 1, 0, 0, 0, 1]);

    const diag = symmetricEigen(
      fromRows([
        [3, 0, 0],
        [0, -1, 0],
        [0, 0, 2],
      ]),
    );
    assert.deepEqual(Array.from(diag.values), [-1, 2, 3]);
    assert.equal(symmetricEigen(matrix(0, 0)).values.length, 0);
  });

  test("repeated eigenvalues: Q·diag(1, 1, 1, 5)·Qᵀ", () => {
    const q = symmetricEigen(randomSymmetric(4, 4, 1, 3)).vectors; // some orthogonal Q
    const lambda = [1, 1, 1, 5];
    const a = matrix(4, 4);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += q.data[i * 4 + k]! * lambda[k]! * q.data[j * 4 + k]!;
        a.data[i * 4 + j] = s;
      }
    }
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) a.data[i * 4 + j] = a.data[j * 4 + i]!;
    const { orth, eig, values } = residuals(a);
    expectClose(values, lambda, { atol: 1e-14 }, "values");
    assert.ok(orth < 1e-14 && eig < 1e-15, `orth ${orth}, residual ${eig}`);
  });

  test("does not modify its input and rejects non-square or non-finite input", () => {
    const a = randomSymmetric(5, 5, 1, 11);
    const before = Float64Array.from(a.data);
    symmetricEigen(a);
    assert.deepEqual(a.data, before);
    assert.throws(() => symmetricEigen(matrix(2, 3)), { code: "INTERNAL" });
    assert.throws(() => symmetricEigen(fromRows([[Number.NaN]])), { code: "INTERNAL" });
  });
});
