/**
 * The sign rule: each component's largest-|loading| entry becomes positive; ties go to the first index.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromRows } from "../../src/linalg/matrix.js";
import { flipSigns, largestMagnitudeIndex } from "../../src/linalg/sign-flip.js";

describe("flipSigns", () => {
  test("makes the largest-magnitude entry positive, keeps the input", () => {
    const c = fromRows([
      [0.6, -0.8],
      [0.8, 0.6],
      [0, 0],
    ]);
    const before = Float64Array.from(c.data);
    const { components, signs } = flipSigns(c);
    assert.deepEqual(Array.from(components.data), [-0.6, 0.8, 0.8, 0.6, 0, 0]);
    assert.deepEqual(Array.from(signs), [-1, 1, 1]);
    assert.deepEqual(c.data, before);
  });

  test("ties go to the first index (numpy.argmax)", () => {
    const c = fromRows([
      [-0.5, 0.5, 0.5, -0.5],
      [0.5, -0.5, 0.5, -0.5],
    ]);
    assert.equal(largestMagnitudeIndex(c, 0), 0);
    assert.deepEqual(Array.from(flipSigns(c).components.data), [0.5, -0.5, -0.5, 0.5, 0.5, -0.5, 0.5, -0.5]);
  });
});
