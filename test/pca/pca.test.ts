/**
 * The PCA estimator's contract: no input mutation, bit-identical refits, width checks, clear errors for
 * too few rows or too many components, exact answers on a hand-computed toy, and subtract_mean=false.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromRows, type Matrix, matrix } from "../../src/linalg/matrix.js";
import { createRng } from "../../src/linalg/rng.js";
import { parsePCAHyperparameters } from "../../src/pca/hyperparameters.js";
import { PCA } from "../../src/pca/pca.js";
import { expectClose } from "../helpers/expect-close.js";

function randomRows(n: number, d: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = matrix(n, d);
  for (let k = 0; k < m.data.length; k++) m.data[k] = 2 + (1 + (k % d)) * rng.nextGaussian();
  return m;
}

describe("PCA", () => {
  test("does not mutate its input; the same input gives a bit-identical model", () => {
    const x = randomRows(50, 5, 1);
    const before = Float64Array.from(x.data);
    const a = new PCA({ numComponents: 3 }).fit(x);
    const b = new PCA({ numComponents: 3 }).fit(x);
    assert.deepEqual(x.data, before);
    a.transform(x);
    a.inverseTransform(a.transform(x));
    assert.deepEqual(x.data, before);
    assert.deepEqual(a, b);
    assert.ok(Object.isFrozen(a));
  });

  test("rejects the wrong width in transform and inverseTransform", () => {
    const model = new PCA({ numComponents: 2 }).fit(randomRows(10, 4, 2));
    assert.throws(
      () => model.transform(matrix(1, 3)),
      (e: Error & { code?: string; details?: object }) => {
        assert.equal(e.code, "WIDTH_MISMATCH");
        assert.equal(e.message, "Input rows have 3 values; the model was trained on 4 features.");
        assert.deepEqual(e.details, { expected: 4, received: 3 });
        return true;
      },
    );
    assert.throws(() => model.inverseTransform(matrix(1, 4)), /the model has 2 components/);
  });

  test("clear errors: too few rows, too many components, feature_dim, names, NaN", () => {
    assert.throws(() => new PCA({ numComponents: 1 }).fit(randomRows(1, 3, 1)), {
      code: "INVALID_ARGUMENT",
      message: "PCA.fit needs at least 2 rows; the input has 1.",
    });
    assert.throws(() => new PCA({ numComponents: 5 }).fit(randomRows(10, 4, 1)), {
      code: "INVALID_HYPERPARAMETER",
      message: "num_components=5 is invalid: expected an integer from 1 to 4 (the number of features).",
    });
    const params = parsePCAHyperparameters({ feature_dim: "34", num_components: "3" });
    assert.throws(() => new PCA(params).fit(randomRows(10, 4, 1)), /feature_dim=34 is invalid: expected 4/);
    assert.throws(() => new PCA({ numComponents: 1 }).fit(randomRows(3, 2, 1), { featureNames: ["a"] }), {
      code: "WIDTH_MISMATCH",
    });
    const bad = randomRows(3, 2, 1);
    bad.data[3] = Number.NaN;
    assert.throws(() => new PCA({ numComponents: 1 }).fit(bad), { code: "NON_NUMERIC_VALUE" });
  });

  test("hand-computed toy: points on a line y = 2x", () => {
    const x = fromRows([
      [0, 0],
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    const model = new PCA({ numComponents: 2 }).fit(x, { featureNames: ["x", "y"] });
    const r = 1 / Math.sqrt(5);
    expectClose(model.components.data.subarray(0, 2), [r, 2 * r], { atol: 1e-15 }, "first component");
    expectClose(model.mean, [1.5, 3], { atol: 0 }, "mean");
    // centred projections on the line: (−1.5, −0.5, 0.5, 1.5)·√5 → s² = 5·5 = 25.
    expectClose(model.singularValues, [5, 0], { atol: 1e-14 }, "singular values");
    expectClose(model.explainedVariance, [25 / 3, 0], { atol: 1e-13 }, "explained variance");
    expectClose(model.explainedVarianceRatio, [1, 0], { atol: 1e-15 }, "ratio");
    expectClose(model.totalVariance ?? Number.NaN, 25 / 3, { rtol: 1e-15 }, "total variance");
    assert.deepEqual(model.topFeatures(0, 1), [{ feature: "y", weight: model.components.data[1]! }]);
  });

  test("subtract_mean=false: components of Σ xxᵀ, mean zero, projection x·v", () => {
    const x = fromRows([
      [3, 0],
      [3, 1],
      [3, -1],
    ]);
    const model = new PCA(parsePCAHyperparameters({ num_components: "2", subtract_mean: "False" })).fit(x);
    assert.equal(model.subtractMean, false);
    assert.deepEqual(Array.from(model.mean), [0, 0]);
    // Σ xxᵀ = diag(27, 2): the uncentred direction (1, 0) dominates.
    expectClose(model.components.data, [1, 0, 0, 1], { atol: 1e-15 }, "components");
    expectClose(model.singularValues, [Math.sqrt(27), Math.sqrt(2)], { rtol: 1e-15 }, "s");
    expectClose(model.transform(x).data, [3, 0, 3, 1, 3, -1], { atol: 1e-15 }, "projection");
  });
});
