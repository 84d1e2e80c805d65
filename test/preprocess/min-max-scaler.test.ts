/**
 * MinMaxScaler against scikit-learn on the census (test/fixtures/census-scalers-sklearn.json), the
 * constant-column rule, feature ranges, round trips and JSON serialisation.
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromRows, matrix } from "../../src/linalg/matrix.js";
import { MinMaxScaler, MinMaxScalerModel } from "../../src/preprocess/min-max-scaler.js";
import { expectClose } from "../helpers/expect-close.js";
import { readFixture } from "../helpers/fixtures.js";
import { readCensusMatrix } from "../helpers/read-census-matrix.js";

interface ScalerFixture {
  featureNames: string[];
  minMax: {
    dataMin: number[];
    dataMax: number[];
    scale: number[];
    min: number[];
    transformedFirst5: number[][];
  };
}

describe("MinMaxScaler on the census", () => {
  const census = readCensusMatrix();
  const fx = readFixture<ScalerFixture>("census-scalers-sklearn.json");
  const model = new MinMaxScaler().fit(census.matrix, { featureNames: census.featureNames });
  const scaled = model.transform(census.matrix);

  test("learned parameters equal scikit-learn's", () => {
    assert.deepEqual([...model.featureNames], fx.featureNames);
    assert.deepEqual(Array.from(model.dataMin), fx.minMax.dataMin);
    assert.deepEqual(Array.from(model.dataMax), fx.minMax.dataMax);
    // Same formula as scikit-learn; allow one rounding of difference in (hi − lo) / range.
    expectClose(model.scale, fx.minMax.scale, { rtol: 1e-15 }, "scale");
    expectClose(model.min, fx.minMax.min, { rtol: 1e-15, atol: 1e-16 }, "min");
    expectClose(
      scaled.data.subarray(0, 5 * 34),
      fx.minMax.transformedFirst5.flat(),
      { atol: 1e-15 },
      "rows 0-4",
    );
  });

  test("every column spans exactly [0, 1]", () => {
    const d = scaled.cols;
    for (let j = 0; j < d; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < scaled.rows; i++) {
        lo = Math.min(lo, scaled.data[i * d + j]!);
        hi = Math.max(hi, scaled.data[i * d + j]!);
      }
      assert.equal(lo, 0, `column ${j} min`);
      expectClose(hi, 1, { atol: 1e-15 }, `column ${j} max`);
    }
  });

  test("inverseTransform undoes transform", () => {
    expectClose(
      model.inverseTransform(scaled).data,
      census.matrix.data,
      { rtol: 1e-12, atol: 1e-9 },
      "round trip",
    );
  });
});

describe("MinMaxScaler rules", () => {
  test("a constant column gets scale 1 (scikit-learn's _handle_zeros_in_scale) and maps to lo", () => {
    const x = fromRows([
      [5, 1],
      [5, 3],
    ]);
    const model = new MinMaxScaler({ featureRange: [-1, 1] }).fit(x);
    assert.deepEqual(Array.from(model.scale), [2, 1]);
    assert.deepEqual(Array.from(model.transform(x).data), [-1, -1, -1, 1]);
    assert.ok(Array.from(model.transform(x).data).every(Number.isFinite));
  });

  test("does not mutate input, checks width, rejects bad ranges and NaN", () => {
    const x = fromRows([
      [1, 2],
      [3, 4],
    ]);
    const before = Float64Array.from(x.data);
    const model = new MinMaxScaler().fit(x);
    model.transform(x);
    assert.deepEqual(x.data, before);
    assert.throws(
      () => model.transform(matrix(1, 3)),
      (e: Error & { code?: string; details?: object }) => {
        assert.equal(e.code, "WIDTH_MISMATCH");
        assert.deepEqual(e.details, { expected: 2, received: 3 });
        assert.match(e.message, /3 values; the model was trained on 2 features/);
        return true;
      },
    );
    assert.throws(() => new MinMaxScaler({ featureRange: [1, 1] }), { code: "INVALID_ARGUMENT" });
    assert.throws(() => new MinMaxScaler().fit(fromRows([[Number.NaN]])), { code: "NON_NUMERIC_VALUE" });
    assert.throws(() => new MinMaxScaler().fit(matrix(0, 2)), { code: "INVALID_ARGUMENT" });
    assert.ok(Object.isFrozen(model) && Object.isFrozen(new MinMaxScaler().params));
  });

  test("toJSON / fromJSON round trip is exact; kind and version are checked", () => {
    const census = readCensusMatrix();
    const model = new MinMaxScaler().fit(census.matrix, { featureNames: census.featureNames });
    const back = MinMaxScalerModel.fromJSON(JSON.parse(JSON.stringify(model)));
    assert.deepEqual(back, model);
    assert.deepEqual(back.transform(census.matrix).data, model.transform(census.matrix).data);
    const json = model.toJSON();
    assert.throws(() => MinMaxScalerModel.fromJSON({ ...json, kind: "strata.PCAModel" }), {
      code: "ARTIFACT_INVALID",
    });
    assert.throws(() => MinMaxScalerModel.fromJSON({ ...json, formatVersion: 2 }), /formatVersion 2/);
    assert.throws(() => MinMaxScalerModel.fromJSON({ ...json, min: [1] }), { code: "ARTIFACT_INVALID" });
    assert.throws(() => MinMaxScalerModel.fromJSON(null), { code: "ARTIFACT_INVALID" });
  });
});
