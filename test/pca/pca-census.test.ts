/**
 * PCA on the min-max-scaled census (the notebook's pipeline) against the SageMaker values of spec §5.6 and a
 * scikit-learn fixture (test/fixtures/census-pca-sklearn.json, made by test/fixtures/scripts/census_sklearn.py).
 * @module
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { matrix } from "../../src/linalg/matrix.js";
import { PCA } from "../../src/pca/pca.js";
import { MinMaxScaler } from "../../src/preprocess/min-max-scaler.js";
import { MemoryLogger } from "../../src/util/logger.js";
import { expectClose } from "../helpers/expect-close.js";
import { readFixture } from "../helpers/fixtures.js";
import { readCensusMatrix } from "../helpers/read-census-matrix.js";

interface PCAFixture {
  numRows: number;
  featureNames: string[];
  index: string[];
  mean: number[];
  components: number[][];
  singularValues: number[];
  explainedVariance: number[];
  explainedVarianceRatio: number[];
  top5RatioSum: number;
  projectionsFirst5: number[][];
}

describe("PCA on the census (min-max scaled, 33 components)", () => {
  const census = readCensusMatrix();
  const fx = readFixture<PCAFixture>("census-pca-sklearn.json");
  const scaled = new MinMaxScaler().fit(census.matrix).transform(census.matrix);
  const model = new PCA({ numComponents: 33 }).fit(scaled, { featureNames: census.featureNames });

  test("the notebook's shape: 3218 rows, 34 features, Alabama-Autauga first", () => {
    assert.equal(scaled.rows, fx.numRows);
    assert.deepEqual(census.featureNames, fx.featureNames);
    assert.deepEqual(census.index.slice(0, 5), fx.index);
    assert.equal(model.nSamplesSeen, 3218);
    assert.equal(model.numComponents, 33);
  });

  test("SageMaker's top-5 singular values and the ~72 % explained variance", () => {
    // The spec prints 7 significant digits.
    expectClose(
      model.singularValues.subarray(0, 5),
      [19.59218, 13.03598, 11.71825, 10.18006, 7.99131],
      { rtol: 1e-5 },
      "s",
    );
    const top5 = model.explainedVarianceRatio.subarray(0, 5).reduce((a, b) => a + b, 0);
    expectClose(top5, 0.717982, { atol: 1e-6 }, "top-5 ratio sum");
    expectClose(top5, fx.top5RatioSum, { atol: 1e-14 }, "top-5 ratio sum vs scikit-learn");
    // The census has rank 33 after centring (TotalPop = Men + Women), so both ratio definitions agree here.
    expectClose(model.keptExplainedVarianceSageMaker(5), top5, { rtol: 1e-12 }, "kept-components ratio");
  });

  test("projection of Alabama-Autauga matches SageMaker's endpoint (top 5, up to sign)", () => {
    const { s, v, mean } = model.toSageMaker();
    const p = Array.from({ length: 5 }, (_, k) => {
      const j = 28 + k; // the notebook's s.iloc[28:]
      let acc = 0;
      for (let i = 0; i < 34; i++) acc += (scaled.data[i]! - mean[i]!) * v.data[i * 33 + j]!;
      return Math.abs(acc);
    });
    assert.ok(s[32]! > s[28]!);
    // SageMaker trains in float32: agreement to ~1e-5 relative.
    expectClose(p, [0.0108239, 0.1204798, 0.0883559, 0.1605271, 0.0602741], { rtol: 1e-4 }, "|projection|");
  });

  test("equals scikit-learn PCA(33, svd_solver='full')", () => {
    expectClose(model.mean, fx.mean, { atol: 1e-14 }, "mean");
    expectClose(model.singularValues, fx.singularValues, { rtol: 1e-10 }, "singular values");
    expectClose(model.explainedVariance, fx.explainedVariance, { rtol: 1e-10 }, "explained variance");
    expectClose(model.explainedVarianceRatio, fx.explainedVarianceRatio, { atol: 1e-14 }, "ratio");
    // Top components agree to rounding; the smallest kept ones (s ≈ 0.03 vs s₀ ≈ 19.6) lose ~ε·s₀²/s² through
    // the scatter matrix (eigen route) versus scikit-learn's SVD of the data.
    expectClose(
      model.components.data.subarray(0, 5 * 34),
      fx.components.slice(0, 5).flat(),
      { atol: 1e-13 },
      "top-5 components",
    );
    expectClose(model.components.data, fx.components.flat(), { atol: 1e-10 }, "all components");
    const z = model.transform(matrix(5, 34, scaled.data.slice(0, 5 * 34)));
    expectClose(z.data, fx.projectionsFirst5.flat(), { atol: 1e-12 }, "projections of rows 0-4");
  });

  test("components are orthonormal to 1e-10", () => {
    const { rows: C, cols: d } = model.components;
    const c = model.components.data;
    for (let p = 0; p < C; p++) {
      for (let q = p; q < C; q++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += c[p * d + j]! * c[q * d + j]!;
        expectClose(dot, p === q ? 1 : 0, { atol: 1e-10 }, `component ${p}·${q}`);
      }
    }
    for (let k = 1; k < C; k++)
      assert.ok(model.explainedVarianceRatio[k]! <= model.explainedVarianceRatio[k - 1]!);
  });

  test("with all 34 components inverseTransform(transform(x)) returns x, and the null direction is warned", () => {
    const logger = new MemoryLogger();
    const full = new PCA({ numComponents: 34 }).fit(scaled, { logger });
    expectClose(
      full.inverseTransform(full.transform(scaled)).data,
      scaled.data,
      { atol: 1e-10 },
      "round trip",
    );
    const warnings = logger.events.filter((e) => e.level === "warn");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /component 33 has \(numerically\) zero variance/);
    const sum = full.explainedVarianceRatio.reduce((a, b) => a + b, 0);
    expectClose(sum, 1, { atol: 1e-12 }, "ratios of all components sum to 1");
  });
});
