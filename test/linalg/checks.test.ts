/**
 * linalg/checks.ts' finite check, which every fit runs once over its input: it passes exactly the matrices of
 * finite values, and otherwise names the first NaN or ±Infinity by its row (counted from `firstRow`) and its
 * column's name, whatever the other values and wherever the matrix's values start in their buffer.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isStrataError } from "../../src/errors.js";
import { allFinite, checkFinite } from "../../src/linalg/checks.js";
import { matrix } from "../../src/linalg/matrix.js";

test("checkFinite passes finite values and names the first non-finite one's row and column (fast-check)", () => {
  const value = fc.oneof(
    { weight: 8, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.array(value, { maxLength: 60 }),
      fc.nat({ max: 3 }),
      fc.nat({ max: 1000 }),
      (cols, raw, skip, firstRow) => {
        const rows = Math.floor(raw.length / cols);
        const buffer = Float64Array.from([...Array(skip).fill(Number.NaN), ...raw.slice(0, rows * cols)]);
        const x = matrix(rows, cols, buffer.subarray(skip));
        const names = Array.from({ length: cols }, (_, j) => `f${j}`);
        const first = Array.from(x.data).findIndex((v) => !Number.isFinite(v));
        assert.equal(allFinite(x.data), first < 0);
        if (first < 0) {
          checkFinite(x, names, firstRow);
          return;
        }
        assert.throws(
          () => checkFinite(x, names, firstRow),
          (e: unknown) =>
            isStrataError(e) &&
            e.code === "NON_NUMERIC_VALUE" &&
            e.message.startsWith(
              `Row ${firstRow + Math.floor(first / cols)}, "f${first % cols}" is ${x.data[first]};`,
            ),
        );
      },
    ),
    { numRuns: 400, seed: 20261208 },
  );
});
