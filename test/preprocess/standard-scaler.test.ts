/**
 * StandardScaler against scikit-learn on the census: population variance (ddof = 0), zero std → 1,
 * round trips and JSON serialisation.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromRows, matrix } from "../../src/linalg/matrix.js";
import { StandardScaler, StandardScalerModel } from "../../src/preprocess/standard-scaler.js";
import { expectClose } from "../helpers/expect-close.js";
import { readFixture } from "../helpers/fixtures.js";
import { readCensusMatrix } from "../helpers/read-census-matrix.js";

interface ScalerFixture {
  standard: { mean: number[]; variance: number[]; scale: number[]; transformedFirst5: number[][] };
}

describe("StandardScaler", () => {
  test("matches scikit-learn on the census", () => {
    const census = readCensusMatrix();
    const fx = readFixture<ScalerFixture>("census-scalers-sklearn.json").standard;
    const model = new StandardScaler().fit(census.matrix, { featureNames: census.featureNames });
    // scikit-learn sums in a different order (_incremental_mean_and_var): rounding-level differences only.
    expectClose(model.mean, fx.mean, { rtol: 1e-13 }, "mean");
    expectClose(model.variance, fx.variance, { rtol: 1e-12 }, "variance");
    expectClose(model.scale, fx.scale, { rtol: 1e-12 }, "scale");
    const z = model.transform(census.matrix);
    expectClose(z.data.subarray(0, 5 * 34), fx.transformedFirst5.flat(), { atol: 1e-12 }, "rows 0-4");
    expectClose(
      model.inverseTransform(z).data,
      census.matrix.data,
      { rtol: 1e-12, atol: 1e-9 },
      "round trip",
    );
  });

  test("zero variance gives scale 1; options withMean/withStd", () => {
    const x = fromRows([
      [2, 1],
      [2, 3],
    ]);
    const model = new StandardScaler().fit(x);
    assert.deepEqual(Array.from(model.variance), [0, 1]);
    assert.deepEqual(Array.from(model.scale), [1, 1]);
    assert.deepEqual(Array.from(model.transform(x).data), [0, -1, 0, 1]);
    const raw = new StandardScaler({ withMean: false, withStd: false }).fit(x);
    assert.deepEqual(raw.transform(x).data, x.data);
  });

  test("checks width, never mutates, round-trips through JSON", () => {
    const x = fromRows([
      [1, 10],
      [2, 30],
      [4, 20],
    ]);
    const before = Float64Array.from(x.data);
    const model = new StandardScaler().fit(x, { featureNames: ["a", "b"] });
    model.transform(x);
    assert.deepEqual(x.data, before);
    assert.throws(() => model.inverseTransform(matrix(1, 1)), { code: "WIDTH_MISMATCH" });
    const back = StandardScalerModel.fromJSON(JSON.parse(JSON.stringify(model)));
    assert.deepEqual(back, model);
    assert.throws(() => StandardScalerModel.fromJSON({ ...model.toJSON(), kind: "x" }), {
      code: "ARTIFACT_INVALID",
    });
  });
});
